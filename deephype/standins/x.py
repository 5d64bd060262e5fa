"""A local X API v2 stand-in: an HTTP server on 127.0.0.1 that tweepy talks to through `XConfig.api_base`.

It serves users/me, the reverse-chronological home timeline and create tweet with real response shapes, and
can be told to misbehave (429, 5xx, slow answers, dropped connections, broken JSON) one request at a time.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from deephype.standins.x_api import Reply, XWorld, problem

ME = "/2/users/me"
TIMELINE = "/2/users/:id/timelines/reverse_chronological"
TWEETS = "/2/tweets"
ROUTES = {("GET", ME), ("GET", TIMELINE), ("POST", TWEETS)}
TIMELINE_PATH = re.compile(r"^/2/users/(\d+)/timelines/reverse_chronological$")
OAUTH_PARAM = re.compile(r'(\w+)="([^"]*)"')
REQUIRED_OAUTH = {"oauth_consumer_key", "oauth_token", "oauth_signature", "oauth_signature_method"}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fault:
    """One misbehaviour, used up by the next request to its route."""

    kind: str  # error | rate_limit | delay | drop | malformed | wrong_shape
    status: int = 0
    seconds: float = 0.0

    @classmethod
    def error(cls, status: int = 503) -> Fault:
        return cls("error", status=status)

    @classmethod
    def rate_limit(cls, reset_in: float = 900.0) -> Fault:
        """429 whose x-rate-limit-reset lies `reset_in` seconds ahead (X's windows are 15 minutes)."""
        return cls("rate_limit", status=429, seconds=reset_in)

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Answer only after `seconds`; the request is still carried out, as on a slow X."""
        return cls("delay", seconds=seconds)

    @classmethod
    def drop(cls) -> Fault:
        """Close the connection without answering (and without carrying the request out)."""
        return cls("drop")

    @classmethod
    def malformed(cls) -> Fault:
        """Carry the request out, then send a truncated JSON body with the normal status."""
        return cls("malformed")

    @classmethod
    def wrong_shape(cls) -> Fault:
        """Carry the request out, then send valid JSON of the wrong shape (`data` is a string)."""
        return cls("wrong_shape")


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    route: str  # ME, TIMELINE, TWEETS, or the raw path of an unknown route
    path: str  # as sent, with the query string
    query: dict[str, str]
    body: Any  # parsed JSON, the raw text if it was not JSON, None if empty
    headers: dict[str, str]


class XStandIn:
    """The server. Use as a context manager, or start() and stop(); point XConfig.api_base at `base_url`."""

    def __init__(self, username: str = "deephype", name: str = "deephype bot") -> None:
        self.world = XWorld(username, name)
        self.received: list[ReceivedRequest] = []
        self._faults: dict[str, deque[Fault]] = {route: deque() for _, route in ROUTES}
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------------------------

    def start(self) -> XStandIn:
        if self._server is not None:
            raise RuntimeError("the X stand-in is already running")
        handler = type("XHandler", (_Handler,), {"standin": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True  # a handler sleeping in a delay fault must not block stop()
        self._stopping.clear()
        # A short poll interval: shutdown() waits up to one interval, and tests start and stop many servers.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="x-standin",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # wakes handlers waiting out a delay fault
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> XStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("start the X stand-in before asking for its URL")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # --- the account, the timeline and what was posted -----------------------------------------------------------

    @property
    def user_id(self) -> str:
        return self.world.me_id

    @property
    def username(self) -> str:
        return self.world.users[self.world.me_id]["username"]

    def environment(self) -> dict[str, str]:
        """The four X variables for this stand-in; tweepy takes the user id from the access token's prefix."""
        return {"X_API_KEY": "standin-consumer-key", "X_API_SECRET": "standin-consumer-secret",
                "X_ACCESS_TOKEN": f"{self.user_id}-standin", "X_ACCESS_TOKEN_SECRET": "standin-token-secret"}

    def add_tweet(self, text: str, username: str) -> str:
        """Put a tweet by `username` (created if new) on the home timeline; returns its snowflake id."""
        return self.world.add_tweet(text, username)["id"]

    @property
    def posted(self) -> list[dict[str, Any]]:
        """What was created through POST /2/tweets: id, text, quote_tweet_id, in_reply_to_tweet_id."""
        with self.world.lock:
            return [dict(p) for p in self.world.posted]

    def requests_to(self, route: str) -> list[ReceivedRequest]:
        return [r for r in list(self.received) if r.route == route]

    def inject(self, route: str, *faults: Fault) -> None:
        """Queue faults for a route (ME, TIMELINE or TWEETS); each is used by one request, in order."""
        if route not in self._faults:
            raise ValueError(f"unknown route {route!r}; use ME, TIMELINE or TWEETS")
        self._faults[route].extend(faults)

    # --- serving ---------------------------------------------------------------------------------------------

    def serve(self, handler: _Handler) -> None:
        url = urlsplit(handler.path)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        route, user_id = match_route(handler.command, url.path)
        request = ReceivedRequest(handler.command, route, handler.path, query, read_body(handler),
                                  dict(handler.headers.items()))
        self.received.append(request)
        if not has_oauth(handler.headers.get("Authorization", "")):
            return send(handler, problem(401, "Unauthorized"))
        fault = self._faults[route].popleft() if self._faults.get(route) else None
        kind = fault.kind if fault else ""
        if fault and kind in ("error", "rate_limit"):
            return send(handler, fault_reply(fault))
        if kind == "drop" or fault and kind == "delay" and self._stopping.wait(fault.seconds):
            handler.close_connection = True  # no answer at all: the client sees the connection close
            return None
        reply = self.dispatch(route, user_id, request)
        if kind == "malformed":
            text = json.dumps(reply.body)
            return send(handler, reply, raw=text[: len(text) // 2].encode())
        if kind == "wrong_shape":
            reply = Reply(reply.status, {"data": "unexpected"}, reply.headers)
        return send(handler, reply)

    def dispatch(self, route: str, user_id: str, request: ReceivedRequest) -> Reply:
        if route == ME:
            return self.world.users_me()
        if route == TIMELINE:
            return self.world.home_timeline(user_id, request.query)
        if route == TWEETS:
            return self.world.create_tweet(request.body)
        return Reply(404, {"errors": [{"message": "Sorry, that page does not exist", "code": 34}]})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as requests pools connections
    standin: XStandIn

    def do_GET(self) -> None:  # the name http.server dispatches to
        self.standin.serve(self)

    def do_POST(self) -> None:
        self.standin.serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("x stand-in: " + format, *args)


def match_route(method: str, path: str) -> tuple[str, str]:
    """(route, user id in the path or ""); an unknown route is named by method and path, and answered 404."""
    timeline = TIMELINE_PATH.match(path)
    if timeline and method == "GET":
        return TIMELINE, timeline.group(1)
    return (path, "") if (method, path) in ROUTES else (f"{method} {path}", "")


def read_body(handler: BaseHTTPRequestHandler) -> Any:
    length = int(handler.headers.get("Content-Length") or 0)
    if not length:
        return None
    text = handler.rfile.read(length).decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def has_oauth(header: str) -> bool:
    """An OAuth 1.0a user-context header with the parameters X requires (signatures are not verified)."""
    return header.startswith("OAuth ") and REQUIRED_OAUTH.issubset(k for k, _ in OAUTH_PARAM.findall(header))


def fault_reply(fault: Fault) -> Reply:
    if fault.kind == "rate_limit":
        reset = str(int(time.time() + fault.seconds))
        headers = {"x-rate-limit-limit": "180", "x-rate-limit-remaining": "0", "x-rate-limit-reset": reset}
        return Reply(429, problem(429, "Too Many Requests").body, headers)
    return problem(fault.status, HTTPStatus(fault.status).phrase)


def send(handler: BaseHTTPRequestHandler, reply: Reply, raw: bytes | None = None) -> None:
    payload = raw if raw is not None else json.dumps(reply.body).encode()
    handler.send_response(reply.status)
    handler.send_header("Content-Type", "application/json; charset=utf-8")
    handler.send_header("Content-Length", str(len(payload)))
    for name, value in reply.headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(payload)
