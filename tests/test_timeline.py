"""The timeline scan with the real X client against the X stand-in and a real store: own and seen tweets skipped,
songs written about once, the cursor across restarts, failing tweets retried a few times and then left behind; a
chunk's songs written in one batch, a bad one failing alone, a stop mid-chunk leaving the rest untouched."""

from __future__ import annotations

import threading

import pytest

from deephype import curation
from deephype.config import XConfig
from deephype.cursors import TIMELINE, read_cursor
from deephype.errors import DeephypeError, ModelError, ServiceError
from deephype.generate import Candidate
from deephype.hype import HypeResult
from deephype.songs import SongRef
from deephype.standins.x import TIMELINE as TIMELINE_ROUTE
from deephype.standins.x import Fault, XStandIn
from deephype.store import Store
from deephype.timeline import Scanner, song_argument
from deephype.twitter import CREDENTIAL_VARIABLES, XClient, XCredentials
from deephype.twitter_errors import XUnavailable

SONGS = ['NEW MUSIC: M83 – "Midnight City" https://t.co/a', 'Bon Iver – "Holocene", on repeat',
         'Caribou – "Can\'t Do Without You" https://t.co/b']
CHATTER = ["Tickets for the European tour go on sale Friday.", "What's the best album opener of all time?"]


class Writer:
    """Stands in for the generator (tests of generation itself live in test_generate): records what it was asked
    and fails for the songs it is told to."""

    def __init__(self, failing: tuple[str, ...] = (), empty: tuple[str, ...] = (), broken: bool = False) -> None:
        self.asked: list[str] = []
        self.batches: list[list[str]] = []  # what each call of `many` asked for
        self.failing, self.empty, self.broken = failing, empty, broken

    def __call__(self, argument: str) -> HypeResult:
        self.asked.append(argument)
        artist, song = argument.split(" - ", 1)
        if artist in self.failing:
            raise ServiceError(f"Slack is down while writing about {artist}")
        candidates = [] if artist in self.empty else [Candidate(f"{song} glows.", 1.0, {})]
        return HypeResult(artist, song, ("indie",), "cache", candidates, ["all samples filtered"] if not candidates
                          else [])

    def many(self, arguments: list[str]) -> list[HypeResult | DeephypeError]:
        """Services.write_many's shape: one result or error per argument; `broken` fails the whole batch."""
        self.batches.append(list(arguments))
        if self.broken:
            raise ModelError("the model bundle could not be read")
        results: list[HypeResult | DeephypeError] = []
        for argument in arguments:
            try:
                results.append(self(argument))
            except DeephypeError as error:
                results.append(error)
        return results


class Channel:
    """Stands in for the curation channel: records each song the way bot.publish does (a request with the source
    tweet and a header ts)."""

    def __init__(self, store: Store) -> None:
        self.store, self.posted = store, []

    def __call__(self, tweet, result: HypeResult) -> int:
        request = curation.create_request(self.store, "timeline", result.artist, result.song, result.genres,
                                          result.genre_source, source_tweet_id=tweet.id, source_tweet_url=tweet.url)
        curation.finish_request(self.store, request, header_ts=f"1700000000.{request:06d}")
        self.posted.append(tweet.id)
        return request


@pytest.fixture
def x():
    with XStandIn() as standin:
        yield standin


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "state.db"


def x_client(standin: XStandIn, page_size: int = 100) -> XClient:
    env = standin.environment()
    config = XConfig(api_base=standin.base_url, read_timeout=1.0, retry_backoff=0.01, max_retries=1,
                     timeline_page_size=page_size)
    return XClient(config, XCredentials(*(env[name] for name in CREDENTIAL_VARIABLES)))


def scanner(store, x, writer=None, max_tweets=200, attempts=3, page_size=100,
            batch=None) -> tuple[Scanner, Writer, Channel]:
    """A scanner writing one song at a time (batch None, as `write` alone gives) or in batches through
    `Writer.many`, as the bot does."""
    writer, channel = writer or Writer(), Channel(store)
    batching = {} if batch is None else {"batch": batch, "write_many": writer.many}
    return Scanner(store, x_client(x, page_size), writer, channel, max_tweets, attempts, **batching), writer, channel


def statuses(store) -> dict[str, str]:
    return {row["text"]: row["status"] for row in store.db.query("SELECT text, status FROM tweets")}


@pytest.mark.parametrize("batch", [None, 1, 2, 8])
def test_a_scan_writes_about_songs_skips_the_rest_and_moves_the_cursor(db_path, x, batch):
    ids = [x.add_tweet(text, f"feed{i}") for i, text in enumerate([SONGS[0], CHATTER[0], SONGS[1]])]
    own = x.add_tweet("Holocene thaws a frozen lake from the inside.", x.username)
    store = Store.open(db_path)
    scan, writer, channel = scanner(store, x, batch=batch)
    report = scan.scan()
    assert report.outcomes == {"written": 2, "no_song": 1, "own": 1}
    assert writer.asked == ["M83 - Midnight City", "Bon Iver - Holocene"] and channel.posted == [ids[0], ids[2]]
    assert read_cursor(store, TIMELINE) == own == report.cursor_after
    assert statuses(store)[CHATTER[0]] == "no_song"
    request = curation.get_request(store, 1)
    assert (request["source_tweet_id"], request["source_tweet_url"]) == (ids[0], f"https://x.com/feed0/status/{ids[0]}")


@pytest.mark.parametrize("batch", [None, 1, 2, 8])
def test_after_a_restart_the_scan_resumes_from_its_cursor(db_path, x, batch):
    for i, text in enumerate(SONGS[:2]):
        x.add_tweet(text, f"feed{i}")
    store = Store.open(db_path)
    scanner(store, x, batch=batch)[0].scan()
    store.close()
    later = x.add_tweet(SONGS[2], "feed9")
    store = Store.open(db_path)  # a new process: nothing in memory, only the store
    scan, writer, channel = scanner(store, x, batch=batch)
    report = scan.scan()
    assert report.fetched == 1 and writer.asked == ["Caribou - Can't Do Without You"] and channel.posted == [later]
    assert x.requests_to(TIMELINE_ROUTE)[-1].query["since_id"] == report.cursor_before
    assert scan.scan().fetched == 0


def test_a_backlog_larger_than_a_scan_comes_oldest_first_none_twice_none_skipped(db_path, x):
    ids = [x.add_tweet(f"{text} #{i}", f"feed{i}") for i, text in enumerate(CHATTER * 4)]
    store = Store.open(db_path)
    # A first scan starts from now; with a cursor, the backlog is read oldest first, three at a time.
    first = x.add_tweet(SONGS[0], "feed0")
    scan, _, _ = scanner(store, x, max_tweets=3, page_size=2)
    scan.scan()
    backlog = [x.add_tweet(f"{CHATTER[1]} ({i})", "feed1") for i in range(8)]
    seen = []
    for _ in range(4):
        report = scan.scan()
        seen += [row["id"] for row in store.db.query("SELECT id FROM tweets WHERE id > ? AND id <= ? ORDER BY id",
                                                     [report.cursor_before, report.cursor_after or "0"])]
    assert read_cursor(store, TIMELINE) == backlog[-1] and seen == backlog
    # The first scan read the newest three (a first scan starts from now); the older ones were never read.
    assert store.db["tweets"].count == 3 + 8 and first not in seen
    assert not any(store.db["tweets"].count_where("id = ?", [i]) for i in ids[:-2])


@pytest.mark.parametrize("batch", [None, 1, 2, 8])
def test_a_failing_tweet_holds_the_cursor_is_retried_then_left_behind(db_path, x, batch):
    bad = x.add_tweet(SONGS[2], "feed2")
    after = x.add_tweet(SONGS[1], "feed1")
    store = Store.open(db_path)
    last = x.add_tweet(CHATTER[0], "feed0")
    store.db["cursors"].insert({"name": TIMELINE, "value": str(int(bad) - 1), "updated_at": "x"})
    scan, writer, channel = scanner(store, x, Writer(failing=("Caribou",)), attempts=3, batch=batch)
    first = scan.scan()
    assert first.outcomes == {"retry": 1, "written": 1, "no_song": 1} and first.held_at == bad
    assert read_cursor(store, TIMELINE) == str(int(bad) - 1)  # it waits for the failed one
    second = scan.scan()
    assert second.outcomes == {"retry": 1, "seen": 2}  # the others are not written about again
    third = scan.scan()
    assert third.outcomes == {"failed": 1, "seen": 2} and read_cursor(store, TIMELINE) == last
    assert writer.asked.count("Caribou - Can't Do Without You") == 3 and channel.posted == [after]
    row = store.db["tweets"].get(bad)
    assert (row["status"], row["attempts"]) == ("failed", 3) and "Slack is down" in row["error"]
    assert scan.scan().fetched == 0


def test_a_song_with_no_candidates_is_recorded_and_not_posted(db_path, x):
    x.add_tweet(SONGS[1], "feed1")
    store = Store.open(db_path)
    store.db["cursors"].insert({"name": TIMELINE, "value": "1", "updated_at": "x"})
    scan, _, channel = scanner(store, x, Writer(empty=("Bon Iver",)))
    assert scan.scan().outcomes == {"no_candidates": 1} and not channel.posted
    assert store.db["tweets"].rows_where("status = 'no_candidates'").__next__()["error"] == "all samples filtered"


def test_a_tweet_posted_to_slack_before_a_crash_is_not_posted_again(db_path, x):
    tweet = x.add_tweet(SONGS[0], "feed0")
    store = Store.open(db_path)
    store.db["cursors"].insert({"name": TIMELINE, "value": "1", "updated_at": "x"})
    # The crashed scan had recorded the tweet and posted its song, but not yet marked the tweet written.
    store.db["tweets"].insert({"id": tweet, "status": "processing", "attempts": 1, "text": SONGS[0]})
    request = curation.create_request(store, "timeline", "M83", "Midnight City", [], "unknown", source_tweet_id=tweet)
    curation.finish_request(store, request, header_ts="1700000000.000001")
    scan, writer, channel = scanner(store, x)
    assert scan.scan().outcomes == {"written": 1}
    assert not writer.asked and not channel.posted and store.db["tweets"].get(tweet)["request_id"] == request


def test_a_stop_request_ends_the_scan_between_tweets(db_path, x):
    ids = [x.add_tweet(text, "feed") for text in SONGS]
    store = Store.open(db_path)
    store.db["cursors"].insert({"name": TIMELINE, "value": "1", "updated_at": "x"})
    stop = threading.Event()

    class StoppingWriter(Writer):
        def __call__(self, argument):
            stop.set()  # shutdown arrives while the first song is being written
            return super().__call__(argument)

    scan, _, _ = scanner(store, x, StoppingWriter())
    report = scan.scan(stop)
    assert report.stopped and report.outcomes == {"written": 1} and read_cursor(store, TIMELINE) == ids[0]
    assert scan.scan().outcomes == {"written": 2}


def start_after_cursor(store) -> None:
    store.db["cursors"].insert({"name": TIMELINE, "value": "1", "updated_at": "x"})


def test_a_chunk_writes_only_its_tweets_that_need_writing_in_one_batch(db_path, x):
    store = Store.open(db_path)
    start_after_cursor(store)
    ids = [x.add_tweet(text, "feed") for text in [SONGS[0], CHATTER[0], SONGS[1], SONGS[2], CHATTER[1]]]
    own = x.add_tweet('My own take on Bon Iver – "Holocene"', x.username)
    store.db["tweets"].insert({"id": ids[2], "status": "failed", "attempts": 3, "text": SONGS[1]})  # left behind
    scan, writer, channel = scanner(store, x, batch=3)
    report = scan.scan()
    # Chunks [song, chatter, failed song] and [song, chatter, own]: chatter, final and own tweets are not written.
    assert writer.batches == [["M83 - Midnight City"], ["Caribou - Can't Do Without You"]]
    assert report.outcomes == {"written": 2, "no_song": 2, "seen": 1, "own": 1} and report.cursor_after == own
    assert channel.posted == [ids[0], ids[3]]


def test_a_bad_tweet_in_a_chunk_fails_alone_and_is_retried(db_path, x):
    store = Store.open(db_path)
    start_after_cursor(store)
    ids = [x.add_tweet(text, "feed") for text in SONGS]
    writer = Writer(failing=("Bon Iver",))
    scan, _, channel = scanner(store, x, writer, attempts=2, batch=8)
    first = scan.scan()
    assert writer.batches == [[song_argument_of(text) for text in SONGS]]
    assert first.outcomes == {"written": 2, "retry": 1} and first.held_at == ids[1]
    assert channel.posted == [ids[0], ids[2]] and read_cursor(store, TIMELINE) == ids[0]
    assert "ServiceError: Slack is down while writing about Bon Iver" in store.db["tweets"].get(ids[1])["error"]
    second = scan.scan()  # only the failing one is written again, alone
    assert writer.batches[1:] == [["Bon Iver - Holocene"]]
    assert second.outcomes == {"failed": 1, "seen": 1} and read_cursor(store, TIMELINE) == ids[2]


def test_a_batch_that_fails_whole_is_recorded_against_each_of_its_tweets(db_path, x):
    store = Store.open(db_path)
    start_after_cursor(store)
    ids = [x.add_tweet(text, "feed") for text in [SONGS[0], CHATTER[0], SONGS[1]]]
    writer = Writer(broken=True)
    scan, _, channel = scanner(store, x, writer, attempts=3, batch=4)
    report = scan.scan()
    assert report.outcomes == {"retry": 2, "no_song": 1} and report.held_at == ids[0] and not channel.posted
    assert read_cursor(store, TIMELINE) == "1"
    rows = {row["id"]: row for row in store.db.query("SELECT id, status, attempts, error FROM tweets")}
    assert {rows[i]["status"] for i in (ids[0], ids[2])} == {"retry"}
    assert all("ModelError: the model bundle could not be read" in rows[i]["error"] for i in (ids[0], ids[2]))
    writer.broken = False
    assert scan.scan().outcomes == {"written": 2, "seen": 1} and channel.posted == [ids[0], ids[2]]
    assert read_cursor(store, TIMELINE) == ids[2]


def song_argument_of(text: str) -> str:
    from deephype.songs import detect_song

    return song_argument(detect_song(text))


@pytest.mark.parametrize("stop_while", ["publishing", "writing"])
def test_a_stop_mid_chunk_leaves_the_unreached_tweets_untouched_for_the_next_scan(db_path, x, stop_while):
    store = Store.open(db_path)
    start_after_cursor(store)
    ids = [x.add_tweet(text, "feed") for text in SONGS]
    stop = threading.Event()
    scan, writer, channel = scanner(store, x, batch=8)
    if stop_while == "publishing":  # shutdown arrives while the first song goes to Slack
        publish = scan.publish
        scan.publish = lambda tweet, result: (stop.set(), publish(tweet, result))[1]
    else:  # ... or while the chunk is being written: the first tweet is in hand, the rest wait
        many = scan.write_many
        scan.write_many = lambda arguments: (stop.set(), many(arguments))[1]
    report = scan.scan(stop)
    assert report.stopped and report.outcomes == {"written": 1} and read_cursor(store, TIMELINE) == ids[0]
    assert len(writer.batches[0]) == 3 and channel.posted == [ids[0]]
    assert [row["id"] for row in store.db.query("SELECT id FROM tweets")] == [ids[0]]  # the others untouched
    again = scanner(store, x, writer, batch=8)[0].scan()
    assert again.outcomes == {"written": 2} and writer.batches[-1] == [song_argument_of(t) for t in SONGS[1:]]
    assert read_cursor(store, TIMELINE) == ids[2]
    assert [row["attempts"] for row in store.db.query("SELECT attempts FROM tweets ORDER BY id")] == [1, 1, 1]


def test_x_failing_to_read_the_timeline_leaves_the_cursor(db_path, x):
    x.add_tweet(SONGS[0], "feed0")
    store = Store.open(db_path)
    x.inject(TIMELINE_ROUTE, Fault.error(503), Fault.error(503))
    scan, writer, _ = scanner(store, x)
    with pytest.raises(XUnavailable):
        scan.scan()
    assert read_cursor(store, TIMELINE) is None and not writer.asked and store.db["tweets"].count == 0


@pytest.mark.parametrize(("ref", "argument"), [
    (SongRef("Bicep", "Opal", (), "Four Tet Remix"), "Bicep - Opal (Four Tet Remix)"),
    (SongRef("Disclosure", "Latch", ("Sam Smith",)), "Disclosure - Latch (feat. Sam Smith)"),
    (SongRef("M83", "Midnight City"), "M83 - Midnight City"),
])
def test_song_argument(ref, argument):
    assert song_argument(ref) == argument
