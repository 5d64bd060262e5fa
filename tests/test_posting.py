"""The posting job with the real X client against the X stand-in and a real store: slots, queue order, exactly-once
claims, claims left by a dead process, and every X error path."""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from deephype import curation
from deephype.config import GenerationConfig, ScheduleConfig, Settings, XConfig
from deephype.posting import NOT_CLAIMED, Poster, PostOutcome, iso, tweet_id_from_link
from deephype.standins.x import TWEETS, Fault, XStandIn
from deephype.store import Store
from deephype.twitter import CREDENTIAL_VARIABLES, XClient, XCredentials

BERLIN = ZoneInfo("Europe/Berlin")
NOON = datetime(2024, 5, 2, 12, 0, tzinfo=BERLIN)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, day: int, clock: str) -> None:
        hour, minute = (int(p) for p in clock.split(":"))
        self.now = datetime(2024, 5, day, hour, minute, tzinfo=BERLIN)


class Events:
    """Records what the job says changed (the bot turns these into Slack message updates)."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, str, str | None]] = []

    def changed(self, candidate) -> None:
        self.seen.append((candidate["id"], candidate["status"], candidate["planned_for"]))


@pytest.fixture
def x():
    with XStandIn() as standin:
        yield standin


@pytest.fixture
def store(tmp_path):
    store = Store.open(tmp_path / "state.db")
    yield store
    store.close()


def x_client(standin: XStandIn | None, api_base: str | None = None, **overrides) -> XClient:
    base = api_base or standin.base_url
    env = standin.environment() if standin else dict.fromkeys(CREDENTIAL_VARIABLES, "1-key")
    config = XConfig(api_base=base, read_timeout=0.3, connect_timeout=0.3, **overrides)
    return XClient(config, XCredentials(*(env[name] for name in CREDENTIAL_VARIABLES)))


def settings(hashtag: str = "", post_mode: str = "quote", **schedule) -> Settings:
    config = {"posting_windows": ("09:00-22:00",), "timezone": "Europe/Berlin", "max_posts_per_day": 3,
              "min_spacing_minutes": 60, "post_retries": 2, "post_retry_seconds": 0.5, "pause_minutes": 15,
              **schedule}
    return dataclasses.replace(Settings(), schedule=ScheduleConfig(**config),
                               generation=GenerationConfig(hashtag=hashtag), x=XConfig(post_mode=post_mode))


def approve(store: Store, text: str, source_tweet_id: str | None = None) -> int:
    kind = "timeline" if source_tweet_id else "command"
    request = curation.create_request(store, kind, "M83", "Midnight City", ["synthpop"], "spotify",
                                      source_tweet_id=source_tweet_id)
    [candidate_id] = curation.add_candidates(store, request, [(text, 1.0, {})])
    assert curation.decide(store, candidate_id, "U1", "approve", "button").accepted
    return candidate_id


def make_poster(store, x, clock=None, sleep=None, client=None, **options) -> tuple[Poster, Events, list[float]]:
    events, sleeps = Events(), []
    poster = Poster(store, client or x_client(x), settings(**options), events, clock=clock or Clock(NOON),
                    sleep=sleep or sleeps.append)
    return poster, events, sleeps


def row(store, candidate_id):
    return curation.get_candidate(store, candidate_id)


def local(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(BERLIN).strftime("%d %H:%M")


# ---- the happy path, modes, the schedule -----------------------------------------------------------------------


def test_a_due_candidate_is_posted_once_as_a_quote_of_its_tweet(store, x):
    source = x.add_tweet('NEW MUSIC: M83 – "Midnight City"', "neonwave_blog")
    candidate_id = approve(store, "Midnight City is a neon rush of a chorus.", source)
    poster, events, _ = make_poster(store, x)
    report = poster.run()
    [posted] = x.posted
    assert report.outcomes == [PostOutcome(candidate_id, "posted", posted["id"])]
    assert posted["quote_tweet_id"] == source and posted["text"] == "Midnight City is a neon rush of a chorus."
    stored = row(store, candidate_id)
    assert (stored["status"], stored["posted_tweet_id"], stored["post_attempts"]) == ("posted", posted["id"], 1)
    assert [status for _, status, _ in events.seen] == ["approved", "posted"]  # planned, then posted
    assert poster.run().outcomes == [] and len(x.posted) == 1


@pytest.mark.parametrize(("mode", "with_source", "hashtag", "expected"), [
    ("quote", True, "", {"quote_tweet_id": "SOURCE", "in_reply_to_tweet_id": None, "text": "Warm folk."}),
    ("reply", True, "#deephype", {"quote_tweet_id": None, "in_reply_to_tweet_id": "SOURCE",
                                  "text": "Warm folk. #deephype"}),
    ("standalone", True, "", {"quote_tweet_id": None, "in_reply_to_tweet_id": None, "text": "Warm folk."}),
    ("quote", False, "deephype", {"quote_tweet_id": None, "in_reply_to_tweet_id": None,
                                  "text": "Warm folk. #deephype"}),  # a /hype candidate has no tweet to quote
])
def test_post_modes_and_the_hashtag(store, x, mode, with_source, hashtag, expected):
    source = x.add_tweet("Bon Iver - Holocene", "latenightdigs") if with_source else None
    approve(store, "Warm folk.", source)
    poster, _, _ = make_poster(store, x, post_mode=mode, hashtag=hashtag)
    poster.run()
    [posted] = x.posted
    assert {k: posted[k] for k in expected} == {k: source if v == "SOURCE" else v for k, v in expected.items()}


def test_outside_the_windows_a_candidate_waits_with_its_planned_time(store, x):
    clock = Clock(NOON)
    clock.set(2, "07:00")
    candidate_id = approve(store, "Dawn chorus.")
    poster, events, _ = make_poster(store, x, clock)
    assert poster.run().outcomes == [] and not x.posted
    assert local(row(store, candidate_id)["planned_for"]) == "02 09:00"
    clock.set(2, "08:30")
    poster.run()
    assert len(events.seen) == 1  # an unchanged plan is not announced again
    clock.set(2, "09:00")
    assert [o.status for o in poster.run().outcomes] == ["posted"]


def test_the_queue_goes_out_in_approval_order_with_its_spacing(store, x):
    ids = [approve(store, f"Candidate number {i}.") for i in range(3)]
    clock = Clock(NOON)
    poster, events, _ = make_poster(store, x, clock)
    report = poster.run()
    assert [o.candidate_id for o in report.outcomes] == ids[:1]
    assert [local(row(store, i)["planned_for"]) for i in ids[1:]] == ["02 13:00", "02 14:00"]
    clock.now += timedelta(hours=1, seconds=7)  # the job runs a few seconds after the slot
    assert [o.candidate_id for o in poster.run().outcomes] == ids[1:2]
    assert local(row(store, ids[2])["planned_for"]) == "02 14:00"  # the lag does not move the rest of the queue
    assert [text["text"] for text in x.posted] == ["Candidate number 0.", "Candidate number 1."]
    assert sum(1 for cid, status, _ in events.seen if cid == ids[2] and status == "approved") == 1


def test_the_daily_maximum_moves_the_rest_to_the_next_morning(store, x):
    ids = [approve(store, f"Late candidate {i}.") for i in range(3)]
    clock = Clock(NOON)
    clock.set(2, "21:00")
    poster, _, _ = make_poster(store, x, clock, max_posts_per_day=2, min_spacing_minutes=0)
    assert [o.candidate_id for o in poster.run().outcomes] == ids[:2]
    assert local(row(store, ids[2])["planned_for"]) == "03 09:00"


# ---- exactly once -------------------------------------------------------------------------------------------


def test_many_threads_posting_one_candidate_post_it_once(store, x):
    candidate_id = approve(store, "Only once, please.")
    poster, _, _ = make_poster(store, x)
    start, outcomes = threading.Barrier(8), []

    def click() -> None:
        start.wait()
        outcomes.append(poster.post(candidate_id))

    threads = [threading.Thread(target=click) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o.status for o in outcomes) == ["not claimed"] * 7 + ["posted"]
    assert len(x.posted) == 1 and len(x.requests_to(TWEETS)) == 1


@pytest.mark.parametrize("went_out", [False, True])
def test_a_claim_left_by_a_dead_process_is_flagged_and_never_posted_again(store, x, went_out):
    candidate_id = approve(store, "Caught mid-post.")
    assert curation.claim_for_posting(store, candidate_id, "other-host:4242:deadbeef", "2024-05-02T09:59:00+00:00")
    if went_out:  # the dead process got as far as X accepting the post
        x.world.add_tweet("Caught mid-post.", x.username)
    poster, events, _ = make_poster(store, x)
    report = poster.run()
    assert report.flagged == [candidate_id] and report.outcomes == []
    stored = row(store, candidate_id)
    assert stored["status"] == "needs_review" and "may or may not be on X" in stored["error"]
    assert events.seen == [(candidate_id, "needs_review", None)]
    assert poster.run().flagged == [] and not x.requests_to(TWEETS)


def test_a_flagged_candidate_goes_out_again_only_after_a_person_queues_it(store, x):
    candidate_id = approve(store, "Caught mid-post, then missing.")
    assert curation.claim_for_posting(store, candidate_id, "other-host:4242:deadbeef", iso(NOON - timedelta(hours=1)))
    poster, _, _ = make_poster(store, x)
    assert poster.run().flagged == [candidate_id]
    assert poster.run().outcomes == [] and not x.requests_to(TWEETS)  # never retried on its own
    assert curation.requeue(store, candidate_id, "U2", "button").accepted
    assert [o.status for o in poster.run().outcomes] == ["posted"]
    assert [p["text"] for p in x.posted] == ["Caught mid-post, then missing."]
    assert row(store, candidate_id)["post_attempts"] == 2


def test_a_post_a_person_found_on_x_is_not_sent_and_keeps_the_spacing(store, x):
    flagged_id = approve(store, "Went out after all.")
    assert curation.claim_for_posting(store, flagged_id, "other-host:4242:deadbeef",
                                      iso(NOON - timedelta(minutes=5)))
    poster, _, _ = make_poster(store, x)
    poster.run()
    assert curation.confirm_posted(store, flagged_id, "U2", "1790000000000000042", "modal").accepted
    next_id = approve(store, "The next one.")
    assert poster.run().outcomes == [] and not x.requests_to(TWEETS)
    assert local(row(store, next_id)["planned_for"]) == "02 12:55"  # an hour after the found post went out


@pytest.mark.parametrize(("text", "tweet_id"), [
    ("https://x.com/deephype/status/1790000000000000042", "1790000000000000042"),
    ("  twitter.com/deep_hype/status/12?s=20 ", "12"),
    ("https://mobile.twitter.com/deephype/statuses/7/photo/1", "7"),
    ("<https://x.com/i/web/status/5>", "5"),
    ("1790000000000000042", "1790000000000000042"),
    ("https://x.com/deephype", None),
    ("https://evil.example/x.com/a/status/1", None),
    ("https://x.com/a/status/1 and more words", None),
    ("it's there", None),
    ("", None),
])
def test_tweet_id_from_link(text, tweet_id):
    assert tweet_id_from_link(text) == tweet_id


def test_an_unexpected_error_after_the_claim_flags_the_candidate(store, x):
    class Broken:
        def post(self, text, source_tweet_id, mode):
            raise RuntimeError("disk full")

    candidate_id = approve(store, "Unlucky.")
    poster, _, _ = make_poster(store, x, client=Broken())
    assert [o.status for o in poster.run().outcomes] == ["needs_review"]
    assert "disk full" in row(store, candidate_id)["error"]


def test_post_now_ignores_the_window_and_is_recorded(store, x):
    clock = Clock(NOON)
    clock.set(2, "06:00")
    candidate_id = approve(store, "Right now.")
    poster, _, _ = make_poster(store, x, clock)
    assert poster.post(candidate_id, by_user="U2").status == "posted"
    assert poster.post(candidate_id, by_user="U3") == PostOutcome(candidate_id, NOT_CLAIMED,
                                                                   reason="it is posted, not waiting to be posted")
    attempts = [(d["user_id"], d["accepted"]) for d in curation.history(store) if d["action"] == "post_now"]
    assert attempts == [("U3", 0), ("U2", 1)]


# ---- X's errors ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("faults", "status", "reason", "attempts", "sleeps"), [
    ([Fault.error(503)], "posted", None, 2, [0.5]),
    ([Fault.error(500), Fault.error(502)], "posted", None, 3, [0.5, 1.0]),
    ([Fault.error(503)] * 3, "needs_review", "X answered 503 to 3 attempts", 3, [0.5, 1.0]),
    ([Fault.delay(2.0)], "needs_review", "did not answer in time", 1, []),
    ([Fault.drop()], "needs_review", "the connection to X broke", 1, []),
    ([Fault.malformed()], "needs_review", "not JSON", 1, []),
    ([Fault.wrong_shape()], "needs_review", "unexpected shape", 1, []),
    ([Fault.error(400)], "failed", "X refused the request", 1, []),
])
def test_x_errors(store, x, faults, status, reason, attempts, sleeps):
    candidate_id = approve(store, "Through thick and thin.")
    x.inject(TWEETS, *faults)
    poster, _, slept = make_poster(store, x)
    [outcome] = poster.run().outcomes
    stored = row(store, candidate_id)
    assert outcome.status == stored["status"] == status
    assert reason is None and stored["error"] is None or reason in stored["error"]
    assert len(x.requests_to(TWEETS)) == attempts and slept == sleeps


def test_a_duplicate_on_the_first_attempt_failed(store, x):
    x.world.add_tweet("Said it before.", x.username)
    candidate_id = approve(store, "Said it before.")
    poster, _, _ = make_poster(store, x)
    assert [o.status for o in poster.run().outcomes] == ["failed"]
    assert "duplicate" in row(store, candidate_id)["error"]


def test_a_duplicate_after_a_5xx_means_it_probably_went_out(store, x):
    candidate_id = approve(store, "Did it go?")
    x.inject(TWEETS, Fault.error(503))
    # X created the tweet although it answered 503: the retry then meets X's duplicate check.
    poster, _, _ = make_poster(store, x, sleep=lambda _: x.world.add_tweet("Did it go?", x.username))
    assert [o.status for o in poster.run().outcomes] == ["needs_review"]
    assert "probably went out" in row(store, candidate_id)["error"]


def test_a_rate_limit_puts_it_back_until_the_reset(store, x):
    clock = Clock(datetime.now(UTC))
    ids = [approve(store, "First in line."), approve(store, "Second in line.")]
    x.inject(TWEETS, Fault.rate_limit(reset_in=600))
    poster, _, _ = make_poster(store, x, clock, posting_windows=("00:00-24:00",), min_spacing_minutes=0)
    report = poster.run()
    assert [o.status for o in report.outcomes] == ["approved"]  # and the second is not tried
    assert len(x.requests_to(TWEETS)) == 1
    assert timedelta(seconds=590) < report.paused_until - clock.now <= timedelta(seconds=601)
    assert all(datetime.fromisoformat(row(store, i)["planned_for"]) >= report.paused_until for i in ids)
    clock.now += timedelta(minutes=5)
    assert poster.run().outcomes == []
    clock.now += timedelta(minutes=6)
    assert [o.candidate_id for o in poster.run().outcomes] == ids


@pytest.mark.parametrize(("broken", "attempts", "error"), [
    ("keys", 1, "rejected the credentials"),
    ("unreachable", 3, "could not be reached"),
])
def test_bad_keys_or_no_x_keep_the_candidate_and_pause(store, x, broken, attempts, error):
    candidate_id = approve(store, "Patience.")
    if broken == "keys":
        x.inject(TWEETS, Fault.error(401))
        client = x_client(x)
    else:
        client = x_client(x, api_base="http://127.0.0.1:9")  # nothing listens there: the request never leaves
    poster, _, slept = make_poster(store, x, client=client)
    report = poster.run()
    stored = row(store, candidate_id)
    assert stored["status"] == "approved" and error in stored["error"]
    assert report.paused_until == NOON + timedelta(minutes=15)
    assert local(stored["planned_for"]) == "02 12:15"
    assert len(slept) == attempts - 1


def test_a_slow_x_that_still_posted_is_not_asked_again(store, x):
    candidate_id = approve(store, "Slowly but surely.")
    x.inject(TWEETS, Fault.delay(0.6))
    poster, _, _ = make_poster(store, x)
    poster.run()
    deadline = time.monotonic() + 5
    while not x.posted and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(x.posted) == 1 and len(x.requests_to(TWEETS)) == 1
    assert row(store, candidate_id)["status"] == "needs_review"
