"""What the X stand-in knows and answers: accounts, tweets and the three X API v2 endpoints deephype uses.

Kept apart from the HTTP server so the response shapes can be read in one place; every body here mirrors a
real X API v2 response (ids as strings, `includes.users`, `meta` with `result_count` / `newest_id` / `next_token`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

SNOWFLAKE_EPOCH_MS = 1288834974657  # X's snowflake ids count milliseconds from this instant, shifted left 22 bits
TWEET_FIELDS = ("created_at", "author_id", "conversation_id", "referenced_tweets")  # the optional ones we serve
TOKEN_PREFIX = "7140dibd"  # real next_tokens are opaque lowercase base36 strings; ours encode the page anchor

INVALID_REQUEST_TYPE = "https://api.twitter.com/2/problems/invalid-request"
DUPLICATE_BODY = {
    "detail": "You are not allowed to create a Tweet with duplicate content.",
    "type": "about:blank",
    "title": "Forbidden",
    "status": 403,
}


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def problem(status: int, title: str, detail: str | None = None) -> Reply:
    """X's RFC 7807 style error body, as sent for 401, 403, 429 and 5xx."""
    return Reply(status, {"title": title, "detail": detail or title, "type": "about:blank", "status": status})


def invalid_request(parameter: str, value: str, message: str) -> Reply:
    """X's 400 body for a bad parameter."""
    return Reply(400, {
        "errors": [{"parameters": {parameter: [value]}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": INVALID_REQUEST_TYPE,
    })


def created_at(snowflake: str) -> str:
    """The creation time encoded in a snowflake id, in X's format (`2024-05-01T12:00:00.000Z`)."""
    ms = (int(snowflake) >> 22) + SNOWFLAKE_EPOCH_MS
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def encode_token(anchor_id: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while anchor_id:
        anchor_id, rest = divmod(anchor_id, 36)
        out = digits[rest] + out
    return TOKEN_PREFIX + out


def decode_token(token: str) -> int | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) == len(TOKEN_PREFIX):
        return None
    try:
        return int(token[len(TOKEN_PREFIX):], 36)
    except ValueError:
        return None


class XWorld:
    """The accounts and tweets of the stand-in; every method is safe to call from server threads."""

    def __init__(self, username: str, name: str) -> None:
        self.lock = threading.RLock()  # re-entrant: create_tweet checks and adds under one hold
        self.last_id = 0
        self.users: dict[str, dict[str, str]] = {}  # id -> {"id", "name", "username"}
        self.tweets: list[dict[str, Any]] = []  # ascending id; stored with every field, rendered on request
        self.posted: list[dict[str, Any]] = []  # what the bot created through POST /2/tweets
        self.me_id = self.add_user(username, name)

    def next_id(self) -> str:
        """A snowflake from the clock, strictly increasing even when several are made in one millisecond."""
        candidate = (int(time.time() * 1000) - SNOWFLAKE_EPOCH_MS) << 22
        self.last_id = max(candidate, self.last_id + 1)
        return str(self.last_id)

    def add_user(self, username: str, name: str | None = None) -> str:
        with self.lock:
            for user in self.users.values():
                if user["username"].lower() == username.lower():
                    return user["id"]
            user_id = self.next_id()
            self.users[user_id] = {"id": user_id, "name": name or username, "username": username}
            return user_id

    def add_tweet(self, text: str, username: str, references: list[dict[str, str]] | None = None) -> dict[str, Any]:
        author_id = self.add_user(username)
        with self.lock:
            tweet_id = self.next_id()
            tweet = {"id": tweet_id, "text": text, "author_id": author_id, "created_at": created_at(tweet_id),
                     "conversation_id": tweet_id, "edit_history_tweet_ids": [tweet_id]}
            if references:
                tweet["referenced_tweets"] = references
            self.tweets.append(tweet)
            return tweet

    def tweet(self, tweet_id: str) -> dict[str, Any] | None:
        with self.lock:
            return next((t for t in self.tweets if t["id"] == tweet_id), None)

    # --- endpoints -------------------------------------------------------------------------------------------

    def users_me(self) -> Reply:
        with self.lock:
            return Reply(200, {"data": dict(self.users[self.me_id])})

    def home_timeline(self, user_id: str, query: dict[str, str]) -> Reply:
        if user_id != self.me_id:
            return problem(403, "Forbidden", "You are not permitted to perform this action.")
        bounds = timeline_bounds(query)
        if isinstance(bounds, Reply):
            return bounds
        max_results, since_id, until_id = bounds
        with self.lock:
            newest_first = [t for t in reversed(self.tweets) if since_id < int(t["id"]) < until_id]
            page, more = newest_first[:max_results], len(newest_first) > max_results
            return Reply(200, self.timeline_body(page, more, query))

    def timeline_body(self, page: list[dict[str, Any]], more: bool, query: dict[str, str]) -> dict[str, Any]:
        requested = set(query.get("tweet.fields", "").split(",")) & set(TWEET_FIELDS)
        fields = {"id", "text", "edit_history_tweet_ids"} | requested  # X's default fields, plus those asked for
        meta: dict[str, Any] = {"result_count": len(page)}
        if not page:
            return {"meta": meta}
        body: dict[str, Any] = {"data": [{k: v for k, v in t.items() if k in fields} for t in page]}
        if "author_id" in query.get("expansions", "").split(","):
            author_ids = dict.fromkeys(t["author_id"] for t in page)
            body["includes"] = {"users": [dict(self.users[a]) for a in author_ids]}
        meta.update(newest_id=page[0]["id"], oldest_id=page[-1]["id"])
        if more:
            meta["next_token"] = encode_token(int(page[-1]["id"]))
        body["meta"] = meta
        return body

    def create_tweet(self, body: Any) -> Reply:
        checked = tweet_request(body)
        if isinstance(checked, Reply):
            return checked
        text, references = checked
        with self.lock:  # one hold, so two identical posts racing cannot both pass the duplicate check
            for reference in references:
                if self.tweet(reference["id"]) is None:
                    kind = "quote_tweet_id" if reference["type"] == "quoted" else "in_reply_to_tweet_id"
                    return invalid_request(kind, reference["id"], f"The tweet {reference['id']} does not exist.")
            if any(t["author_id"] == self.me_id and t["text"] == text for t in self.tweets):
                return Reply(403, dict(DUPLICATE_BODY))
            tweet = self.add_tweet(text, self.users[self.me_id]["username"], references)
            refs = {r["type"]: r["id"] for r in references}
            self.posted.append({"id": tweet["id"], "text": text, "quote_tweet_id": refs.get("quoted"),
                                "in_reply_to_tweet_id": refs.get("replied_to")})
        return Reply(201, {"data": {"edit_history_tweet_ids": [tweet["id"]], "id": tweet["id"], "text": text}})


def timeline_bounds(query: dict[str, str]) -> tuple[int, int, int] | Reply:
    """(max_results, since_id, until_id) from the query; a pagination token moves until_id to the page anchor."""
    raw = query.get("max_results", "100")
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        return invalid_request("max_results", raw, f"The `max_results` query parameter value [{raw}] is not between "
                                                   "1 and 100")
    ids = []
    for name in ("since_id", "until_id"):
        value = query.get(name)
        if value is not None and not value.isdigit():
            return invalid_request(name, value, f"The `{name}` query parameter value [{value}] is not valid")
        ids.append(int(value) if value else None)
    since_id, until_id = ids[0] or 0, ids[1] or 1 << 64
    if "pagination_token" in query:
        anchor = decode_token(query["pagination_token"])
        if anchor is None:
            token = query["pagination_token"]
            return invalid_request("pagination_token", token, f"The `pagination_token` query parameter value "
                                                              f"[{token}] is not valid")
        until_id = min(until_id, anchor)
    return int(raw), since_id, until_id


def tweet_request(body: Any) -> tuple[str, list[dict[str, str]]] | Reply:
    """The text and referenced tweets of a POST /2/tweets body, or X's 400 for a body it would refuse."""
    if not isinstance(body, dict):
        return invalid_request("body", str(body)[:40], "The request body must be a JSON object.")
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        return invalid_request("text", str(text), "You must provide text (or media) to create a Tweet.")
    references = []
    if body.get("quote_tweet_id") is not None:
        references.append({"type": "quoted", "id": str(body["quote_tweet_id"])})
    reply = body.get("reply")
    if isinstance(reply, dict) and reply.get("in_reply_to_tweet_id") is not None:
        references.append({"type": "replied_to", "id": str(reply["in_reply_to_tweet_id"])})
    return text, references
