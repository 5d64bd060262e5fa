"""The workspace behind the Slack Web API stand-in: users, channels, messages, views and reactions, and the Web API
methods that read and change them, answering in Slack's response shapes.
"""

from __future__ import annotations

import copy
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from deephype.standins.slack_block_rules import blocks_errors, view_errors

TEAM_ID = "T0DEEPHYP"
TEAM_DOMAIN = "deephype"
APP_ID = "A0DEEPHYP"
BOT_USER_ID = "U0DHBOT01"
BOT_ID = "B0DHBOT01"
CURATION_CHANNEL_ID = "C0CURATE1"
CURATION_CHANNEL_NAME = "deephype-curation"  # the default `bot.channel` in config.yaml, without "#"
ANA, BEN, CAT = "U0ANA0001", "U0BEN0002", "U0CAT0003"  # default people: two to make curators, one not
CURATORS_GROUP_ID = "S0CURATOR"


class MethodError(Exception):
    """A Web API method answered `ok: false`; `extra` joins the error in the response body."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass(frozen=True)
class User:
    id: str
    name: str
    real_name: str = ""
    is_bot: bool = False
    tz: str = "Europe/Berlin"

    def as_slack(self) -> dict[str, Any]:
        """The `user` object of users.info."""
        real_name = self.real_name or self.name.title()
        profile = {"real_name": real_name, "display_name": self.name, "team": TEAM_ID}
        return {"id": self.id, "team_id": TEAM_ID, "name": self.name, "real_name": real_name, "deleted": False,
                "is_bot": self.is_bot, "is_admin": False, "tz": self.tz, "profile": profile}


DEFAULT_USERS = (User(ANA, "ana"), User(BEN, "ben"), User(CAT, "cat"),
                 User(BOT_USER_ID, "deephype", "deephype", is_bot=True))
DEFAULT_CHANNELS = {CURATION_CHANNEL_ID: CURATION_CHANNEL_NAME}
DEFAULT_USERGROUPS = {CURATORS_GROUP_ID: (ANA, BEN)}


def _require(args: dict[str, Any], *names: str) -> None:
    missing = [n for n in names if args.get(n) in (None, "")]
    if missing:
        raise MethodError("invalid_arguments", response_metadata={"messages": [
            f"[ERROR] missing required field: {n}" for n in missing]})


def _check_blocks(blocks: Any, errors: Callable[[Any], list[str]] = blocks_errors) -> None:
    messages = errors(blocks)
    if messages:
        raise MethodError("invalid_blocks", response_metadata={"messages": messages})


class Workspace:
    """One Slack team as the stand-in sees it. Thread-safe: the HTTP server calls it from many threads."""

    def __init__(self, users: Iterable[User] = DEFAULT_USERS, channels: dict[str, str] | None = None,
                 usergroups: dict[str, Iterable[str]] | None = None) -> None:
        self.users = {u.id: u for u in users}
        self.channels = dict(DEFAULT_CHANNELS if channels is None else channels)
        self.usergroups = {k: tuple(v) for k, v in (DEFAULT_USERGROUPS if usergroups is None else usergroups).items()}
        self.lock = threading.RLock()
        self.messages: defaultdict[str, dict[str, dict[str, Any]]] = defaultdict(dict)  # channel -> ts -> message
        self.ephemerals: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self._used_triggers: set[str] = set()
        self._last_us = 0

    def methods(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        """The Web API methods this workspace answers, by Slack's method name."""
        return {"chat.postMessage": self.chat_post_message, "chat.update": self.chat_update,
                "chat.postEphemeral": self.chat_post_ephemeral, "chat.getPermalink": self.chat_get_permalink,
                "views.open": self.views_open, "views.update": self.views_update,
                "reactions.add": self.reactions_add, "users.info": self.users_info,
                "conversations.info": self.conversations_info, "usergroups.users.list": self.usergroups_users_list}

    def next_ts(self) -> str:
        """A message timestamp like Slack's ("1717171717.000100"), strictly increasing."""
        with self.lock:
            self._last_us = max(int(time.time() * 1_000_000), self._last_us + 1)
            return f"{self._last_us // 1_000_000}.{self._last_us % 1_000_000:06d}"

    def channel_id(self, value: Any) -> str:
        """A channel ID from an ID, a name or "#name", as chat.postMessage accepts."""
        value = str(value or "")
        if value in self.channels:
            return value
        for channel_id, name in self.channels.items():
            if value.lstrip("#") == name:
                return channel_id
        raise MethodError("channel_not_found")

    def find_message(self, channel: Any, ts: Any) -> dict[str, Any]:
        """The stored message (not a copy), or Slack's message_not_found."""
        message = self.messages[self.channel_id(channel)].get(str(ts or ""))
        if message is None:
            raise MethodError("message_not_found")
        return message

    def add_message(self, channel: str, text: str, blocks: list | None = None, *, user: str = BOT_USER_ID,
                    thread_ts: str | None = None) -> dict[str, Any]:
        """Store a message as Slack would show it in conversations.history, and return it."""
        with self.lock:
            channel_id = self.channel_id(channel)
            message: dict[str, Any] = {"type": "message", "user": user, "text": text, "ts": self.next_ts(),
                                       "team": TEAM_ID}
            if user == BOT_USER_ID:
                message.update(bot_id=BOT_ID, app_id=APP_ID)
            if blocks:
                message["blocks"] = _with_block_ids(blocks)
            if thread_ts:
                parent = self.find_message(channel_id, thread_ts)
                parent.setdefault("thread_ts", parent["ts"])
                parent["reply_count"] = parent.get("reply_count", 0) + 1
                parent["latest_reply"] = message["ts"]
                message["thread_ts"] = parent["ts"]
                message["parent_user_id"] = parent["user"]
            self.messages[channel_id][message["ts"]] = message
            return message

    def update_message(self, channel: str, ts: str, text: str | None, blocks: list | None) -> dict[str, Any]:
        """Change a bot message in place. As in chat.update, blocks left out are kept; [] removes them."""
        with self.lock:
            message = self.find_message(channel, ts)
            if message["user"] != BOT_USER_ID:
                raise MethodError("cant_update_message")
            if text is not None:
                message["text"] = text
            if blocks is not None:
                message["blocks"] = _with_block_ids(blocks)
                if not blocks:
                    del message["blocks"]
            message["edited"] = {"user": BOT_USER_ID, "ts": self.next_ts()}
            return message

    def delete_message(self, channel: str, ts: str) -> None:
        with self.lock:
            self.find_message(channel, ts)
            del self.messages[self.channel_id(channel)][ts]

    def add_ephemeral(self, channel: str, user: str, text: str, blocks: list | None, via: str) -> dict[str, Any]:
        """Record a message only `user` sees; Slack keeps no copy, so neither does the channel store."""
        with self.lock:
            ephemeral = {"channel": self.channel_id(channel), "user": user, "text": text, "blocks": blocks or [],
                         "message_ts": self.next_ts(), "via": via}
            self.ephemerals.append(ephemeral)
            return ephemeral

    def respond(self, channel: str, message_ts: str | None, user: str, body: dict[str, Any]) -> None:
        """A post to a response_url: replace or delete the original message, post in channel, or reply privately."""
        text, blocks = str(body.get("text") or ""), body.get("blocks")
        if blocks is not None:
            _check_blocks(blocks)
        if message_ts and body.get("delete_original"):
            self.delete_message(channel, message_ts)
        elif message_ts and body.get("replace_original"):
            self.update_message(channel, message_ts, text, blocks if blocks is not None else [])
        elif body.get("response_type") == "in_channel":
            self.add_message(channel, text, blocks, thread_ts=body.get("thread_ts"))
        else:
            self.add_ephemeral(channel, user, text, blocks, via="response_url")

    # ---- Web API methods -----------------------------------------------------------------------------------

    def chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "channel")
        if not (args.get("text") or args.get("blocks") or args.get("attachments")):
            raise MethodError("no_text")
        if "blocks" in args:
            _check_blocks(args["blocks"])
        message = self.add_message(args["channel"], str(args.get("text") or ""), args.get("blocks"),
                                   thread_ts=args.get("thread_ts"))
        channel = self.channel_id(args["channel"])
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": copy.deepcopy(message)}

    def chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "channel", "ts")
        if "blocks" in args:
            _check_blocks(args["blocks"])
        text = None if args.get("text") is None else str(args["text"])
        message = self.update_message(args["channel"], str(args["ts"]), text, args.get("blocks"))
        return {"ok": True, "channel": self.channel_id(args["channel"]), "ts": message["ts"],
                "text": message["text"], "message": copy.deepcopy(message)}

    def chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "channel", "user")
        if not (args.get("text") or args.get("blocks")):
            raise MethodError("no_text")
        if args["user"] not in self.users:
            raise MethodError("user_not_in_channel")
        if "blocks" in args:
            _check_blocks(args["blocks"])
        ephemeral = self.add_ephemeral(args["channel"], args["user"], str(args.get("text") or ""),
                                       args.get("blocks"), via="chat.postEphemeral")
        return {"ok": True, "message_ts": ephemeral["message_ts"]}

    def chat_get_permalink(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "channel", "message_ts")
        message = self.find_message(args["channel"], args["message_ts"])
        channel = self.channel_id(args["channel"])
        link = f"https://{TEAM_DOMAIN}.slack.com/archives/{channel}/p{message['ts'].replace('.', '')}"
        if message.get("thread_ts", message["ts"]) != message["ts"]:
            link += f"?thread_ts={message['thread_ts']}&cid={channel}"
        return {"ok": True, "channel": channel, "permalink": link}

    def views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "trigger_id", "view")
        with self.lock:
            if args["trigger_id"] in self._used_triggers:
                raise MethodError("exchanged_trigger_id")
            _check_blocks(args["view"], view_errors)
            self._used_triggers.add(args["trigger_id"])
            view_id = f"V{uuid.uuid4().hex[:10].upper()}"
            self.views[view_id] = self._stored_view(view_id, args["view"], root_view_id=view_id)
            return {"ok": True, "view": copy.deepcopy(self.views[view_id])}

    def views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "view")
        with self.lock:
            view_id = args.get("view_id") or next(
                (v["id"] for v in self.views.values() if v["external_id"] == args.get("external_id")), None)
            if view_id not in self.views:
                raise MethodError("not_found")
            if args.get("hash") and args["hash"] != self.views[view_id]["hash"]:
                raise MethodError("hash_conflict")
            _check_blocks(args["view"], view_errors)
            root = self.views[view_id]["root_view_id"]
            self.views[view_id] = self._stored_view(view_id, args["view"], root_view_id=root)
            return {"ok": True, "view": copy.deepcopy(self.views[view_id])}

    def _stored_view(self, view_id: str, view: dict[str, Any], root_view_id: str) -> dict[str, Any]:
        stored = {"id": view_id, "team_id": TEAM_ID, "type": view["type"], "callback_id": "",
                  "private_metadata": "", "external_id": "", "title": view["title"], "submit": None, "close": None,
                  "clear_on_close": False, "notify_on_close": False, "blocks": _with_block_ids(view.get("blocks", [])),
                  "state": {"values": {}}, "hash": f"{int(time.time())}.{uuid.uuid4().hex[:8]}",
                  "previous_view_id": None, "root_view_id": root_view_id, "app_id": APP_ID, "bot_id": BOT_ID}
        stored.update({k: copy.deepcopy(v) for k, v in view.items() if k != "blocks"})
        return stored

    def reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "channel", "timestamp", "name")
        with self.lock:
            message = self.find_message(args["channel"], args["timestamp"])
            name = str(args["name"]).strip(":")
            reactions = message.setdefault("reactions", [])
            reaction = next((r for r in reactions if r["name"] == name), None)
            if reaction is None:
                reaction = {"name": name, "users": [], "count": 0}
                reactions.append(reaction)
            if BOT_USER_ID in reaction["users"]:
                raise MethodError("already_reacted")
            reaction["users"].append(BOT_USER_ID)
            reaction["count"] += 1
        return {"ok": True}

    def users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "user")
        if args["user"] not in self.users:
            raise MethodError("user_not_found")
        return {"ok": True, "user": self.users[args["user"]].as_slack()}

    def conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "channel")
        channel_id = self.channel_id(args["channel"])
        return {"ok": True, "channel": {
            "id": channel_id, "name": self.channels[channel_id], "is_channel": True, "is_group": False,
            "is_im": False, "is_private": False, "is_archived": False, "is_member": True, "created": 1_700_000_000,
            "context_team_id": TEAM_ID, "topic": {"value": ""}, "purpose": {"value": ""},
            "num_members": len(self.users)}}

    def usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "usergroup")
        if args["usergroup"] not in self.usergroups:
            raise MethodError("no_such_subteam")
        return {"ok": True, "users": list(self.usergroups[args["usergroup"]])}


def _with_block_ids(blocks: list) -> list:
    """Copies of the blocks; as on Slack, each block without a block_id gets a random one."""
    stored = copy.deepcopy(blocks)
    for block in stored:
        if isinstance(block, dict):
            block.setdefault("block_id", uuid.uuid4().hex[:5])
    return stored
