"""A curator's decision on a candidate, whether it came from a button, a reaction or the edit modal: who may
decide, the store's take-it-once update, and what to tell the person when nothing changed. No Slack calls
here except the curator check's user-group lookup (through the client it is handed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot import publish
from bot.services import Services
from deephype import curation
from deephype.errors import DeephypeError
from deephype.post_safety import post_problem

NOT_CURATOR = ("Only curators can approve or reject candidates; nothing changed. "
               "Ask to be added to the curators in the bot's config.")
GONE = "That candidate is not in my records any more; nothing changed."


@dataclass(frozen=True)
class Outcome:
    changed: bool
    candidate: dict[str, Any]  # the row after the attempt ({} when the candidate does not exist)
    notice: str | None = None  # what to tell the person privately when nothing changed


def decide(services: Services, client: WebClient | None, candidate_id: int, user: str, action: str, via: str,
           edited_text: str | None = None) -> Outcome:
    """Approve or reject once; a non-curator's attempt is recorded as refused and changes nothing."""
    store = services.store
    candidate = curation.get_candidate(store, candidate_id)
    if candidate is None:
        return Outcome(False, {}, GONE)
    if not services.curators.allows(user, client):
        curation.refuse(store, candidate_id, user, action, via, "not a curator")
        return Outcome(False, candidate, NOT_CURATOR)
    decision = curation.decide(store, candidate_id, user, action, via, edited_text)
    if decision.accepted:
        return Outcome(True, decision.candidate)
    return Outcome(False, decision.candidate, f"Nothing changed: that candidate is {decision.reason}.")


def edit_problem(services: Services, client: WebClient | None, candidate_id: int, user: str,
                 text: str | None = None) -> str | None:
    """Why `user` may not edit the candidate (or save `text` as its new wording), or None when they may."""
    candidate = curation.get_candidate(services.store, candidate_id)
    if candidate is None:
        return GONE
    if not services.curators.allows(user, client):
        curation.refuse(services.store, candidate_id, user, "edit", "edit", "not a curator")
        return NOT_CURATOR
    if candidate["status"] != curation.PENDING:
        by = f" by <@{candidate['decided_by']}>" if candidate["decided_by"] else ""
        return f"Nothing changed: that candidate is already {candidate['status']}{by}."
    if text is None:
        return None
    limit = services.settings.generation.max_chars
    if not text:
        return "Write something to post, or cancel to keep the candidate as it is."
    if len(text) > limit:
        return f"That is {len(text)} characters; a post can have at most {limit}."
    return post_problem(text, services.settings.x)


def show(services: Services, client: WebClient, outcome: Outcome, user: str, channel: str) -> None:
    """Update the candidate's message after a change, or tell the person privately why nothing changed."""
    if outcome.changed:
        try:
            publish.update_candidate_message(client, services.store, outcome.candidate["id"],
                                             services.settings.schedule.timezone)
        except DeephypeError as error:  # the decision is stored; only its display failed, so say that
            publish.tell(client, outcome.candidate.get("channel") or channel, user,
                         f"Saved: the candidate is {outcome.candidate['status']}, but {error}.", publish.thread_of(
                             services.store, outcome.candidate))
        return
    thread = publish.thread_of(services.store, outcome.candidate) if outcome.candidate else None
    publish.tell(client, outcome.candidate.get("channel") or channel, user, outcome.notice or GONE, thread)
