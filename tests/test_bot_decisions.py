"""Curators deciding through the real Bolt dispatch (signed HTTP-mode requests) against the Slack stand-in:
buttons, the edit modal, reactions, non-curators, double clicks, Slack retries, forged and stale signatures,
and twenty clicks at once."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from bot_harness import ANA, BEN, BotHarness, C, bot_settings, ephemeral_texts, wait_until

from bot import blocks as bk
from bot.events import reaction_decision
from bot.publish import WAITING_NOTE, candidate_view
from deephype import curation
from deephype.standins.slack import SlackStandin
from deephype.standins.slack_workspace import BOT_USER_ID, CAT, CURATORS_GROUP_ID

TEXTS = ["Midnight City glows like neon over a sleeping town.", "M83 paint the night sky in saxophone gold."]


@pytest.fixture
def bot(slack):
    harness = BotHarness(slack, bot_settings())
    yield harness
    harness.close()


def click(bot: BotHarness, message: dict, action_id: str, user: str = ANA) -> int:
    status, _ = bot.dispatch(bot.requests.block_action(message, action_id, user_id=user))
    return status


def shown(slack: SlackStandin, message: dict) -> str:
    return bk.render_text(slack.message(C, message["ts"])["blocks"])


@pytest.mark.parametrize(("action_id", "status", "line"), [
    (bk.APPROVE, "approved", f"Approved by @{ANA} at"),
    (bk.REJECT, "rejected", f"Rejected by @{ANA} at"),
])
def test_a_button_decides_once_and_updates_the_message_in_place(bot, slack, action_id, status, line):
    first, second = bot.seed(TEXTS)
    assert click(bot, first, action_id) == 200
    bot.settle()
    assert bot.candidate(first)["status"] == status and bot.candidate(first)["decided_by"] == ANA
    assert bot.candidate(second)["status"] == "pending"
    text = shown(slack, first)
    assert line in text and TEXTS[0] in text and "[ Approve ]" not in text
    assert (WAITING_NOTE in text) == (status == "approved")
    assert "[ Approve ]" in shown(slack, second)
    [update] = slack.calls_to("chat.update")
    assert update.args["ts"] == first["ts"] and f"by <@{ANA}> at" in update.args["text"]  # the fallback text
    assert [(d["action"], d["via"], d["accepted"]) for d in bot.decisions()] == [(action_id.split("_")[1],
                                                                                  "button", 1)]


def test_a_second_click_changes_nothing_and_says_so(bot, slack):
    [message] = bot.seed(TEXTS[:1])
    click(bot, message, bk.APPROVE, ANA)
    bot.settle()
    # BEN's client still shows the buttons: he clicks Reject on the stale message.
    click(bot, message, bk.REJECT, BEN)
    click(bot, message, bk.APPROVE, ANA)
    bot.settle()
    assert bot.candidate(message)["status"] == "approved" and len(slack.calls_to("chat.update")) == 1
    expected = f"Nothing changed: that candidate is already approved by <@{ANA}>."
    assert ephemeral_texts(slack, BEN) == [expected] and ephemeral_texts(slack, ANA) == [expected]
    assert [(d["user_id"], d["accepted"]) for d in bot.decisions()] == [(ANA, 1), (BEN, 0), (ANA, 0)]
    # The note lands in the candidate's thread, where the person clicked.
    assert {e["channel"] for e in slack.ephemerals()} == {C}


def test_a_candidate_decided_elsewhere_is_not_decided_again(bot, slack):
    [message] = bot.seed(TEXTS[:1])
    curation.decide(bot.store, bot.candidate(message)["id"], BEN, "reject", "cli")
    click(bot, message, bk.APPROVE, ANA)
    bot.settle()
    assert bot.candidate(message)["status"] == "rejected"
    assert ephemeral_texts(slack, ANA) == [f"Nothing changed: that candidate is already rejected by <@{BEN}>."]
    assert slack.calls_to("chat.update") == []


@pytest.mark.parametrize("action_id", [bk.APPROVE, bk.REJECT, bk.EDIT, bk.REGENERATE])
def test_non_curators_change_nothing_and_are_told_why(bot, slack, action_id):
    [message] = bot.seed(TEXTS[:1])
    assert click(bot, message, action_id, CAT) == 200
    bot.settle()
    assert bot.candidate(message)["status"] == "pending" and "[ Approve ]" in shown(slack, message)
    [note] = ephemeral_texts(slack, CAT)
    assert note.startswith("Only curators can")
    assert not slack.calls_to("chat.update") and not slack.calls_to("views.open")
    assert [(d["user_id"], d["accepted"], d["note"]) for d in bot.decisions()] == [(CAT, 0, "not a curator")]


def test_members_of_the_curator_user_group_may_decide(slack):
    bot = BotHarness(slack, bot_settings(curators=(), curator_usergroup=CURATORS_GROUP_ID))
    try:
        first, second = bot.seed(TEXTS)
        click(bot, first, bk.APPROVE, BEN)
        click(bot, second, bk.APPROVE, CAT)
        bot.settle()
        assert bot.candidate(first)["status"] == "approved" and bot.candidate(second)["status"] == "pending"
        assert len(slack.calls_to("usergroups.users.list")) == 1  # the members are cached
    finally:
        bot.close()


def test_edit_opens_a_prefilled_modal_and_saving_approves_the_edited_text(bot, slack):
    [message] = bot.seed(TEXTS[:1])
    click(bot, message, bk.EDIT)
    [opened] = slack.wait_for("views.open")
    view = opened.response["view"]
    assert view["blocks"][0]["element"]["initial_value"] == TEXTS[0]
    edited = "Midnight City glows like neon over a town that never sleeps."
    status, body = bot.dispatch(bot.requests.view_submission(view, {bk.EDIT_BLOCK: {bk.EDIT_INPUT: f" {edited} "}}))
    assert (status, body) == (200, "")  # an empty ack closes the modal
    bot.settle()
    candidate = bot.candidate(message)
    assert (candidate["status"], candidate["text"], candidate["original_text"]) == ("approved", edited, TEXTS[0])
    text = shown(slack, message)
    assert edited in text and f"Edited before approval. Original: {TEXTS[0]}" in text
    [decision] = bot.decisions()
    assert (decision["action"], decision["via"], decision["text_before"], decision["text_after"]) == (
        "edit+approve", "edit", TEXTS[0], edited)


@pytest.mark.parametrize(("edited", "error"), [
    ("   ", "Write something to post"),
    ("x" * 281, "That is 281 characters; a post can have at most 280."),
])
def test_an_unusable_edit_keeps_the_modal_open_with_the_reason(bot, slack, edited, error):
    [message] = bot.seed(TEXTS[:1])
    click(bot, message, bk.EDIT)
    view = slack.wait_for("views.open")[0].response["view"]
    status, body = bot.dispatch(bot.requests.view_submission(view, {bk.EDIT_BLOCK: {bk.EDIT_INPUT: edited}}))
    assert status == 200 and error in body and '"response_action": "errors"' in body
    assert bot.candidate(message)["status"] == "pending"


def test_saving_an_edit_after_someone_else_decided_changes_nothing(bot, slack):
    [message] = bot.seed(TEXTS[:1])
    click(bot, message, bk.EDIT, ANA)
    view = slack.wait_for("views.open")[0].response["view"]
    click(bot, message, bk.REJECT, BEN)
    bot.settle()
    _, body = bot.dispatch(bot.requests.view_submission(view, {bk.EDIT_BLOCK: {bk.EDIT_INPUT: "Better words."}}))
    assert f"already rejected by <@{BEN}>" in body
    assert bot.candidate(message)["text"] == TEXTS[0] and bot.candidate(message)["status"] == "rejected"


def test_edit_on_a_decided_candidate_opens_nothing(bot, slack):
    [message] = bot.seed(TEXTS[:1])
    click(bot, message, bk.APPROVE, BEN)
    bot.settle()
    click(bot, message, bk.EDIT, ANA)
    bot.settle()
    assert not slack.calls_to("views.open")
    assert ephemeral_texts(slack, ANA) == [f"Nothing changed: that candidate is already approved by <@{BEN}>."]


# ---- reactions ----------------------------------------------------------------------------------------------


def react(bot: BotHarness, message_ts: str, name: str, user: str = ANA, **kwargs) -> int:
    return bot.dispatch(bot.requests.reaction(name, message_ts, user_id=user, **kwargs))[0]


@pytest.mark.parametrize(("emoji", "status"), [("white_check_mark", "approved"), ("x", "rejected"),
                                               ("white_check_mark::skin-tone-3", "approved")])
def test_the_configured_emoji_decide_like_the_buttons(bot, slack, emoji, status):
    [message] = bot.seed(TEXTS[:1])
    assert react(bot, message["ts"], emoji) == 200
    bot.settle()
    assert bot.candidate(message)["status"] == status
    assert f"by @{ANA}" in shown(slack, message)
    assert [(d["via"], d["accepted"]) for d in bot.decisions()] == [("reaction", 1)]


def test_other_reactions_change_nothing(bot, slack):
    [message] = bot.seed(TEXTS[:1])
    header_ts = slack.messages(C)[0]["ts"]
    react(bot, message["ts"], "fire")  # another emoji
    react(bot, header_ts, "white_check_mark")  # the song's header, not a candidate
    react(bot, message["ts"], "white_check_mark", user=BOT_USER_ID)  # the bot's own
    react(bot, message["ts"], "x", removed=True)  # reaction_removed is not subscribed
    bot.settle()
    assert bot.candidate(message)["status"] == "pending"
    assert bot.decisions() == [] and slack.ephemerals() == [] and not slack.calls_to("chat.update")


def test_a_reaction_by_a_non_curator_is_refused_privately(bot, slack):
    [message] = bot.seed(TEXTS[:1])
    react(bot, message["ts"], "white_check_mark", user=CAT)
    bot.settle()
    assert bot.candidate(message)["status"] == "pending"
    assert ephemeral_texts(slack, CAT)[0].startswith("Only curators can approve")


def test_a_second_reaction_changes_nothing_and_says_so(bot, slack):
    [message] = bot.seed(TEXTS[:1])
    react(bot, message["ts"], "x", user=ANA)
    bot.settle()
    react(bot, message["ts"], "white_check_mark", user=BEN)
    bot.settle()
    assert bot.candidate(message)["status"] == "rejected"
    assert ephemeral_texts(slack, BEN) == [f"Nothing changed: that candidate is already rejected by <@{ANA}>."]


@pytest.mark.parametrize("redelivery", ["retry header", "same event id"])
def test_slack_retries_are_not_acted_on_twice(bot, slack, redelivery):
    [message] = bot.seed(TEXTS[:1])
    event = bot.requests.reaction("white_check_mark", message["ts"], user_id=ANA)
    assert bot.dispatch(event)[0] == 200
    again = (bot.requests.retry(event, retry_num=1, retry_reason="http_timeout") if redelivery == "retry header"
             else bot.requests.reaction("white_check_mark", message["ts"], user_id=ANA,
                                        event_id=event.payload["event_id"]))
    assert bot.dispatch(again)[0] == 200
    bot.settle()
    assert len(bot.decisions()) == 1 and len(slack.calls_to("chat.update")) == 1
    assert slack.ephemerals() == []  # not even a "nothing changed": the retry is simply the same event


def test_reaction_decision_skips_the_bots_own_reaction_even_past_bolt(bot):
    [message] = bot.seed(TEXTS[:1])
    event = {"type": "reaction_added", "user": BOT_USER_ID, "reaction": "white_check_mark",
             "item": {"type": "message", "channel": C, "ts": message["ts"]}}
    assert reaction_decision(bot.services, event, "Ev1", BOT_USER_ID) is None
    assert reaction_decision(bot.services, {**event, "user": ANA}, "Ev1", BOT_USER_ID)[0] == "approve"
    assert reaction_decision(bot.services, {**event, "user": ANA}, "Ev1", BOT_USER_ID) is None  # seen


# ---- signatures ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tamper", ["forged", "stale", "edited body"])
def test_forged_or_stale_requests_are_rejected_and_change_nothing(bot, slack, tamper):
    [message] = bot.seed(TEXTS[:1])
    requests = bot.requests
    if tamper == "forged":
        requests = type(requests)("not-the-secret", slack.root_url)
    stale = time.time() - 600 if tamper == "stale" else None
    request = requests.block_action(message, bk.APPROVE, user_id=ANA, timestamp=stale)
    body = request.body.replace(ANA, BEN) if tamper == "edited body" else None
    assert bot.dispatch(request, body)[0] == 401
    event = requests.reaction("white_check_mark", message["ts"], user_id=ANA, timestamp=stale)
    assert bot.dispatch(event, event.body.replace(ANA, BEN) if body else None)[0] == 401
    bot.settle()
    assert bot.candidate(message)["status"] == "pending" and bot.decisions() == []


# ---- the exactly-once target --------------------------------------------------------------------------------


def test_twenty_simultaneous_approvals_from_two_curators_record_exactly_one(bot, slack):
    [message] = bot.seed(TEXTS[:1])
    clicks = [bot.requests.block_action(message, bk.APPROVE, user_id=(ANA, BEN)[i % 2]) for i in range(20)]
    clicks += [bot.requests.block_action(message, bk.APPROVE, user_id=CAT) for _ in range(5)]
    start = threading.Barrier(len(clicks))
    statuses: list[int] = []

    def deliver(request) -> None:
        start.wait()
        statuses.append(bot.dispatch(request)[0])

    threads = [threading.Thread(target=deliver, args=(r,)) for r in clicks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bot.settle()
    assert statuses == [200] * 25
    rows = bot.decisions()
    accepted = [d for d in rows if d["accepted"]]
    assert len(accepted) == 1 and accepted[0]["user_id"] in (ANA, BEN)
    assert bot.candidate(message)["decided_by"] == accepted[0]["user_id"]
    assert [d["note"] for d in rows if d["user_id"] == CAT] == ["not a curator"] * 5
    assert len(rows) == 25 and len(slack.calls_to("chat.update")) == 1
    wait_until(lambda: len(slack.ephemerals()) == 24)  # 19 "already approved", 5 "only curators"


# ---- what the posting job will call -------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "extra", "expected"), [
    ("approved", {}, f"Approved by @{ANA} at 13:00  ·  {WAITING_NOTE}"),
    ("approved", {"planned_for": "2026-05-01T16:00:00+00:00"}, f"Approved by @{ANA} at 13:00, queued for 18:00"),
    ("posting", {"planned_for": "2026-05-01T16:00:00+00:00"}, "at 13:00, queued for 18:00"),
    ("posted", {"posted_tweet_id": "1790000000000000001"}, "Posted: https://x.com/i/status/1790000000000000001"),
    ("failed", {"error": "X said duplicate content"}, "Posting failed at 13:00: X said duplicate content"),
    ("needs_review", {"error": "crashed while posting"}, "Needs a person to check: crashed while posting"),
])
def test_candidate_view_shows_every_status_the_store_can_hold(status, extra, expected):
    candidate = {"id": 4, "text": "Neon.", "original_text": "Neon.", "score": 0.5, "rank": 1, "status": status,
                 "decided_by": ANA, "decided_at": "2026-05-01T11:00:00+00:00", "planned_for": None,
                 "posted_tweet_id": None, "error": None, **extra}
    text, blocks = candidate_view(candidate, "Europe/Berlin")
    assert expected in bk.render_text(blocks) and "[ Approve ]" not in bk.render_text(blocks)
    assert text.endswith("Neon.")
    stamp = int(datetime(2026, 5, 1, 11, tzinfo=UTC).timestamp())
    assert (f"<!date^{stamp}^" in blocks[1]["elements"][0]["text"]) == ("at 13:00" in expected)


def test_a_pending_candidate_keeps_its_buttons_and_post_now_is_optional():
    candidate = {"id": 9, "text": "Neon.", "original_text": "Neon.", "score": 0.5, "rank": 3, "status": "pending"}
    assert "Candidate 3" in bk.render_text(candidate_view(candidate)[1])
    approved = {**candidate, "status": "approved", "decided_by": BEN, "decided_at": "2026-05-01T11:00:00+00:00",
                "planned_for": None, "posted_tweet_id": None, "error": None}
    assert "[ Post now ]" not in bk.render_text(candidate_view(approved)[1])
    assert "[ Post now ]" in bk.render_text(candidate_view(approved, post_now=True)[1])
