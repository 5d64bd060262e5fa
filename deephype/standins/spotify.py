"""A local Spotify Web API (token, search, artist) for tests and the offline demo, with fault injection.

It speaks the real endpoints with the real response shapes, so spotipy talks to it unchanged once
`SpotifyConfig.api_base` and `token_url` point here (see `SpotifyStandIn.spotify_config`).
"""

from __future__ import annotations

import base64
import dataclasses
import fnmatch
import hashlib
import json
import re
import secrets
import threading
import unicodedata
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from deephype.config import SpotifyConfig
from deephype.standins.spotify_catalogue import DEFAULT_CATALOGUE, build_catalogue, spotify_id

SEARCH_MAX_LIMIT = 10  # what Spotify allows development-mode apps since February 2026 (it was 50)
TOKEN_LIFETIME = 3600
_FILTER = re.compile(r"(?:^|\s)(track|artist|album):", re.IGNORECASE)
_ERROR_MESSAGES = {500: "Server error.", 502: "Bad gateway.", 503: "Service unavailable"}


@dataclass(frozen=True)
class Fault:
    """One injected misbehaviour, consumed by the next request whose path matches."""

    status: int = 200
    body: str | None = None  # replaces the real answer when set
    delay: float = 0.0  # seconds to wait before answering
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def rate_limit(cls, retry_after: int) -> Fault:
        body = json.dumps({"error": {"status": 429, "message": "API rate limit exceeded"}})
        return cls(429, body, headers=(("Retry-After", str(retry_after)),))

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        return cls(status, json.dumps({"error": {"status": status, "message": _ERROR_MESSAGES.get(status, "")}}))

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """Answer correctly, but only after `seconds`."""
        return cls(delay=seconds)

    @classmethod
    def malformed_json(cls) -> Fault:
        return cls(200, '{"tracks": {"items": [{"id": "4Vx')

    @classmethod
    def wrong_shape(cls, payload: Any = None) -> Fault:
        """Valid JSON that is not what the endpoint promises (by default a list where an object belongs)."""
        return cls(200, json.dumps(payload if payload is not None else [{"name": "Midnight City"}]))


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased
    body: str


@dataclass(frozen=True)
class _Reply:
    status: int
    body: str
    headers: tuple[tuple[str, str], ...] = ()


def _json_reply(status: int, payload: Any) -> _Reply:
    return _Reply(status, json.dumps(payload))


def _api_error(status: int, message: str) -> _Reply:
    return _json_reply(status, {"error": {"status": status, "message": message}})


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return re.findall(r"\w+", "".join(c for c in folded if not unicodedata.combining(c)))


def _contains(words: list[str], text: str) -> bool:
    return set(words) <= set(_words(text))


class SpotifyStandIn:
    """`with SpotifyStandIn() as spotify:` serves the catalogue on 127.0.0.1 at a free port."""

    def __init__(
        self,
        catalogue: dict[str, dict[str, Any]] | None = None,
        client_id: str = "standin-client-id",
        client_secret: str = "standin-client-secret",
    ):
        self.client_id = client_id
        self.client_secret = client_secret
        self._artists, self._tracks = build_catalogue(DEFAULT_CATALOGUE if catalogue is None else catalogue)
        self._by_id = {artist["id"]: artist for artist in self._artists.values()}
        self._lock = threading.Lock()
        self._faults: dict[str, deque[Fault]] = {}
        self._requests: list[RecordedRequest] = []
        self._tokens: set[str] = set()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> SpotifyStandIn:
        self._stopping.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.standin = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="spotify-standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # releases handlers sleeping on a delay fault
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> SpotifyStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        if self._server is None:
            raise RuntimeError("the Spotify stand-in is not running: call start() first")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:
        return self.origin + "/v1/"

    @property
    def token_url(self) -> str:
        return self.origin + "/api/token"

    def spotify_config(self, config: SpotifyConfig | None = None) -> SpotifyConfig:
        """`config` (default: the defaults) pointed at this stand-in."""
        return dataclasses.replace(config or SpotifyConfig(), api_base=self.base_url, token_url=self.token_url)

    # -- faults and recorded requests --------------------------------------------------------------

    def inject(self, path_pattern: str, *faults: Fault) -> None:
        """Queue faults for requests whose path matches `path_pattern` (fnmatch, e.g. "/v1/artists/*")."""
        with self._lock:
            self._faults.setdefault(path_pattern, deque()).extend(faults)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_to(self, path_pattern: str) -> list[RecordedRequest]:
        return [r for r in self.requests if fnmatch.fnmatchcase(r.path, path_pattern)]

    def reset(self) -> None:
        """Forget queued faults and recorded requests (issued tokens stay valid)."""
        with self._lock:
            self._faults.clear()
            self._requests.clear()

    def artist_id(self, name: str) -> str:
        return self._artists[name]["id"]

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for pattern, queue in self._faults.items():
                if queue and fnmatch.fnmatchcase(path, pattern):
                    return queue.popleft()
        return None

    # -- answering ---------------------------------------------------------------------------------

    def answer(self, method: str, target: str, headers: dict[str, str], body: str) -> _Reply:
        """The reply to one request: an injected fault if one is queued for the path, else the real answer."""
        parts = urlsplit(target)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        with self._lock:
            self._requests.append(RecordedRequest(method, parts.path, query, headers, body))
        fault = self._take_fault(parts.path)
        if fault and fault.delay:
            self._stopping.wait(fault.delay)
        if fault and (fault.body is not None or fault.status != 200):
            return _Reply(fault.status, fault.body or "", fault.headers)
        return self._route(method, parts.path, query, headers, body)

    def _route(self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: str) -> _Reply:
        if path == "/api/token":
            return self._token(headers, body) if method == "POST" else _api_error(405, "Method not allowed")
        if not path.startswith("/v1/"):
            return _api_error(404, "Service not found")
        bearer = headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not bearer:
            return _api_error(401, "No token provided")
        if bearer not in self._tokens:
            return _api_error(401, "Invalid access token")
        if method != "GET":
            return _api_error(405, "Method not allowed")
        if path == "/v1/search":
            return self._search(query)
        if path == "/v1/artists":
            return _api_error(410, "Get Several Artists was removed in February 2026: get each artist by id")
        artist = re.fullmatch(r"/v1/artists/([^/]+)", path)
        if artist:
            return self._artist(artist.group(1))
        return _api_error(404, "Service not found")

    def _token(self, headers: dict[str, str], body: str) -> _Reply:
        try:
            decoded = base64.b64decode(headers.get("authorization", "").removeprefix("Basic ")).decode()
        except (ValueError, UnicodeDecodeError):
            decoded = ""
        if decoded != f"{self.client_id}:{self.client_secret}":
            return _json_reply(400, {"error": "invalid_client", "error_description": "Invalid client"})
        if parse_qs(body).get("grant_type") != ["client_credentials"]:
            return _json_reply(
                400, {"error": "unsupported_grant_type", "error_description": "grant_type parameter is missing"}
            )
        token = secrets.token_urlsafe(40)
        with self._lock:
            self._tokens.add(token)
        return _json_reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_LIFETIME})

    def _search(self, query: dict[str, str]) -> _Reply:
        q = query.get("q", "").strip()
        if not q:
            return _api_error(400, "No search query")
        if "track" not in query.get("type", "").split(","):
            return _api_error(400, "This stand-in searches tracks only: type must include 'track'")
        try:
            limit, offset = int(query.get("limit", "10")), int(query.get("offset", "0"))
        except ValueError:
            return _api_error(400, "Invalid limit or offset")
        if not 1 <= limit <= SEARCH_MAX_LIMIT or offset < 0:
            return _api_error(400, "Invalid limit" if offset >= 0 else "Invalid offset")
        free, filters = _parse_query(q)
        hits = [t for t in self._tracks if self._matches(t, free, filters)]
        hits.sort(key=lambda t: -t["popularity"])  # stable: catalogue order breaks ties
        return _json_reply(200, {"tracks": self._page(hits, q, limit, offset)})

    def _matches(self, track: dict[str, Any], free: list[str], filters: dict[str, list[str]]) -> bool:
        names = [self._by_id[i]["name"] for i in track["artist_ids"]]
        if "track" in filters and not _contains(filters["track"], track["name"]):
            return False
        if "album" in filters and not _contains(filters["album"], track["album"]):
            return False
        if "artist" in filters and not any(_contains(filters["artist"], name) for name in names):
            return False
        return _contains(free, " ".join([track["name"], track["album"], *names]))

    def _page(self, hits: list[dict[str, Any]], q: str, limit: int, offset: int) -> dict[str, Any]:
        def href(at: int) -> str:
            return self.base_url + "search?" + urlencode({"query": q, "type": "track", "offset": at, "limit": limit})

        return {
            "href": href(offset),
            "items": [self._track_object(t) for t in hits[offset : offset + limit]],
            "limit": limit,
            "next": href(offset + limit) if offset + limit < len(hits) else None,
            "offset": offset,
            "previous": href(max(0, offset - limit)) if offset > 0 else None,
            "total": len(hits),
        }

    def _artist(self, artist_id: str) -> _Reply:
        if not re.fullmatch(r"[0-9A-Za-z]{22}", artist_id):
            return _api_error(400, "Invalid base62 id")
        artist = self._by_id.get(artist_id)
        if artist is None:
            return _api_error(404, "Resource not found")
        return _json_reply(200, self._artist_object(artist))

    # -- response objects, shaped like Spotify's -------------------------------------------------

    def _simple_artist(self, artist: dict[str, Any]) -> dict[str, Any]:
        return {
            "external_urls": {"spotify": f"https://open.spotify.com/artist/{artist['id']}"},
            "href": f"{self.base_url}artists/{artist['id']}",
            "id": artist["id"],
            "name": artist["name"],
            "type": "artist",
            "uri": f"spotify:artist:{artist['id']}",
        }

    def _artist_object(self, artist: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._simple_artist(artist),
            "followers": {"href": None, "total": artist["followers"]},
            "genres": list(artist["genres"]),
            "images": _images(artist["id"]),
            "popularity": artist["popularity"],
        }

    def _track_object(self, track: dict[str, Any]) -> dict[str, Any]:
        artists = [self._simple_artist(self._by_id[i]) for i in track["artist_ids"]]
        album_id = spotify_id("album", f"{artists[0]['name']}/{track['album']}")
        album = {
            "album_type": "album",
            "artists": artists[:1],
            "external_urls": {"spotify": f"https://open.spotify.com/album/{album_id}"},
            "href": f"{self.base_url}albums/{album_id}",
            "id": album_id,
            "images": _images(album_id),
            "name": track["album"],
            "release_date": track["released"],
            "release_date_precision": "day",
            "total_tracks": track["album_tracks"],
            "type": "album",
            "uri": f"spotify:album:{album_id}",
        }
        return {
            "album": album,
            "artists": artists,
            "disc_number": 1,
            "duration_ms": track["duration_ms"],
            "explicit": track["explicit"],
            "external_urls": {"spotify": f"https://open.spotify.com/track/{track['id']}"},
            "href": f"{self.base_url}tracks/{track['id']}",
            "id": track["id"],
            "is_local": False,
            "name": track["name"],
            "popularity": track["popularity"],
            "preview_url": None,
            "track_number": track["track_number"],
            "type": "track",
            "uri": f"spotify:track:{track['id']}",
        }


def _images(item_id: str) -> list[dict[str, Any]]:
    digest = hashlib.sha1(item_id.encode()).hexdigest()[:24]
    return [{"url": f"https://i.scdn.co/image/ab67616d0000{size:04x}{digest}", "height": size, "width": size}
            for size in (640, 300, 64)]


def _parse_query(q: str) -> tuple[list[str], dict[str, list[str]]]:
    """Free words and field filters ("track:Midnight City artist:M83") of a search query."""
    pieces = _FILTER.split(q)
    filters: dict[str, list[str]] = {}
    for name, value in zip(pieces[1::2], pieces[2::2], strict=True):
        filters.setdefault(name.lower(), []).extend(_words(value))
    return _words(pieces[0]), filters


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.0: one request per connection, so stopping the server leaves no idle keep-alive threads behind.
    server_version = "SpotifyStandIn/1.0"

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply = self.server.standin.answer(self.command, self.path, headers, body)  # type: ignore[attr-defined]
        payload = reply.body.encode()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped waiting (a timeout test): there is no one left to answer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests and the demo read `requests`, not stderr
