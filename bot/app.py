"""The Slack app: builds the Bolt App, registers every listener module, and runs it in Socket Mode (the default:
no public URL needed) or HTTP mode (Slack posts signed requests to http://HOST:PORT/slack/events)."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from dataclasses import dataclass

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot import actions, commands, events, jobs, payload_shape, replays
from bot.services import Services
from bot.slack_failures import NO_ANSWER, reason
from deephype.config import Settings, secret
from deephype.errors import ConfigError, ServiceError

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


@dataclass(frozen=True)
class Tokens:
    bot: str
    app: str | None = None  # Socket Mode only
    signing_secret: str | None = None  # HTTP mode only


def tokens_for(mode: str) -> Tokens:
    """The secrets `mode` needs, from the environment; a missing or swapped one is a ConfigError naming it."""
    bot = secret("SLACK_BOT_TOKEN", "the bot token, xoxb-..., from OAuth & Permissions")
    if not bot.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN must be the bot token (xoxb-...) from OAuth & Permissions")
    if mode == "socket":
        app = secret("SLACK_APP_TOKEN", "an app-level token, xapp-..., with connections:write, for Socket Mode")
        if not app.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN must be an app-level token (xapp-...) with connections:write")
        return Tokens(bot, app=app)
    if mode == "http":
        return Tokens(bot, signing_secret=secret("SLACK_SIGNING_SECRET", "the signing secret from Basic Information"))
    raise ConfigError(f"unknown bot mode {mode!r}: use socket or http")


def web_client(settings: Settings, token: str) -> WebClient:
    """The Web API client, at `bot.slack_api_url` (the stand-in's in tests), giving up on a call after
    `bot.slack_timeout` seconds; it waits out rate limits and retries dropped connections, as Slack asks clients
    to, but never a call whose answer timed out (Slack may have done it: a repeated chat.postMessage posts twice)."""
    return WebClient(token=token, base_url=settings.bot.slack_api_url, timeout=settings.bot.slack_timeout,
                     retry_handlers=[ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=2)])


def build_app(services: Services, client: WebClient, signing_secret: str | None = None,
              listener_executor: Executor | None = None) -> App:
    """A Bolt App with every listener registered. Without a signing secret it only serves Socket Mode.
    `listener_executor` runs the handlers after their ack (Bolt's own thread pool when None)."""
    app = App(client=client, signing_secret=signing_secret or "", name="deephype",
              listener_executor=listener_executor)
    app.use(replays.refuse_replays(services.store))  # HTTP mode: a signed request is acted on once
    app.use(payload_shape.check_shape)  # a malformed click never reaches a listener
    for module in (commands, actions, events):
        module.register(app, services)
    return app


def check_connection(client: WebClient) -> dict:
    """auth.test: who the bot is, a ConfigError saying the token was refused, or a ServiceError saying Slack
    could not be reached."""
    try:
        return client.auth_test().data
    except SlackApiError as error:
        raise ConfigError(f"Slack refused SLACK_BOT_TOKEN ({error.response.get('error')}); copy the bot token "
                          "again from OAuth & Permissions") from None
    except NO_ANSWER as error:
        raise ServiceError(f"could not reach Slack at {client.base_url} ({reason(error)}); check the network "
                           "and bot.slack_api_url") from None


def run(settings: Settings, mode: str | None = None, port: int | None = None) -> None:
    """Run the bot, and the timeline scan and posting jobs when X is configured, until Ctrl-C or SIGTERM; jobs
    already writing or posting are finished before it exits."""
    mode = mode or settings.bot.mode
    tokens = tokens_for(mode)  # before the model loads: a missing token should not take seconds to report
    client = web_client(settings, tokens.bot)
    me = check_connection(client)
    services = Services.load(settings)
    if not services.curators.configured:
        log.warning("no curators configured (bot.curators, bot.curator_usergroup): nobody can approve anything")
    app = build_app(services, client, tokens.signing_secret)
    log.info("connected to %s as @%s; listening in %s mode", me.get("team"), me.get("user"), mode)
    loop = None
    try:
        loop = jobs.start(services, client, app)  # the timeline scan and the posting job, beside the listeners
        if mode == "socket":
            handler = SocketModeHandler(app, tokens.app)
            try:
                handler.start()
            finally:
                handler.close()
        else:
            app.start(port=port or settings.bot.http_port, path=EVENTS_PATH)
    finally:
        if loop is not None:
            loop.shutdown()  # the tweet or post in hand is finished first
        services.close()
