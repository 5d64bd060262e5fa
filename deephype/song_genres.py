"""A song's genres for generation, by a fallback chain: Spotify, then the store's cached Spotify genres, then the
offline artist table, then "unknown". The source is recorded and shown to the curator; a Spotify failure never
stops a request, it falls through with a note saying what happened.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from deephype.config import Settings
from deephype.errors import DeephypeError
from deephype.genres import SOURCE_CACHE, SOURCE_TABLE, UNKNOWN, read_artist_table
from deephype.songs import SongRef, normalise_name
from deephype.spotify import SOURCE as SOURCE_SPOTIFY
from deephype.spotify import SpotifyGenres
from deephype.store import Store

log = logging.getLogger(__name__)

SOURCE_GIVEN = "given"  # genres the person asking typed themselves
SOURCE_UNKNOWN = UNKNOWN


@dataclass(frozen=True)
class SongGenres:
    genres: tuple[str, ...]  # Spotify genre names; empty when unknown
    source: str  # "spotify", "cache", "offline_table", "given" or "unknown"
    note: str | None = None  # for the curator: why a better source was not used


class GenreResolver:
    """Resolves a SongRef's genres. `spotify` None means offline; `store` None means no cache either."""

    def __init__(self, settings: Settings, store: Store | None, spotify: SpotifyGenres | None):
        self.settings = settings
        self.store = store
        self.spotify = spotify
        self._table: dict[str, tuple[str, ...]] | None = None
        self._table_note: str | None = None

    def resolve(self, ref: SongRef) -> SongGenres:
        """The genres of the song's main artist (then of its featured artists), from the best source that has them."""
        notes: list[str] = []
        if self.spotify is not None:
            found = self._from_spotify(self.spotify, ref, notes)
            if found:
                return SongGenres(found, SOURCE_SPOTIFY, _joined(notes))
        for source, lookup in ((SOURCE_CACHE, self._cached), (SOURCE_TABLE, self._tabled)):
            for name in ref.names():
                genres = lookup(name)
                if genres:
                    return SongGenres(genres, source, _joined(notes))
        if self._table_note:
            notes.append(self._table_note)
        notes.append(f"no genres known for {_credits(ref)}: writing without a genre")
        return SongGenres((), SOURCE_UNKNOWN, _joined(notes))

    @staticmethod
    def given(genres: Sequence[str]) -> SongGenres:
        """Genres typed by the person asking ("indie folk, dream pop"), cleaned and de-duplicated."""
        cleaned = tuple(dict.fromkeys(" ".join(g.lower().split()) for g in genres if g.strip()))
        return SongGenres(cleaned, SOURCE_GIVEN) if cleaned else SongGenres((), SOURCE_UNKNOWN)

    @staticmethod
    def _from_spotify(spotify: SpotifyGenres, ref: SongRef, notes: list[str]) -> tuple[str, ...]:
        """Genres of the first credited artist Spotify knows and has genres for; failures become notes."""
        for name in ref.names():
            try:
                found = spotify.artist_genres(name, ref.song)
            except DeephypeError as error:  # down, slow, rate limiting, bad credentials: never fatal here
                log.warning("Spotify lookup for %s failed: %s", name, error)
                notes.append(f"Spotify failed ({error}); used the fallback genres")
                return ()
            if found is None:
                notes.append(f"Spotify does not know {name}")
            elif found.genres:
                return found.genres
            else:
                notes.append(f"Spotify lists no genres for {found.artist}")
        return ()

    def _cached(self, name: str) -> tuple[str, ...]:
        # Any age will do: a stale genre beats none when Spotify cannot be asked.
        row = self.store.cached_genres(normalise_name(name)) if self.store is not None else None
        return tuple(row["genres"]) if row else ()

    def _tabled(self, name: str) -> tuple[str, ...]:
        return self._artist_table().get(normalise_name(name), ())

    def _artist_table(self) -> dict[str, tuple[str, ...]]:
        if self._table is None:
            path = self.settings.path("artist_genres_csv")
            if path.is_file():
                try:
                    self._table = read_artist_table(path)
                except DeephypeError as error:
                    log.warning("offline artist table unusable: %s", error)
                    self._table, self._table_note = {}, f"the offline artist table is unusable ({error})"
            else:
                self._table, self._table_note = {}, f"no offline artist table at {path}"
        return self._table


def _credits(ref: SongRef) -> str:
    return " or ".join(ref.names())


def _joined(notes: list[str]) -> str | None:
    return "; ".join(dict.fromkeys(notes)) if notes else None
