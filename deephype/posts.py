"""Reading blog posts: a JSON list (Mercury web-parser format), JSON Lines, or a folder of .txt files.

A post that is not an object, or whose fields have the wrong type, is counted and skipped; a file that cannot be
read at all is an InputError with one line saying what to fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deephype.errors import InputError


@dataclass(frozen=True)
class RawPost:
    title: str
    content: str
    url: str = ""
    domain: str = ""
    author: str = ""
    date_published: str = ""
    lang: str = ""


@dataclass(frozen=True)
class PostsFile:
    posts: list[RawPost]
    malformed: int  # records that were not usable post objects


def read_posts(path: str | Path) -> PostsFile:
    """Posts from a .json list, a .jsonl file or a folder of .txt files (first line is the title)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"posts file {path} does not exist: pass --posts PATH to a .json, .jsonl or folder of .txt")
    if path.is_dir():
        return _read_text_folder(path)
    text = _read_utf8(path)
    if path.suffix.lower() in (".jsonl", ".ndjson") or _looks_like_json_lines(text):
        records = _parse_json_lines(text, path)
    else:
        records = _parse_json_list(text, path)
    posts = [post for post in (_post_from_record(r) for r in records) if post is not None]
    return PostsFile(posts=posts, malformed=len(records) - len(posts))


def _read_utf8(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path} is not UTF-8 text (byte {error.start}): re-save it as UTF-8, e.g. `iconv -t UTF-8`"
        ) from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None


def _looks_like_json_lines(text: str) -> bool:
    stripped = text.lstrip()
    return stripped.startswith("{") and "\n{" in stripped


def _parse_json_list(text: str, path: Path) -> list[Any]:
    if not text.strip():
        raise InputError(f"{path} is empty: it should hold a JSON list of posts")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{path} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputError(f"{path} must hold a JSON list of post objects, not a {type(data).__name__}")
    return data


def _parse_json_lines(text: str, path: Path) -> list[Any]:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise InputError(f"{path} line {number} is not valid JSON ({error.msg})") from None
    return records


def _text_field(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else None


def _post_from_record(record: Any) -> RawPost | None:
    if not isinstance(record, dict):
        return None
    fields = {name: _text_field(record, name) for name in RawPost.__dataclass_fields__}
    if any(value is None for value in fields.values()):
        return None  # a field of the wrong type: not a post we understand
    return RawPost(**fields)


def _read_text_folder(folder: Path) -> PostsFile:
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise InputError(f"{folder} holds no .txt files: put one post per file, its first line the title")
    posts, malformed = [], 0
    for file in files:
        title, _, content = _read_utf8(file).strip().partition("\n")
        if not title.strip():
            malformed += 1
            continue
        posts.append(RawPost(title=title.strip(), content=content.strip(), url=file.stem))
    return PostsFile(posts=posts, malformed=malformed)
