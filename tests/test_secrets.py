"""Secrets stay secret: a demo-like run of the whole loop (scan, candidates in Slack, a signed approval, a failed
and a successful post, /hype, Spotify and Slack failures on the way) with recognisable fake tokens, then every log
record, every Slack message, ephemeral note and response the stand-in recorded, and every table of the database
are searched for those tokens. None may appear."""

from __future__ import annotations

import dataclasses
import json
import logging

import pytest
from slack_bolt import BoltRequest
from tiny_bundle import train_tiny_bundle

from bot import blocks as bk
from bot.app import build_app, web_client
from bot.demo import load_services
from bot.jobs import Loop
from deephype import curation
from deephype.demo import CURATOR, DemoWorld
from deephype.standins import spotify as sp
from deephype.standins import x as xs
from deephype.standins.slack import SlackStandin
from deephype.standins.slack_signing import SlackRequests
from deephype.twitter import XClient, XCredentials

BOT = "xoxb-SECRETBOT-1234567890-abcdefghijkl"
SIGNING = "SECRETSIGNING0123456789abcdef"
X_KEY, X_SECRET, X_TOKEN_SECRET = "SECRETXKEY0123456789", "SECRETXCONSUMER0123456789", "SECRETXTOKENSECRET0123"
SPOTIFY_ID, SPOTIFY_SECRET = "SECRETSPOTIFYID0123", "SECRETSPOTIFYSECRET0123456789"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return train_tiny_bundle(tmp_path_factory.mktemp("secrets-model"))


def x_token(world: DemoWorld) -> str:
    return f"{world.x.user_id}-SECRETXACCESSTOKEN0123"  # tweepy reads the account id from the token's prefix


def secrets(world: DemoWorld) -> list[str]:
    # The distinctive middle of each: a token may be logged cut short or quoted, never whole or in part.
    return [BOT, SIGNING, X_KEY, X_SECRET, X_TOKEN_SECRET, x_token(world), SPOTIFY_ID, SPOTIFY_SECRET, "SECRET"]


def run_loop(world: DemoWorld, services) -> None:
    """What `deephype demo` does, with these tokens, plus the failure paths that put errors in front of people."""
    client = web_client(world.settings, BOT)
    app = build_app(services, client, SIGNING)
    x = XClient(world.settings.x, XCredentials(X_KEY, X_SECRET, x_token(world), X_TOKEN_SECRET))
    loop = Loop(services, client, x)
    loop.install(app)
    world.spotify.inject("/v1/search", sp.Fault.server_error(500), sp.Fault.malformed_json())
    assert loop.scan_job() is not None
    requests = SlackRequests(SIGNING, world.slack.root_url)
    for text in ("help", "just some words", "M83 - Midnight City"):
        dispatch(app, requests.slash_command(text, user_id=CURATOR))
    services.pool.wait_idle(60)
    first, second = list(services.store.db.query(
        "SELECT * FROM candidates WHERE message_ts IS NOT NULL ORDER BY id LIMIT 2"))
    for candidate in (first, second):
        message = world.slack.message(candidate["channel"], candidate["message_ts"])
        dispatch(app, requests.block_action(message, bk.APPROVE, user_id=CURATOR, channel_id=candidate["channel"]))
    world.slack.wait_for("chat.update", 2, timeout=30)  # the handlers ack first, then decide and update
    world.slack.server_error("chat.update")  # the next message update fails: its error reaches the curator
    forged = SlackRequests("wrong-secret", world.slack.root_url).slash_command("M83 - Midnight City")
    assert app.dispatch(BoltRequest(body=forged.body, headers=forged.headers)).status == 401
    world.x.inject(xs.TWEETS, xs.Fault.error(503))  # the first post is retried
    loop.posting_job()
    services.pool.wait_idle(60)
    assert curation.stats(services.store)  # the store is readable after all that


def dispatch(app, request) -> None:
    response = app.dispatch(BoltRequest(body=request.body, headers=request.headers))
    assert response.status == 200, response.body


def slack_texts(slack: SlackStandin) -> list[str]:
    """Everything the bot sent through Slack: every call's arguments (messages, blocks, updates, ephemerals,
    modals) and every response_url post."""
    calls = [json.dumps(c.args, default=str) for c in slack.calls]
    return calls + [json.dumps(r.body, default=str) for r in slack.responses]


def database_texts(world: DemoWorld) -> list[str]:
    db = world.store.db
    return [json.dumps(row, default=str) for table in db.table_names() for row in db[table].rows]


def test_no_token_or_key_appears_in_logs_slack_or_the_database(tiny, caplog):
    caplog.set_level(logging.INFO)  # the bot's level without --verbose
    for name in ("deephype", "bot", "slack_bolt"):
        caplog.set_level(logging.DEBUG, logger=name)  # our own debug output too
    world = DemoWorld(tiny, tiny.path("model_dir"))
    world.slack = SlackStandin(bot_token=BOT)
    world.spotify = sp.SpotifyStandIn(client_id=SPOTIFY_ID, client_secret=SPOTIFY_SECRET)
    with world:
        # Both approved candidates may go out in this run, the first after one quick retry.
        world.settings = dataclasses.replace(world.settings, schedule=dataclasses.replace(
            world.settings.schedule, min_spacing_minutes=0, post_retry_seconds=0.05))
        services = load_services(world)
        try:
            run_loop(world, services)
        finally:
            services.pool.shutdown()
            services.resolver.spotify.close()
        sources = {
            "log": [r.getMessage() for r in caplog.records] + [caplog.text],
            "slack": slack_texts(world.slack),
            "database": database_texts(world),
        }
        assert world.slack.calls_to("chat.update") and world.x.posted  # the run did reach Slack and X
        assert world.slack.responses and world.slack.ephemerals()  # people were answered, errors included
        for where, texts in sources.items():
            for secret in secrets(world):
                leaks = [t[:200] for t in texts if secret in t]
                assert not leaks, f"{secret[:12]}... appears in the {where}: {leaks[:2]}"
        # The checks above can fail: the tokens really were used on the wire.
        assert any(BOT in json.dumps(c.headers) for c in world.slack.calls)
        assert any(X_KEY in json.dumps(r.headers) for r in world.x.received)


def test_a_config_error_names_the_variable_not_its_value(monkeypatch):
    from bot.app import tokens_for
    from deephype.errors import ConfigError

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xapp-SECRETSWAPPED-0123")  # the app token pasted in the wrong place
    with pytest.raises(ConfigError) as raised:
        tokens_for("socket")
    assert "SLACK_BOT_TOKEN" in str(raised.value) and "SECRETSWAPPED" not in str(raised.value)


def test_settings_never_hold_secrets():
    from deephype.config import Settings

    text = json.dumps(dataclasses.asdict(Settings()), default=str)
    assert not any(word in text.lower() for word in ("xoxb-", "xapp-", "client_secret", "token_secret"))
