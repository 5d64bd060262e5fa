"""Requests, candidates and decisions in the store: every state change is a conditional update, taken once.

A candidate moves pending -> approved | rejected, and approved -> posting -> posted | failed | needs_review; a
person settles needs_review as posted (with the tweet they found) or approved (not on X: queue it again).
Two curators clicking at the same moment both reach `decide`; exactly one UPDATE matches `status = 'pending'`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from deephype.store import Store

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
POSTING, POSTED, FAILED, NEEDS_REVIEW = "posting", "posted", "failed", "needs_review"
DECISIONS = {"approve": APPROVED, "reject": REJECTED}


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Decision:
    accepted: bool
    candidate: dict[str, Any]  # the row after the attempt
    reason: str | None = None  # why it was not accepted, for the person who tried


def create_request(store: Store, kind: str, artist: str, song: str, genres: Sequence[str], genre_source: str, *,
                   featuring: Sequence[str] = (), requested_by: str | None = None, channel: str | None = None,
                   source_tweet_id: str | None = None, source_tweet_url: str | None = None) -> int:
    with store.transaction() as db:
        cursor = db.execute(
            "INSERT INTO requests (kind, artist, song, featuring, genres, genre_source, source_tweet_id,"
            " source_tweet_url, requested_by, channel, status, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [kind, artist, song, json.dumps(list(featuring)), json.dumps(list(genres)), genre_source,
             source_tweet_id, source_tweet_url, requested_by, channel, PENDING, now_iso()],
        )
        return cursor.lastrowid


def finish_request(store: Store, request_id: int, header_ts: str | None = None, error: str | None = None) -> None:
    with store.transaction() as db:
        db.execute("UPDATE requests SET status = ?, error = ?, header_ts = COALESCE(?, header_ts) WHERE id = ?",
                   ["failed" if error else "done", error, header_ts, request_id])


def attach_header(store: Store, request_id: int, header_ts: str) -> None:
    """The song's header is in Slack: from now on its thread is where the candidates go, and a scan that restarts
    after a crash does not post the song again."""
    with store.transaction() as db:
        db.execute("UPDATE requests SET header_ts = ? WHERE id = ?", [header_ts, request_id])


def add_candidates(store: Store, request_id: int, candidates: Sequence[tuple[str, float, dict]],
                   first_rank: int = 1) -> list[int]:
    """Store (text, score, details) tuples in rank order; returns their ids. Regenerated candidates continue the
    numbering of their song's thread (`first_rank`), so "Candidate 6" follows "Candidate 5"."""
    ids = []
    with store.transaction() as db:
        for rank, (text, score, details) in enumerate(candidates, start=first_rank):
            cursor = db.execute(
                "INSERT INTO candidates (request_id, rank, text, original_text, score, details, status, created_at)"
                " VALUES (?,?,?,?,?,?,?,?)",
                [request_id, rank, text, text, float(score), json.dumps(details), PENDING, now_iso()],
            )
            ids.append(cursor.lastrowid)
    return ids


def attach_message(store: Store, candidate_id: int, channel: str, ts: str) -> None:
    with store.transaction() as db:
        db.execute("UPDATE candidates SET channel = ?, message_ts = ? WHERE id = ?", [channel, ts, candidate_id])


def _query(store: Store, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Rows of a read, under the store's lock: the bot's threads share one connection, and a read that runs
    while another thread's transaction commits loses the savepoint sqlite-utils reads in."""
    with store.lock:
        return list(store.db.query(sql, params))


def get_candidate(store: Store, candidate_id: int) -> dict[str, Any] | None:
    rows = _query(store, "SELECT * FROM candidates WHERE id = ?", [candidate_id])
    return rows[0] if rows else None


def get_request(store: Store, request_id: int) -> dict[str, Any] | None:
    rows = _query(store, "SELECT * FROM requests WHERE id = ?", [request_id])
    return rows[0] if rows else None


def candidate_by_message(store: Store, channel: str, ts: str) -> dict[str, Any] | None:
    rows = _query(store, "SELECT * FROM candidates WHERE channel = ? AND message_ts = ?", [channel, ts])
    return rows[0] if rows else None


def thread_candidates(store: Store, header_ts: str) -> list[dict[str, Any]]:
    """Every candidate posted under one song header (the first request's and those Regenerate added)."""
    return _query(
        store, "SELECT c.* FROM candidates c JOIN requests r ON r.id = c.request_id WHERE r.header_ts = ?"
        " ORDER BY c.rank, c.id", [header_ts])


def _record(db: Any, candidate_id: int, user: str, action: str, via: str, before: str | None, after: str | None,
            accepted: bool, note: str | None) -> None:
    db.execute(
        "INSERT INTO decisions (candidate_id, user_id, action, via, text_before, text_after, accepted, note, at)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        [candidate_id, user, action, via, before, after, int(accepted), note, now_iso()],
    )


def decide(store: Store, candidate_id: int, user: str, action: str, via: str,
           edited_text: str | None = None) -> Decision:
    """Approve or reject a pending candidate, once. `edited_text` (from the Edit modal) replaces what is posted;
    the original stays in `original_text`."""
    status = DECISIONS[action]
    with store.transaction() as db:
        row = get_candidate(store, candidate_id)
        if row is None:
            return Decision(False, {}, "that candidate no longer exists")
        text = edited_text if edited_text is not None else row["text"]
        changed = db.execute(
            "UPDATE candidates SET status = ?, text = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = ?",
            [status, text, user, now_iso(), candidate_id, PENDING],
        ).rowcount
        reason = None if changed else f"already {row['status']}" + (f" by <@{row['decided_by']}>"
                                                                      if row["decided_by"] else "")
        _record(db, candidate_id, user, action if edited_text is None else f"edit+{action}", via, row["text"],
                text, bool(changed), reason)
        return Decision(bool(changed), get_candidate(store, candidate_id), reason)


def refuse(store: Store, candidate_id: int, user: str, action: str, via: str, note: str) -> None:
    """Record an attempt that was not allowed (e.g. not a curator), so the history shows it."""
    with store.transaction() as db:
        _record(db, candidate_id, user, action, via, None, None, False, note)


def first_time(store: Store, key: str) -> bool:
    """True the first time an event id / interaction key is seen: Slack retries are then ignored."""
    with store.transaction() as db:
        return db.execute("INSERT OR IGNORE INTO seen_events (key, at) VALUES (?, ?)", [key, now_iso()]).rowcount == 1


def history(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    return _query(
        store, "SELECT d.at, d.user_id, d.action, d.via, d.accepted, d.note, c.id AS candidate_id, c.status, c.text,"
        " r.artist, r.song FROM decisions d JOIN candidates c ON c.id = d.candidate_id"
        " JOIN requests r ON r.id = c.request_id ORDER BY d.id DESC LIMIT ?", [limit])


def stats(store: Store) -> dict[str, Any]:
    counts = {row["status"]: row["n"] for row in
              _query(store, "SELECT status, COUNT(*) AS n FROM candidates GROUP BY status")}
    decided = sum(counts.get(s, 0) for s in (APPROVED, REJECTED, POSTING, POSTED, FAILED, NEEDS_REVIEW))
    approved = decided - counts.get(REJECTED, 0)
    requests = _query(store, "SELECT COUNT(*) AS n FROM requests")[0]["n"]
    return {"requests": requests, "candidates": sum(counts.values()), "by_status": counts,
            "decided": decided, "approval_rate": round(approved / decided, 4) if decided else None}


# -- posting: approved -> posting -> posted | failed | needs_review, each step a conditional update ---------------


def approved_queue(store: Store) -> list[dict[str, Any]]:
    """Approved candidates in queue order: first approved, first out."""
    return _query(store, "SELECT * FROM candidates WHERE status = ? ORDER BY decided_at, id", [APPROVED])


def plan(store: Store, planned: dict[int, str]) -> list[int]:
    """Set the planned posting time of approved candidates; returns the ids whose time changed."""
    changed = []
    with store.transaction() as db:
        for candidate_id, when in planned.items():
            if db.execute("UPDATE candidates SET planned_for = ? WHERE id = ? AND status = ? AND planned_for IS NOT ?",
                          [when, candidate_id, APPROVED, when]).rowcount:
                changed.append(candidate_id)
    return changed


def claim_for_posting(store: Store, candidate_id: int, owner: str, at: str,
                      by_user: str | None = None) -> dict[str, Any] | None:
    """approved -> posting, once: the one caller that gets the row back may post it; everyone else gets None.
    `by_user` (a curator's "post now") is recorded in the decision history, taken or not."""
    with store.transaction() as db:
        taken = db.execute(
            "UPDATE candidates SET status = ?, claimed_by = ?, claimed_at = ?, post_attempts = post_attempts + 1,"
            " error = NULL WHERE id = ? AND status = ?", [POSTING, owner, at, candidate_id, APPROVED]).rowcount
        row = get_candidate(store, candidate_id)
        if by_user is not None and row is not None:
            _record(db, candidate_id, by_user, "post_now", "button", None, None, bool(taken),
                    None if taken else f"already {row['status']}")
    return row if taken else None


def mark_posted(store: Store, candidate_id: int, owner: str, tweet_id: str, at: str) -> bool:
    """Record the tweet X accepted. Also from needs_review: a claim flagged while its post was still on the way
    did go out, and the record should say so."""
    with store.transaction() as db:
        return db.execute(
            "UPDATE candidates SET status = ?, posted_tweet_id = ?, posted_at = ?, error = NULL"
            " WHERE id = ? AND status IN (?, ?) AND claimed_by IS ?",
            [POSTED, tweet_id, at, candidate_id, POSTING, NEEDS_REVIEW, owner]).rowcount == 1


def mark_failed(store: Store, candidate_id: int, owner: str, reason: str) -> bool:
    """posting -> failed: X refused the post, so it did not go out."""
    return _settle_claim(store, candidate_id, owner, FAILED, reason)


def flag_needs_review(store: Store, candidate_id: int, owner: str, reason: str) -> bool:
    """posting -> needs_review: the post may or may not be on X, and only a person can tell."""
    return _settle_claim(store, candidate_id, owner, NEEDS_REVIEW, reason)


def reschedule(store: Store, candidate_id: int, owner: str, reason: str) -> bool:
    """posting -> approved, back in the queue for a new slot: X did not take the post and said to come back."""
    with store.transaction() as db:
        return db.execute(
            "UPDATE candidates SET status = ?, claimed_by = NULL, claimed_at = NULL, planned_for = NULL, error = ?"
            " WHERE id = ? AND status = ? AND claimed_by IS ?",
            [APPROVED, reason, candidate_id, POSTING, owner]).rowcount == 1


def _settle_claim(store: Store, candidate_id: int, owner: str, status: str, reason: str) -> bool:
    with store.transaction() as db:
        return db.execute("UPDATE candidates SET status = ?, error = ? WHERE id = ? AND status = ? AND claimed_by IS ?",
                          [status, reason, candidate_id, POSTING, owner]).rowcount == 1


def confirm_posted(store: Store, candidate_id: int, user: str, tweet_id: str, via: str) -> Decision:
    """needs_review -> posted, once: a person found the post on X. It counts as sent when it was claimed, which
    is when it went out as far as anyone knows; the person and the tweet id are recorded."""
    return _settle_review(store, candidate_id, user, "confirm_posted", via, tweet_id,
                          "UPDATE candidates SET status = ?, posted_tweet_id = ?, posted_at = COALESCE(claimed_at, ?),"
                          " error = NULL WHERE id = ? AND status = ?",
                          [POSTED, tweet_id, now_iso(), candidate_id, NEEDS_REVIEW])


def requeue(store: Store, candidate_id: int, user: str, via: str) -> Decision:
    """needs_review -> approved, once: a person checked X and the post is not there, so it waits for a new slot.
    Never called by the posting job: only a person can tell that a post whose fate was unknown did not go out."""
    return _settle_review(store, candidate_id, user, "requeue", via, None,
                          "UPDATE candidates SET status = ?, claimed_by = NULL, claimed_at = NULL, planned_for = NULL,"
                          " error = NULL WHERE id = ? AND status = ?", [APPROVED, candidate_id, NEEDS_REVIEW])


def _settle_review(store: Store, candidate_id: int, user: str, action: str, via: str, note: str | None, sql: str,
                   params: Sequence[Any]) -> Decision:
    with store.transaction() as db:
        row = get_candidate(store, candidate_id)
        if row is None:
            return Decision(False, {}, "that candidate no longer exists")
        changed = db.execute(sql, params).rowcount
        reason = None if changed else f"already {row['status']}, not waiting for a person to check it"
        _record(db, candidate_id, user, action, via, None, None, bool(changed), note if changed else reason)
        return Decision(bool(changed), get_candidate(store, candidate_id), reason)


def claims_of_others(store: Store, owner: str) -> list[dict[str, Any]]:
    """Candidates still claimed for posting by another process than `owner`."""
    return _query(store, "SELECT * FROM candidates WHERE status = ? AND claimed_by IS NOT ? ORDER BY id",
                  [POSTING, owner])


def posts_since(store: Store, since: str) -> list[dict[str, Any]]:
    """Candidates posted, being posted or perhaps posted (needs_review) since `since`: what the schedule spaces
    new posts from."""
    return _query(store, "SELECT * FROM candidates WHERE status IN (?, ?, ?) AND COALESCE(posted_at, claimed_at) >= ?"
                  " ORDER BY id", [POSTED, POSTING, NEEDS_REVIEW, since])
