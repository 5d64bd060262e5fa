"""The timeline scan: tweets on the bot's home timeline that name a song become candidates in the curation channel.

Every tweet is recorded once in the store with what became of it. The cursor only moves past a tweet once it is
done, so a restart resumes where the last scan stopped; a tweet that fails is tried again on the next few scans
(the cursor waits for it, the tweets after it go ahead), then recorded as failed and left behind.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from deephype.cursors import TIMELINE, read_cursor, write_cursor
from deephype.errors import DeephypeError
from deephype.songs import SongRef, detect_song
from deephype.store import Store
from deephype.twitter import Tweet

if TYPE_CHECKING:  # generation pulls in torch; the scan itself does not need it
    from deephype.hype import HypeResult

log = logging.getLogger(__name__)

# What became of a tweet. The first five are final; "retry" and "processing" (a scan stopped mid-tweet) are not.
OWN, NO_SONG, NO_CANDIDATES, WRITTEN, FAILED = "own", "no_song", "no_candidates", "written", "failed"
RETRY, PROCESSING = "retry", "processing"
SEEN = "seen"  # not stored: a scan's count of tweets already done by an earlier scan
FINAL = (OWN, NO_SONG, NO_CANDIDATES, WRITTEN, FAILED)

Write = Callable[[str], "HypeResult"]  # "Artist - Title" -> ranked candidates (Services.write in the bot)
Publish = Callable[[Tweet, "HypeResult"], int]  # candidates -> the curation channel; returns the request id


class Timeline(Protocol):
    """What the scan needs of X: XClient.me and XClient.home_timeline."""

    def me(self) -> tuple[str, str]: ...

    def home_timeline(self, since_id: str | None, max_tweets: int) -> list[Tweet]: ...


@dataclass
class ScanReport:
    cursor_before: str | None
    cursor_after: str | None
    fetched: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)  # status -> tweets, SEEN included
    held_at: str | None = None  # the tweet the cursor waits at, to try it again next scan
    stopped: bool = False  # the scan was asked to stop before it got through the tweets

    def describe(self) -> str:
        counts = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in sorted(self.outcomes.items()))
        held = f"; cursor waits at tweet {self.held_at} to try it again" if self.held_at else ""
        return f"{self.fetched} new tweets ({counts or 'none'}){held}{'; stopped early' if self.stopped else ''}"


def song_argument(ref: SongRef) -> str:
    """The song as a /hype argument ("Bicep - Opal (Four Tet Remix) (feat. X)"): the tweet's noise left out."""
    version = f" ({ref.version})" if ref.version else ""
    featuring = f" (feat. {', '.join(ref.featuring)})" if ref.featuring else ""
    return f"{ref.artist} - {ref.song}{version}{featuring}"


class Scanner:
    """Reads new tweets and writes about their songs; `attempts` is how many scans try a failing tweet."""

    def __init__(self, store: Store, x: Timeline, write: Write, publish: Publish, max_tweets: int,
                 attempts: int) -> None:
        self.store, self.x, self.write, self.publish = store, x, write, publish
        self.max_tweets, self.attempts = max_tweets, max(1, attempts)

    def scan(self, stop: Any | None = None) -> ScanReport:
        """One scan. X errors reading the timeline propagate (nothing was done, the cursor stays); an error on
        one tweet is recorded against it and the scan goes on. `stop` (a threading.Event) ends the scan
        between two tweets, with the cursor after the last one done."""
        cursor = read_cursor(self.store, TIMELINE)
        me_id, _ = self.x.me()
        tweets = self.x.home_timeline(cursor, self.max_tweets)
        report = ScanReport(cursor, cursor, fetched=len(tweets))
        for tweet in tweets:
            if stop is not None and stop.is_set():
                report.stopped = True
                break
            outcome = self.handle(tweet, me_id)
            report.outcomes[outcome] += 1
            if outcome == RETRY and report.held_at is None:
                report.held_at = tweet.id
            if report.held_at is None:
                write_cursor(self.store, TIMELINE, tweet.id)
                report.cursor_after = tweet.id
        log.info("timeline scan: %s", report.describe())
        return report

    def handle(self, tweet: Tweet, me_id: str) -> str:
        """What became of one tweet: SEEN when an earlier scan finished it, else its new status."""
        if tweet.author_id == me_id:
            return OWN if self._record_own(tweet) else SEEN
        attempt = self._begin(tweet)
        if attempt is None:
            return SEEN
        ref = detect_song(tweet.text)
        if ref is None:
            return self._finish(tweet, NO_SONG)
        request_id = self._written_before(tweet)
        if request_id is not None:  # a scan stopped after posting it to Slack: do not post it twice
            return self._finish(tweet, WRITTEN, request_id=request_id)
        try:
            result = self.write(song_argument(ref))
            if not result.candidates:
                return self._finish(tweet, NO_CANDIDATES, error="; ".join(result.notes) or None)
            return self._finish(tweet, WRITTEN, request_id=self.publish(tweet, result))
        except Exception as error:  # one bad tweet never stops the rest; it is recorded with its error
            final = attempt >= self.attempts
            log.warning("tweet %s (%s) failed on attempt %d of %d: %s", tweet.id, song_argument(ref), attempt,
                        self.attempts, error, exc_info=not isinstance(error, DeephypeError))
            return self._finish(tweet, FAILED if final else RETRY, error=f"{type(error).__name__}: {error}")

    def _record_own(self, tweet: Tweet) -> bool:
        """Record one of the bot's own tweets; False when it already was."""
        with self.store.transaction() as db:
            return db.execute("INSERT OR IGNORE INTO tweets (id, author, text, created_at, status, processed_at)"
                              " VALUES (?, ?, ?, ?, ?, ?)", [*_columns(tweet), OWN, _now()]).rowcount == 1

    def _begin(self, tweet: Tweet) -> int | None:
        """Record the tweet, or count one more attempt at it; returns the attempt, None when it is done."""
        with self.store.transaction() as db:
            db.execute("INSERT OR IGNORE INTO tweets (id, author, text, created_at, status) VALUES (?, ?, ?, ?, ?)",
                       [*_columns(tweet), PROCESSING])
            if db.execute("SELECT status FROM tweets WHERE id = ?", [tweet.id]).fetchone()[0] in FINAL:
                return None
            db.execute("UPDATE tweets SET status = ?, attempts = attempts + 1, processed_at = ? WHERE id = ?",
                       [PROCESSING, _now(), tweet.id])
            return db.execute("SELECT attempts FROM tweets WHERE id = ?", [tweet.id]).fetchone()[0]

    def _finish(self, tweet: Tweet, status: str, error: str | None = None, request_id: int | None = None) -> str:
        with self.store.transaction() as db:
            db.execute("UPDATE tweets SET status = ?, error = ?, request_id = ?, processed_at = ? WHERE id = ?",
                       [status, error, request_id, _now(), tweet.id])
        return status

    def _written_before(self, tweet: Tweet) -> int | None:
        with self.store.lock:
            row = self.store.db.execute("SELECT id FROM requests WHERE source_tweet_id = ? AND header_ts IS NOT NULL"
                                        " ORDER BY id LIMIT 1", [tweet.id]).fetchone()
        return row[0] if row else None


def _columns(tweet: Tweet) -> list[str | None]:
    return [tweet.id, tweet.author_username or tweet.author_id, tweet.text, tweet.created_at]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
