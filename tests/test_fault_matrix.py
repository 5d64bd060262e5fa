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
from bot_harness import ANA, BotHarness, bot_settings, ephemeral_texts

from bot import blocks as bk
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


SLACK_FAULTS = [
    ("429 with Retry-After", lambda s: s.rate_limit("chat.update", retry_after=1)),
    ("429 three times", lambda s: s.rate_limit("chat.update", retry_after=0, times=3)),
    ("500", lambda s: s.server_error("chat.update")),
    ("500 three times", lambda s: s.server_error("chat.update", times=3)),
    ("slow", lambda s: s.slow("chat.update", 0.5)),
    ("ok: false", lambda s: s.fail("chat.update", "internal_error")),
    ("ephemeral fails too", lambda s: (s.server_error("chat.update", 3), s.server_error("chat.postEphemeral", 3))),
]


@pytest.mark.parametrize(("name", "inject"), SLACK_FAULTS, ids=[n for n, _ in SLACK_FAULTS])
def test_slack_faults_never_lose_a_decision_and_the_bot_keeps_answering(caplog, name, inject):
    caplog.set_level(logging.WARNING)
    with SlackStandin() as slack:
        bot = BotHarness(slack, bot_settings())
        try:
            first, second = bot.seed(["Midnight City glows.", "M83 paint the night gold."])
            inject(slack)
            status, _ = bot.dispatch(bot.requests.block_action(first, bk.APPROVE))
            bot.settle()
            assert status == 200 and bot.candidate(first)["status"] == "approved"
            assert [(d["action"], d["accepted"]) for d in bot.decisions()] == [("approve", 1)]
            bot.dispatch(bot.requests.block_action(second, bk.REJECT))  # the next click works as ever
            bot.settle()
            assert bot.candidate(second)["status"] == "rejected"
            assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
            update_failed = not slack.calls_to("chat.update")[0].ok and not any(
                c.ok for c in slack.calls_to("chat.update") if c.args.get("ts") == first["ts"])
            told = ephemeral_texts(slack, ANA)
            if update_failed and name != "ephemeral fails too":  # the curator hears why the message looks stale
                assert any(t.startswith("Saved: the candidate is approved, but Slack would not let me update")
                           for t in told), told
        finally:
            bot.close()
