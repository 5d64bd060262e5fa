"""Curation state in the store: decisions are taken exactly once, history and stats tell the truth."""

from __future__ import annotations

import threading

import pytest

from deephype import curation
from deephype.store import Store


@pytest.fixture
def store(tmp_path):
    return Store.open(tmp_path / "state.db")


def make_candidates(store, n=2):
    request = curation.create_request(store, "slash", "Opia", "Four Winds", ["indie pop"], "spotify",
                                      requested_by="U1", channel="C1")
    return curation.add_candidates(store, request, [(f"text {i}", 1.0 - i / 10, {"nll": 3.0}) for i in range(n)])


def test_approve_once_then_refuse_second(store):
    first, _ = make_candidates(store)
    decision = curation.decide(store, first, "U1", "approve", "button")
    assert decision.accepted and decision.candidate["status"] == "approved"
    again = curation.decide(store, first, "U2", "reject", "reaction")
    assert not again.accepted and again.reason == "already approved by <@U1>"
    assert curation.get_candidate(store, first)["status"] == "approved"


def test_edit_keeps_the_original(store):
    first, _ = make_candidates(store)
    decision = curation.decide(store, first, "U1", "approve", "modal", edited_text="A better line.")
    assert decision.candidate["text"] == "A better line." and decision.candidate["original_text"] == "text 0"
    assert curation.history(store)[0]["action"] == "edit+approve"


def test_twenty_concurrent_clicks_from_two_curators_approve_once(tmp_path):
    path = tmp_path / "state.db"
    setup = Store.open(path)
    candidate = make_candidates(setup, 1)[0]
    barrier = threading.Barrier(20)
    results = []

    def click(user: str) -> None:
        own = Store.open(path)  # separate connections, like separate bot processes or threads
        barrier.wait()
        results.append(curation.decide(own, candidate, user, "approve", "button").accepted)

    threads = [threading.Thread(target=click, args=(("U1", "U2")[i % 2],)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 19 + [True]
    rows = list(setup.db.query("SELECT accepted FROM decisions WHERE candidate_id = ?", [candidate]))
    assert len(rows) == 20 and sum(r["accepted"] for r in rows) == 1


def test_first_time_recognises_retries(store):
    assert curation.first_time(store, "Ev123")
    assert not curation.first_time(store, "Ev123")


def test_messages_and_stats(store):
    first, second = make_candidates(store)
    curation.attach_message(store, first, "C1", "111.1")
    assert curation.candidate_by_message(store, "C1", "111.1")["id"] == first
    assert curation.candidate_by_message(store, "C1", "999.9") is None
    curation.decide(store, first, "U1", "approve", "button")
    curation.decide(store, second, "U1", "reject", "reaction")
    curation.refuse(store, second, "U9", "approve", "button", "not a curator")
    stats = curation.stats(store)
    assert stats["decided"] == 2 and stats["approval_rate"] == 0.5 and stats["requests"] == 1
    assert [h["accepted"] for h in curation.history(store)] == [0, 1, 1]


def to_status(store, candidate_id, status):
    """Walk a candidate to `status` the way the bot and the posting job do."""
    if status == "pending":
        return
    curation.decide(store, candidate_id, "U1", "reject" if status == "rejected" else "approve", "button")
    if status in ("posting", "posted", "failed", "needs_review"):
        assert curation.claim_for_posting(store, candidate_id, "host:1:ab", "2026-05-01T12:00:00+00:00")
    if status == "posted":
        assert curation.mark_posted(store, candidate_id, "host:1:ab", "555", "2026-05-01T12:00:01+00:00")
    elif status == "failed":
        assert curation.mark_failed(store, candidate_id, "host:1:ab", "refused")
    elif status == "needs_review":
        assert curation.flag_needs_review(store, candidate_id, "host:1:ab", "crashed mid-post")
    assert curation.get_candidate(store, candidate_id)["status"] == status


@pytest.mark.parametrize("status", ["pending", "approved", "rejected", "posting", "posted", "failed"])
@pytest.mark.parametrize("settle", ["confirm_posted", "requeue"])
def test_only_a_candidate_that_needs_review_can_be_settled_by_a_person(store, status, settle):
    first, _ = make_candidates(store)
    to_status(store, first, status)
    before = curation.get_candidate(store, first)
    decision = (curation.confirm_posted(store, first, "U2", "777", "modal") if settle == "confirm_posted"
                else curation.requeue(store, first, "U2", "button"))
    assert not decision.accepted and decision.reason.startswith(f"already {status}")
    assert curation.get_candidate(store, first) == before
    assert curation.history(store, 1)[0]["accepted"] == 0 and curation.history(store, 1)[0]["user_id"] == "U2"


def test_requeue_takes_the_claim_away_once_and_records_who(store):
    first, _ = make_candidates(store)
    to_status(store, first, "needs_review")
    decision = curation.requeue(store, first, "U2", "button")
    row = decision.candidate
    assert decision.accepted and (row["status"], row["claimed_by"], row["claimed_at"], row["planned_for"],
                                  row["error"], row["decided_by"]) == ("approved", None, None, None, None, "U1")
    assert [c["id"] for c in curation.approved_queue(store)] == [first]
    assert not curation.requeue(store, first, "U3", "button").accepted
    # the process that was flagged cannot claim it as posted any more: its claim is gone
    assert not curation.mark_posted(store, first, "host:1:ab", "555", "2026-05-01T12:05:00+00:00")
    assert [(h["user_id"], h["action"], h["accepted"]) for h in curation.history(store, 2)] == [
        ("U3", "requeue", 0), ("U2", "requeue", 1)]


def test_confirm_posted_records_the_tweet_found_once(store):
    first, _ = make_candidates(store)
    to_status(store, first, "needs_review")
    decision = curation.confirm_posted(store, first, "U2", "1790000000000000042", "modal")
    row = decision.candidate
    assert decision.accepted and (row["status"], row["posted_tweet_id"], row["posted_at"], row["error"]) == (
        "posted", "1790000000000000042", "2026-05-01T12:00:00+00:00", None)
    assert not curation.confirm_posted(store, first, "U3", "1", "modal").accepted
    assert curation.get_candidate(store, first)["posted_tweet_id"] == "1790000000000000042"
    assert curation.history(store, 2)[1]["note"] == "1790000000000000042"
