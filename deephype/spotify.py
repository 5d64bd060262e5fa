"""Spotify genres for a song's artists: a thin client around spotipy with bounded retries and a store cache.

Every failure becomes a ServiceError (or a ConfigError for bad credentials) with a message a user can act on.
"""

from __future__ import annotations

import logging
import math
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from difflib import SequenceMatcher
from typing import Any, TypeVar

import requests
import spotipy
from spotipy.cache_handler import MemoryCacheHandler
from spotipy.oauth2 import SpotifyClientCredentials, SpotifyOauthError

from deephype.config import SpotifyConfig, secret
from deephype.errors import ConfigError, ServiceError
from deephype.songs import normalise_name, split_song_title
from deephype.store import Store

log = logging.getLogger(__name__)
T = TypeVar("T")

SOURCE = "spotify"  # the genre_cache source of rows written here
CLIENT_ID_VARIABLE = "SPOTIPY_CLIENT_ID"
CLIENT_SECRET_VARIABLE = "SPOTIPY_CLIENT_SECRET"
SEARCH_LIMIT = 10  # the most one search page returns to development-mode apps since February 2026
MIN_NAME_SIMILARITY = 0.8  # below this a hit is another song or artist (a cover, "The xx" for "Jamie xx")
MAX_RETRY_AFTER = 10.0  # seconds; a longer Retry-After fails at once with the wait, rather than block a command
BACKOFF_SECONDS = 0.5  # the first wait after a 5xx, doubled on each further retry
# Titles are compared both whole and without versions or featured credits ("Wake Up - Remastered 2014" is
# "Wake Up"); the whole-title similarity keeps a small weight, so when Spotify has several versions the one
# named as asked wins (the plain recording for "Wake Up", the remix for "Midnight City (Eric Prydz Remix)").
CORE_TITLE_WEIGHT = 0.95
# Spotify writes versions after " - ": "Midnight City - Eric Prydz Private Remix", "Latch - 2013 Remaster".
_SPOTIFY_VERSION = re.compile(
    r"\s+-\s+[^-]*\b(?:remaster(?:ed)?|edit|version|mix|remix|live|mono|stereo|demo|acoustic|session|"
    r"instrumental)\b[^-]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ArtistGenres:
    artist: str  # as Spotify spells it (as cached when read from the cache)
    spotify_id: str | None  # None when the genres came from the cache without a search
    genres: tuple[str, ...]  # may be empty: Spotify has no genres for many artists


@dataclass(frozen=True)
class TrackMatch:
    artist: str  # the first credited artist, as Spotify spells it
    song: str
    spotify_id: str
    artists: tuple[ArtistGenres, ...]  # every credited artist, in Spotify's order
    score: float  # name similarity to what was asked, 0..1


@dataclass(frozen=True)
class _Hit:
    spotify_id: str
    name: str
    artists: tuple[tuple[str, str], ...]  # (id, name)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _similarity(a: str, b: str) -> float:
    """How alike two artist or song names are once normalised (1.0 when they normalise to the same)."""
    a, b = normalise_name(a), normalise_name(b)
    if not a or not b:
        return 0.0
    return 1.0 if a == b else SequenceMatcher(None, a, b).ratio()


def _title_similarity(spotify_title: str, asked: str) -> float:
    """Like `_similarity`, but also comparing the titles without their versions and featured credits."""
    whole = _similarity(spotify_title, asked)
    core = _similarity(split_song_title(_SPOTIFY_VERSION.sub("", spotify_title))[0], split_song_title(asked)[0])
    return max(whole, CORE_TITLE_WEIGHT * core + (1 - CORE_TITLE_WEIGHT) * whole)


class SpotifyGenres:
    """Finds a song on Spotify and reads the genres of each credited artist, caching them in the store."""

    def __init__(
        self,
        config: SpotifyConfig,
        store: Store,
        client_id: str,
        client_secret: str,
        now: Callable[[], datetime] = _utc_now,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if not client_id or not client_secret:
            raise ConfigError(f"Spotify needs {CLIENT_ID_VARIABLE} and {CLIENT_SECRET_VARIABLE} to be set")
        self.config = config
        self.store = store
        self._now = now
        self._sleep = sleep
        # A plain session: no urllib3 Retry, so 429s and 5xx reach our own bounded loop instead of spotipy's,
        # which would sleep for whatever Retry-After Spotify sends.
        self._session = requests.Session()
        timeout = (config.connect_timeout, config.read_timeout)
        auth = SpotifyClientCredentials(
            client_id, client_secret, requests_session=self._session, requests_timeout=timeout,
            cache_handler=MemoryCacheHandler(),  # spotipy's default writes a .cache file into the working directory
        )
        auth.OAUTH_TOKEN_URL = config.token_url  # spotipy reads the token URL from this attribute
        self._client = spotipy.Spotify(auth_manager=auth, requests_session=self._session, requests_timeout=timeout)
        self._client.prefix = config.api_base if config.api_base.endswith("/") else config.api_base + "/"

    @classmethod
    def from_environment(cls, config: SpotifyConfig, store: Store) -> SpotifyGenres | None:
        """A client from SPOTIPY_CLIENT_ID / SPOTIPY_CLIENT_SECRET; None when neither is set (work offline)."""
        names = (CLIENT_ID_VARIABLE, CLIENT_SECRET_VARIABLE)
        if not any(os.environ.get(name, "").strip() for name in names):
            return None
        purpose = "the Spotify app's client credentials, for genre lookups"
        return cls(config, store, secret(CLIENT_ID_VARIABLE, purpose), secret(CLIENT_SECRET_VARIABLE, purpose))

    def close(self) -> None:
        self._session.close()

    # -- public lookups ----------------------------------------------------------------------------

    def find_track(self, artist: str, song: str) -> TrackMatch | None:
        """The Spotify track best matching `artist` and `song`, with each credited artist's genres; None if none."""
        hits = self._search(_track_query(artist, song), f"searching Spotify for {artist} - {song}")
        scored = [(self._track_score(hit, artist, song), -rank, hit) for rank, hit in enumerate(hits)]
        scored = [entry for entry in scored if entry[0] is not None]
        if not scored:
            return None
        score, _, hit = max(scored, key=lambda entry: entry[:2])  # ties go to Spotify's own order
        artists = tuple(self._credited_genres(artist_id, name) for artist_id, name in hit.artists)
        return TrackMatch(hit.artists[0][1], hit.name, hit.spotify_id, artists, round(score, 3))

    def artist_genres(self, artist: str, song: str | None = None) -> ArtistGenres | None:
        """Genres of `artist` (cached, else via `song` when given, else via the artist's tracks); None if unknown."""
        key = normalise_name(artist)
        if not key:
            return None
        cached = self._fresh_cache(key)
        if cached is not None:
            return ArtistGenres(cached["artist"], None, tuple(cached["genres"]))
        if song:
            match = self.find_track(artist, song)
            credited = _closest(match.artists, artist, lambda a: a.artist) if match else None
            if credited is not None:
                return credited
        hits = self._search(f"artist:{_query_value(artist)}", f"searching Spotify for the artist {artist}")
        found = _closest([credit for hit in hits for credit in hit.artists], artist, lambda credit: credit[1])
        return self._credited_genres(*found) if found else None

    # -- matching ----------------------------------------------------------------------------------

    @staticmethod
    def _track_score(hit: _Hit, artist: str, song: str) -> float | None:
        """Mean of title and best credited-artist similarity, or None when either is too far off."""
        title = _title_similarity(hit.name, song)
        by = max(_similarity(name, artist) for _, name in hit.artists)
        if min(title, by) < MIN_NAME_SIMILARITY:
            return None
        return (title + by) / 2

    # -- the cache -----------------------------------------------------------------------------------

    def _fresh_cache(self, key: str) -> dict[str, Any] | None:
        row = self.store.cached_genres(key)
        if row is None:
            return None
        try:
            fetched = datetime.fromisoformat(row["fetched_at"])
        except (TypeError, ValueError):
            return None  # an unreadable date is as good as expired
        if fetched.tzinfo is None:
            fetched = fetched.replace(tzinfo=UTC)
        return row if self._now() - fetched < timedelta(days=self.config.cache_days) else None

    def _credited_genres(self, artist_id: str, name: str) -> ArtistGenres:
        """One credited artist's genres: from the cache when fresh, else `GET /artists/{id}` (one at a time:
        the batch `GET /artists?ids=` endpoint was removed in February 2026)."""
        key = normalise_name(name)
        cached = self._fresh_cache(key) if key else None
        if cached is not None:
            return ArtistGenres(name, artist_id, tuple(cached["genres"]))
        response = self._call(f"reading the Spotify artist {name}", lambda: self._client.artist(artist_id))
        genres = _artist_genres(response, name)
        if key:
            self.store.cache_genres(key, name, list(genres), SOURCE, self._now().isoformat())
        return ArtistGenres(name, artist_id, genres)

    # -- calls, retries and response checks ----------------------------------------------------

    def _search(self, query: str, doing: str) -> list[_Hit]:
        response = self._call(doing, lambda: self._client.search(q=query, type="track", limit=SEARCH_LIMIT))
        return _search_hits(response, doing)

    def _call(self, doing: str, request: Callable[[], T]) -> T:
        """`request()`, retrying 429s and 5xx up to `config.retries` times; every failure is a DeephypeError."""
        attempt = 0
        while True:  # ends: _wait_before_retry raises once attempt reaches config.retries
            try:
                return request()
            except spotipy.SpotifyException as error:
                wait, status = self._wait_before_retry(error, attempt, doing), error.http_status
            except requests.exceptions.ConnectTimeout:
                raise ServiceError(
                    f"could not connect to Spotify within {self.config.connect_timeout:g} s ({doing})"
                ) from None
            except requests.exceptions.Timeout:
                raise ServiceError(f"Spotify did not answer within {self.config.read_timeout:g} s ({doing})") from None
            except requests.exceptions.ConnectionError as error:
                raise ServiceError(f"cannot reach Spotify ({doing}): {error}") from None
            except SpotifyOauthError as error:
                raise _credentials_error(error) from None
            except (ValueError, KeyError, TypeError):
                # spotipy parses the token response itself and lets these through when it is not a token
                raise ServiceError(f"Spotify's token endpoint sent something that is not a token ({doing})") from None
            log.warning("%s: HTTP %s, retrying in %.1f s", doing, status, wait)
            self._sleep(wait)
            attempt += 1

    def _wait_before_retry(self, error: spotipy.SpotifyException, attempt: int, doing: str) -> float:
        """Seconds to wait before retrying after `error`, or a ServiceError when it should not be retried."""
        status, last = error.http_status, attempt >= self.config.retries
        if status == 429:
            retry_after = _retry_after(error.headers)
            if last or retry_after > MAX_RETRY_AFTER:
                raise ServiceError(f"Spotify is rate limiting; retry in {math.ceil(retry_after)} s ({doing})")
            return retry_after
        if status >= 500:
            if last:
                raise ServiceError(
                    f"Spotify failed with HTTP {status} {attempt + 1} times in a row ({doing}); try again later"
                )
            return BACKOFF_SECONDS * 2**attempt
        if status == 401:
            raise ServiceError(f"Spotify rejected the access token ({doing}): {_error_text(error)}")
        raise ServiceError(f"Spotify refused the request with HTTP {status} ({doing}): {_error_text(error)}")


def _track_query(artist: str, song: str) -> str:
    # Featured credits stay out of the query: Spotify lists them as artists, and only sometimes in the title.
    title, _, version = split_song_title(song)
    words = " ".join(part for part in (title or song, version) if part)
    return f"track:{_query_value(words)} artist:{_query_value(artist)}"


def _query_value(text: str) -> str:
    # A colon would start another field filter and a quote would open a phrase: neither belongs to a name.
    return " ".join(text.replace(":", " ").replace('"', " ").split())


def _closest(candidates: list[T] | tuple[T, ...], name: str, name_of: Callable[[T], str]) -> T | None:
    """The candidate whose name is most like `name`, if any is alike enough; the first wins ties."""
    scored = [(_similarity(name_of(c), name), -rank, c) for rank, c in enumerate(candidates)]
    score, _, best = max(scored, key=lambda entry: entry[:2], default=(0.0, 0, None))
    return best if score >= MIN_NAME_SIMILARITY else None


def _retry_after(headers: Any) -> float:
    try:
        return max(0.0, float((headers or {}).get("Retry-After", 1)))
    except (TypeError, ValueError):
        return 1.0  # Spotify sends whole seconds; anything else is unreadable, so wait a little


def _error_text(error: spotipy.SpotifyException) -> str:
    return str(error.msg).split("\n")[-1].strip() or "no message"


def _credentials_error(error: SpotifyOauthError) -> Exception:
    if error.error in ("invalid_client", "unauthorized_client"):
        return ConfigError(
            f"Spotify rejected the client credentials ({error.error}): check {CLIENT_ID_VARIABLE} and "
            f"{CLIENT_SECRET_VARIABLE}"
        )
    # A 5xx from the token endpoint arrives here too, its body's error object in place of an OAuth code.
    reason = error.error.get("message") if isinstance(error.error, dict) else error.error
    return ServiceError(f"Spotify's token endpoint failed ({reason or 'no reason given'}); try again later")


def _unexpected(doing: str, detail: str) -> ServiceError:
    return ServiceError(f"Spotify sent an unexpected response ({doing}): {detail}")


def _search_hits(response: Any, doing: str) -> list[_Hit]:
    """The track hits of a search response, checked field by field."""
    if response is None:
        raise _unexpected(doing, "the body is not JSON")
    items = response.get("tracks", {}).get("items") if isinstance(response, dict) else None
    if not isinstance(items, list):
        raise _unexpected(doing, "no tracks.items list")
    hits = []
    for item in items:
        if item is None:
            continue  # Spotify's search pages do contain nulls now and then
        artists = item.get("artists") if isinstance(item, dict) else None
        if not (isinstance(artists, list) and artists and _has_text(item, "id", "name")
                and all(isinstance(a, dict) and _has_text(a, "id", "name") for a in artists)):
            raise _unexpected(doing, "a track without id, name or artists")
        hits.append(_Hit(item["id"], item["name"], tuple((a["id"], a["name"]) for a in artists)))
    return hits


def _artist_genres(response: Any, name: str) -> tuple[str, ...]:
    doing = f"reading the Spotify artist {name}"
    if response is None:
        raise _unexpected(doing, "the body is not JSON")
    genres = response.get("genres") if isinstance(response, dict) else None
    if not isinstance(genres, list) or not all(isinstance(g, str) for g in genres):
        raise _unexpected(doing, "no genres list")
    return tuple(genres)


def _has_text(item: dict[str, Any], *keys: str) -> bool:
    return all(isinstance(item.get(key), str) and item[key] for key in keys)
