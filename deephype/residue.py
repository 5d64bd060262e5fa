"""Last check on a cleaned sentence: anything left that must never reach the corpus (mojibake, links, markup).

The corpus test asserts that no kept sentence has mojibake, a URL, an e-mail, an @handle or markdown, so each
of those has a pattern here that errs on the side of flagging.
"""

from __future__ import annotations

import re
import unicodedata

from ftfy import badness

_PLACEHOLDER = re.compile(r"<artist>|<song>")
# Top-level domains seen in music-blog links; a bare "name.tld" with one of these is a link, not a word.
_TLDS = (
    r"com|net|org|edu|gov|info|biz|io|fm|am|me|tv|co|uk|us|ca|au|nz|ie|de|fr|nl|be|se|no|dk|fi|es|it|pt|ch|at|"
    r"jp|ru|br|mx|ly|la|to|gl|gg|cc|ws|xyz|club|blog|music|band|audio|live|online|site|store|shop|app|link"
)
_CHECKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("mojibake", re.compile(r"aEUR|â€|Ã[\u0080-\u00bf]|Â[\u0080-\u00bf]|\ufffd|ï»¿")),
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")),
    # Bare domains only with a lower-case top-level domain, so "song.It" (a missing space) is not a link.
    ("url", re.compile(rf"(?i:\b(?:https?|ftp)://|\bwww\.)|\b[\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})\b(?!\.?\w)")),
    ("handle", re.compile(r"(?<![\w@])@[A-Za-z0-9_]{2,}")),
    ("hashtag", re.compile(r"(?<![\w&#])#[^\W\d_]\w*")),
    ("html", re.compile(r"</?[A-Za-z][^<>]*>|&(?:[A-Za-z]{2,8}|#\d{2,6}|#[xX][0-9a-fA-F]{2,5});")),
    (
        "markdown",
        re.compile(
            r"\*\*|__|~~|`|\]\(|!\[|[\[\]|{}\\]|(?<![^\W_])[*_]|[*_](?![^\W_])"
            r"|^\s*(?:#{1,6}\s|>|[-*+]\s|\d{1,3}\.\s)"
        ),
    ),
    ("control", re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")),
)
_CLOSERS = {")": "(", "]": "["}
# A sentence that starts in lower case is the tail of a bad split ("voted in Pitchfork's top ten...").
_LOWER_START = re.compile(r"^[\s\"'(\[-]*[a-z]")
# Ending in ":" or "," it introduces a quote or list that was cut off ("About the track, he detailed:"); ending
# in "the" or "and" it was cut mid-phrase.
_LEAD_IN_END = re.compile(
    r"(?:[:;,\-/&|]|\b(?i:the|a|an|and|or|but|of|to|with|for|from|by|at|in|on|that|my|your|their|his|her|its"
    r"|our))\s*$"
)


def residue_reason(sentence: str) -> str | None:
    """Why this sentence still can't be kept ("mojibake", "url", "email", "handle", "hashtag", "html",
    "markdown", "control", "non_latin", "unbalanced", "fragment", "unterminated", "symbols"), or None if it is
    clean."""
    text = _PLACEHOLDER.sub("X", str(sentence))
    for reason, pattern in _CHECKS:
        if pattern.search(text):
            return reason
    if not text.isascii():
        if badness.is_bad(text):
            return "mojibake"
        if _has_non_latin_letter(text):
            return "non_latin"
    if not _balanced(text):
        return "unbalanced"
    if _LOWER_START.match(text):
        return "fragment"
    if _LEAD_IN_END.search(text):
        return "unterminated"
    if _mostly_symbols(text):
        return "symbols"
    return None


def _has_non_latin_letter(text: str) -> bool:
    return any(ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN") for ch in text if ord(ch) > 0x7F)


def _balanced(text: str) -> bool:
    if text.count('"') % 2:
        return False
    if "(" not in text and ")" not in text and "[" not in text and "]" not in text:
        return True
    depth: list[str] = []
    for ch in text:
        if ch in "([":
            depth.append(ch)
        elif ch in _CLOSERS and (not depth or depth.pop() != _CLOSERS[ch]):
            return False
    return not depth


def _mostly_symbols(text: str) -> bool:
    """Fewer letters than other visible characters: dates, prices, scores and separators, not prose."""
    visible = len(text) - sum(map(str.isspace, text))
    return sum(map(str.isalpha, text)) * 2 < visible
