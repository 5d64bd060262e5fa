"""The posting job: approved candidates get a slot on the schedule, and due ones are posted to X exactly once.

A candidate is claimed (approved -> posting) before X is asked, and marked posted with the tweet id only after X
accepts. A process that dies in between leaves the claim behind; the next run flags it for a person instead of
posting again, because only a person can see whether the tweet went out (and settles it: curation.confirm_posted
with the tweet found, or curation.requeue). One posting process per database.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from deephype import curation
from deephype.candidate_filters import hashtag_suffix
from deephype.config import Settings
from deephype.cursors import POSTING_PAUSE, read_cursor, write_cursor
from deephype.errors import DeephypeError
from deephype.post_safety import post_problem
from deephype.schedule import Schedule
from deephype.store import Store
from deephype.twitter_errors import (
    DuplicatePost,
    RateLimited,
    XAuthError,
    XError,
    XRejected,
    XUnavailable,
)

log = logging.getLogger(__name__)

RECENT = timedelta(days=2)  # posts older than this no longer bear on today's count or the spacing
RATE_LIMIT_WAIT = timedelta(minutes=15)  # X's rate-limit window, when a 429 does not say when it resets
CHECK_ACCOUNT = "check the account on X, then mark it posted or queue it again"

_OWNERS: dict[int, str] = {}


def process_owner() -> str:
    """This process's name on its claims: host, pid and a random part (a new process never reuses a name, even
    with a recycled pid); worked out per pid, so a forked child gets its own."""
    pid = os.getpid()
    return _OWNERS.setdefault(pid, f"{socket.gethostname()}:{pid}:{uuid.uuid4().hex[:8]}")


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Sender(Protocol):
    """What posting needs of X: XClient.post."""

    def post(self, text: str, source_tweet_id: str | None, mode: str) -> str: ...


class PostingEvents(Protocol):
    """Told about every candidate whose plan or status the job changed (the bot updates its Slack message)."""

    def changed(self, candidate: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class PostOutcome:
    candidate_id: int
    status: str  # posted, failed, needs_review, approved (back in the queue) or "not claimed"
    tweet_id: str | None = None
    reason: str | None = None


NOT_CLAIMED = "not claimed"


@dataclass
class PostingReport:
    flagged: list[int] = field(default_factory=list)  # claims left by a process that stopped mid-post
    planned: dict[int, datetime] = field(default_factory=dict)  # queue after the run: candidate -> slot
    outcomes: list[PostOutcome] = field(default_factory=list)
    paused_until: datetime | None = None


class Poster:
    """Plans and posts. `clock` and `sleep` are the real ones except in tests."""

    def __init__(self, store: Store, x: Sender, settings: Settings, events: PostingEvents | None = None,
                 clock: Callable[[], datetime] = utc_now, sleep: Callable[[float], None] = time.sleep) -> None:
        self.store, self.x, self.events, self.clock, self.sleep = store, x, events, clock, sleep
        self.config = settings.schedule
        self.schedule = Schedule.from_config(settings.schedule)
        self.post_mode = settings.x.post_mode
        self.safety = settings.x
        self.suffix = hashtag_suffix(settings.generation.hashtag)
        self.owner = process_owner()
        # How late a run may come to a slot and still count as on time; later (the bot was down) means post now
        # and space the rest from now.
        self.lag = timedelta(seconds=2 * settings.schedule.posting_interval_seconds)

    def run(self, stop: Any | None = None) -> PostingReport:
        """One run of the job: flag abandoned claims, plan the queue, post what is due in queue order. `stop`
        (a threading.Event) ends the run between two posts, never in the middle of one."""
        report = PostingReport(flagged=self.recover())
        report.planned = self.plan()
        for candidate_id in due(report.planned, self.clock()):
            if stop is not None and stop.is_set():
                break
            outcome = self.post(candidate_id)
            report.outcomes.append(outcome)
            if outcome.status == curation.APPROVED:  # X said to wait: nothing else goes out now
                report.planned = self.plan()
                break
        report.paused_until = self.paused_until()
        return report

    def recover(self) -> list[int]:
        """Flag for a person every claim another process left behind; never post those again by ourselves."""
        flagged = []
        for row in curation.claims_of_others(self.store, self.owner):
            reason = (f"the bot stopped while posting this (claimed {row['claimed_at'] or 'at an unknown time'}), "
                      f"so it may or may not be on X: {CHECK_ACCOUNT}")
            if curation.flag_needs_review(self.store, row["id"], row["claimed_by"], reason):
                log.warning("candidate %s was left mid-post by %s: flagged for a person", row["id"], row["claimed_by"])
                flagged.append(row["id"])
                self._tell(row["id"])
        return flagged

    def plan(self) -> dict[int, datetime]:
        """Give every approved candidate its slot, in queue order; returns candidate id -> slot."""
        queue = curation.approved_queue(self.store)
        now = self.clock()
        earliest = max(now, self.paused_until() or now)
        head = parse_time(queue[0]["planned_for"]) if queue and queue[0]["planned_for"] else None
        if head is not None and now - self.lag <= head <= earliest:
            earliest = head  # its slot has just come: keep it, so the job's lag does not shift the whole queue
        slots = self.schedule.plan(len(queue), earliest, self.taken(now))
        planned = {row["id"]: slot for row, slot in zip(queue, slots, strict=True)}
        for candidate_id in curation.plan(self.store, {i: iso(s) for i, s in planned.items()}):
            self._tell(candidate_id)
        return planned

    def taken(self, now: datetime) -> list[datetime]:
        """When recent posts went out: a scheduled post counts at its slot (so a few seconds' lag does not move
        the rest of the queue), a post made early with Post now at the moment it was made."""
        times = []
        for row in curation.posts_since(self.store, iso(now - RECENT)):
            moments = [parse_time(v) for v in (row["planned_for"], row["posted_at"] or row["claimed_at"]) if v]
            times.append(min(moments))
        return times

    def paused_until(self) -> datetime | None:
        value = read_cursor(self.store, POSTING_PAUSE)
        moment = parse_time(value) if value else None
        return moment if moment and moment > self.clock() else None

    def pause(self, until: datetime, why: str) -> None:
        log.warning("posting paused until %s: %s", iso(until), why)
        write_cursor(self.store, POSTING_PAUSE, iso(until))

    def post(self, candidate_id: int, by_user: str | None = None) -> PostOutcome:
        """Claim the candidate and post it now, whatever its slot (the job calls this for due ones, a curator's
        Post now for any approved one). Nothing is posted unless this call's claim succeeded."""
        row = curation.claim_for_posting(self.store, candidate_id, self.owner, iso(self.clock()), by_user)
        if row is None:
            current = curation.get_candidate(self.store, candidate_id)
            state = current["status"] if current else "gone"
            return PostOutcome(candidate_id, NOT_CLAIMED, reason=f"it is {state}, not waiting to be posted")
        try:
            outcome = self._send(row)
        except Exception as error:  # a bug or a store failure after the claim: the post's fate is unknown
            log.exception("posting candidate %s failed unexpectedly", candidate_id)
            outcome = self._flag(row, f"posting stopped on an unexpected error ({error}): {CHECK_ACCOUNT}")
        self._tell(candidate_id)
        return outcome

    def _send(self, row: dict[str, Any]) -> PostOutcome:
        """Ask X, retrying only what cannot double-post: a 5xx (X's duplicate check catches a retry of a post
        that did go out) and a request that never reached X."""
        unsafe = post_problem(row["text"], self.safety)
        if unsafe:  # an edit or an approval made before the rule changed: never sent, a person rewrites it
            return self._fail(row, f"not posted: {unsafe}")
        text, source = row["text"] + self.suffix, self._source_tweet(row)
        maybe_out: XUnavailable | None = None  # an earlier attempt X may have carried out
        attempts = 1 + self.config.post_retries
        for attempt in range(attempts):
            try:
                tweet_id = self.x.post(text, source, self.post_mode)
            except DuplicatePost as error:
                if maybe_out is not None:
                    return self._flag(row, f"X answered {maybe_out.status} and then called the retry a duplicate, "
                                           f"so it probably went out: {CHECK_ACCOUNT}")
                return self._fail(row, f"X refused it as a duplicate: the account already posted this text ({error})")
            except XUnavailable as error:
                if error.outcome_unknown and error.status is None:  # timed out or cut off mid-request
                    return self._flag(row, f"{error}; {CHECK_ACCOUNT}")
                maybe_out = error if error.outcome_unknown else maybe_out
                if attempt + 1 < attempts:
                    self.sleep(self.config.post_retry_seconds * 2 ** attempt)
                    continue
                return self._unavailable(row, error, maybe_out, attempts)
            except XError as error:
                return self._refused(row, error)
            if not curation.mark_posted(self.store, row["id"], self.owner, tweet_id, iso(self.clock())):
                log.error("candidate %s went out as tweet %s but its claim was gone", row["id"], tweet_id)
            return PostOutcome(row["id"], curation.POSTED, tweet_id)
        raise AssertionError("the loop returns on every path")

    def _unavailable(self, row: dict[str, Any], error: XUnavailable, maybe_out: XUnavailable | None,
                     attempts: int) -> PostOutcome:
        if maybe_out is not None:
            return self._flag(row, f"X answered {maybe_out.status} to {attempts} attempts, so the post may or may "
                                   f"not have gone out: {CHECK_ACCOUNT}")
        until = self.clock() + timedelta(minutes=self.config.pause_minutes)
        return self._back_in_queue(row, until, f"X could not be reached ({error}); trying again after a pause")

    def _refused(self, row: dict[str, Any], error: XError) -> PostOutcome:
        """A refusal that says X did not create the post (or, for a broken answer, that it may have)."""
        if isinstance(error, RateLimited):
            until = error.reset_at or self.clock() + RATE_LIMIT_WAIT
            return self._back_in_queue(row, until, f"X's rate limit: {error}")
        if isinstance(error, XAuthError):  # the keys, not the candidate: keep it and stop posting for a while
            log.error("X refused the bot's keys: %s", error)
            until = self.clock() + timedelta(minutes=self.config.pause_minutes)
            return self._back_in_queue(row, until, str(error))
        if isinstance(error, XRejected):
            return self._fail(row, str(error))
        return self._flag(row, str(error))  # a malformed answer to a post: outcome_unknown

    def _back_in_queue(self, row: dict[str, Any], until: datetime, reason: str) -> PostOutcome:
        self.pause(until, reason)
        curation.reschedule(self.store, row["id"], self.owner, reason)
        return PostOutcome(row["id"], curation.APPROVED, reason=reason)

    def _fail(self, row: dict[str, Any], reason: str) -> PostOutcome:
        log.warning("candidate %s failed: %s", row["id"], reason)
        curation.mark_failed(self.store, row["id"], self.owner, reason)
        return PostOutcome(row["id"], curation.FAILED, reason=reason)

    def _flag(self, row: dict[str, Any], reason: str) -> PostOutcome:
        log.warning("candidate %s needs a person: %s", row["id"], reason)
        curation.flag_needs_review(self.store, row["id"], self.owner, reason)
        return PostOutcome(row["id"], curation.NEEDS_REVIEW, reason=reason)

    def _source_tweet(self, row: dict[str, Any]) -> str | None:
        request = curation.get_request(self.store, row["request_id"])
        return request["source_tweet_id"] if request else None

    def _tell(self, candidate_id: int) -> None:
        if self.events is None:
            return
        candidate = curation.get_candidate(self.store, candidate_id)
        try:  # Slack is a view of the store: a failed update must not undo or stop the posting
            self.events.changed(candidate)
        except DeephypeError as error:
            log.warning("could not show the new state of candidate %s: %s", candidate_id, error)
        except Exception:
            log.exception("could not show the new state of candidate %s", candidate_id)


# A post's address as X and its apps share it: x.com or twitter.com (www., mobile.), an account or i/web, a
# status id, maybe a trailing path or query ("/photo/1", "?s=20").
_STATUS_LINK = re.compile(r"(?:https?://)?(?:www\.|mobile\.)?(?:x|twitter)\.com/(?:\w{1,15}|i(?:/web)?)/status(?:es)?/"
                          r"(\d{1,20})(?:[/?#]\S*)?", re.IGNORECASE)


def tweet_id_from_link(text: str) -> str | None:
    """The tweet id in a link to a post ("https://x.com/deephype/status/1790000000000000000") or a bare id; None
    for anything else, so a person who pasted the wrong thing is asked again rather than recorded."""
    text = text.strip().strip("<>")
    if re.fullmatch(r"\d{1,20}", text):
        return text
    match = _STATUS_LINK.fullmatch(text)
    return match.group(1) if match else None


def due(planned: dict[int, datetime], now: datetime) -> list[int]:
    """The planned candidates whose slot has come, in queue order."""
    return [candidate_id for candidate_id, slot in planned.items() if slot <= now]
