"""Hostile text: a candidate or a curator's edit cannot make the bot @mention other accounts or post links unless
config allows them; checked in the rule itself, on the posting path against the X stand-in, and in the edit modal
through the real Bolt dispatch."""

from __future__ import annotations

import dataclasses

import pytest
from bot_harness import BotHarness, bot_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import blocks as bk
from deephype import curation
from deephype.config import ScheduleConfig, Settings, XConfig
from deephype.post_safety import links, mentions, post_problem
from deephype.posting import Poster
from deephype.standins.x import XStandIn
from deephype.store import Store
from deephype.twitter import CREDENTIAL_VARIABLES, XClient, XCredentials

STRICT = XConfig()
HOSTILE = [
    ("Midnight City glows, ask @elonmusk", "@elonmusk"),
    ("Loud and bright \uff20someone", "@someone"),  # full-width at sign: X links it
    ("Loud and bright \ufe6bsomeone", "@someone"),  # small at sign, folded the same way
    ("Hear it at @\u200bM83news now", "@M83news"),  # a zero-width space hides the name from a naive check
    ("@M83 paint the night gold", "@M83"),
    ("Stream it: https://evil.example/phish", "https://evil.example/phish"),
    ("Stream it at www.evil.example now", "www.evil.example"),
    ("Free tickets at bit.ly/abc", "bit.ly/abc"),
    ("Details on EVIL.COM tonight", "EVIL.COM"),
    ("Go to hxxp://x or ftp://files.example/a", "ftp://files.example/a"),
]
HARMLESS = [
    "Mt. Joy return with Silver Lining, a warm folk rock stomper.",
    "St. Vincent sounds 4.5 times louder than last year.",
    "Write to fans@label.example for nothing: an address is not a mention.",  # no known top-level domain
    "Sofi Tukker feat. NERVO, #newmusic and 100% joy.",
    "The chorus lands at 2:30 and never lets go...",
    "Email-style a@b does not mention b either.",
]


@pytest.mark.parametrize(("text", "found"), HOSTILE)
def test_mentions_and_links_are_refused_by_default(text, found):
    problem = post_problem(text, STRICT)
    assert problem is not None and found.lstrip("@") in problem


@pytest.mark.parametrize("text", HARMLESS)
def test_ordinary_commentary_passes(text):
    assert post_problem(text, STRICT) is None


@pytest.mark.parametrize(("text", "allow", "allowed"), [
    ("ask @elonmusk", {"allow_mentions": True}, True),
    ("ask @elonmusk", {"allow_links": True}, False),
    ("see https://x.example/a", {"allow_links": True}, True),
    ("see https://x.example/a", {"allow_mentions": True}, False),
    ("@a at https://x.example/a", {"allow_mentions": True, "allow_links": True}, True),
])
def test_config_flags_allow_each_kind_separately(text, allow, allowed):
    assert (post_problem(text, XConfig(**allow)) is None) == allowed


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True), st.text(max_size=60))
def test_any_text_around_a_spaced_mention_is_refused(before, name, after):
    assert post_problem(f"{before} @{name} {after}", STRICT) is not None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_the_rule_never_raises(text):
    problem = post_problem(text, STRICT)
    assert problem is None or (mentions(text) or links(text))


# ---- the posting path: nothing unsafe reaches X ------------------------------------------------------------


@pytest.fixture
def x():
    with XStandIn() as standin:
        yield standin


def poster(store: Store, x: XStandIn, **allow) -> Poster:
    env = x.environment()
    config = XConfig(api_base=x.base_url, read_timeout=1, connect_timeout=1, post_mode="standalone", **allow)
    client = XClient(config, XCredentials(*(env[name] for name in CREDENTIAL_VARIABLES)))
    schedule = ScheduleConfig(posting_windows=("00:00-23:59",), timezone="UTC", post_retries=0)
    return Poster(store, client, dataclasses.replace(Settings(), x=config, schedule=schedule), sleep=lambda _: None)


def approved(store: Store, text: str) -> int:
    request = curation.create_request(store, "command", "M83", "Midnight City", ["synthpop"], "test")
    [candidate_id] = curation.add_candidates(store, request, [(text, 1.0, {})])
    assert curation.decide(store, candidate_id, "U1", "approve", "button").accepted
    return candidate_id


@pytest.mark.parametrize(("text", "found"), HOSTILE[:6])
def test_an_approved_unsafe_candidate_is_failed_not_posted(tmp_path, x, text, found):
    store = Store.open(tmp_path / "state.db")
    candidate_id = approved(store, text)
    outcome = poster(store, x).post(candidate_id)
    row = curation.get_candidate(store, candidate_id)
    assert outcome.status == curation.FAILED and row["status"] == curation.FAILED
    assert "not posted" in outcome.reason and ("allow_mentions" in outcome.reason or "allow_links" in outcome.reason)
    assert x.posted == [] and x.requests_to("/2/tweets") == []


def test_with_mentions_allowed_the_same_candidate_goes_out(tmp_path, x):
    store = Store.open(tmp_path / "state.db")
    candidate_id = approved(store, "Midnight City glows, ask @elonmusk")
    outcome = poster(store, x, allow_mentions=True).post(candidate_id)
    assert outcome.status == curation.POSTED and [p["text"] for p in x.posted] == [
        "Midnight City glows, ask @elonmusk"]


# ---- the edit modal: an unsafe edit keeps the modal open ------------------------------------------------------


@pytest.mark.parametrize(("edited", "allow", "accepted"), [
    ("Midnight City, as @elonmusk would say", {}, False),
    ("Midnight City at https://evil.example", {}, False),
    ("Midnight City at evil.com/free", {}, False),
    ("Midnight City, as @elonmusk would say", {"allow_mentions": True}, True),
])
def test_an_unsafe_edit_keeps_the_modal_open_and_decides_nothing(slack, edited, allow, accepted):
    settings_ = bot_settings()
    bot = BotHarness(slack, dataclasses.replace(settings_, x=dataclasses.replace(settings_.x, **allow)))
    try:
        [message] = bot.seed(["Midnight City glows like neon over a sleeping town."])
        bot.dispatch(bot.requests.block_action(message, bk.EDIT))
        view = slack.wait_for("views.open")[0].response["view"]
        status, body = bot.dispatch(bot.requests.view_submission(view, {bk.EDIT_BLOCK: {bk.EDIT_INPUT: edited}}))
        bot.settle()
        row = bot.candidate(message)
        assert status == 200
        assert (row["status"], row["text"] == edited) == (("approved", True) if accepted else ("pending", False))
        assert ('"response_action": "errors"' in body) != accepted
        assert accepted or "may not" in body
    finally:
        bot.close()
