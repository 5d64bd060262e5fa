"""Settling a candidate whose post needs checking (needs_review) from its Slack message, through the real Bolt
dispatch against the Slack stand-in: "It was posted" with the tweet's link, "Not posted, queue again" after a
confirm dialog, curators only, once, and who decided on record."""

from __future__ import annotations

import pytest
from bot_harness import ANA, BEN, BotHarness, C, bot_settings, ephemeral_texts

from bot import actions
from bot import blocks as bk
from bot.publish import update_candidate_message
from deephype import curation
from deephype.standins.slack import SlackStandin
from deephype.standins.slack_block_rules import blocks_errors
from deephype.standins.slack_workspace import CAT

TEXT = "Midnight City glows like neon over a sleeping town."
TWEET = "1790000000000000042"


@pytest.fixture
def bot(slack):
    harness = BotHarness(slack, bot_settings())
    yield harness
    harness.close()


def flagged(bot: BotHarness, slack: SlackStandin) -> dict:
    """A candidate approved by BEN whose posting process died mid-post, its message drawn as the bot draws it."""
    [message] = bot.seed([TEXT])
    candidate_id = bot.candidate(message)["id"]
    assert curation.decide(bot.store, candidate_id, BEN, "approve", "button").accepted
    assert curation.claim_for_posting(bot.store, candidate_id, "dead-host:1:cafe", "2026-05-01T12:00:00+00:00")
    assert curation.flag_needs_review(bot.store, candidate_id, "dead-host:1:cafe", "the bot stopped while posting")
    update_candidate_message(bot.client, bot.store, candidate_id)
    return slack.message(C, message["ts"])


def click(bot: BotHarness, message: dict, action_id: str, user: str = ANA) -> None:
    status, _ = bot.dispatch(bot.requests.block_action(message, action_id, user_id=user))
    assert status == 200
    bot.settle()


def shown(slack: SlackStandin, message: dict) -> str:
    return bk.render_text(slack.message(C, message["ts"])["blocks"])


def test_the_flagged_message_offers_both_ways_to_settle_it(bot, slack):
    message = flagged(bot, slack)
    assert "Needs a person to check: the bot stopped while posting" in shown(slack, message)
    assert "[ It was posted ]  [ Not posted, queue again ]" in shown(slack, message)
    assert blocks_errors(message["blocks"]) == []
    [again] = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
               if e["action_id"] == bk.QUEUE_AGAIN]
    assert again["confirm"]["confirm"]["text"] == "Queue again"  # Slack asks before the click reaches the bot


def test_queue_again_puts_it_back_for_the_next_slot_and_records_who(bot, slack):
    message = flagged(bot, slack)
    click(bot, message, bk.QUEUE_AGAIN)
    candidate = bot.candidate(message)
    assert (candidate["status"], candidate["claimed_by"], candidate["planned_for"], candidate["error"]) == (
        "approved", None, None, None)
    assert candidate["decided_by"] == BEN  # the approval stands; the requeue is its own record
    assert [(d["user_id"], d["action"], d["via"], d["accepted"]) for d in bot.decisions()][-1] == (
        ANA, "requeue", "button", 1)
    text = shown(slack, message)
    assert f"Approved by @{BEN}" in text and "[ Not posted, queue again ]" not in text
    click(bot, message, bk.QUEUE_AGAIN, BEN)  # the old message, clicked again
    assert bot.candidate(message)["status"] == "approved"
    assert ephemeral_texts(slack, BEN) == [
        "Nothing changed: that candidate is already approved, not waiting for a person to check it."]


def test_it_was_posted_asks_for_the_link_and_records_that_tweet(bot, slack):
    message = flagged(bot, slack)
    click(bot, message, bk.WAS_POSTED)
    [opened] = slack.wait_for("views.open")
    view = opened.response["view"]
    assert view["callback_id"] == bk.POSTED_MODAL
    status, body = bot.dispatch(bot.requests.view_submission(view, {bk.POSTED_BLOCK: {bk.POSTED_INPUT: "it's there"}}))
    assert status == 200 and actions.BAD_LINK in body and bot.candidate(message)["status"] == "needs_review"
    link = f" https://x.com/deephype/status/{TWEET}?s=20 "
    status, body = bot.dispatch(bot.requests.view_submission(view, {bk.POSTED_BLOCK: {bk.POSTED_INPUT: link}}))
    assert (status, body) == (200, "")
    bot.settle()
    candidate = bot.candidate(message)
    assert (candidate["status"], candidate["posted_tweet_id"], candidate["posted_at"]) == (
        "posted", TWEET, "2026-05-01T12:00:00+00:00")  # sent when it was claimed, as far as anyone knows
    assert f"Posted: https://x.com/i/status/{TWEET}" in shown(slack, message)
    assert [(d["user_id"], d["action"], d["via"], d["note"]) for d in bot.decisions()][-1] == (
        ANA, "confirm_posted", "modal", TWEET)


def test_saving_the_link_after_someone_queued_it_again_changes_nothing(bot, slack):
    message = flagged(bot, slack)
    click(bot, message, bk.WAS_POSTED)
    view = slack.wait_for("views.open")[0].response["view"]
    click(bot, message, bk.QUEUE_AGAIN, BEN)
    _, body = bot.dispatch(bot.requests.view_submission(view, {bk.POSTED_BLOCK: {bk.POSTED_INPUT: TWEET}}))
    assert "already approved" in body and '"response_action": "errors"' in body
    assert bot.candidate(message)["status"] == "approved" and bot.candidate(message)["posted_tweet_id"] is None


@pytest.mark.parametrize("action_id", [bk.WAS_POSTED, bk.QUEUE_AGAIN])
def test_non_curators_cannot_settle_it(bot, slack, action_id):
    message = flagged(bot, slack)
    updates = len(slack.calls_to("chat.update"))
    click(bot, message, action_id, CAT)
    assert bot.candidate(message)["status"] == "needs_review"
    assert ephemeral_texts(slack, CAT) == [actions.NOT_CURATOR_REVIEW]
    assert not slack.calls_to("views.open") and len(slack.calls_to("chat.update")) == updates
    assert [(d["user_id"], d["accepted"], d["note"]) for d in bot.decisions()][-1] == (CAT, 0, "not a curator")
