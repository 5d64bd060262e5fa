"""Reactions as decisions: the configured approve or reject emoji on a candidate message does what its button
does. The bot's own reactions, other emoji, and reactions on any other message are ignored; a Slack retry of an
event already handled (same event id) is not acted on twice."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot import decisions
from bot.services import Services
from deephype import curation


def reaction_decision(services: Services, event: dict[str, Any], event_id: str | None,
                      bot_user_id: str | None) -> tuple[str, dict[str, Any]] | None:
    """("approve" | "reject", the candidate) when this reaction_added event is a decision to act on, else None.
    Marks the event as seen, so the same event delivered again gives None."""
    if event.get("user") in (None, bot_user_id) or event.get("item", {}).get("type") != "message":
        return None
    emoji = event.get("reaction", "").split("::")[0]  # "white_check_mark::skin-tone-2" -> its base emoji
    bot = services.settings.bot
    action = {bot.approve_emoji.strip(":"): "approve", bot.reject_emoji.strip(":"): "reject"}.get(emoji)
    if action is None:
        return None
    candidate = curation.candidate_by_message(services.store, event["item"]["channel"], event["item"]["ts"])
    if candidate is None:
        return None
    if event_id and not curation.first_time(services.store, f"event:{event_id}"):
        return None
    return action, candidate


def on_reaction(services: Services, body: dict[str, Any], event: dict[str, Any], client: WebClient,
                bot_user_id: str | None) -> None:
    found = reaction_decision(services, event, body.get("event_id"), bot_user_id)
    if found is None:
        return
    action, candidate = found
    outcome = decisions.decide(services, client, candidate["id"], event["user"], action, "reaction")
    decisions.show(services, client, outcome, event["user"], candidate["channel"])


def register(app: App, services: Services) -> None:
    @app.event("reaction_added")
    def on_reaction_added(body: dict[str, Any], event: dict[str, Any], client: WebClient,
                          context: BoltContext) -> None:
        on_reaction(services, body, event, client, context.bot_user_id)
