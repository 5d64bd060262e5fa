"""The requests Slack sends to an app (slash commands, button clicks, modal submissions, events), built and signed
exactly as Slack does, for HTTP mode (body + headers) and as Socket Mode envelopes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from deephype.standins.slack import response_url
from deephype.standins.slack_workspace import (
    ANA,
    APP_ID,
    BOT_USER_ID,
    CURATION_CHANNEL_ID,
    DEFAULT_CHANNELS,
    DEFAULT_USERS,
    TEAM_DOMAIN,
    TEAM_ID,
)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
USER_NAMES = {u.id: u.name for u in DEFAULT_USERS}


def sign(signing_secret: str, timestamp: int, body: str) -> str:
    """Slack's v0 request signature: HMAC-SHA256 of "v0:<timestamp>:<body>" keyed by the signing secret."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SignedRequest:
    """A request as Slack would deliver it; `kind` is its Socket Mode envelope type."""

    kind: str  # "slash_commands", "interactive" or "events_api"
    body: str
    headers: dict[str, str]
    payload: dict[str, Any] = field(repr=False)

    def envelope(self, retry_attempt: int = 0, retry_reason: str = "") -> dict[str, Any]:
        """The same request as a Socket Mode envelope (retries apply to events only, as on Slack)."""
        accepts = self.kind == "slash_commands" or self.payload.get("type") == "view_submission"
        envelope = {"envelope_id": str(uuid.uuid4()), "type": self.kind, "payload": self.payload,
                    "accepts_response_payload": accepts}
        if self.kind == "events_api":
            envelope.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
        return envelope

    def post(self, url: str, timeout: float = 5.0) -> tuple[int, str]:
        """Deliver to an app in HTTP mode; returns its status and body."""
        request = urllib.request.Request(url, data=self.body.encode(), headers=self.headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()


class SlackRequests:
    """Builds signed requests for one app. `root_url` is the Web API stand-in's, so response_urls reach it."""

    def __init__(self, signing_secret: str, root_url: str = "https://hooks.slack.com/",
                 clock: Callable[[], float] = time.time) -> None:
        self.signing_secret = signing_secret
        self.root_url = root_url
        self.clock = clock

    def signed(self, kind: str, body: str, content_type: str, payload: dict[str, Any],
               timestamp: float | None = None, retry_num: int | None = None,
               retry_reason: str | None = None) -> SignedRequest:
        """Sign a body; an old `timestamp` makes a stale request, a retry number a Slack retry."""
        stamp = int(self.clock() if timestamp is None else timestamp)
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(stamp),
                   "X-Slack-Signature": sign(self.signing_secret, stamp, body)}
        if retry_num is not None:
            headers.update({"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason or ""})
        return SignedRequest(kind, body, headers, payload)

    def retry(self, request: SignedRequest, retry_num: int = 1, retry_reason: str = "http_timeout") -> SignedRequest:
        """Slack's redelivery of an event the app did not acknowledge in time: same body, new signature."""
        return self.signed(request.kind, request.body, request.headers["Content-Type"], request.payload,
                           retry_num=retry_num, retry_reason=retry_reason)

    def slash_command(self, text: str, *, user_id: str = ANA, command: str = "/hype",
                      channel_id: str = CURATION_CHANNEL_ID, timestamp: float | None = None) -> SignedRequest:
        """A slash command: form fields, as Slack posts them."""
        fields = {"token": "legacy-verification-token", "team_id": TEAM_ID, "team_domain": TEAM_DOMAIN,
                  "channel_id": channel_id, "channel_name": DEFAULT_CHANNELS.get(channel_id, "directmessage"),
                  "user_id": user_id, "user_name": USER_NAMES.get(user_id, user_id.lower()), "command": command,
                  "text": text, "api_app_id": APP_ID, "is_enterprise_install": "false",
                  "response_url": response_url(self.root_url, channel_id, None, user_id),
                  "trigger_id": _trigger_id()}
        return self.signed("slash_commands", urlencode(fields), FORM, fields, timestamp)

    def block_action(self, message: dict[str, Any], action_id: str, *, user_id: str = ANA,
                     channel_id: str = CURATION_CHANNEL_ID, value: str | None = None,
                     timestamp: float | None = None) -> SignedRequest:
        """A click on the button `action_id` of `message` (a message as chat.postMessage returned it)."""
        block_id, button = _find_button(message, action_id)
        action = {"action_id": action_id, "block_id": block_id, "text": button.get("text"), "type": "button",
                  "value": button.get("value") if value is None else value, "action_ts": f"{self.clock():.6f}"}
        if "style" in button:
            action["style"] = button["style"]
        payload = {
            "type": "block_actions", "user": self._user(user_id), "api_app_id": APP_ID,
            "token": "legacy-verification-token", "trigger_id": _trigger_id(),
            "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel_id,
                          "is_ephemeral": False},
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN}, "enterprise": None, "is_enterprise_install": False,
            "channel": {"id": channel_id, "name": DEFAULT_CHANNELS.get(channel_id, "")},
            "message": message, "state": {"values": {}},
            "response_url": response_url(self.root_url, channel_id, message["ts"], user_id), "actions": [action]}
        return self._interaction(payload, timestamp)

    def view_submission(self, view: dict[str, Any], values: dict[str, dict[str, str]], *, user_id: str = ANA,
                        timestamp: float | None = None) -> SignedRequest:
        """A modal submitted with plain-text `values` ({block_id: {action_id: text}}); `view` as views.open gave it."""
        state = {block: {action: {"type": "plain_text_input", "value": text} for action, text in actions.items()}
                 for block, actions in values.items()}
        payload = {"type": "view_submission", "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
                   "user": self._user(user_id), "api_app_id": APP_ID, "token": "legacy-verification-token",
                   "trigger_id": _trigger_id(), "view": {**view, "state": {"values": state}},
                   "response_urls": [], "is_enterprise_install": False, "enterprise": None}
        return self._interaction(payload, timestamp)

    def reaction(self, name: str, message_ts: str, *, user_id: str = ANA, channel_id: str = CURATION_CHANNEL_ID,
                 item_user: str = BOT_USER_ID, removed: bool = False, event_id: str | None = None,
                 timestamp: float | None = None) -> SignedRequest:
        """An Events API `reaction_added` (or `reaction_removed`) on a message."""
        now = self.clock()
        event = {"type": "reaction_removed" if removed else "reaction_added", "user": user_id, "reaction": name,
                 "item": {"type": "message", "channel": channel_id, "ts": message_ts}, "item_user": item_user,
                 "event_ts": f"{now:.6f}"}
        payload = {"token": "legacy-verification-token", "team_id": TEAM_ID, "api_app_id": APP_ID, "event": event,
                   "type": "event_callback", "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
                   "event_time": int(now), "is_ext_shared_channel": False,
                   "authorizations": [{"enterprise_id": None, "team_id": TEAM_ID, "user_id": BOT_USER_ID,
                                       "is_bot": True, "is_enterprise_install": False}]}
        return self.signed("events_api", json.dumps(payload), JSON, payload, timestamp)

    def _interaction(self, payload: dict[str, Any], timestamp: float | None) -> SignedRequest:
        # Interactions arrive form-encoded with the JSON in one `payload` field.
        return self.signed("interactive", urlencode({"payload": json.dumps(payload)}), FORM, payload, timestamp)

    def _user(self, user_id: str) -> dict[str, str]:
        name = USER_NAMES.get(user_id, user_id.lower())
        return {"id": user_id, "username": name, "name": name, "team_id": TEAM_ID}


def _trigger_id() -> str:
    return f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex}"


def _find_button(message: dict[str, Any], action_id: str) -> tuple[str, dict[str, Any]]:
    for block in message.get("blocks", []):
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if element.get("type") == "button" and element.get("action_id") == action_id:
                return block.get("block_id", ""), element
    raise ValueError(f"the message {message.get('ts')} has no button {action_id!r}")
