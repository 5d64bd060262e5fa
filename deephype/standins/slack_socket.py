"""A local Slack Socket Mode server: the real slack_sdk Socket Mode client connects, a test pushes envelopes.

Slack's Socket Mode sends a `hello`, then envelopes (`slash_commands`, `interactive`, `events_api`) that the app
acknowledges with `{"envelope_id": ..., "payload": ...}`. Attached to the Web API stand-in, this server's URL is
what `apps.connections.open` hands out, so `SocketModeHandler(app, APP_TOKEN)` finds it as it would find Slack.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from deephype.standins.slack import SlackStandin
from deephype.standins.slack_workspace import APP_ID


class SlackSocketStandin:
    """Socket Mode on 127.0.0.1; use as a context manager or call start() and stop()."""

    def __init__(self, web: SlackStandin | None = None) -> None:
        self.web = web
        self._connections: list[ServerConnection] = []
        self._retiring: list[ServerConnection] = []  # told to reconnect; closed once their successor says hello
        self._acks: dict[str, dict[str, Any]] = {}
        self._changed = threading.Condition()
        self._send_lock = threading.Lock()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self.connections_opened = 0

    def start(self) -> SlackSocketStandin:
        # Slack neither compresses nor pings first; the client pings and websockets answers on its own. The
        # builtin client drops its socket without answering a close frame, so don't wait long for one.
        self._server = serve(self._serve, "127.0.0.1", 0, ping_interval=None, compression=None, close_timeout=0.5)
        self._thread = threading.Thread(target=self._server.serve_forever, name="slack-socket-standin", daemon=True)
        self._thread.start()
        if self.web is not None:
            self.web.socket_url = self.url
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SlackSocketStandin:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the Socket Mode stand-in is not running; call start() first")
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link/"

    @property
    def connection_count(self) -> int:
        with self._changed:
            return len(self._connections)

    def wait_connected(self, count: int = 1, timeout: float = 5.0) -> None:
        """Block until `count` connections in all have said hello (reconnections count too)."""
        self._wait(lambda: self.connections_opened >= count and self._connections, timeout,
                   f"fewer than {count} Socket Mode connections after {timeout}s")

    def send(self, envelope: dict[str, Any]) -> str:
        """Push an envelope to the newest connection, as Slack does to one of an app's connections."""
        envelope = {"envelope_id": str(uuid.uuid4()), **envelope}
        with self._changed:
            if not self._connections:
                raise RuntimeError("no Socket Mode client is connected to the stand-in")
            connection = self._connections[-1]
        with self._send_lock:
            connection.send(json.dumps(envelope))
        return envelope["envelope_id"]

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The client's acknowledgement of an envelope: `envelope_id` and, when the app replied, `payload`."""
        self._wait(lambda: envelope_id in self._acks, timeout, f"no ack for envelope {envelope_id} in {timeout}s")
        with self._changed:
            return self._acks[envelope_id]

    def request(self, envelope: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
        """Send an envelope and return its ack."""
        return self.wait_ack(self.send(envelope), timeout)

    def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the client to reconnect, as Slack does every few hours; it calls apps.connections.open again.
        As on Slack, the old connection is closed once the new one is open."""
        with self._changed:
            if self._connections:
                self._retiring.append(self._connections[-1])
        self.send({"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-standin"}})

    def _wait(self, condition: Any, timeout: float, message: str) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(message)
                self._changed.wait(left)

    def _serve(self, connection: ServerConnection) -> None:
        with self._changed:
            self._connections.append(connection)
            hello = {"type": "hello", "num_connections": len(self._connections),
                     "debug_info": {"host": "applink-standin", "build_number": 1,
                                    "approximate_connection_time": 18060},
                     "connection_info": {"app_id": APP_ID}}
        try:
            with self._send_lock:
                connection.send(json.dumps(hello))
            with self._changed:
                self.connections_opened += 1
                retiring, self._retiring = self._retiring, []
                self._changed.notify_all()
            for old in retiring:  # closing waits for the client's answer: not on this connection's thread
                threading.Thread(target=old.close, name="slack-socket-retire", daemon=True).start()
            for raw in connection:
                self._record_ack(raw)
        except ConnectionClosed:
            pass  # the client went away; Slack just drops the connection too
        finally:
            with self._changed:
                self._connections.remove(connection)
                self._changed.notify_all()

    def _record_ack(self, raw: str | bytes) -> None:
        message = json.loads(raw)
        if "envelope_id" in message:
            with self._changed:
                self._acks[message["envelope_id"]] = message
                self._changed.notify_all()
