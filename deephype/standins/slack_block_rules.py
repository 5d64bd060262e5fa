"""The Block Kit limits Slack enforces, checked by the Web API stand-in so a bad message fails as it would on Slack.

Each check returns Slack's `response_metadata.messages` lines: `[ERROR] ... [json-pointer:/blocks/0/text/text]`.
"""

from __future__ import annotations

from typing import Any

MAX_MESSAGE_BLOCKS = 50
MAX_MODAL_BLOCKS = 100
SECTION_TEXT_LIMIT = 3000
SECTION_FIELD_LIMIT = 2000
SECTION_MAX_FIELDS = 10
HEADER_TEXT_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
ACTION_ID_LIMIT = 255
BLOCK_ID_LIMIT = 255
ACTIONS_MAX_ELEMENTS = 25
CONTEXT_MAX_ELEMENTS = 10
VIEW_TITLE_LIMIT = 24
PRIVATE_METADATA_LIMIT = 3000

BLOCK_TYPES = {"section", "header", "context", "actions", "divider", "image", "input", "rich_text", "markdown",
               "file", "video"}


def _error(message: str, pointer: str) -> str:
    return f"[ERROR] {message} [json-pointer:{pointer}]"


def _text_errors(obj: Any, pointer: str, limit: int, *, plain_only: bool = False) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in {"plain_text", "mrkdwn"}:
        return [_error("must be a text object of type plain_text or mrkdwn", pointer)]
    if plain_only and obj["type"] != "plain_text":
        return [_error("must be a plain_text text object", f"{pointer}/type")]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [_error("must be more than 0 characters", f"{pointer}/text")]
    if len(text) > limit:
        return [_error(f"must be less than {limit + 1} characters", f"{pointer}/text")]
    return []


def _element_errors(element: Any, pointer: str) -> list[str]:
    if not isinstance(element, dict) or "type" not in element:
        return [_error("must be an element object", pointer)]
    errors: list[str] = []
    if len(str(element.get("action_id", ""))) > ACTION_ID_LIMIT:
        errors.append(_error(f"must be less than {ACTION_ID_LIMIT + 1} characters", f"{pointer}/action_id"))
    if element["type"] == "button":
        errors += _text_errors(element.get("text"), f"{pointer}/text", BUTTON_TEXT_LIMIT, plain_only=True)
        if len(str(element.get("value", ""))) > BUTTON_VALUE_LIMIT:
            errors.append(_error(f"must be less than {BUTTON_VALUE_LIMIT + 1} characters", f"{pointer}/value"))
        if element.get("style") not in {None, "primary", "danger"}:
            errors.append(_error("must be one of primary, danger", f"{pointer}/style"))
    return errors


def _section_errors(block: dict, pointer: str) -> list[str]:
    if "text" not in block and "fields" not in block:
        return [_error("must provide either text or fields", pointer)]
    errors = _text_errors(block["text"], f"{pointer}/text", SECTION_TEXT_LIMIT) if "text" in block else []
    fields = block.get("fields", [])
    if len(fields) > SECTION_MAX_FIELDS:
        errors.append(_error(f"no more than {SECTION_MAX_FIELDS} items allowed", f"{pointer}/fields"))
    for i, field in enumerate(fields):
        errors += _text_errors(field, f"{pointer}/fields/{i}", SECTION_FIELD_LIMIT)
    if "accessory" in block:
        errors += _element_errors(block["accessory"], f"{pointer}/accessory")
    return errors


def _elements_errors(block: dict, pointer: str, limit: int) -> list[str]:
    elements = block.get("elements")
    if not isinstance(elements, list) or not elements:
        return [_error("must provide at least 1 item", f"{pointer}/elements")]
    if len(elements) > limit:
        return [_error(f"no more than {limit} items allowed", f"{pointer}/elements")]
    errors: list[str] = []
    action_ids = [e.get("action_id") for e in elements if isinstance(e, dict) and e.get("action_id")]
    if len(action_ids) != len(set(action_ids)):
        errors.append(_error("duplicate action_id", f"{pointer}/elements"))
    if block["type"] == "actions":
        for i, element in enumerate(elements):
            errors += _element_errors(element, f"{pointer}/elements/{i}")
    return errors


def _block_errors(block: Any, pointer: str) -> list[str]:
    if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
        kind = block.get("type") if isinstance(block, dict) else type(block).__name__
        return [_error(f"unsupported type: {kind}", f"{pointer}/type")]
    if len(str(block.get("block_id", ""))) > BLOCK_ID_LIMIT:
        return [_error(f"must be less than {BLOCK_ID_LIMIT + 1} characters", f"{pointer}/block_id")]
    kind = block["type"]
    if kind == "section":
        return _section_errors(block, pointer)
    if kind == "header":
        return _text_errors(block.get("text"), f"{pointer}/text", HEADER_TEXT_LIMIT, plain_only=True)
    if kind == "context":
        return _elements_errors(block, pointer, CONTEXT_MAX_ELEMENTS)
    if kind == "actions":
        return _elements_errors(block, pointer, ACTIONS_MAX_ELEMENTS)
    if kind == "input":
        errors = _text_errors(block.get("label"), f"{pointer}/label", 2000, plain_only=True)
        return errors + _element_errors(block.get("element"), f"{pointer}/element")
    return []


def blocks_errors(blocks: Any, *, max_blocks: int = MAX_MESSAGE_BLOCKS, pointer: str = "/blocks") -> list[str]:
    """Slack's complaints about a list of blocks, empty when it would accept them."""
    if not isinstance(blocks, list):
        return [_error("must be an array", pointer)]
    if len(blocks) > max_blocks:
        return [_error(f"no more than {max_blocks} items allowed", pointer)]
    errors: list[str] = []
    block_ids = [b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("block_id")]
    if len(block_ids) != len(set(block_ids)):
        errors.append(_error("duplicate block_id", pointer))
    for i, block in enumerate(blocks):
        errors += _block_errors(block, f"{pointer}/{i}")
    return errors


def view_errors(view: Any) -> list[str]:
    """Slack's complaints about a modal view, empty when it would accept it."""
    if not isinstance(view, dict) or view.get("type") != "modal":
        return [_error("must be a modal view", "/view/type")]
    errors = _text_errors(view.get("title"), "/view/title", VIEW_TITLE_LIMIT, plain_only=True)
    for button in ("submit", "close"):
        if button in view:
            errors += _text_errors(view[button], f"/view/{button}", VIEW_TITLE_LIMIT, plain_only=True)
    if len(str(view.get("private_metadata", ""))) > PRIVATE_METADATA_LIMIT:
        errors.append(_error(f"must be less than {PRIVATE_METADATA_LIMIT + 1} characters", "/view/private_metadata"))
    blocks = view.get("blocks", [])
    has_input = isinstance(blocks, list) and any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
    if has_input and "submit" not in view:
        errors.append(_error("submit is required when an input block is present", "/view/submit"))
    return errors + blocks_errors(blocks, max_blocks=MAX_MODAL_BLOCKS, pointer="/view/blocks")
