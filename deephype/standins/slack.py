"""A local Slack Web API for tests and the offline demo: the real slack_sdk client is pointed at `base_url`.

It checks tokens, answers in Slack's shapes, serves `response_url` posts, records every call, can be told to fail
a method (rate limit with or without Retry-After, 5xx, slowness, malformed JSON, `ok: false`), and hands out the
Socket Mode stand-in's URL.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from deephype.standins.slack_workspace import APP_ID, BOT_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID, MethodError, Workspace

BOT_TOKEN = "xoxb-0000-deephype-standin"
APP_TOKEN = "xapp-1-A0DEEPHYP-0000-deephype-standin"
JSON_ARGS = ("blocks", "attachments", "view", "metadata")  # form-encoded bodies carry these as JSON strings
GATEWAY_PAGE = "<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>"
CUT_OFF_JSON = '{"ok": true, "channel": "C0CURATION", "ts": "17'  # an answer that stopped mid-way


@dataclass(frozen=True)
class ApiCall:
    """One request the stand-in received and what it answered."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    status: int
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))


@dataclass
class Fault:
    """What the next `times` calls of a method get instead of a normal answer."""

    status: int = 200
    error: str | None = None
    delay: float = 0.0
    retry_after: int | None = None
    times: int = 1
    raw: str | None = None  # a body sent as it is, not as JSON (a gateway's HTML page, a cut-off answer)


@dataclass(frozen=True)
class ResponseUrlPost:
    channel: str
    message_ts: str | None
    user: str
    body: dict[str, Any]


def response_url(root_url: str, channel: str, message_ts: str | None = None, user: str = "") -> str:
    """A response_url served by the stand-in at `root_url`; the path carries where the reply goes."""
    return f"{root_url}respond/{channel}/{message_ts or '-'}/{quote(user or '-')}/{uuid.uuid4().hex[:12]}"


class SlackStandin:
    """The Slack Web API on 127.0.0.1; use as a context manager or call start() and stop()."""

    def __init__(self, workspace: Workspace | None = None, *, bot_token: str = BOT_TOKEN,
                 app_token: str = APP_TOKEN, socket_url: str | None = None) -> None:
        self.workspace = workspace or Workspace()
        self.bot_token, self.app_token = bot_token, app_token
        self.socket_url = socket_url  # set by the Socket Mode stand-in; apps.connections.open returns it
        self._calls: list[ApiCall] = []
        self._responses: list[ResponseUrlPost] = []
        self._faults: dict[str, deque[Fault]] = {}
        self._changed = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle -----------------------------------------------------------------------------------------

    def start(self) -> SlackStandin:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True  # a "slow" fault must not hold up stop()
        # A short poll interval keeps stop() quick; the default half second adds up over a test suite.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="slack-standin",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SlackStandin:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the Slack stand-in is not running; call start() first")
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    @property
    def base_url(self) -> str:
        """What to pass as `WebClient(base_url=...)`."""
        return f"{self.root_url}api/"

    def response_url(self, channel: str, message_ts: str | None = None, user: str = "") -> str:
        return response_url(self.root_url, channel, message_ts, user)

    # ---- what happened -------------------------------------------------------------------------------------

    @property
    def calls(self) -> list[ApiCall]:
        with self._changed:
            return list(self._calls)

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    @property
    def responses(self) -> list[ResponseUrlPost]:
        """Every post to a response_url, in order."""
        with self._changed:
            return list(self._responses)

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[ApiCall]:
        """Block until `method` has been called `count` times (the bot answers off the request thread), and
        return those calls; `method="response_url"` waits for posts to response_urls instead."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._matching(method)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = len(self._matching(method))
                    raise TimeoutError(f"{method} was called {seen} times in {timeout}s, expected {count}")
                self._changed.wait(left)
            return self._matching(method)

    def _matching(self, method: str) -> list[Any]:
        return self._responses if method == "response_url" else [c for c in self._calls if c.method == method]

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """The channel's messages as they are now (after any chat.update), oldest first."""
        with self.workspace.lock:
            stored = self.workspace.messages[self.workspace.channel_id(channel)]
            return [json.loads(json.dumps(stored[ts])) for ts in sorted(stored, key=float)]

    def message(self, channel: str, ts: str) -> dict[str, Any]:
        with self.workspace.lock:
            return json.loads(json.dumps(self.workspace.find_message(channel, ts)))

    def ephemerals(self, user: str | None = None) -> list[dict[str, Any]]:
        with self.workspace.lock:
            return [dict(e) for e in self.workspace.ephemerals if user is None or e["user"] == user]

    # ---- fault injection -----------------------------------------------------------------------------------

    def rate_limit(self, method: str, retry_after: int | None = 1, times: int = 1) -> None:
        """HTTP 429; `retry_after=None` leaves out the Retry-After header, which Slack always sends."""
        self._add_fault(method, Fault(status=429, error="ratelimited", retry_after=retry_after, times=times))

    def server_error(self, method: str, times: int = 1, status: int = 500) -> None:
        """A 500 answers in Slack's JSON; a 502 or 503 comes from the gateway in front, as an HTML page."""
        raw = None if status == 500 else GATEWAY_PAGE.format(status=status)
        self._add_fault(method, Fault(status=status, error="fatal_error", times=times, raw=raw))

    def malformed(self, method: str, times: int = 1) -> None:
        """HTTP 200 whose JSON body stops half-way."""
        self._add_fault(method, Fault(raw=CUT_OFF_JSON, times=times))

    def slow(self, method: str, seconds: float, times: int = 1) -> None:
        self._add_fault(method, Fault(delay=seconds, times=times))

    def fail(self, method: str, error: str, times: int = 1) -> None:
        """The next `times` calls answer HTTP 200 with `ok: false` and this error, as Slack does."""
        self._add_fault(method, Fault(error=error, times=times))

    def clear_faults(self) -> None:
        """Forget the faults not used up yet: the service is healthy again."""
        with self._changed:
            self._faults.clear()

    def _add_fault(self, method: str, fault: Fault) -> None:
        with self._changed:
            self._faults.setdefault(method, deque()).append(fault)

    def _take_fault(self, method: str) -> Fault | None:
        with self._changed:
            queue = self._faults.get(method)
            if not queue:
                return None
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.popleft()
            return fault

    # ---- answering -----------------------------------------------------------------------------------------

    def answer(self, method: str, args: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict, dict | str]:
        """Status, extra headers and body (a dict sent as JSON, or a raw string) for one Web API call; the call is
        recorded, a raw answer as an empty response."""
        fault = self._take_fault(method)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.raw is not None:
            status, extra, body = fault.status, {}, fault.raw
        else:
            status, extra, body = self._answer(method, args, headers, fault)
        with self._changed:
            self._calls.append(ApiCall(method, args, headers, status, body if isinstance(body, dict) else {}))
            self._changed.notify_all()
        return status, extra, body

    def _answer(self, method: str, args: dict, headers: dict, fault: Fault | None) -> tuple[int, dict, dict]:
        if fault is not None and fault.status == 429:
            wait = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
            return 429, wait, {"ok": False, "error": "ratelimited"}
        if fault is not None and fault.error:
            return fault.status, {}, {"ok": False, "error": fault.error}
        try:
            self._check_token(method, _token(args, headers))
            return 200, {}, self._run(method, args)
        except MethodError as e:
            return 200, {}, {"ok": False, "error": e.error, **e.extra}

    def _check_token(self, method: str, token: str | None) -> None:
        if not token:
            raise MethodError("not_authed")
        if token not in (self.bot_token, self.app_token):
            raise MethodError("invalid_auth")
        # App-level tokens only open Socket Mode connections; bot tokens cannot.
        if (token == self.app_token) != (method == "apps.connections.open"):
            raise MethodError("not_allowed_token_type")

    def _run(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "url": f"https://{TEAM_DOMAIN}.slack.com/", "team": "deephype", "user": "deephype",
                    "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID,
                    "is_enterprise_install": False}
        if method == "apps.connections.open":
            if self.socket_url is None:
                raise MethodError("socket_mode_not_enabled")  # stand-in only: no Socket Mode stand-in attached
            return {"ok": True, "url": f"{self.socket_url}?ticket={uuid.uuid4()}&app_id={APP_ID}"}
        handler = self.workspace.methods().get(method)
        if handler is None:
            raise MethodError("unknown_method")
        return handler(args)

    def answer_response_url(self, path: str, body: dict[str, Any]) -> tuple[int, dict]:
        parts = path.strip("/").split("/")
        if len(parts) != 5:
            return 404, {"ok": False, "error": "no_such_response_url"}
        channel, ts, user = parts[1], None if parts[2] == "-" else parts[2], unquote(parts[3]).strip("-")
        try:
            self.workspace.respond(channel, ts, user, body)
        except MethodError as e:
            return 400, {"ok": False, "error": e.error, **e.extra}
        with self._changed:
            self._responses.append(ResponseUrlPost(channel, ts, user, body))
            self._changed.notify_all()
        return 200, {"ok": True}


def _token(args: dict[str, Any], headers: dict[str, str]) -> str | None:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return args.get("token")


def parse_args(query: str, body: bytes, content_type: str) -> dict[str, Any]:
    """Web API arguments from a query string and a form-encoded or JSON body, as Slack accepts both."""
    args: dict[str, Any] = dict(parse_qsl(query))
    if body and content_type.startswith("application/json"):
        args.update(json.loads(body.decode("utf-8")))
    elif body:
        args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for name in JSON_ARGS:
        if isinstance(args.get(name), str) and args[name].strip():
            args[name] = json.loads(args[name])
    return args


def _handler_for(standin: SlackStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (the stdlib's naming)
            self._handle()

        def do_POST(self) -> None:  # noqa: N802
            self._handle()

        def _handle(self) -> None:
            url = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                args = parse_args(url.query, raw, headers.get("content-type", ""))
            except (ValueError, TypeError):
                self._send(200, {}, {"ok": False, "error": "invalid_json"})
                return
            if url.path.startswith("/api/"):
                self._send(*standin.answer(url.path[len("/api/"):], args, headers))
            elif url.path.startswith("/respond/"):
                status, body = standin.answer_response_url(url.path, args)
                self._send(status, {}, body)
            else:
                self._send(404, {}, {"ok": False, "error": "not_found"})

        def _send(self, status: int, extra: dict[str, str], body: dict[str, Any] | str) -> None:
            data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
            html = isinstance(body, str) and body.startswith("<")
            self.send_response(status)
            self.send_header("Content-Type", f"{'text/html' if html else 'application/json'}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the stdlib's signature)
            pass  # tests read the recorded calls instead of stderr

    return Handler
