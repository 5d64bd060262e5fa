"""Text plumbing for the song finder: tidy headline text, compare names, find quoted spans and top-level separators."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_QUOTE_MAP = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u0060": "'", "\u00b4": "'", "\u2032": "'",
})
# Letters that NFKD leaves alone but readers treat as their plain forms ("MØ" is "MO").
_LETTER_MAP = str.maketrans({"ø": "o", "Ø": "o", "ı": "i", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
                             "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ß": "ss", "þ": "th", "ð": "d"})
_GUILLEMETS = re.compile(r"\u00ab\s*([^\u00ab\u00bb]*?)\s*\u00bb")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\ufe0e\ufe0f]")
# A word followed by a dash and a space ("SHALLOU- VIGNETTE") is a separator missing its first space.
_HALF_SPACED_DASH = re.compile(r"(?<=\w)-\s+(?=\S)")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f0-9]")


def clean_text(text: str) -> str:
    """One line of tidy text: straight quotes, plain spaces, no emoji or control characters."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTE_MAP)
    text = _GUILLEMETS.sub(r'"\1"', text)  # a lone "«" is a separator ("... « La.Ga.Sta."), a pair quotes
    text = text.replace("''", '"')  # some sites write double quotes as two single ones (''Come Inside'')
    text = _INVISIBLE.sub("", text)
    if not (text.isascii() and text.isprintable()):
        text = "".join(ch for ch in text if _keep_char(ch))
    text = _HALF_SPACED_DASH.sub(" - ", text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=8192)
def _keep_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    if category in ("So", "Cs", "Co", "Cn", "Sk") or (category == "Cc" and not ch.isspace()):
        return False
    return not 0x1F000 <= ord(ch) <= 0x1FAFF  # emoji blocks, whatever category the database gives them


def normalise_name(name: str) -> str:
    """A comparison key: casefolded, accents/quotes/punctuation gone, "&" == "and", "N.O.R.E." == "NORE"."""
    text = unicodedata.normalize("NFKD", clean_text(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_LETTER_MAP).casefold()
    text = re.sub(r"\s*[&+]\s*|\s+x\s+(?=\w)|\s*/+\s*", " and ", text)
    text = re.sub(r"['\"`]", "", text)
    text = re.sub(r"[^\w\s]|_", " ", text)
    words = text.split()
    return " ".join(_join_initials(words))


def _join_initials(words: list[str]) -> list[str]:
    # Runs of two or more single letters are one initialism: "n o r e" -> "nore", "j i d" -> "jid".
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        out.extend(["".join(run)] if len(run) >= 2 else run)
        run = []
        if word:
            out.append(word)
    return out


def fold_with_index(text: str) -> tuple[str, list[int]]:
    """Casefolded, accent-free text and, for each of its characters, the index it came from (plus an end)."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        decomposed = unicodedata.normalize("NFKD", ch)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c)) or ch
        for c in plain.casefold().translate(_LETTER_MAP).replace("\u2019", "'"):
            out.append(c)
            index.append(i)
    index.append(len(text))
    return "".join(out), index


def fold_tokens(text: str) -> list[str]:
    """ASCII-ish lowercase word tokens for matching against URL slugs (possessive "'s" dropped)."""
    text = re.sub(r"'s\b|'", lambda m: "" if m.group(0) == "'" else "", clean_text(text))
    return normalise_name(text.replace("&", " and ")).split()


@dataclass(frozen=True)
class Quote:
    start: int  # index of the opening quote mark
    end: int  # index just after the closing quote mark
    inner: str


def find_quotes(text: str) -> list[Quote]:
    """Quoted spans in order. A single quote opens only after a space or bracket and closes only before a
    non-letter, so apostrophes ("Her's", "I'm") are not mistaken for quotes."""
    quotes: list[Quote] = []
    i = 0
    while i < len(text):
        ch = text[i]
        closing = _closing_quote(text, i) if ch in "\"'" and _can_open(text, i) else -1
        if closing > i + 1:
            quotes.append(Quote(i, closing + 1, text[i + 1:closing].strip()))
            i = closing + 1
        else:
            i += 1
    return [q for q in quotes if q.inner]


def _can_open(text: str, i: int) -> bool:
    if text[i] == '"':
        return i + 1 < len(text) and not text[i + 1].isspace()
    before = text[i - 1] if i else " "
    return not _LATIN_LETTER.match(before) and i + 1 < len(text) and not text[i + 1].isspace()


def _closing_quote(text: str, i: int) -> int:
    mark = text[i]
    j = i + 1
    while True:
        j = text.find(mark, j)
        if j < 0:
            return -1
        after = text[j + 1] if j + 1 < len(text) else " "
        if mark == '"' or not _LATIN_LETTER.match(after):
            return j
        j += 1


_SEPARATOR = re.compile(
    r"\s+[-~]{1,2}\s+|\s*[\u2013\u2014\u2015]+\s*|\s-(?=\s|$)|\s*\|+\s*|\s*/{2,}\s+|\s+/{2,}\s*|\s*::+\s*"
    r"|\s+[\u2022\u00b7\u00ab]\s+|\s+\u2022|:\s+|\s:(?=\s|$)|:$|\s+-$"
)


def split_top_level(text: str, pattern: re.Pattern[str] = _SEPARATOR) -> list[str]:
    """Split at separators outside quotes and brackets; empty pieces are dropped."""
    protected = _protected_mask(text)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        if any(protected[match.start():match.end()]):
            continue
        pieces.append(text[last:match.start()])
        last = match.end()
    pieces.append(text[last:])
    return [p.strip() for p in pieces if p.strip(" -:|/")]


def _protected_mask(text: str) -> list[bool]:
    mask = [False] * len(text)
    for quote in find_quotes(text):
        for k in range(quote.start, quote.end):
            mask[k] = True
    depth = 0
    for k, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
            mask[k] = True
        if depth:
            mask[k] = True
    return mask


COMMA = re.compile(r",\s+")


def strip_quotes(text: str) -> str:
    """Drop quote marks and trailing commas around a name ('"How Simple,"' -> 'How Simple')."""
    text = text.strip()
    while len(text) >= 2 and text[0] in "\"'" and text[-1] in "\"'":
        text = text[1:-1].strip()
    return text.strip(" \"'").rstrip(",;:").strip()


def words_of(text: str) -> list[str]:
    return re.findall(r"[\w'&.\-/]+", text)
