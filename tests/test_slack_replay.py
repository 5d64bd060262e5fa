"""HTTP mode against replays: the same signed request (same signature, same timestamp) delivered again, one after
the other, at the same instant, or after a restart, is acted on once: one generation per /hype, one decision per
click, modal or reaction. Forged signatures and stale timestamps are refused before anything happens."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from bot_harness import ANA, BotHarness, C, bot_settings, ephemeral_texts
from tiny_bundle import train_tiny_bundle

from bot import blocks as bk
from bot.replays import PREFIX, first_delivery
from deephype.song_genres import GenreResolver
from deephype.standins.slack import SlackStandin
from deephype.standins.slack_signing import SlackRequests
from deephype.store import Store


@pytest.fixture(scope="module")
def model_settings(tmp_path_factory):
    return train_tiny_bundle(tmp_path_factory.mktemp("replay-model"))


@pytest.fixture(scope="module")
def generator(model_settings):
    from deephype.generate import Generator

    return Generator.load(model_settings)


def make_bot(slack: SlackStandin, settings, generator, store: Store | None = None) -> BotHarness:
    store = store or Store.open(":memory:")
    return BotHarness(slack, bot_settings(settings), generator, GenreResolver(settings, store, None), store)


@pytest.fixture
def bot(slack, model_settings, generator):
    harness = make_bot(slack, model_settings, generator)
    yield harness
    harness.close()


def count(bot: BotHarness, table: str) -> int:
    return bot.store.db[table].count


def test_a_replayed_hype_starts_one_generation(bot, slack):
    request = bot.requests.slash_command("M83 - Midnight City")
    first, replay = bot.dispatch(request), bot.dispatch(request)
    bot.settle()
    assert first[0] == 200 and first[1].startswith("Writing about M83")
    assert replay == (200, "")  # an empty ack: Slack shows nothing, nothing is queued
    assert count(bot, "requests") == 1 and len(slack.calls_to("chat.postMessage")) == 1 + count(bot, "candidates")
    [answer] = slack.wait_for("response_url")
    assert "candidates about M83 – Midnight City are up" in answer.body["text"]


def test_replays_at_the_same_instant_start_one_generation(bot, slack):
    request = bot.requests.slash_command("M83 - Midnight City")
    start, answers = threading.Barrier(8), []

    def deliver() -> None:
        start.wait()
        answers.append(bot.dispatch(request))

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bot.settle()
    assert sorted(body[:13] for _, body in answers) == [""] * 7 + ["Writing about"]
    assert count(bot, "requests") == 1


def replay_click(bot: BotHarness, message: dict) -> object:
    return bot.requests.block_action(message, bk.APPROVE)


def replay_reaction(bot: BotHarness, message: dict) -> object:
    return bot.requests.reaction("white_check_mark", message["ts"])


def replay_edit(bot: BotHarness, message: dict) -> object:
    candidate = bot.candidate(message)
    view = {"id": "V1", "callback_id": bk.EDIT_MODAL, **bk.edit_modal(candidate["id"], candidate["text"], 280)}
    return bot.requests.view_submission(view, {bk.EDIT_BLOCK: {bk.EDIT_INPUT: "Midnight City, edited."}})


@pytest.mark.parametrize("build", [replay_click, replay_reaction, replay_edit], ids=["click", "reaction", "edit"])
def test_a_replayed_decision_is_recorded_once_and_says_nothing(bot, slack, build):
    [message] = bot.seed(["Midnight City glows like neon over a sleeping town."])
    request = build(bot, message)
    assert bot.dispatch(request)[0] == 200
    bot.settle()
    assert bot.dispatch(request) == (200, "")
    bot.settle()
    assert [d["accepted"] for d in bot.decisions()] == [1]
    assert bot.candidate(message)["status"] == "approved"
    assert len(slack.calls_to("chat.update")) == 1 and ephemeral_texts(slack, ANA) == []  # not even a "nothing changed"


def test_a_replay_after_a_restart_is_still_refused(slack, model_settings, generator, tmp_path):
    first = make_bot(slack, model_settings, generator, Store.open(tmp_path / "state.db"))
    request = first.requests.slash_command("M83 - Midnight City")
    assert first.dispatch(request)[1].startswith("Writing about")
    first.settle()
    first.close()
    again = make_bot(slack, model_settings, generator, Store.open(tmp_path / "state.db"))
    try:
        assert again.dispatch(request) == (200, "")
        again.settle()
        assert count(again, "requests") == 1
    finally:
        again.close()


@pytest.mark.parametrize("tamper", ["forged", "stale", "edited body"])
def test_forged_or_stale_hype_is_refused_and_starts_nothing(bot, slack, tamper):
    requests = SlackRequests("not-the-secret", slack.root_url) if tamper == "forged" else bot.requests
    request = requests.slash_command("M83 - Midnight City",
                                     timestamp=time.time() - 360 if tamper == "stale" else None)
    body = request.body.replace("Midnight", "Noon") if tamper == "edited body" else None
    assert bot.dispatch(request, body)[0] == 401
    bot.settle()
    assert count(bot, "requests") == 0 and slack.responses == [] and not slack.calls_to("chat.postMessage")
    assert bot.store.db.execute("SELECT count(*) FROM seen_events").fetchone()[0] == 0  # refused before recording


def test_signatures_are_forgotten_once_a_replay_would_be_stale_anyway():
    store = Store.open(":memory:")
    t0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert first_delivery(store, "v0=aaa", t0) and not first_delivery(store, "v0=aaa", t0 + timedelta(minutes=4))
    store.db.execute("INSERT INTO seen_events (key, at) VALUES ('event:Ev1', ?)", [t0.isoformat()])
    assert first_delivery(store, "v0=bbb", t0 + timedelta(minutes=11))
    keys = {row[0] for row in store.db.execute("SELECT key FROM seen_events")}
    assert keys == {f"{PREFIX}v0=bbb", "event:Ev1"}  # Events API ids are kept: they are not time-bound
    store.close()


def test_a_forged_request_sent_twice_is_refused_both_times(bot, slack):
    """Bolt refuses it before the replay guard sees it, so nothing is recorded for it and nothing is posted."""
    forged = SlackRequests("not-the-secret", slack.root_url).slash_command("M83 - Midnight City")
    assert [bot.dispatch(forged)[0] for _ in range(2)] == [401, 401]
    assert slack.messages(C) == []
