"""The autonomous loop inside the bot: the timeline scan and the posting job on an APScheduler BackgroundScheduler
(one run of each at a time, late runs coalesced), their Slack side (songs posted to the curation channel,
candidate messages kept in step with the store, flags for a person), and the Post now button's work."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import publish
from bot.decisions import GONE
from bot.services import Services
from bot.slack_failures import SLACK_FAILURES, reason
from deephype import curation
from deephype.config import XConfig
from deephype.errors import DeephypeError, ServiceError
from deephype.posting import NOT_CLAIMED, Poster, PostingReport, PostOutcome, iso
from deephype.timeline import Scanner, ScanReport
from deephype.twitter import CREDENTIAL_VARIABLES, WEB_BASE, Tweet, XClient
from deephype.twitter_errors import XAuthError, XError

log = logging.getLogger(__name__)

POSTER = "deephype_poster"  # the BoltContext key the Post now handler finds the poster under
NOT_CONFIGURED = "Posting to X is not set up in this bot (its X keys are not set); nothing changed."
NOT_CURATOR_POST = "Only curators can post candidates; nothing changed. Ask to be added to the curators in the config."


def x_from_environment(config: XConfig) -> XClient | None:
    """An X client from the four X variables; None when none is set (the bot then curates but never posts)."""
    if not any(os.environ.get(name, "").strip() for name in CREDENTIAL_VARIABLES):
        return None
    return XClient.from_environment(config)


class SlackPostingEvents:
    """Keeps each candidate's Slack message in step with the store; a candidate that needs a person also gets a
    reply in its thread naming the curators, since an edited message notifies nobody."""

    def __init__(self, client: WebClient, services: Services, x: XClient) -> None:
        self.client, self.services, self.x = client, services, x

    def changed(self, candidate: dict[str, Any]) -> None:
        status = candidate["status"]
        url = self._tweet_url(candidate["posted_tweet_id"]) if status == curation.POSTED else None
        publish.update_candidate_message(self.client, self.services.store, candidate["id"],
                                         self.services.settings.schedule.timezone, url,
                                         post_now=status == curation.APPROVED)
        if status == curation.NEEDS_REVIEW:
            self._flag(candidate)

    def _tweet_url(self, tweet_id: str) -> str | None:
        try:
            return f"{WEB_BASE}/{self.x.me()[1]}/status/{tweet_id}"
        except XError:  # the message falls back to the account-less link
            return None

    def _flag(self, candidate: dict[str, Any]) -> None:
        curators = " ".join(f"<@{user}>" for user in self.services.settings.bot.curators)
        text = (f":eyes: {curators + ' ' if curators else ''}Candidate {candidate['rank']} needs a person: "
                f"{candidate['error']}")
        try:
            self.client.chat_postMessage(channel=candidate["channel"], text=text,
                                         thread_ts=publish.thread_of(self.services.store, candidate))
        except SLACK_FAILURES as error:
            raise ServiceError(f"could not flag candidate {candidate['id']} in Slack ({reason(error)})") from None


class Loop:
    """The scan and posting jobs of one bot process. `start` runs them on the scheduler; the demo and the tests
    call `scan_job` and `posting_job` directly, exactly as the scheduler does."""

    def __init__(self, services: Services, client: WebClient, x: XClient,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.services, self.client = services, client
        self.stop = threading.Event()  # set on shutdown: jobs finish the tweet or post in hand, then return
        config = services.settings.schedule
        self.scanner = Scanner(services.store, x, services.write, self.publish, config.timeline_max_tweets,
                               config.tweet_attempts, batch=config.scan_batch, write_many=services.write_many)
        extra = {"clock": clock} if clock else {}
        # Retry waits end early on shutdown: the retry then goes at once and the claim is settled, not left behind.
        self.poster = Poster(services.store, x, services.settings, SlackPostingEvents(client, services, x),
                             sleep=self.stop.wait, **extra)
        self.scheduler: BackgroundScheduler | None = None

    def publish(self, tweet: Tweet, result: Any) -> int:
        """A timeline song's candidates to the curation channel, the source tweet linked in the header."""
        origin = publish.Origin("timeline", source_tweet_id=tweet.id, source_tweet_url=tweet.url)
        return publish.post_song(self.client, self.services.store, self.services.settings.bot.channel, result,
                                 origin).request_id

    def scan_job(self) -> ScanReport | None:
        try:
            return self.scanner.scan(self.stop)
        except DeephypeError as error:  # X down or refusing: the cursor stays, the next run tries again
            log.warning("timeline scan skipped: %s", error)
            return None

    def posting_job(self) -> PostingReport | None:
        try:
            return self.poster.run(self.stop)
        except DeephypeError as error:
            log.warning("posting run skipped: %s", error)
            return None

    def start(self) -> None:
        config = self.services.settings.schedule
        scheduler = BackgroundScheduler(timezone=UTC)
        now = datetime.now(UTC)
        for job, seconds, name in ((self.scan_job, config.scan_interval_seconds, "timeline scan"),
                                   (self.posting_job, config.posting_interval_seconds, "posting")):
            # One run at a time; runs missed while one was busy collapse into one, started if less than an
            # interval late (a later one is due soon anyway).
            scheduler.add_job(job, "interval", seconds=seconds, name=name, next_run_time=now, max_instances=1,
                              coalesce=True, misfire_grace_time=seconds)
        scheduler.start()
        self.scheduler = scheduler
        log.info("scanning the timeline every %d s; posting checked every %d s on %s",
                 config.scan_interval_seconds, config.posting_interval_seconds, self.poster.schedule.describe())

    def shutdown(self) -> None:
        """Let a running scan finish its tweet and a running post settle its claim, then stop."""
        self.stop.set()
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=True)
            self.scheduler = None

    def install(self, app: App) -> None:
        """Make the poster reachable from the Post now handler (as context[POSTER])."""
        def add_poster(context: BoltContext, next: Callable[[], None]) -> None:  # noqa: A002 (Bolt's name)
            context[POSTER] = self.poster
            next()

        app.use(add_poster)


def start(services: Services, client: WebClient, app: App) -> Loop | None:
    """The loop of `deephype bot`, running; None when X is not configured. Wrong X keys stop the start."""
    x = x_from_environment(services.settings.x)
    if x is None:
        log.warning("X is not configured (%s): no timeline scan and no posting", ", ".join(CREDENTIAL_VARIABLES))
        return None
    try:
        user = x.me()[1]
    except XAuthError:
        raise
    except XError as error:  # X down at start: the jobs try again on their own schedule
        log.warning("could not reach X at start (%s); the jobs will keep trying", error)
    else:
        log.info("posting to X as @%s", user)
    loop = Loop(services, client, x)
    loop.install(app)
    loop.start()
    return loop


def post_now(services: Services, poster: Poster | None, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """The Post now button: a curator sends an approved candidate to X at once, whatever its slot."""
    ack()
    user, channel = body["user"]["id"], body["container"]["channel_id"]
    value = str(body["actions"][0].get("value") or "")
    candidate = curation.get_candidate(services.store, int(value)) if value.isdigit() else None
    thread = publish.thread_of(services.store, candidate) if candidate else None
    note = _post_now_problem(services, poster, candidate, user, client)
    if note is None:
        outcome = poster.post(candidate["id"], by_user=user)
        poster.plan()  # the rest of the queue keeps its spacing from this post
        note = _outcome_note(outcome)
    if note:
        publish.tell(client, channel, user, note, thread)


def _post_now_problem(services: Services, poster: Poster | None, candidate: dict[str, Any] | None, user: str,
                      client: WebClient) -> str | None:
    if candidate is None:
        return GONE
    if poster is None:
        return NOT_CONFIGURED
    if not services.curators.allows(user, client):
        curation.refuse(services.store, candidate["id"], user, "post_now", "button", "not a curator")
        return NOT_CURATOR_POST
    paused = poster.paused_until()
    if paused is not None:
        return f"X asked me to wait until {iso(paused)}; the candidate keeps its place and goes out after that."
    return None


def _outcome_note(outcome: PostOutcome) -> str | None:
    """What to tell the curator privately; a post that went out shows in the message itself."""
    if outcome.status == curation.POSTED:
        return None
    if outcome.status == NOT_CLAIMED:
        return f"Nothing changed: {outcome.reason}."
    return f"It did not go out: {outcome.reason}"
