"""Turn scraped blog posts into clean commentary: repair text, split paragraphs and sentences, filter noise.

The rules live in text_repair (characters and markup), boilerplate (whole lines that are not commentary),
inline_noise and calls (noise inside a line), residue (what must never reach the corpus), english and
near_duplicates; this module is the one place the rest of deephype imports them from.
"""

from __future__ import annotations

import re

import pysbd

from deephype.boilerplate import boilerplate_reason, strip_inline_noise
from deephype.english import english_ratio
from deephype.near_duplicates import NearDuplicateFilter
from deephype.residue import residue_reason
from deephype.text_repair import repair_text

__all__ = [
    "NearDuplicateFilter",
    "boilerplate_reason",
    "content_lines",
    "english_ratio",
    "repair_text",
    "residue_reason",
    "split_sentences",
    "strip_inline_noise",
    "word_count",
]

# html2text output: a line ending in two spaces is a <br>; list items, headings and quotes start blocks.
# Paragraphs are hard-wrapped at 78 columns, so a single line break is a wrap only when the next word would
# not have fitted on the line; otherwise it was a real break (one sentence per line in hand-written text).
# A wrapped line runs past 78 only where transliteration lengthened it ("\u2026" -> "...", "\u00bb" -> ">>").
_WRAP_WIDTH = 78
_MAX_WRAPPED_LINE = 100
_TRANSLITERATED = re.compile(r"\.\.\.|aEUR|>>|<<|''|\((?:tm|c|r)\)|EUR")
_HARD_BREAK = re.compile(r"[ \t]{2,}$")
_BLOCK_START = re.compile(r"^(?:[ \t]*[*+•][ \t]|[ \t]+-[ \t]|[ \t]+\d{1,3}\.[ \t]|[ \t]*#{1,6}[ \t]|[ \t]*\|)")
_QUOTE_LINE = re.compile(r"^[ \t]*>")
_EMPTY_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]*)+$")
_WRAPPED_HYPHEN = re.compile(r"[^\W\d_]-$")

_WORD = re.compile(r"<artist>|<song>|[^\W_]+(?:[-'.][^\W_]+)*")

# pysbd knows abbreviations, initials and numbering but costs milliseconds a paragraph, so it only sees
# paragraphs where a full stop may not end a sentence ("Mt. Joy", "U.S.", "feat.", "No. 1"); the rest, and
# run-on input too long for it, go to a plain splitter that, like pysbd, never splits inside a quotation.
_PYSBD_MAX_CHARS = 4000
_AMBIGUOUS_STOP = re.compile(
    r"(?:^|[\s(\"'])(?:[A-Z][a-z]{0,2}|[A-Za-z])\.(?=\s|$)|\.[A-Za-z]|\.\.|\b\d+\.\s"
    r"|(?i:\b(?:etc|vs|feat|ft|approx|incl|esp|vol|pt|al|prod|ca)\.)"
)
_TERMINATORS = re.compile(r"[.!?;]")
_TRAILING_CLOSE = re.compile(r"[.!?\"')\]]+$")
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9<])")
_segmenter: pysbd.Segmenter | None = None


def content_lines(content: str | None) -> list[str]:
    """The post's paragraphs, each unwrapped to one repaired line; empty ones dropped."""
    if not content:
        return []
    lines = []
    for block in _raw_blocks(str(content)):
        line = " ".join(repair_text(block).split())
        if line:
            lines.append(line)
    return lines


def _raw_blocks(content: str) -> list[str]:
    blocks: list[list[str]] = []
    current: list[str] = []
    in_quote = False
    for raw in content.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip() or _EMPTY_QUOTE.match(raw):
            current, in_quote = _close(blocks, current), False
            continue
        quote = bool(_QUOTE_LINE.match(raw))
        if current and (_BLOCK_START.match(raw) or (quote and not in_quote) or not _is_wrap(current[-1], raw)):
            current = _close(blocks, current)
        current.append(raw)
        in_quote = in_quote or quote
        if _HARD_BREAK.search(raw):
            current, in_quote = _close(blocks, current), False
    _close(blocks, current)
    return [_unwrap(lines) for lines in blocks]


def _is_wrap(line: str, next_line: str) -> bool:
    width = len(line.rstrip())
    if width > _WRAP_WIDTH and (width > _MAX_WRAPPED_LINE or not _TRANSLITERATED.search(line)):
        return False
    return width + 1 + len(next_line.split()[0]) > _WRAP_WIDTH


def _close(blocks: list[list[str]], current: list[str]) -> list[str]:
    if current:
        blocks.append(current)
    return []


def _unwrap(lines: list[str]) -> str:
    """Join hard-wrapped lines; a compound split at its hyphen ("full-" / "length") is joined without a space."""
    text = lines[0].strip()
    for line in lines[1:]:
        line = line.strip()
        glue = "" if _WRAPPED_HYPHEN.search(text) and line[:1].islower() else " "
        text += glue + line
    return text


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, never split inside a quotation."""
    text = " ".join(str(paragraph).split())
    if not text:
        return []
    if not _TERMINATORS.search(_TRAILING_CLOSE.sub("", text)):
        return [text]
    if len(text) > _PYSBD_MAX_CHARS or not _AMBIGUOUS_STOP.search(text):
        return _plain_split(text)
    try:
        parts = _get_segmenter().segment(text)
    except (IndexError, ValueError, RecursionError):
        # Known pysbd failures on unusual punctuation; the plain splitter still gives usable sentences.
        return _plain_split(text)
    return [part.strip() for part in parts if part.strip()]


def _get_segmenter() -> pysbd.Segmenter:
    global _segmenter
    if _segmenter is None:
        _segmenter = pysbd.Segmenter(language="en", clean=False)
    return _segmenter


def _plain_split(text: str) -> list[str]:
    """Split after . ! ? (and closing quotes) before a capital, unless inside double quotes."""
    sentences = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if text.count('"', start, end) % 2 == 0:
            sentences.append(text[start:end].strip())
            start = end
    sentences.append(text[start:].strip())
    return [sentence for sentence in sentences if sentence]


def word_count(sentence: str) -> int:
    """Words in a sentence: runs of letters or digits (with inner - ' .), placeholders count as one."""
    return len(_WORD.findall(str(sentence)))
