"""The fault matrix: each outside service (X posting, X timeline, Spotify, Slack) against each fault its stand-in can
inject (timeout, connection refused or cut, 429 with and without a wait, 500/502/503, malformed JSON, valid JSON of
the wrong shape). The bot keeps running, the curator gets a reason where one is due, and nothing is lost: a
candidate stays queued or is flagged with a reason, never posted twice; a tweet is written about on a later scan;
a decision is recorded even when Slack cannot show it."""

from __future__ import annotations

import dataclasses
import logging
import socket

import pytest
from bot_harness import ANA, BotHarness, C, bot_settings, ephemeral_texts

from bot import blocks as bk
from bot.publish import Origin, post_song
from deephype import curation
from deephype.config import ScheduleConfig, Settings, SpotifyConfig, XConfig
from deephype.cursors import TIMELINE, read_cursor
from deephype.errors import DeephypeError
from deephype.generate import Candidate
from deephype.hype import HypeResult
from deephype.posting import Poster
from deephype.song_genres import GenreResolver
from deephype.songs import SongRef
from deephype.spotify import SpotifyGenres
from deephype.standins import spotify as sp
from deephype.standins import x as xs
from deephype.standins.slack import SlackStandin
from deephype.store import Store
from deephype.timeline import Scanner
from deephype.twitter import CREDENTIAL_VARIABLES, XClient, XCredentials

REFUSED = "refused"  # not a stand-in fault: the service's port has nobody listening


def closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture(scope="module")
def x():
    with xs.XStandIn() as standin:
        yield standin


def x_client(x: xs.XStandIn, fault: object) -> XClient:
    env = x.environment()
    base = closed_port() if fault == REFUSED else x.base_url
    config = XConfig(api_base=base, read_timeout=0.3, connect_timeout=0.3, max_retries=1, retry_backoff=0,
                     post_mode="standalone")
    return XClient(config, XCredentials(*(env[name] for name in CREDENTIAL_VARIABLES)))


X_FAULTS = [
    ("timeout", [xs.Fault.delay(2)]),
    ("connection refused", REFUSED),
    ("connection cut", [xs.Fault.drop()]),
    ("429 with reset", [xs.Fault.rate_limit(900)]),
    ("500", [xs.Fault.error(500)] * 2),
    ("502", [xs.Fault.error(502)] * 2),
    ("503 then fine", [xs.Fault.error(503)]),
    ("malformed JSON", [xs.Fault.malformed()]),
    ("wrong shape", [xs.Fault.wrong_shape()]),
]


@pytest.mark.parametrize(("name", "faults"), X_FAULTS, ids=[n for n, _ in X_FAULTS])
def test_x_posting_faults_never_lose_or_double_post_a_candidate(tmp_path, x, name, faults):
    store = Store.open(tmp_path / "state.db")
    request = curation.create_request(store, "command", "M83", "Midnight City", ["synthpop"], "test")
    text = f"Midnight City glows ({name})."
    [candidate_id] = curation.add_candidates(store, request, [(text, 1.0, {})])
    curation.decide(store, candidate_id, ANA, "approve", "button")
    if faults != REFUSED:
        x.inject(xs.TWEETS, *faults)
    schedule = ScheduleConfig(posting_windows=("00:00-23:59",), timezone="UTC", post_retries=1)
    poster = Poster(store, x_client(x, faults), dataclasses.replace(Settings(), schedule=schedule),
                    sleep=lambda _: None)
    outcome = poster.post(candidate_id)
    row = curation.get_candidate(store, candidate_id)
    out = [p for p in x.posted if p["text"] == text]
    assert len(out) <= 1, "posted twice"
    assert row["status"] == outcome.status
    if row["status"] == curation.POSTED:
        assert [p["id"] for p in out] == [row["posted_tweet_id"]]
    else:  # still queued (X asked to wait or was unreachable), or handed to a person with the reason
        assert row["status"] in (curation.APPROVED, curation.NEEDS_REVIEW, curation.FAILED)
        assert outcome.reason and (row["status"] == curation.APPROVED or row["error"])
        assert row["status"] != curation.FAILED or not out  # a failed candidate never went out
    store.close()


class Writer:
    def __call__(self, argument: str) -> HypeResult:
        artist, song = argument.split(" - ", 1)
        return HypeResult(artist, song, ("indie",), "cache", [Candidate(f"{song} glows.", 1.0, {})], [])


@pytest.mark.parametrize(("name", "faults"), X_FAULTS, ids=[n for n, _ in X_FAULTS])
def test_x_timeline_faults_leave_the_cursor_and_the_tweet_for_the_next_scan(tmp_path, x, name, faults):
    store = Store.open(tmp_path / "state.db")
    tweet = x.add_tweet(f'NEW MUSIC: M83 – "Midnight City" https://t.co/{len(name)}', "blog")
    published: list[str] = []

    def publish(t, result):
        request = curation.create_request(store, "timeline", result.artist, result.song, result.genres,
                                          result.genre_source, source_tweet_id=t.id)
        published.append(t.id)
        return request

    if faults != REFUSED:
        x.inject(xs.TIMELINE, *faults)
    try:
        Scanner(store, x_client(x, faults), Writer(), publish, max_tweets=5, attempts=3).scan()
    except DeephypeError as error:  # what the scan job logs; it runs again at the next interval
        assert str(error)
    healthy = Scanner(store, x_client(x, None), Writer(), publish, max_tweets=5, attempts=3)
    healthy.scan()
    assert published.count(tweet) == 1 and read_cursor(store, TIMELINE) is not None
    store.close()


@pytest.fixture(scope="module")
def spotify():
    with sp.SpotifyStandIn() as standin:
        yield standin


SPOTIFY_FAULTS = [
    ("timeout", [sp.Fault.slow(1.0)]),
    ("connection refused", REFUSED),
    ("429 with Retry-After", [sp.Fault.rate_limit(600)]),
    ("429 without Retry-After", [sp.Fault(429, '{"error": {"status": 429, "message": "API rate limit exceeded"}}')]),
    ("500", [sp.Fault.server_error(500)] * 2),
    ("502", [sp.Fault.server_error(502)] * 2),
    ("503", [sp.Fault.server_error(503)] * 2),
    ("malformed JSON", [sp.Fault.malformed_json()]),
    ("wrong shape", [sp.Fault.wrong_shape()]),
    ("wrong shape, object", [sp.Fault.wrong_shape({"tracks": {"items": "none"}})]),
]


@pytest.mark.parametrize(("name", "faults"), SPOTIFY_FAULTS, ids=[n for n, _ in SPOTIFY_FAULTS])
def test_spotify_faults_fall_back_with_a_note_for_the_curator(tmp_path, spotify, name, faults):
    spotify.reset()
    table = tmp_path / "artist_genres.csv"
    table.write_text("artist,genres\nM83,synthpop\n", encoding="utf-8")
    settings = Settings()
    settings = dataclasses.replace(settings, paths=dataclasses.replace(settings.paths, artist_genres_csv=str(table)))
    config = spotify.spotify_config(SpotifyConfig(read_timeout=0.3, connect_timeout=0.3, retries=1))
    if faults == REFUSED:
        config = dataclasses.replace(config, api_base=closed_port() + "/v1/", token_url=closed_port() + "/token")
    else:
        spotify.inject("/v1/search", *faults)
    store = Store.open(":memory:")
    client = SpotifyGenres(config, store, spotify.client_id, spotify.client_secret, sleep=lambda _: None)
    found = GenreResolver(settings, store, client).resolve(SongRef("M83", "Midnight City"))
    client.close()
    if found.source == "spotify":  # a retry got through: nothing to say
        assert found.genres
    else:
        assert found.genres == ("synthpop",) and "fallback" in (found.note or "")


SLACK_TIMEOUT = 1.0  # the bot's bot.slack_timeout in these tests; the "timeout" fault outlasts it


def slack_refused(slack: SlackStandin, bot: BotHarness) -> None:
    bot.client.base_url = closed_port() + "/api/"  # nobody listens there until the test points it back


# (name, inject, whether the curator must be told privately that the message could not be updated)
SLACK_FAULTS = [
    ("429 with Retry-After", lambda s, b: s.rate_limit("chat.update", retry_after=1), False),
    ("429 without Retry-After", lambda s, b: s.rate_limit("chat.update", retry_after=None), False),
    ("429 three times", lambda s, b: s.rate_limit("chat.update", retry_after=0, times=3), True),
    ("500", lambda s, b: s.server_error("chat.update"), True),
    ("500 three times", lambda s, b: s.server_error("chat.update", times=3), True),
    ("502", lambda s, b: s.server_error("chat.update", status=502), True),
    ("503", lambda s, b: s.server_error("chat.update", status=503), True),
    ("slow", lambda s, b: s.slow("chat.update", 0.5), False),
    ("timeout", lambda s, b: s.slow("chat.update", SLACK_TIMEOUT * 2), True),
    ("malformed JSON", lambda s, b: s.malformed("chat.update"), True),
    ("ok: false", lambda s, b: s.fail("chat.update", "internal_error"), True),
    ("ephemeral fails too", lambda s, b: (s.server_error("chat.update", 3), s.server_error("chat.postEphemeral", 3)),
     False),
    ("connection refused", slack_refused, False),  # nothing reaches Slack, the note included
]
SAVED_NOTE = "Saved: the candidate is approved, but Slack "


def bot_errors(caplog) -> list[str]:
    """Errors the bot or Bolt logged (slack_sdk logs every failed request at ERROR level itself)."""
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR and not r.name.startswith("slack_sdk")]


@pytest.mark.parametrize(("name", "inject", "told"), SLACK_FAULTS, ids=[n for n, _, _ in SLACK_FAULTS])
def test_slack_faults_never_lose_a_decision_and_the_bot_keeps_answering(caplog, name, inject, told):
    caplog.set_level(logging.WARNING)
    with SlackStandin() as slack:
        bot = BotHarness(slack, bot_settings(slack_timeout=SLACK_TIMEOUT))
        try:
            first, second = bot.seed(["Midnight City glows.", "M83 paint the night gold."])
            base_url = bot.client.base_url
            inject(slack, bot)
            status, _ = bot.dispatch(bot.requests.block_action(first, bk.APPROVE))
            bot.settle()
            assert status == 200 and bot.candidate(first)["status"] == "approved"
            assert [(d["action"], d["accepted"]) for d in bot.decisions()] == [("approve", 1)]
            told_ana = ephemeral_texts(slack, ANA)
            assert any(t.startswith(SAVED_NOTE) for t in told_ana) == told, told_ana
            bot.client.base_url = base_url
            slack.clear_faults()
            bot.dispatch(bot.requests.block_action(second, bk.REJECT))  # the next click works as ever
            bot.settle()
            assert bot.candidate(second)["status"] == "rejected"
            assert slack.message(C, second["ts"])["text"] != second["text"]  # ...and its message shows it
            assert not bot_errors(caplog)
        finally:
            bot.close()


# (name, inject on chat.postMessage; the header goes first, so a fault there stops the candidates too)
SLACK_POST_FAULTS = [
    ("429 with Retry-After", lambda s, b: s.rate_limit("chat.postMessage", retry_after=1)),
    ("429 without Retry-After", lambda s, b: s.rate_limit("chat.postMessage", retry_after=None)),
    ("429 three times", lambda s, b: s.rate_limit("chat.postMessage", retry_after=0, times=3)),
    ("502", lambda s, b: s.server_error("chat.postMessage", status=502)),
    ("503", lambda s, b: s.server_error("chat.postMessage", status=503)),
    ("timeout", lambda s, b: s.slow("chat.postMessage", SLACK_TIMEOUT * 2)),
    ("malformed JSON", lambda s, b: s.malformed("chat.postMessage")),
    ("connection refused", slack_refused),
]


@pytest.mark.parametrize(("name", "inject"), SLACK_POST_FAULTS, ids=[n for n, _ in SLACK_POST_FAULTS])
def test_slack_faults_while_posting_candidates_keep_the_request_and_say_why(name, inject):
    """What /hype's worker and the scan do with a song's candidates: the request and every candidate stay in the
    store, with Slack's failure recorded, and the error says what happened in words /hype passes on."""
    with SlackStandin() as slack:
        bot = BotHarness(slack, bot_settings(slack_timeout=SLACK_TIMEOUT))
        base_url = bot.client.base_url
        result = Writer()("M83 - Midnight City")
        try:
            inject(slack, bot)
            try:
                posted = post_song(bot.client, bot.store, C, result, Origin("command", requested_by=ANA))
            except DeephypeError as error:
                posted, reason = None, str(error)
                assert reason.startswith("Slack would not let me post the candidates") or "Slack" in reason, reason
            [request] = bot.store.db.query("SELECT * FROM requests")
            candidates = list(bot.store.db.query("SELECT * FROM candidates WHERE request_id = ?", [request["id"]]))
            assert [c["text"] for c in candidates] == [c.text for c in result.candidates]
            if posted is None:
                assert request["error"] and not request["header_ts"]
            else:
                assert request["header_ts"] == posted.header_ts and all(c["message_ts"] for c in candidates)
            bot.client.base_url = base_url
            slack.clear_faults()
            again = post_song(bot.client, bot.store, C, result, Origin("command", requested_by=ANA))  # Slack is back
            assert again.header_ts and len(again.candidate_ids) == len(result.candidates)
        finally:
            bot.close()


@pytest.mark.parametrize(("name", "inject"), SLACK_POST_FAULTS, ids=[n for n, _ in SLACK_POST_FAULTS])
def test_slack_faults_while_scanning_leave_the_tweet_for_the_next_scan(tmp_path, x, name, inject):
    with SlackStandin() as slack:
        bot = BotHarness(slack, bot_settings(slack_timeout=SLACK_TIMEOUT), store=Store.open(tmp_path / "state.db"))
        base_url = bot.client.base_url
        tweet = x.add_tweet(f'NEW MUSIC: M83 – "Midnight City" https://t.co/slack{len(name)}', "blog")

        def publish(t, result):  # what Loop.publish does
            return post_song(bot.client, bot.store, C, result, Origin("timeline", source_tweet_id=t.id)).request_id

        try:
            scanner = Scanner(bot.store, x_client(x, None), Writer(), publish, max_tweets=5, attempts=3)
            inject(slack, bot)
            scanner.scan()
            bot.client.base_url = base_url
            slack.clear_faults()
            scanner.scan()
            [row] = bot.store.db.query("SELECT * FROM tweets WHERE id = ?", [tweet])
            finished = list(bot.store.db.query(
                "SELECT * FROM requests WHERE source_tweet_id = ? AND header_ts IS NOT NULL", [tweet]))
            assert row["status"] == "written" and [r["id"] for r in finished] == [row["request_id"]]
            assert read_cursor(bot.store, TIMELINE) is not None
        finally:
            bot.close()
