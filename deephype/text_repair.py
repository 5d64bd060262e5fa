"""Repair scraped blog text: mojibake, HTML entities and tags, markdown residue, stray symbols, quotes and dashes.

The posts were converted from HTML to markdown-ish text and often transliterated to ASCII on the way, so both
the Unicode mojibake ftfy knows (`â€™`) and its ASCII transliteration (`aEUR(tm)`) occur.
"""

from __future__ import annotations

import html
import re
import unicodedata

import ftfy

_FTFY = ftfy.TextFixerConfig(explain=False, unescape_html=False)

# Mojibake of UTF-8 punctuation read as cp1252 and then transliterated to ASCII, which ftfy cannot undo:
# "“" -> "â€œ" -> "aEURoe", "’" -> "aEUR(tm)", "—"/"–" -> 'aEUR"', "…" -> "aEUR|", "•" -> "aEURC/", and the
# closing "”" whose last byte is undefined in cp1252 -> a bare "aEUR".
_ASCII_MOJIBAKE = re.compile(r'aEUR(oe|\(tm\)|~|"|\||C/|)')
_ASCII_MOJIBAKE_FIX = {"oe": '"', "(tm)": "'", "~": "'", '"': " - ", "|": "...", "C/": " ", "": '"'}
_ASCII_E_ACUTE = re.compile(r"(?<=[a-z])A\(c\)")  # "é" -> "Ã©" -> "A(c)", as in "CafA(c)"

# Curly and angled quotes, primes and backticks to straight quotes; odd hyphens to "-"; "…" to "...".
_CHAR_MAP = str.maketrans({**dict.fromkeys("‘’‚‛′´`‹›", "'"), **dict.fromkeys("“”„‟″«»", '"'),
                           **dict.fromkeys("‐‑−", "-"), "…": "...", "\t": " "})
_BULLETS = "•‣⁃◦∙·●▪▫■□◆◇►▶➤✓✔†‡§¶"
_SEPARATOR = " | "
_ASCII_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")

_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_AUTOLINK = re.compile(r"<((?:https?://|www\.)[^<>\s]+)>")
# Any HTML tag except our own placeholders <artist> and <song>.
_HTML_TAG = re.compile(r"</?(?!(?:artist|song)>)[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_MD_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_MD_REF_DEF = re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S+.*$", re.M)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.M)
_MD_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M)
_MD_BULLET = re.compile(r"^[ \t]*[*+|][ \t]+|^[ \t]+-[ \t]+", re.M)
_MD_RULE_LINE = re.compile(r"^[ \t|:=_*~#+-]*$", re.M)
_MD_STRONG = re.compile(r"\*\*+|__+|~~+")
# Censored swearing ("f**k", "F**K U", "sh*t") keeps its stars; they are set aside while markdown is removed.
_CENSORED = re.compile(r"\b[^\W\d_]{1,2}\*+[^\W\d_]{0,3}\b")
_SET_ASIDE = "\ue000"  # a private-use character: _drop_symbols has removed any that were in the text
_MD_EMPHASIS = re.compile(r"(?<![^\W_])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![^\W_])")
# Underscores and asterisks not inside a word are emphasis leftovers ("_italic_", "Theatre*"); inside a word
# (snake_case, "f*ck") they are kept.
_LONE_UNDERSCORE = re.compile(r"(?<![^\W_])(?<!_)_+|_+(?![^\W_])(?!_)")
_LONE_STAR = re.compile(r"(?<![^\W_])(?<!\*)\*+|\*+(?![^\W_])(?!\*)")
_MID_BULLET = re.compile(r"(?<=\S)[ \t]+\*[ \t]+(?=\S)")
_ANGLE_NAV = re.compile(r"<<+|>>+")
_PIPES = re.compile(r"(?:[ \t]*\|)+[ \t]*")
_EDGE_PIPES = re.compile(r"^[ \t]*\|[ \t]*|[ \t]*\|[ \t]*$", re.M)
_STRAY = re.compile(r"[\\^~]+")

_DOUBLE_SINGLE_QUOTE = re.compile(r"''|(?<![\w,]),,(?=\w)")  # '' and the German ,, (a transliterated „)
# 7", 10" and 12" records: an inch mark, not a quote, and one left in would unbalance the sentence's quotes.
_RECORD_INCHES = re.compile(
    r"\b(7|10|12) ?\"(?=[\s-]*(?:vinyl|single|record|ep|lp|pink|limited|picture|white|black|colou?red|clear"
    r"|follows|release|edition|and|or|[,.]))",
    re.I,
)
_RANGE_DASH = re.compile(r"(?<=\d)[–‒](?=\d)")
# Em and en dashes, and the "--" ASCII writes for them, between words become a spaced hyphen.
_LONG_DASH = re.compile(r"[ \t]*(?:[—―⸺⸻–‒]|(?<!-)-{2,3}(?!-))[ \t]*")
_CLITIC_GAP = re.compile(r"(?<=[^\W_]) '(?=(?:s|m|t|re|ve|ll|d)\b)")
_NAME_APOSTROPHE_GAP = re.compile(r"\b([DO]) '(?=[A-Z])")
_GLUED_URL = re.compile(r"(?<=[^\s(\[\"'])(?=https?://)")
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([,;:!?]+|\.+)(?=[\s\"')\]]|$)")
_PAREN_INNER_SPACE = re.compile(r"([(\[])[ \t]+|[ \t]+([)\]])")
_EMPTY_BRACKETS = re.compile(r"\([ \t]*\)|\[[ \t]*\]")
_SPACES = re.compile(r"[ \t]{2,}")
_BLANK_LINES = re.compile(r"\n{3,}")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


_MAX_PASSES = 4


def repair_text(text: str) -> str:
    """Readable plain text with line breaks kept: see the module docstring. Never raises on any str.

    Idempotent: one repair can expose another (ftfy reads "¬ß" differently once "…" is "...", a removed
    symbol can leave a line of only "---"), so passes repeat until the text stops changing.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    repaired = _repair_once(text)
    for _ in range(_MAX_PASSES - 1):
        again = _repair_once(repaired)
        if again == repaired:
            break
        repaired = again
    return repaired


def _repair_once(text: str) -> str:
    if not text:
        return ""
    text = _fix_encoding(text)
    text = _strip_markup(text)
    text = _normalise_punctuation(text)
    return _tidy_whitespace(text)


def _fix_encoding(text: str) -> str:
    # ftfy has nothing to fix in plain ASCII but line endings, and costs a third of the repair time.
    text = ftfy.fix_text(text, _FTFY) if not text.isascii() else text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ASCII_MOJIBAKE.sub(lambda m: _ASCII_MOJIBAKE_FIX[m.group(1)], text)
    text = _ASCII_E_ACUTE.sub("e", text)
    # Unescape to a fixed point so "&amp;amp;" and "&amp;lt;" end as plain characters in one call.
    for _ in range(3):
        if "&" not in text:
            break
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return _drop_symbols(text.translate(_CHAR_MAP))


def _drop_symbols(text: str) -> str:
    """Emoji, box drawing, zero-width and control characters go; bullets become separators."""
    if text.isascii():
        return _ASCII_CONTROL.sub("", text)
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in _BULLETS:
            out.append(_SEPARATOR)
        elif ch == "\n" or category[0] in "LNP" or ch in "$+<=>|" or category == "Sc":
            out.append(ch)
        elif category in ("Zs", "Zl", "Zp"):
            out.append("\n" if category != "Zs" else " ")
        elif category == "Sm" and not 0x2190 <= ord(ch) <= 0x21FF:
            out.append(ch)
        # Everything else (So, Sk, Cc, Cf, Co, Cs, Cn, Mn, Me) is decoration or invisible.
        elif category not in ("Mn", "Me", "Cf", "Cc", "Cs", "Co", "Cn"):
            out.append(" ")
    return "".join(out)


def _strip_markup(text: str) -> str:
    text = _CENSORED.sub(lambda match: match.group().replace("*", _SET_ASIDE), text)
    text = _HTML_COMMENT.sub(" ", text)
    text = _AUTOLINK.sub(r" \1 ", text)
    text = _HTML_TAG.sub(" ", text)
    text = _MD_IMAGE.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_REF_LINK.sub(r"\1", text)
    text = _MD_REF_DEF.sub("", text)
    # html2text escapes characters that would read as markdown; here they are stripped like the markdown.
    text = _MD_ESCAPE.sub(r"\1", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_QUOTE.sub("", text)
    text = _MD_BULLET.sub("", text)
    text = _MD_STRONG.sub("", text)
    text = _MD_EMPHASIS.sub(r"\1", text)
    text = _LONE_UNDERSCORE.sub("", text)
    text = _MID_BULLET.sub(_SEPARATOR, text)
    text = _LONE_STAR.sub("", text)
    text = _ANGLE_NAV.sub(_SEPARATOR, text)
    text = _STRAY.sub(" ", text)
    text = _PIPES.sub(_SEPARATOR, text)
    text = _EDGE_PIPES.sub("", text)
    return _MD_RULE_LINE.sub("", text).replace(_SET_ASIDE, "*")


def _normalise_punctuation(text: str) -> str:
    text = _DOUBLE_SINGLE_QUOTE.sub('"', text)
    text = _RECORD_INCHES.sub(r"\1-inch", text)
    text = _RANGE_DASH.sub("-", text)
    text = _LONG_DASH.sub(" - ", text)
    text = _CLITIC_GAP.sub("'", text)
    text = _NAME_APOSTROPHE_GAP.sub(r"\1'", text)
    text = _GLUED_URL.sub(" ", text)
    text = _EMPTY_BRACKETS.sub(" ", text)
    text = _PAREN_INNER_SPACE.sub(lambda m: m.group(1) or m.group(2), text)
    return "\n\n".join(_pair_quotes(paragraph) for paragraph in _PARAGRAPH_BREAK.split(text))


def _pair_quotes(paragraph: str) -> str:
    """Hug paired double quotes to their words: '" Four Winds "' -> '"Four Winds"'.

    Only when the paragraph has an even number of quotes, since then pairing them in order is reliable.
    """
    parts = paragraph.split('"')
    if len(parts) < 3 or len(parts) % 2 == 0:
        return paragraph
    for index in range(1, len(parts), 2):
        parts[index] = parts[index].strip(" \t")
        before, after = parts[index - 1], parts[index + 1]
        if before and before[-1] not in " \t\n([/-":
            parts[index - 1] = before + " "
        if after and after[0].isalnum():
            parts[index + 1] = " " + after
    return '"'.join(parts)


def _tidy_whitespace(text: str) -> str:
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
