"""A global Bolt middleware that answers a button click or modal submission whose fields have the wrong shape with
an empty 200 (logged), before any listener reads them: Slack never sends those, a forger or a broken proxy might."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse

from bot.blocks import MODAL_INPUTS

log = logging.getLogger(__name__)


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _block_action_problem(body: dict[str, Any]) -> str | None:
    actions = body.get("actions")
    if not (isinstance(actions, list) and actions and isinstance(actions[0], dict)):
        return "no action"
    if actions[0].get("value") is not None and not _is_str(actions[0]["value"]):
        return "an action value that is not text"
    container, message = body.get("container"), body.get("message")
    if not (isinstance(container, dict) and _is_str(container.get("channel_id"))):
        return "no channel"
    if message is not None and not (isinstance(message, dict) and _is_str(message.get("thread_ts", ""))):
        return "a message of the wrong shape"
    if not _is_str(container.get("thread_ts", "")) or not _is_str(body.get("trigger_id", "")):
        return "a thread or trigger of the wrong type"
    return None


def _view_problem(body: dict[str, Any]) -> str | None:
    view = _dict(body.get("view"))
    values = _dict(_dict(view.get("state")).get("values"))
    if not _is_str(view.get("private_metadata")) or not all(isinstance(v, dict) for v in values.values()):
        return "a view of the wrong shape"
    if view.get("callback_id") not in MODAL_INPUTS:
        return "a modal the bot never opened"
    block, element = MODAL_INPUTS[view["callback_id"]]
    if not isinstance(values.get(block, {}).get(element), dict):
        return "no text box of that modal"
    inputs = [i for block in values.values() for i in block.values()]
    if not all(isinstance(i, dict) and (i.get("value") is None or _is_str(i["value"])) for i in inputs):
        return "an input value that is not text"
    return None


PROBLEMS = {"block_actions": _block_action_problem, "view_submission": _view_problem}


def problem(body: dict[str, Any]) -> str | None:
    """Why an interaction payload cannot be acted on, or None when its fields have the shapes Slack sends."""
    check = PROBLEMS.get(body.get("type"))  # type: ignore[arg-type]
    if check is None:
        return None
    if not _is_str(_dict(body.get("user")).get("id")):
        return "no user"
    return check(body)


def check_shape(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:  # noqa: A002 (Bolt's name)
    """Bolt middleware: pass well-shaped payloads on, answer the rest with an empty 200."""
    why = problem(body)
    if why is None:
        next()
        return None
    log.warning("ignored a %s payload with %s", body.get("type"), why)
    return BoltResponse(status=200, body="")
