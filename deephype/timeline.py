"""The timeline scan: tweets on the bot's home timeline that name a song become candidates in the curation channel.

Every tweet is recorded once in the store with what became of it. The cursor only moves past a tweet once it is
done, so a restart resumes where the last scan stopped; a tweet that fails is tried again on the next few scans
(the cursor waits for it, the tweets after it go ahead), then recorded as failed and left behind.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
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
# Several arguments at once, a result or that argument's error each, in order (Services.write_many in the bot).
WriteMany = Callable[[list[str]], "list[HypeResult | Exception]"]
Publish = Callable[[Tweet, "HypeResult"], int]  # candidates -> the curation channel; returns the request id


Prepared = dict[str, "HypeResult | Exception"]  # tweet id -> what writing its song gave


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
    """Reads new tweets and writes about their songs; `attempts` is how many scans try a failing tweet.

    Tweets are handled in chunks of `batch`: the songs of a chunk that will need writing are written first in one
    batch (`write_many`; default: `write` on each), then each tweet of the chunk is handled in order with its
    prepared result. Preparing touches no tweet's state, so a stop mid-chunk simply drops what was not reached."""

    def __init__(self, store: Store, x: Timeline, write: Write, publish: Publish, max_tweets: int,
                 attempts: int, batch: int = 1, write_many: WriteMany | None = None) -> None:
        self.store, self.x, self.publish = store, x, publish
        self.max_tweets, self.attempts, self.batch = max_tweets, max(1, attempts), max(1, batch)
        self.write_many = write_many or one_by_one(write)

    def scan(self, stop: Any | None = None) -> ScanReport:
        """One scan. X errors reading the timeline propagate (nothing was done, the cursor stays); an error on
        one tweet is recorded against it and the scan goes on. `stop` (a threading.Event) ends the scan
        between two tweets, with the cursor after the last one done."""
        cursor = read_cursor(self.store, TIMELINE)
        me_id, _ = self.x.me()
        tweets = self.x.home_timeline(cursor, self.max_tweets)
        report = ScanReport(cursor, cursor, fetched=len(tweets))
        for start in range(0, len(tweets), self.batch):
            chunk = tweets[start:start + self.batch]
            if _stopping(stop, report) or not self._scan_chunk(chunk, me_id, report, stop):
                break
        log.info("timeline scan: %s", report.describe())
        return report

    def _scan_chunk(self, chunk: Sequence[Tweet], me_id: str, report: ScanReport, stop: Any | None) -> bool:
        """Write the chunk's songs in one batch, then handle its tweets in order; False when asked to stop. The
        first tweet is in hand once the batch is written (a stop was checked before it), as a tweet being
        written was before batches: it is finished, the ones after it wait for the next scan."""
        prepared = self._prepare(chunk, me_id)
        for position, tweet in enumerate(chunk):
            if position and _stopping(stop, report):
                return False
            outcome = self.handle(tweet, me_id, prepared)
            report.outcomes[outcome] += 1
            if outcome == RETRY and report.held_at is None:
                report.held_at = tweet.id
            if report.held_at is None:
                write_cursor(self.store, TIMELINE, tweet.id)
                report.cursor_after = tweet.id
        return True

    def handle(self, tweet: Tweet, me_id: str, prepared: Prepared | None = None) -> str:
        """What became of one tweet: SEEN when an earlier scan finished it, else its new status. `prepared` holds
        results written ahead for tweet ids (an exception is handled as if writing had raised it); a tweet
        without one is written on its own."""
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
        argument = song_argument(ref)
        result = prepared[tweet.id] if prepared and tweet.id in prepared else self._write([argument])[0]
        if isinstance(result, Exception):
            return self._failed(tweet, argument, attempt, result)
        try:
            if not result.candidates:
                return self._finish(tweet, NO_CANDIDATES, error="; ".join(result.notes) or None)
            return self._finish(tweet, WRITTEN, request_id=self.publish(tweet, result))
        except Exception as error:  # one bad tweet never stops the rest; it is recorded with its error
            return self._failed(tweet, argument, attempt, error)

    def _failed(self, tweet: Tweet, argument: str, attempt: int, error: Exception) -> str:
        """Record a failed attempt: RETRY on a later scan, or FAILED once the attempts are used up."""
        log.warning("tweet %s (%s) failed on attempt %d of %d: %s", tweet.id, argument, attempt, self.attempts,
                    error, exc_info=None if isinstance(error, DeephypeError) else error)
        status = FAILED if attempt >= self.attempts else RETRY
        return self._finish(tweet, status, error=f"{type(error).__name__}: {error}")

    def _prepare(self, chunk: Sequence[Tweet], me_id: str) -> Prepared:
        """Results for the tweets of `chunk` that `handle` will write about, written in one batch, by tweet id."""
        wanted = {}
        for tweet in chunk:
            ref = self._song_to_write(tweet, me_id)
            if ref is not None:
                wanted[tweet.id] = song_argument(ref)
        return dict(zip(wanted, self._write(list(wanted.values())), strict=True)) if wanted else {}

    def _song_to_write(self, tweet: Tweet, me_id: str) -> SongRef | None:
        """The song `handle` would write about for this tweet, read without changing its state."""
        if tweet.author_id == me_id:
            return None
        with self.store.lock:
            row = self.store.db.execute("SELECT status FROM tweets WHERE id = ?", [tweet.id]).fetchone()
        if row is not None and row[0] in FINAL:
            return None
        ref = detect_song(tweet.text)
        return ref if ref is not None and self._written_before(tweet) is None else None

    def _write(self, arguments: list[str]) -> list[HypeResult | Exception]:
        """One result per argument; when the whole batch fails, its error is each argument's result."""
        try:
            return self.write_many(arguments)
        except Exception as error:  # recorded against each tweet of the batch by `handle`
            return [error] * len(arguments)

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


def one_by_one(write: Write) -> WriteMany:
    """A WriteMany that writes each argument on its own, keeping an argument's error as its result."""
    def write_many(arguments: list[str]) -> list[HypeResult | Exception]:
        results: list[HypeResult | Exception] = []
        for argument in arguments:
            try:
                results.append(write(argument))
            except Exception as error:  # handled against its own tweet
                results.append(error)
        return results

    return write_many


def _stopping(stop: Any | None, report: ScanReport) -> bool:
    """True (and the report says so) when the scan was asked to stop."""
    if stop is not None and stop.is_set():
        report.stopped = True
    return report.stopped


def _columns(tweet: Tweet) -> list[str | None]:
    return [tweet.id, tweet.author_username or tweet.author_id, tweet.text, tweet.created_at]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
