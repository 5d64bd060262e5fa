"""Block Kit for the curation channel: pure builders (no Slack calls), the ids handlers listen on, and a plain-text
renderer for logs and the offline demo. Every message builder returns (text, blocks): text is the notification
fallback, blocks what Slack shows.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

# action_ids of the buttons; each button's value is the candidate id.
APPROVE = "candidate_approve"
REJECT = "candidate_reject"
EDIT = "candidate_edit"
REGENERATE = "candidate_regenerate"
POST_NOW = "candidate_post_now"
WAS_POSTED = "candidate_was_posted"  # needs_review: a person found the post on X (opens the link modal)
QUEUE_AGAIN = "candidate_queue_again"  # needs_review: a person found it missing on X
CANDIDATE_ACTIONS_BLOCK = "candidate_actions"
DECIDED_ACTIONS_BLOCK = "decided_actions"
REVIEW_ACTIONS_BLOCK = "review_actions"

# The edit modal: its callback_id, and where the edited text is in view.state.values.
EDIT_MODAL = "candidate_edit_modal"
EDIT_BLOCK = "edited_text"
EDIT_INPUT = "edited_text_input"
# The modal "It was posted" opens, and where the link typed is.
POSTED_MODAL = "candidate_posted_modal"
POSTED_BLOCK = "posted_link"
POSTED_INPUT = "posted_link_input"
# Each modal's one text box, as (block_id, action_id): what a submission of that modal must carry.
MODAL_INPUTS = {EDIT_MODAL: (EDIT_BLOCK, EDIT_INPUT), POSTED_MODAL: (POSTED_BLOCK, POSTED_INPUT)}

# Slack's limits (https://docs.slack.dev/reference/block-kit/blocks).
SECTION_TEXT_LIMIT = 3000
HEADER_TEXT_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
MAX_BLOCKS = 50
PLAIN_INPUT_LIMIT = 3000

STATUSES = ("approved", "queued", "rejected", "posted", "failed", "needs_review")
_STATUS_EMOJI = {"approved": ":white_check_mark:", "queued": ":white_check_mark:", "rejected": ":x:",
                 "posted": ":mega:", "failed": ":warning:", "needs_review": ":eyes:"}


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn gives meaning to; nothing else is escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """Shorten to at most `limit` characters with an ellipsis, never cutting an escaped entity in half."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def _plain(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def _mrkdwn(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": clip(text, limit)}


def _button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button = {"type": "button", "text": _plain(label, BUTTON_TEXT_LIMIT), "action_id": action_id, "value": value}
    if style:
        button["style"] = style
    return button


def _context(*lines: str) -> dict[str, Any]:
    return {"type": "context", "elements": [_mrkdwn(line) for line in lines]}


def song_header(artist: str, song: str, genres: list[str] | tuple[str, ...], genre_source: str,
                tweet_url: str | None = None, requested_by: str | None = None) -> tuple[str, list[dict]]:
    """The message that opens a song's thread: title, genres and where they came from, who or what asked."""
    title = f"{artist} – {song}"
    genre_line = ", ".join(escape(g) for g in genres) if genres else "none found"
    blocks: list[dict] = [{"type": "header", "text": _plain(title, HEADER_TEXT_LIMIT)},
                          {"type": "section", "text": _mrkdwn(f"*Genres:* {genre_line} _({escape(genre_source)})_")}]
    origin = []
    if requested_by:
        origin.append(f"Requested by <@{requested_by}>")
    if tweet_url:
        origin.append(f"From <{tweet_url}|this tweet>")
    if origin:
        blocks.append(_context(*origin))
    return f"New candidates for {escape(title)}", blocks


def candidate_message(candidate_id: int | str, text: str, score: float, rank: int) -> tuple[str, list[dict]]:
    """One candidate with Approve / Reject / Edit / Regenerate; its own message so a reaction targets only it."""
    value = str(candidate_id)
    reject = _button("Reject", REJECT, value, "danger")
    reject["confirm"] = {"title": _plain("Reject this candidate?"), "text": _mrkdwn("It will not be posted."),
                         "confirm": _plain("Reject"), "deny": _plain("Keep it"), "style": "danger"}
    blocks = [
        {"type": "section", "text": _mrkdwn(escape(text))},
        _context(f"Candidate {rank} · score {score:.2f} · {len(text)} characters"),
        {"type": "actions", "block_id": CANDIDATE_ACTIONS_BLOCK, "elements": [
            _button("Approve", APPROVE, value, "primary"), reject,
            _button("Edit", EDIT, value), _button("Regenerate", REGENERATE, value)]},
    ]
    return clip(f"Candidate {rank}: {escape(text)}", SECTION_TEXT_LIMIT), blocks


def _slack_time(moment: datetime, reference: datetime | None = None) -> tuple[str, str]:
    """(mrkdwn, plain) for a time: a Slack date token shows it in each reader's zone; the plain form is ours."""
    same_day = reference is None or moment.date() == reference.date()
    plain = moment.strftime("%H:%M") if same_day else moment.strftime("%a %d %b %H:%M")
    token = "{time}" if same_day else "{date_short_pretty} {time}"
    return f"<!date^{int(moment.timestamp())}^{token}|{plain}>", plain


def _status_line(status: str, by_user: str | None, at: datetime, planned_for: datetime | None,
                 posted_url: str | None, reason: str | None) -> tuple[str, str]:
    """(mrkdwn, plain) of what happened to a candidate."""
    when_md, when = _slack_time(at)
    by = f" by <@{by_user}>" if by_user else ""
    why = f": {escape(reason)}" if reason else ""
    if status in ("approved", "queued"):
        md, plain = f"Approved{by} at {when_md}", f"Approved{by} at {when}"
        if planned_for is not None:
            planned_md, planned = _slack_time(planned_for, at)
            md, plain = f"{md}, queued for {planned_md}", f"{plain}, queued for {planned}"
        return md, plain
    if status == "rejected":
        return f"Rejected{by} at {when_md}{why}", f"Rejected{by} at {when}{why}"
    if status == "posted":
        if not posted_url:
            raise ValueError("a posted candidate needs posted_url")
        return f"Posted: <{posted_url}>", f"Posted: <{posted_url}>"
    if status == "failed":
        why = why or ": unknown error"
        return f"Posting failed at {when_md}{why}", f"Posting failed at {when}{why}"
    if status == "needs_review":
        return f"Needs a person to check{why}", f"Needs a person to check{why}"
    raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")


def decided_message(text: str, status: str, by_user: str | None, at: datetime, planned_for: datetime | None = None,
                    posted_url: str | None = None, edited_from: str | None = None, reason: str | None = None,
                    candidate_id: int | str | None = None, post_now: bool = False) -> tuple[str, list[dict]]:
    """A candidate after a decision: buttons gone, the outcome in their place. With `candidate_id`, a post that
    needs checking offers the two ways to settle it, and with `post_now` an approved candidate waiting for its
    slot keeps one button, Post now."""
    line_md, line = _status_line(status, by_user, at, planned_for, posted_url, reason)
    blocks: list[dict] = [{"type": "section", "text": _mrkdwn(escape(text))},
                          _context(f"{_STATUS_EMOJI[status]} {line_md}")]
    if status == "posted" and by_user:
        blocks[-1]["elements"].append(_mrkdwn(f"approved by <@{by_user}>"))
    if edited_from is not None and edited_from != text:
        blocks.append(_context(f"Edited before approval. Original: {escape(edited_from)}"))
    if status in ("approved", "queued") and candidate_id is not None and post_now:
        blocks.append({"type": "actions", "block_id": DECIDED_ACTIONS_BLOCK,
                       "elements": [_button("Post now", POST_NOW, str(candidate_id))]})
    if status == "needs_review" and candidate_id is not None:
        blocks.append(_review_actions(candidate_id))
    return clip(f"{line}\n{escape(text)}", SECTION_TEXT_LIMIT), blocks


def _review_actions(candidate_id: int | str) -> dict[str, Any]:
    """A person settles a post whose fate is unknown: found on X, or missing and queued again once confirmed."""
    value = str(candidate_id)
    posted, again = _button("It was posted", WAS_POSTED, value), _button("Not posted, queue again", QUEUE_AGAIN, value)
    again["confirm"] = {
        "title": _plain("Queue it again?"),
        "text": _mrkdwn("Only if you checked the account on X and this post is not there: it will go out at the "
                        "next free slot."),
        "confirm": _plain("Queue again"), "deny": _plain("Cancel")}
    return {"type": "actions", "block_id": REVIEW_ACTIONS_BLOCK, "elements": [posted, again]}


def posted_modal(candidate_id: int | str) -> dict[str, Any]:
    """The modal "It was posted" opens: the link of the post a person found on X; the id rides in private_metadata."""
    element = {"type": "plain_text_input", "action_id": POSTED_INPUT, "max_length": 300,
               "placeholder": _plain("https://x.com/account/status/1234567890")}
    hint = "Nothing is posted: the record says it went out, as this tweet."
    return {"type": "modal", "callback_id": POSTED_MODAL, "private_metadata": str(candidate_id),
            "title": _plain("It was posted"), "submit": _plain("Save"), "close": _plain("Cancel"),
            "blocks": [{"type": "input", "block_id": POSTED_BLOCK, "label": _plain("Link to the post on X"),
                        "element": element, "hint": _plain(hint)}]}


def edit_modal(candidate_id: int | str, text: str, max_chars: int) -> dict[str, Any]:
    """The modal the Edit button opens, prefilled; the candidate id rides in private_metadata."""
    hint = f"At most {max_chars} characters. The original is kept for the record."
    if len(text) > max_chars:
        hint = f"At most {max_chars} characters; this text has {len(text)}. The original is kept for the record."
    element = {"type": "plain_text_input", "action_id": EDIT_INPUT, "multiline": True, "initial_value": text,
               "max_length": min(max(max_chars, len(text)), PLAIN_INPUT_LIMIT)}
    return {"type": "modal", "callback_id": EDIT_MODAL, "private_metadata": str(candidate_id),
            "title": _plain("Edit candidate"), "submit": _plain("Save"), "close": _plain("Cancel"),
            "blocks": [{"type": "input", "block_id": EDIT_BLOCK, "label": _plain("Text to post"),
                        "element": element, "hint": _plain(hint)}]}


def modal_submission(view: dict[str, Any]) -> tuple[str, str]:
    """(candidate_id, text typed) from a submitted edit or posted-link modal's view."""
    block, element = MODAL_INPUTS[view["callback_id"]]
    value = view["state"]["values"][block][element].get("value") or ""
    return view["private_metadata"], value.strip()


def modal_errors(view: dict[str, Any], message: str) -> dict[str, Any]:
    """The ack body that keeps a submitted modal open with `message` under its text box."""
    block, _ = MODAL_INPUTS[view["callback_id"]]
    return {"response_action": "errors", "errors": {block: message}}


def help_text(approve_emoji: str = "white_check_mark", reject_emoji: str = "x", command: str = "/hype") -> str:
    """What `/hype help` answers (mrkdwn)."""
    return "\n".join([
        "*deephype* writes short commentary about songs; nothing reaches X until a curator approves it.",
        f"• `{command} <artist> - <song>`: write candidates, e.g. `{command} M83 - Midnight City`",
        f"• `{command} help`: this message",
        "On a candidate: *Approve* queues it for the next posting slot, *Reject* drops it, "
        "*Edit* lets you change the text first, *Regenerate* writes more for the same song.",
        f"Reactions work too: :{approve_emoji}: approves and :{reject_emoji}: rejects a candidate.",
        "Only the curators listed in the bot's config can decide.",
    ])


_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")
# Code first, so markers inside it stay literal: ```pre```, then `code`.
_CODE = re.compile(r"```(.+?)```|`([^`\n]+)`", re.DOTALL)
# Slack reads *bold*, _italic_ and ~strike~ only when the opening marker starts a word and the closing one ends
# it, so "f*ck", "5*3" and "snake_case_name" keep their characters.
_EMPHASIS = [re.compile(rf"(?<![\w{m}]){m}(?=[^\s{m}])([^{m}\n]*?[^\s{m}]){m}(?![\w{m}])") for m in
             (re.escape("*"), "_", "~")]
_HOLD = "\ue000{}\ue001"  # a private-use stand-in for a link or code span while markers are read
_HELD = re.compile("\ue000(\\d+)\ue001")


def _link_to_plain(match: re.Match[str], names: Mapping[str, str]) -> str:
    target, label = match.group(1), match.group(2)
    if target.startswith("@"):
        return "@" + (names.get(target[1:]) or label or target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        return label if label is not None else "@" + target[1:].split("^")[-1]
    return f"{_unemphasised(label)} ({target})" if label else target


def _unemphasised(text: str) -> str:
    for emphasis in _EMPHASIS:
        text = emphasis.sub(r"\1", text)
    return text


def mrkdwn_to_plain(text: str, names: Mapping[str, str] | None = None) -> str:
    """Readable text from mrkdwn: links, mentions (as @name when `names` maps the user id, else @id) and date
    tokens spelled out, emphasis and code markers dropped, entities decoded."""
    held: list[str] = []

    def hold(plain: str) -> str:
        held.append(plain)
        return _HOLD.format(len(held) - 1)

    text = text.replace("\ue000", "").replace("\ue001", "")  # nothing of the text's own may pose as a stand-in
    text = _CODE.sub(lambda m: hold(m.group(1) if m.group(1) is not None else m.group(2)), text)
    text = _LINK.sub(lambda m: hold(_link_to_plain(m, names or {})), text)
    return html.unescape(_HELD.sub(lambda m: held[int(m.group(1))], _unemphasised(text)))


def _render_block(block: dict[str, Any], names: Mapping[str, str]) -> str:
    kind = block.get("type")
    if kind in ("header", "section"):
        parts = [block["text"]["text"]] if "text" in block else []
        parts += [f["text"] for f in block.get("fields", [])]
        if block.get("accessory", {}).get("type") == "button":
            parts.append(f"[ {block['accessory']['text']['text']} ]")
        return "\n".join(mrkdwn_to_plain(p, names) for p in parts)
    if kind == "context":
        return "  ·  ".join(mrkdwn_to_plain(e.get("text", e.get("alt_text", "")), names) for e in block["elements"])
    if kind == "actions":
        return "  ".join(f"[ {e['text']['text']} ]" for e in block["elements"] if "text" in e)
    if kind == "input":
        element = block.get("element", {})
        return f"{block['label']['text']}: [ {element.get('initial_value', '')} ]"
    if kind == "divider":
        return "―" * 20
    if kind == "image":
        return f"[image: {block.get('alt_text', '')}]"
    return f"[{kind} block]"


def render_text(blocks: list[dict[str, Any]], names: Mapping[str, str] | None = None) -> str:
    """Blocks as plain text, one block a line (or more), buttons as `[ Approve ]`. `names` maps Slack user ids
    to the names to show (`{"U0ANA0001": "ana"}` gives "@ana"); an id it does not know is shown as "@U0ANA0001"."""
    return "\n".join(_render_block(b, names or {}) for b in blocks)
