"""Posting to the curation channel: a song's header with each candidate as its own reply in the header's thread
(so the channel reads as one line per song and a reaction targets exactly one candidate), and updating a
candidate's message in place whenever its status changes. The message always shows what the store says."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import blocks as bk
from bot.slack_failures import SLACK_FAILURES, reason
from deephype import curation
from deephype.errors import DeephypeError, ServiceError
from deephype.store import Store

if TYPE_CHECKING:
    from deephype.hype import HypeResult

log = logging.getLogger(__name__)

# What each store status looks like in Slack; "posting" is an approved candidate the posting job has claimed.
_SHOWN_AS = {curation.APPROVED: "approved", curation.POSTING: "queued", curation.REJECTED: "rejected",
             curation.POSTED: "posted", curation.FAILED: "failed", curation.NEEDS_REVIEW: "needs_review"}
WAITING_NOTE = "waiting for the posting schedule"


class NothingToPost(DeephypeError):
    """Every sample was filtered out, or Regenerate only wrote texts the thread already has."""


@dataclass(frozen=True)
class Origin:
    """Who or what asked for a song's candidates, as the store records it."""

    kind: str  # "command", "timeline" or "regenerate"
    requested_by: str | None = None
    source_tweet_id: str | None = None
    source_tweet_url: str | None = None


@dataclass(frozen=True)
class PostedSong:
    request_id: int
    channel: str  # the channel's ID, as Slack answered
    header_ts: str
    candidate_ids: list[int]


def post_song(client: WebClient, store: Store, channel: str, result: HypeResult, origin: Origin) -> PostedSong:
    """Record `result` as a request with its candidates, then post the header and one reply per candidate."""
    request_id = curation.create_request(
        store, origin.kind, result.artist, result.song, result.genres, result.genre_source,
        featuring=result.featuring, requested_by=origin.requested_by, channel=channel,
        source_tweet_id=origin.source_tweet_id, source_tweet_url=origin.source_tweet_url)
    if not result.candidates:
        curation.finish_request(store, request_id, error="no candidate passed the filters")
        raise NothingToPost(f"none of the samples about {result.artist} – {result.song} passed the filters; "
                            "try again for a fresh batch")
    ids = curation.add_candidates(store, request_id, _rows(result.candidates))
    text, blocks = bk.song_header(result.artist, result.song, result.genres, result.genre_source,
                                  origin.source_tweet_url, origin.requested_by)
    try:
        header = client.chat_postMessage(channel=channel, text=text, blocks=blocks, unfurl_links=False,
                                         unfurl_media=False)
        curation.attach_header(store, request_id, header["ts"])  # a crash from here on leaves a short thread, not two
        post_candidates(client, store, header["channel"], header["ts"], ids)
    except SLACK_FAILURES as error:
        curation.finish_request(store, request_id, error=f"Slack: {reason(error)}")
        raise _slack_failure("post the candidates", error) from None
    curation.finish_request(store, request_id, header_ts=header["ts"])
    return PostedSong(request_id, header["channel"], header["ts"], ids)


def post_more(client: WebClient, store: Store, candidate: dict[str, Any], result: HypeResult,
              requested_by: str) -> PostedSong:
    """Regenerated candidates for the song of `candidate`, in its thread; texts the thread already has are
    dropped, and numbering continues where the thread left off."""
    first = curation.get_request(store, candidate["request_id"])
    header_ts = first["header_ts"]
    offered = curation.thread_candidates(store, header_ts)
    seen = {row["original_text"] for row in offered}
    fresh = [c for c in result.candidates if c.text not in seen]
    request_id = curation.create_request(
        store, "regenerate", first["artist"], first["song"], json.loads(first["genres"]), first["genre_source"],
        featuring=json.loads(first["featuring"] or "[]"), requested_by=requested_by, channel=candidate["channel"],
        source_tweet_id=first["source_tweet_id"], source_tweet_url=first["source_tweet_url"])
    if not fresh:
        curation.finish_request(store, request_id, header_ts=header_ts, error="no new candidate")
        raise NothingToPost(f"nothing new about {first['artist']} – {first['song']} this time; try again")
    ids = curation.add_candidates(store, request_id, _rows(fresh), first_rank=len(offered) + 1)
    try:
        post_candidates(client, store, candidate["channel"], header_ts, ids)
    except SLACK_FAILURES as error:
        curation.finish_request(store, request_id, header_ts=header_ts, error=f"Slack: {reason(error)}")
        raise _slack_failure("post the new candidates", error) from None
    curation.finish_request(store, request_id, header_ts=header_ts)
    return PostedSong(request_id, candidate["channel"], header_ts, ids)


def post_candidates(client: WebClient, store: Store, channel: str, thread_ts: str, ids: Sequence[int]) -> None:
    """One message per candidate in the thread; each message's ts is stored so reactions find the candidate."""
    for candidate_id in ids:
        row = curation.get_candidate(store, candidate_id)
        text, blocks = bk.candidate_message(candidate_id, row["text"], row["score"], row["rank"])
        posted = client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, blocks=blocks)
        curation.attach_message(store, candidate_id, posted["channel"], posted["ts"])


def candidate_view(candidate: dict[str, Any], timezone: str = "UTC", posted_url: str | None = None,
                   post_now: bool = False) -> tuple[str, list[dict]]:
    """(fallback text, blocks) for a candidate as the store has it now: buttons while pending, else its outcome."""
    if candidate["status"] == curation.PENDING:
        return bk.candidate_message(candidate["id"], candidate["text"], candidate["score"], candidate["rank"])
    zone = ZoneInfo(timezone)
    status = _SHOWN_AS[candidate["status"]]
    if status == "posted" and posted_url is None:
        posted_url = f"https://x.com/i/status/{candidate['posted_tweet_id']}"
    planned = _moment(candidate["planned_for"], zone)
    decided_at = _moment(candidate["decided_at"], zone) or datetime.now(zone)
    text, blocks = bk.decided_message(
        candidate["text"], status, candidate["decided_by"], decided_at,
        planned_for=planned, posted_url=posted_url, edited_from=candidate["original_text"],
        reason=candidate["error"], candidate_id=candidate["id"], post_now=post_now)
    if status == "approved" and planned is None:
        blocks[1]["elements"].append({"type": "mrkdwn", "text": WAITING_NOTE})
        text = text.replace("\n", f", {WAITING_NOTE}\n", 1)
    return text, blocks


def update_candidate_message(client: WebClient, store: Store, candidate_id: int, timezone: str = "UTC",
                             posted_url: str | None = None, post_now: bool = False) -> None:
    """Show the candidate's current status in its Slack message: what the posting job calls after it queues,
    posts or fails a candidate (the link defaults to the posted tweet's). Raises ServiceError when Slack refuses."""
    candidate = curation.get_candidate(store, candidate_id)
    if candidate is None or not candidate["message_ts"]:
        raise ServiceError(f"candidate {candidate_id} has no Slack message to update")
    text, blocks = candidate_view(candidate, timezone, posted_url, post_now)
    try:
        client.chat_update(channel=candidate["channel"], ts=candidate["message_ts"], text=text, blocks=blocks)
    except SLACK_FAILURES as error:
        raise _slack_failure(f"update the message of candidate {candidate_id}", error) from None


def tell(client: WebClient, channel: str, user: str, text: str, thread_ts: str | None = None) -> None:
    """An ephemeral note to one person, in the thread when there is one. A failure is logged: the note is a
    courtesy, and the store already holds the outcome."""
    try:
        client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts)
    except SLACK_FAILURES as error:
        log.warning("could not tell %s in %s %r: %s", user, channel, text, error)


def thread_of(store: Store, candidate: dict[str, Any]) -> str | None:
    """The ts of the header whose thread holds the candidate."""
    request = curation.get_request(store, candidate["request_id"])
    return request["header_ts"] if request else None


def _rows(candidates: Sequence[Any]) -> list[tuple[str, float, dict]]:
    return [(c.text, c.score, c.details) for c in candidates]


def _moment(value: str | None, zone: ZoneInfo) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)


def _slack_failure(doing: str, error: Exception) -> ServiceError:
    if isinstance(error, SlackApiError):
        return ServiceError(f"Slack would not let me {doing} ({reason(error)}); check that the bot is in the "
                            "channel and has the scopes in manifest.yaml")
    return ServiceError(f"Slack did not answer when I tried to {doing} ({reason(error)}); try again in a minute")
