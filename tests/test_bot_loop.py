"""The loop inside the bot, through the real Bolt dispatch and the Slack and X stand-ins: planned times and posted
links in the candidate messages, flags for a person, the Post now button, and the scheduler starting and
stopping its jobs."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bot_harness import ANA, BEN, BotHarness, C, bot_settings, ephemeral_texts, wait_until

from bot import blocks as bk
from bot import jobs
from bot.jobs import NOT_CONFIGURED, NOT_CURATOR_POST, Loop
from deephype import curation
from deephype.errors import ConfigError
from deephype.standins.slack import SlackStandin
from deephype.standins.slack_workspace import CAT
from deephype.standins.x import ME, TIMELINE, TWEETS, Fault, XStandIn
from deephype.twitter import CREDENTIAL_VARIABLES, XClient, XCredentials
from deephype.twitter_errors import XAuthError

BERLIN = ZoneInfo("Europe/Berlin")
EARLY = datetime(2024, 5, 2, 6, 0, tzinfo=BERLIN)  # before the 09:00-22:00 window: approved ones wait
TEXTS = ["Midnight City glows like neon over a sleeping town.", "M83 paint the night sky in saxophone gold."]


@pytest.fixture
def x():
    with XStandIn() as standin:
        yield standin


@pytest.fixture
def bot(slack):
    settings = bot_settings()
    settings = dataclasses.replace(settings, schedule=dataclasses.replace(settings.schedule, post_retry_seconds=0.01))
    harness = BotHarness(slack, settings)
    yield harness
    harness.close()


def x_client(x: XStandIn) -> XClient:
    keys = x.environment()
    return XClient(dataclasses.replace(bot_settings().x, api_base=x.base_url, read_timeout=0.5),
                   XCredentials(*(keys[name] for name in CREDENTIAL_VARIABLES)))


def loop_for(bot: BotHarness, x: XStandIn, clock=lambda: EARLY) -> Loop:
    loop = Loop(bot.services, bot.client, x_client(x), clock=clock)
    loop.install(bot.app)
    return loop


def click(bot: BotHarness, ts: str, action_id: str, user: str = ANA) -> None:
    status, _ = bot.dispatch(bot.requests.block_action(bot.slack.message(C, ts), action_id, user_id=user))
    assert status == 200
    bot.settle()


def shown(slack: SlackStandin, ts: str) -> str:
    return bk.render_text(slack.message(C, ts)["blocks"])


def approved(bot: BotHarness) -> list[str]:
    messages = bot.seed(TEXTS)
    for message in messages:
        click(bot, message["ts"], bk.APPROVE)
    return [m["ts"] for m in messages]


def test_the_message_shows_the_planned_time_with_post_now_then_the_posted_link(bot, slack, x):
    first, second = approved(bot)
    loop = loop_for(bot, x)
    loop.posting_job()
    assert "02 May 09:00" in shown(slack, first) and "02 May 10:00" in shown(slack, second)
    assert "[ Post now ]" in shown(slack, first)
    click(bot, first, bk.POST_NOW)
    [posted] = x.posted
    assert posted["text"] == TEXTS[0] and bot.candidate({"ts": first})["status"] == "posted"
    assert f"Posted: https://x.com/deephype/status/{posted['id']}" in shown(slack, first)
    assert "[ Post now ]" not in shown(slack, first)
    assert "02 May 09:00" in shown(slack, second)  # the rest of the queue is planned around the new post
    assert not ephemeral_texts(slack, ANA)


@pytest.mark.parametrize(("who", "installed", "paused", "told"), [
    (CAT, True, False, NOT_CURATOR_POST),
    (ANA, False, False, NOT_CONFIGURED),
    (ANA, True, True, "X asked me to wait until"),
])
def test_post_now_refusals_change_nothing_and_say_why(bot, slack, x, who, installed, paused, told):
    first, _ = approved(bot)
    loop = loop_for(bot, x) if installed else Loop(bot.services, bot.client, x_client(x), clock=lambda: EARLY)
    loop.posting_job()
    if paused:
        loop.poster.pause(datetime(2024, 5, 2, 7, 0, tzinfo=BERLIN), "rate limited")
    click(bot, first, bk.POST_NOW, user=who)
    assert told in ephemeral_texts(slack, who)[-1]
    assert not x.posted and bot.candidate({"ts": first})["status"] == "approved"


def test_post_now_on_a_candidate_already_posted_says_so(bot, slack, x):
    first, _ = approved(bot)
    loop = loop_for(bot, x)
    loop.posting_job()
    stale = slack.message(C, first)  # the message as it was, Post now and all
    click(bot, first, bk.POST_NOW)
    status, _ = bot.dispatch(bot.requests.block_action(stale, bk.POST_NOW, user_id=ANA))
    bot.settle()
    assert status == 200 and len(x.posted) == 1
    assert ephemeral_texts(slack, ANA)[-1] == "Nothing changed: it is posted, not waiting to be posted."


def test_a_candidate_that_needs_a_person_is_flagged_in_its_thread(bot, slack, x):
    first, _ = approved(bot)
    candidate = bot.candidate({"ts": first})
    curation.claim_for_posting(bot.store, candidate["id"], "old-host:1:gone", "2024-05-02T05:00:00+00:00")
    loop = loop_for(bot, x)
    assert loop.posting_job().flagged == [candidate["id"]]
    assert "Needs a person to check: the bot stopped while posting this" in shown(slack, first)
    flag = slack.calls_to("chat.postMessage")[-1].args
    assert flag["thread_ts"] == bot.slack.message(C, first)["thread_ts"]
    assert flag["text"].startswith(f":eyes: <@{ANA}> <@{BEN}> Candidate 1 needs a person:")
    assert not x.requests_to(TWEETS)


def test_the_scheduler_starts_the_scan_at_once_and_stops_cleanly(bot, x):
    loop = Loop(bot.services, bot.client, x_client(x))
    loop.start()
    try:
        wait_until(lambda: x.requests_to(TIMELINE))
    finally:
        loop.shutdown()
    jobs_seen = len(x.requests_to(TIMELINE))
    assert loop.scheduler is None and loop.stop.is_set() and jobs_seen == 1
    assert x.requests_to(ME)


def test_start_needs_all_x_keys_or_none(bot, x, monkeypatch):
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert jobs.start(bot.services, bot.client, bot.app) is None
    monkeypatch.setenv("X_API_KEY", "only-one")
    with pytest.raises(ConfigError, match="X_API_SECRET is not set"):
        jobs.start(bot.services, bot.client, bot.app)


@pytest.mark.parametrize("keys_work", [True, False])
def test_start_runs_the_loop_when_x_is_configured_and_stops_on_wrong_keys(bot, x, monkeypatch, keys_work):
    for name, value in x.environment().items():
        monkeypatch.setenv(name, value)
    bot.services.settings = dataclasses.replace(bot.settings, x=dataclasses.replace(bot.settings.x,
                                                                                      api_base=x.base_url))
    if not keys_work:
        x.inject(ME, Fault.error(401))
        with pytest.raises(XAuthError, match="rejected the credentials"):
            jobs.start(bot.services, bot.client, bot.app)
        return
    loop = jobs.start(bot.services, bot.client, bot.app)
    try:
        wait_until(lambda: x.requests_to(TIMELINE))
    finally:
        loop.shutdown()
