"""Hostile input, fuzzed with hypothesis at every entry point: /hype arguments (read and dispatched through Bolt
with a tiny model writing), tweet texts (detect_song and the timeline scan against the X stand-in), Slack
interaction payloads with wrong types, missing fields, unknown action ids and huge values (signed, dispatched
through the real Bolt app in HTTP mode), and ingestion files through `deephype data build`'s reader. Zero
unhandled exceptions: no handler error logged, no 500, and the store changed only by accepted decisions.

DEEPHYPE_FUZZ_SCALE multiplies every example count (benchmarks/reliability.py runs it larger)."""

from __future__ import annotations

import copy
import json
import logging
import os
from typing import Any
from urllib.parse import urlencode

import pytest
from bot_harness import ANA, BEN, BotHarness, bot_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiny_bundle import train_tiny_bundle

from bot import blocks as bk
from bot.commands import read_argument
from deephype import curation
from deephype.config import XConfig
from deephype.errors import InputError
from deephype.generate import Candidate
from deephype.hype import HypeResult
from deephype.posts import read_posts
from deephype.songs import detect_song
from deephype.standins.slack import SlackStandin
from deephype.standins.x import XStandIn
from deephype.store import Store
from deephype.timeline import Scanner
from deephype.twitter import CREDENTIAL_VARIABLES, XClient, XCredentials

SCALE = float(os.environ.get("DEEPHYPE_FUZZ_SCALE", "1"))
FUZZ = [settings(max_examples=max(1, int(n * SCALE)), deadline=None, derandomize=SCALE == 1,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                        HealthCheck.data_too_large])
        for n in (1000, 300, 120, 30, 20)]
MANY, SOME, PAYLOADS, DISPATCHED, SCANS = FUZZ
COUNT_FILE = os.environ.get("DEEPHYPE_FUZZ_COUNT_FILE")
FORM = "application/x-www-form-urlencoded"

# Text that reaches parsers: any unicode, plus the characters and shapes that break naive ones.
TRICKY = st.sampled_from(["-", "–", "—", " by ", '"', "'", "“", "”", "(feat. ", ")", "[", "]", "@", "#", "\n", "\t",
                          "\u200b", "\u202e", "\x00", "https://t.co/x", "RT @a: ", "/hype ", "🔥", "&amp;", "<@U1>",
                          "<!channel>", "`", "*", "~", "\\", "%s", "{0}", "M83", "Midnight City"])
TEXT = st.lists(st.one_of(st.text(max_size=40), TRICKY), max_size=12).map("".join)
HUGE = st.integers(1, 40_000).map(lambda n: "x" * n)
ODD_VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT, HUGE,
                       st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(),
                                                                              max_size=3))
DELETE = object()


def counted(name: str) -> None:
    """Record one tried case, for the benchmark's table."""
    if COUNT_FILE:
        with open(COUNT_FILE, "a", encoding="utf-8") as out:
            out.write(name + "\n")


@pytest.fixture
def handler_errors(caplog):
    """Everything logged at ERROR or above while the test ran: an unhandled exception in a Bolt listener or a
    worker-pool job is logged there (Bolt answers 500 or the pool logs 'a background job failed')."""
    caplog.set_level(logging.WARNING)
    yield lambda: [r for r in caplog.records if r.levelno >= logging.ERROR]


# ---- /hype arguments and tweet texts, read directly ------------------------------------------------------------


@MANY
@given(TEXT)
def test_any_hype_argument_gets_a_reply_and_a_song_only_with_both_names(text):
    counted("hype argument")
    reading = read_argument(text)
    assert reading.reply.strip()
    if reading.song is not None:
        assert reading.song.artist.strip() and reading.song.song.strip()


@MANY
@given(st.one_of(TEXT, HUGE))
def test_detect_song_never_raises_and_names_both_or_nothing(text):
    counted("tweet text")
    ref = detect_song(text)
    assert ref is None or (ref.artist.strip() and ref.song.strip())


# ---- tweet texts through the timeline scan ------------------------------------------------------------------


class Writer:
    """Candidates for whatever song the scan names (generation is fuzzed through /hype below)."""

    def __call__(self, argument: str) -> HypeResult:
        artist, song = argument.split(" - ", 1)
        return HypeResult(artist, song, ("indie",), "cache", [Candidate(f"{song[:40]} glows.", 1.0, {})], [])


def publisher(store: Store):
    def publish(tweet, result: HypeResult) -> int:
        request = curation.create_request(store, "timeline", result.artist, result.song, result.genres,
                                          result.genre_source, source_tweet_id=tweet.id, source_tweet_url=tweet.url)
        curation.finish_request(store, request, header_ts=f"1700000000.{request:06d}")
        return request
    return publish


@pytest.fixture(scope="module")
def x():
    with XStandIn() as standin:
        yield standin


@SCANS
@given(st.lists(st.one_of(TEXT, HUGE.map(lambda s: s[:280])), min_size=1, max_size=5))
def test_any_tweet_texts_are_scanned_without_error_and_the_cursor_moves_past_them(x, tmp_path_factory, texts):
    counted("scan")
    env = x.environment()
    client = XClient(XConfig(api_base=x.base_url, read_timeout=2, connect_timeout=2),
                     XCredentials(*(env[name] for name in CREDENTIAL_VARIABLES)))
    store = Store.open(tmp_path_factory.mktemp("scan") / "state.db")
    ids = [x.add_tweet(text, "somebody") for text in texts]
    scanner = Scanner(store, client, Writer(), publisher(store), max_tweets=50, attempts=3)
    report = scanner.scan()
    statuses = {row["id"]: row["status"] for row in store.db.query("SELECT id, status FROM tweets")}
    assert report.cursor_after == max(ids, key=int)
    assert not {"failed", "retry"} & set(statuses.values()), statuses
    store.close()


# ---- ingestion files through `deephype data build`'s reader -------------------------------------------------

POST_FIELDS = st.fixed_dictionaries({}, optional={"title": ODD_VALUES, "content": ODD_VALUES, "url": ODD_VALUES,
                                                  "author": ODD_VALUES, "date_published": ODD_VALUES})
POSTS_JSON = st.lists(st.one_of(POST_FIELDS, ODD_VALUES), max_size=6).map(json.dumps)
FILE_BYTES = st.one_of(POSTS_JSON.map(str.encode), POSTS_JSON.map(lambda s: s[: len(s) // 2].encode()),
                       st.binary(max_size=300), TEXT.map(lambda s: s.encode("utf-8", "surrogatepass")),
                       st.lists(POST_FIELDS.map(json.dumps), max_size=4).map(lambda rows: "\n".join(rows).encode()))


@SOME
@given(FILE_BYTES, st.sampled_from(["posts.json", "posts.jsonl", "posts.txt"]))
def test_any_posts_file_is_read_or_refused_with_an_input_error(tmp_path_factory, content, name):
    counted("posts file")
    path = tmp_path_factory.mktemp("posts") / name
    path.write_bytes(content)
    try:
        posts = read_posts(path)
    except InputError as error:
        assert str(path) in str(error)
        return
    assert posts.malformed >= 0 and all(isinstance(p.title, str) and isinstance(p.content, str)
                                        for p in posts.posts)


# ---- Slack interaction payloads through the real Bolt app ----------------------------------------------------


@pytest.fixture(scope="module")
def model_bot_parts(tmp_path_factory):
    from deephype.generate import Generator

    settings_ = train_tiny_bundle(tmp_path_factory.mktemp("fuzz-model"))
    return settings_, Generator.load(settings_)


def model_bot(slack: SlackStandin, parts: tuple) -> BotHarness:
    from deephype.song_genres import GenreResolver

    settings_, generator = parts
    settings_ = bot_settings(settings_)
    store = Store.open(":memory:")
    return BotHarness(slack, settings_, generator, GenreResolver(settings_, store, None), store)


@pytest.fixture
def bot(slack, model_bot_parts):
    harness = model_bot(slack, model_bot_parts)
    yield harness
    harness.close()


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path into a payload's dicts and lists, shallowest first."""
    found = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        found.append((*prefix, key))
        found.extend(paths(inner, (*prefix, key)))
    return found


# What our listeners read. The rest (type, team, enterprise, the user object, the shape of `actions`) Bolt itself
# parses before any listener runs, and Bolt raises on wrong types there: out of the bot's hands, so not fuzzed.
OURS = (("actions", 0, "value"), ("container",), ("message",), ("user", "id"), ("trigger_id",), ("response_url",),
        ("view", "private_metadata"), ("view", "state"), ("view", "id"))


def ours(payload: dict[str, Any]) -> list[tuple]:
    return [p for p in paths(payload) if any(p[:len(prefix)] == prefix for prefix in OURS)]


def mutate(payload: dict[str, Any], path: tuple, new: Any) -> dict[str, Any]:
    payload = copy.deepcopy(payload)
    parent = payload
    for key in path[:-1]:
        parent = parent[key]
    if new is DELETE and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = None if new is DELETE else new
    return payload


ACTION_IDS = st.one_of(st.sampled_from([bk.APPROVE, bk.REJECT, bk.EDIT, bk.REGENERATE, bk.POST_NOW,
                                        "candidate_unknown", ""]), TEXT)


def signed(bot: BotHarness, payload: Any, raw: str | None = None) -> tuple[int, str]:
    body = raw if raw is not None else urlencode({"payload": json.dumps(payload)})
    return bot.dispatch(bot.requests.signed("interactive", body, FORM, payload if isinstance(payload, dict) else {}))


def explained_by_decisions(bot: BotHarness, before: dict[int, tuple]) -> None:
    """Every candidate that changed was changed by an accepted decision of a curator; new ones are undecided."""
    accepted = {d["candidate_id"] for d in bot.decisions() if d["accepted"] and d["user_id"] in (ANA, BEN)}
    for row in bot.store.db.query("SELECT id, status, text FROM candidates"):
        if row["id"] not in before:  # written by a curator's Regenerate: new, undecided
            assert row["status"] == "pending", row
        elif (row["status"], row["text"]) != before[row["id"]]:
            assert row["id"] in accepted, (row, before.get(row["id"]))


@PAYLOADS
@given(data=st.data())
def test_any_mangled_button_click_is_answered_without_a_crash(bot, slack, handler_errors, data):
    counted("slack payload")
    if not hasattr(bot, "clicks"):  # payloads as Slack sends them while the buttons are still there
        [message, _] = bot.seed(["Midnight City glows like neon.", "M83 paint the night gold."])
        bot.clicks = {(a, u): bot.requests.block_action(message, a, user_id=u).payload
                      for a in (bk.APPROVE, bk.REJECT, bk.EDIT, bk.REGENERATE) for u in (ANA, BEN, "U0NOBODY")}
    payload = copy.deepcopy(data.draw(st.sampled_from(sorted(bot.clicks.items())))[1])
    payload["actions"][0]["action_id"] = data.draw(ACTION_IDS)
    for _ in range(data.draw(st.integers(0, 3))):
        path = data.draw(st.sampled_from(ours(payload) or [("trigger_id",)]))
        payload = mutate(payload, path, data.draw(st.one_of(st.just(DELETE), ODD_VALUES)))
    check_dispatch(bot, payload, handler_errors)


@PAYLOADS
@given(data=st.data())
def test_any_mangled_edit_submission_is_answered_without_a_crash(bot, slack, handler_errors, data):
    counted("slack payload")
    if not bot.store.db["candidates"].count:
        bot.seed(["Midnight City glows like neon.", "M83 paint the night gold."])
    candidate = curation.get_candidate(bot.store, 1)
    view = bk.edit_modal(1, candidate["text"], 280)
    view = {**view, "id": "V1", "private_metadata": view.get("private_metadata", "1")}
    payload = bot.requests.view_submission(view, {bk.EDIT_BLOCK: {bk.EDIT_INPUT: data.draw(TEXT)}},
                                           user_id=data.draw(st.sampled_from([ANA, "U0NOBODY"]))).payload
    for _ in range(data.draw(st.integers(0, 3))):
        path = data.draw(st.sampled_from(ours(payload) or [("trigger_id",)]))
        payload = mutate(payload, path, data.draw(st.one_of(st.just(DELETE), ODD_VALUES)))
    check_dispatch(bot, payload, handler_errors)


def check_dispatch(bot: BotHarness, payload: dict[str, Any], handler_errors: Any) -> None:
    before = {r["id"]: (r["status"], r["text"]) for r in bot.store.db.query("SELECT id, status, text FROM candidates")}
    status, _ = signed(bot, payload)
    bot.settle()
    assert status < 500 and not handler_errors(), payload
    explained_by_decisions(bot, before)


# ---- /hype through Bolt with a tiny model writing -------------------------------------------------------------


@DISPATCHED
@given(text=st.one_of(TEXT, HUGE, st.sampled_from(["M83 - Midnight City", "help", "'Opal' by Bicep"])))
def test_any_hype_command_is_acked_and_answered(slack, model_bot_parts, handler_errors, text):
    counted("hype command")
    bot = model_bot(slack, model_bot_parts)
    try:
        status, body = bot.dispatch(bot.requests.slash_command(text))
        bot.settle(60)
        assert status == 200 and body.strip()
        assert not handler_errors()
        if "Writing about" in body:  # a song was read: the person hears back either way
            answers = [r for r in slack.responses if r.user == ANA]
            assert answers, "a /hype that was acked as writing never got an answer"
    finally:
        bot.close()


@pytest.mark.parametrize(("change", "why"), [
    ({"container": []}, "no channel"),
    ({"container": {"channel_id": 5}}, "no channel"),
    ({"actions": []}, "no action"),
    ({"actions": [{"action_id": bk.APPROVE, "value": 7}]}, "an action value that is not text"),
    ({"message": "gone"}, "a message of the wrong shape"),
    ({"user": {"id": None}}, "no user"),
    ({"trigger_id": 12}, "a thread or trigger of the wrong type"),
    ({}, None),
])
def test_the_shape_check_names_what_is_wrong(change, why):
    from bot.payload_shape import problem

    body = {"type": "block_actions", "user": {"id": ANA}, "container": {"channel_id": "C1"},
            "actions": [{"action_id": bk.APPROVE, "value": "1"}], "trigger_id": "t", **change}
    assert problem(body) == why


def _submission(callback_id, values):
    return {"type": "view_submission", "user": {"id": ANA},
            "view": {"callback_id": callback_id, "private_metadata": "1", "state": {"values": values}}}


@pytest.mark.parametrize(("callback_id", "values", "why"), [
    (bk.EDIT_MODAL, {bk.EDIT_BLOCK: {bk.EDIT_INPUT: {"value": "words"}}}, None),
    (bk.POSTED_MODAL, {bk.POSTED_BLOCK: {bk.POSTED_INPUT: {"value": "https://x.com/a/status/1"}}}, None),
    (bk.POSTED_MODAL, {bk.EDIT_BLOCK: {bk.EDIT_INPUT: {"value": "the edit box"}}}, "no text box of that modal"),
    (bk.EDIT_MODAL, {bk.POSTED_BLOCK: {bk.POSTED_INPUT: {"value": "x"}}}, "no text box of that modal"),
    ("someone_elses_modal", {bk.EDIT_BLOCK: {bk.EDIT_INPUT: {"value": "x"}}}, "a modal the bot never opened"),
    (bk.EDIT_MODAL, {bk.EDIT_BLOCK: {bk.EDIT_INPUT: {"value": 3}}}, "an input value that is not text"),
])
def test_a_modal_submission_must_carry_that_modals_text_box(callback_id, values, why):
    from bot.payload_shape import problem

    assert problem(_submission(callback_id, values)) == why
