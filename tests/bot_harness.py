"""The real bot (bot.app.build_app) against the Slack Web API stand-in, fed signed requests through Bolt's
dispatch: what the bot tests and the latency benchmark share."""

from __future__ import annotations

import dataclasses
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from bot.app import build_app, web_client
from bot.curators import Curators
from bot.publish import post_candidates
from bot.services import Services, WorkPool
from deephype import curation
from deephype.config import Settings
from deephype.standins.slack import BOT_TOKEN, SlackStandin
from deephype.standins.slack_signing import SignedRequest, SlackRequests
from deephype.standins.slack_workspace import ANA, BEN, CURATION_CHANNEL_ID
from deephype.store import Store

SECRET = "bot-test-signing-secret"
C = CURATION_CHANNEL_ID


def bot_settings(settings: Settings | None = None, **bot: Any) -> Settings:
    """Settings whose bot section names ANA and BEN as curators (override with keyword arguments)."""
    settings = settings or Settings()
    return dataclasses.replace(settings, bot=dataclasses.replace(settings.bot, **{"curators": (ANA, BEN), **bot}))


class TrackedExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, counting the handlers still running so a test can wait for them to finish."""

    def __init__(self) -> None:
        super().__init__(max_workers=5, thread_name_prefix="bolt-listener")
        self._running = 0
        self._changed = threading.Condition()

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        with self._changed:
            self._running += 1

        def run() -> Any:
            try:
                return fn(*args, **kwargs)
            finally:
                with self._changed:
                    self._running -= 1
                    self._changed.notify_all()

        return super().submit(run)

    def wait_idle(self, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self._running == 0, timeout)


class BotHarness:
    """A running bot: `dispatch` a signed request, read what reached the stand-in, seed candidates to click."""

    def __init__(self, slack: SlackStandin, settings: Settings, generator: Any = None, resolver: Any = None,
                 store: Store | None = None) -> None:
        self.slack = slack
        self.settings = settings
        self.store = store or Store.open(":memory:")
        self.services = Services(settings, self.store, generator, resolver, Curators.from_config(settings.bot),
                                 WorkPool(settings.bot.workers, settings.bot.queue_size))
        self.client: WebClient = web_client(dataclasses.replace(
            settings, bot=dataclasses.replace(settings.bot, slack_api_url=slack.base_url)), BOT_TOKEN)
        self.listeners = TrackedExecutor()
        self.app: App = build_app(self.services, self.client, SECRET, self.listeners)
        self.requests = SlackRequests(SECRET, slack.root_url)

    def dispatch(self, request: SignedRequest, body: str | None = None) -> tuple[int, str]:
        response = self.app.dispatch(BoltRequest(body=request.body if body is None else body,
                                                 headers=request.headers))
        return response.status, response.body

    def seed(self, texts: list[str], artist: str = "M83", song: str = "Midnight City") -> list[dict[str, Any]]:
        """A song's header and candidates posted as the bot posts them; returns the candidate messages."""
        request_id = curation.create_request(self.store, "command", artist, song, ["indie pop"], "test",
                                             requested_by=ANA)
        ids = curation.add_candidates(self.store, request_id, [(t, 0.5, {}) for t in texts])
        header = self.client.chat_postMessage(channel=C, text=f"{artist} – {song}")
        post_candidates(self.client, self.store, header["channel"], header["ts"], ids)
        curation.finish_request(self.store, request_id, header_ts=header["ts"])
        return [self.slack.message(C, curation.get_candidate(self.store, i)["message_ts"]) for i in ids]

    def candidate(self, message: dict[str, Any]) -> dict[str, Any]:
        return curation.candidate_by_message(self.store, C, message["ts"])

    def decisions(self) -> list[dict[str, Any]]:
        return list(self.store.db.query("SELECT * FROM decisions ORDER BY id"))

    def settle(self, timeout: float = 20.0) -> None:
        """Wait until every handler and every background job has finished (a handler may queue a job, and a
        job may not start a handler, so listeners first, then jobs, then listeners once more)."""
        for idle in (self.listeners.wait_idle, self.services.pool.wait_idle, self.listeners.wait_idle):
            assert idle(timeout), "the bot did not finish its work in time"

    def close(self) -> None:
        self.listeners.shutdown()
        self.services.pool.shutdown()
        self.store.close()


def wait_until(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the bot did not get there in time"
        time.sleep(0.01)


def ephemeral_texts(slack: SlackStandin, user: str, via: str | None = None) -> list[str]:
    """What `user` was told privately, oldest first; `via` "chat.postEphemeral" or "response_url" to pick one."""
    return [e["text"] for e in slack.ephemerals(user) if via in (None, e["via"])]


__all__ = ["ANA", "BEN", "C", "SECRET", "BotHarness", "bot_settings", "ephemeral_texts", "wait_until"]
