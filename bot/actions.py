"""The buttons on a candidate message (Approve, Reject, Edit, Regenerate; It was posted and Not posted, queue
again on one whose post needs checking) and the modals' submissions. Each handler acks first; deciding is a quick
store update, writing more candidates goes to the worker pool."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import blocks as bk
from bot import decisions, jobs, publish
from bot.services import Busy, Services
from bot.slack_failures import SLACK_FAILURES, reason
from deephype import curation
from deephype.errors import DeephypeError
from deephype.posting import tweet_id_from_link

log = logging.getLogger(__name__)

NOT_CURATOR_MORE = "Only curators can ask for more candidates; nothing changed."
NOT_CURATOR_REVIEW = "Only curators can settle a post that needs checking; nothing changed."
BAD_LINK = "That is not a link to a post on X; paste it as https://x.com/account/status/1234567890."


def decide_by_button(services: Services, ack: Ack, body: dict[str, Any], client: WebClient, action: str) -> None:
    ack()
    user, channel = body["user"]["id"], body["container"]["channel_id"]
    candidate_id = _candidate_id(body)
    outcome = (decisions.decide(services, client, candidate_id, user, action, "button") if candidate_id
               else decisions.Outcome(False, {}, decisions.GONE))
    decisions.show(services, client, outcome, user, channel)


def open_editor(services: Services, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """The Edit button: a modal prefilled with the text, unless the person may not edit it (then say why)."""
    ack()
    user, channel = body["user"]["id"], body["container"]["channel_id"]
    candidate_id = _candidate_id(body)
    problem = decisions.edit_problem(services, client, candidate_id, user) if candidate_id else decisions.GONE
    if problem:
        publish.tell(client, channel, user, problem, _thread(body))
        return
    candidate = curation.get_candidate(services.store, candidate_id)
    view = bk.edit_modal(candidate_id, candidate["text"], services.settings.generation.max_chars)
    try:
        client.views_open(trigger_id=body["trigger_id"], view=view)
    except SLACK_FAILURES as error:  # trigger_ids live 3 seconds; a slow network can outlive one
        log.warning("could not open the edit modal for candidate %s: %s", candidate_id, reason(error))
        publish.tell(client, channel, user, "Slack didn't open the editor in time; click Edit again.", _thread(body))


def save_edit(services: Services, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
    """The edit modal's Save: the edited text is approved (the original stays on record). Problems keep the modal
    open with the reason under the text box."""
    user = body["user"]["id"]
    raw_id, text = bk.modal_submission(view)
    candidate_id = int(raw_id) if raw_id.isdigit() else 0
    problem = decisions.edit_problem(services, client, candidate_id, user, text) if candidate_id else decisions.GONE
    if problem:
        ack(**bk.modal_errors(view, problem))
        return
    ack()
    outcome = decisions.decide(services, client, candidate_id, user, "approve", "edit", edited_text=text)
    decisions.show(services, client, outcome, user, outcome.candidate.get("channel", ""))


def regenerate(services: Services, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """More candidates for the same song, in the same thread; one batch at a time per song."""
    ack()
    user, channel, thread = body["user"]["id"], body["container"]["channel_id"], _thread(body)
    candidate = curation.get_candidate(services.store, _candidate_id(body) or 0)
    if candidate is None:
        publish.tell(client, channel, user, decisions.GONE, thread)
        return
    if not services.curators.allows(user, client):
        curation.refuse(services.store, candidate["id"], user, "regenerate", "button", "not a curator")
        publish.tell(client, channel, user, NOT_CURATOR_MORE, thread)
        return
    request = curation.get_request(services.store, candidate["request_id"])
    title = f"{request['artist']} – {request['song']}"
    try:
        started = services.pool.submit(lambda: write_more(services, client, candidate, user),
                                       key=f"regenerate:{request['header_ts']}")
    except Busy as error:
        publish.tell(client, channel, user, str(error), thread)
        return
    note = "Writing more candidates" if started else "I'm already writing more candidates"
    publish.tell(client, channel, user, f"{note} about {bk.escape(title)}; they will appear in this thread.", thread)


def write_more(services: Services, client: WebClient, candidate: dict[str, Any], user: str) -> None:
    """The slow half of Regenerate, on the worker pool."""
    request = curation.get_request(services.store, candidate["request_id"])
    featuring = json.loads(request["featuring"] or "[]")
    argument = f"{request['artist']} - {request['song']}" + (f" (feat. {', '.join(featuring)})" if featuring else "")
    try:
        result = services.write(argument, genres_override=json.loads(request["genres"]))
        publish.post_more(client, services.store, candidate, result, user)
    except DeephypeError as error:
        publish.tell(client, candidate["channel"], user, f"I couldn't write more: {error}", request["header_ts"])


def review(services: Services, client: WebClient | None, candidate_id: int | None, user: str, action: str,
           via: str, tweet_id: str | None = None) -> decisions.Outcome:
    """Settle a candidate that needs a person: "confirm_posted" (with the tweet found on X) or "requeue". Only
    curators may; a refused attempt is recorded, and nothing is ever queued again without this call."""
    store = services.store
    candidate = curation.get_candidate(store, candidate_id) if candidate_id else None
    if candidate is None:
        return decisions.Outcome(False, {}, decisions.GONE)
    if not services.curators.allows(user, client):
        curation.refuse(store, candidate["id"], user, action, via, "not a curator")
        return decisions.Outcome(False, candidate, NOT_CURATOR_REVIEW)
    if action == "confirm_posted":
        decision = curation.confirm_posted(store, candidate["id"], user, tweet_id or "", via)
    else:
        decision = curation.requeue(store, candidate["id"], user, via)
    notice = None if decision.accepted else f"Nothing changed: that candidate is {decision.reason}."
    return decisions.Outcome(decision.accepted, decision.candidate, notice)


def ask_for_posted_link(services: Services, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """It was posted: a modal asking for the post's link, unless the person may not settle it (then say why)."""
    ack()
    user, channel = body["user"]["id"], body["container"]["channel_id"]
    candidate = _reviewed(services, body)
    problem = _review_problem(services, client, candidate, user, "button")
    if problem:
        publish.tell(client, channel, user, problem, _thread(body))
        return
    try:
        client.views_open(trigger_id=body["trigger_id"], view=bk.posted_modal(candidate["id"]))
    except SLACK_FAILURES as error:
        log.warning("could not open the posted-link modal for candidate %s: %s", candidate["id"], reason(error))
        publish.tell(client, channel, user, "Slack didn't open the form in time; click It was posted again.",
                     _thread(body))


def save_posted_link(services: Services, ack: Ack, body: dict[str, Any], view: dict[str, Any],
                     client: WebClient) -> None:
    """The posted-link modal's Save: the candidate is recorded as that tweet. A link that is not a post, or a
    candidate no longer waiting for a person, keeps the modal open with the reason."""
    user = body["user"]["id"]
    raw_id, link = bk.modal_submission(view)
    candidate = curation.get_candidate(services.store, int(raw_id)) if raw_id.isdigit() else None
    tweet_id = tweet_id_from_link(link)
    problem = _review_problem(services, client, candidate, user, "modal") or (None if tweet_id else BAD_LINK)
    if problem:
        ack(**bk.modal_errors(view, problem))
        return
    ack()
    outcome = review(services, client, candidate["id"], user, "confirm_posted", "modal", tweet_id)
    decisions.show(services, client, outcome, user, candidate.get("channel") or "")


def queue_again(services: Services, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Not posted, queue again (after Slack's confirm dialog): back to approved, for the next free slot."""
    ack()
    user, channel = body["user"]["id"], body["container"]["channel_id"]
    candidate = _reviewed(services, body)
    outcome = review(services, client, candidate["id"] if candidate else None, user, "requeue", "button")
    decisions.show(services, client, outcome, user, channel)


def _reviewed(services: Services, body: dict[str, Any]) -> dict[str, Any] | None:
    """The candidate a review button belongs to (its value is the candidate id)."""
    candidate_id = _candidate_id(body)
    return curation.get_candidate(services.store, candidate_id) if candidate_id else None


def _review_problem(services: Services, client: WebClient, candidate: dict[str, Any] | None, user: str,
                    via: str) -> str | None:
    """Why `user` may not settle the candidate now, or None. Checked before the modal opens and again on Save."""
    if candidate is None:
        return decisions.GONE
    if not services.curators.allows(user, client):
        curation.refuse(services.store, candidate["id"], user, "confirm_posted", via, "not a curator")
        return NOT_CURATOR_REVIEW
    if candidate["status"] != curation.NEEDS_REVIEW:
        return f"Nothing changed: that candidate is already {candidate['status']}, not waiting for a person."
    return None


def register(app: App, services: Services) -> None:
    @app.action(bk.APPROVE)
    def on_approve(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        decide_by_button(services, ack, body, client, "approve")

    @app.action(bk.REJECT)
    def on_reject(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        decide_by_button(services, ack, body, client, "reject")

    @app.action(bk.EDIT)
    def on_edit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        open_editor(services, ack, body, client)

    @app.view(bk.EDIT_MODAL)
    def on_edit_saved(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        save_edit(services, ack, body, view, client)

    @app.action(bk.REGENERATE)
    def on_regenerate(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        regenerate(services, ack, body, client)

    @app.action(bk.WAS_POSTED)
    def on_was_posted(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ask_for_posted_link(services, ack, body, client)

    @app.view(bk.POSTED_MODAL)
    def on_posted_link_saved(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        save_posted_link(services, ack, body, view, client)

    @app.action(bk.QUEUE_AGAIN)
    def on_queue_again(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        queue_again(services, ack, body, client)

    @app.action(bk.POST_NOW)
    def on_post_now(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        jobs.post_now(services, context.get(jobs.POSTER), ack, body, client)


def _candidate_id(body: dict[str, Any]) -> int | None:
    value = str(body["actions"][0].get("value") or "")
    return int(value) if value.isdigit() else None


def _thread(body: dict[str, Any]) -> str | None:
    message = body.get("message") or {}
    return message.get("thread_ts") or body["container"].get("thread_ts")
