"""Remove noise inside a commentary line (links, handles, hashtags, "(via X)", "Listen below:") and keep the prose."""

from __future__ import annotations

import re

from deephype.calls import is_call_to_action, is_promo, is_social_call

_TLDS = (
    r"com|net|org|edu|gov|info|biz|io|fm|am|me|tv|co|uk|us|ca|au|nz|ie|de|fr|nl|be|se|no|dk|fi|es|it|pt|ch|at|"
    r"jp|ru|br|mx|ly|la|to|gl|gg|cc|ws|xyz|club|blog|music|band|audio|live|online|site|store|shop|app|link"
)
_URL_END = r"[^\s<>\"'.,;:!?)\]]"
_REMOVED = "\x00"  # marks where something was cut, so a dangling "at" / "via" before it can go too
_LINK_SRC = (
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"  # e-mail
    rf"|(?i:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"]*{_URL_END}"  # URL
    rf"|\b[\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})\b(?:/[^\s<>\"]*{_URL_END})?/?(?!\.?\w)"  # bare domain
)
_LINK = re.compile(_LINK_SRC)
_NOISE = re.compile(_LINK_SRC + r"|(?<![\w@])@\w+|(?<![\w&#])#[^\W\d_][\w-]*")  # ... @handle, #hashtag
_CREDIT_ASIDE = re.compile(
    r"(?i)[(\[]\s*(?:via|h/t|hat tip|photos?|image|credit|source|pictured|thanks to|cred|courtesy)\b"
    r"[^()\[\]]{0,80}[)\]]"
)
_ELLIPSIS_ASIDE = re.compile(r"\[\s*(?:\.\.\.|\?|sic)\s*\]|\(\s*(?:\.\.\.|\?)\s*\)", re.I)
_MEDIA_ASIDE = re.compile(
    r"(?i)[(\[]\s*(?:buy|mp3|stream(?:ing)?|listen|video|audio|official (?:music |lyric )?video|(?:free )?download"
    r"|out now|premiere|new music|exclusive|pick of the week|repeat \d+x|\d+ premiere|lyrics?)\s*[)\]]"
)
_BRACKETED = re.compile(r"\[([^\[\]]{0,60})\]")
# Emoticons are often glued to the last word ("the same:)"), so only what follows them is checked.
_EMOTICON = re.compile(r"[:;=]-?[)(\]\[DPpO/\\|](?![\w)])|(?<!\w)(?:<3|\^_?\^|[xX]D)(?!\w)")
_ENUMERATOR = re.compile(r"^(?:\d{1,2}[.)]|[+*-])\s+(?=\S)")
_LEADING_LABEL = re.compile(
    r"(?i)^(?:listen|stream(?:ing)?|premiere|video|audio|watch|new music|new|exclusive|free download|download)"
    r"\s*:\s*"
)
_DANGLING = re.compile(r"(?i)(?:\b(?:over at|here at|at|on|via|to|from|in|by|here)\b\s*[:\-]?\s*)?\x00+")
CLAUSE_BOUNDARY = re.compile(r"(?<=[.!?:])\s+(?=[\"'(]?[A-Z<])")

def strip_links(text: str) -> str:
    """The text without URLs, bare domains and e-mail addresses."""
    return _tidy(_LINK.sub(" ", text))


def strip_inline_noise(line: str) -> str:
    """The line without links, e-mails, @handles, hashtags, credit asides, and sentences that are calls to listen,
    follow or subscribe (see deephype.calls)."""
    # Appeals are judged before links go, since the link often says what they are ("/subscribe/").
    clauses = [clause for clause in CLAUSE_BOUNDARY.split(" ".join(str(line).split())) if not _is_appeal(clause)]
    text = " ".join(clauses)
    text = _CREDIT_ASIDE.sub(_REMOVED, text)
    text = _ELLIPSIS_ASIDE.sub(" ", text)
    text = _MEDIA_ASIDE.sub(_REMOVED, text)
    text = _NOISE.sub(_REMOVED, text)
    text = _EMOTICON.sub(" ", text)
    text = _ENUMERATOR.sub("", text)
    text = _BRACKETED.sub(_unbracket, text)
    text = _DANGLING.sub(" ", text)
    text = _LEADING_LABEL.sub("", text)
    return _tidy(text)


def _is_appeal(clause: str) -> bool:
    return is_call_to_action(clause) or is_social_call(clause) or is_promo(clause)


def _unbracket(match: re.Match[str]) -> str:
    """An editor's insertion ("[like]") keeps its words; a label ("[PIAS]", "[B3SCI Records]") goes."""
    inner = match.group(1).strip()
    letters = [ch for ch in inner if ch.isalpha()]
    if not letters or all(ch.isupper() for ch in letters[:4]) and len(letters) > 1:
        return " "
    return inner


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)\]])")
_REPEATED_PUNCT = re.compile(r"([,;:])(?:\s*[,;:])+")
_EMPTY_BRACKETS = re.compile(r"\(\s*[,;:]?\s*\)|\[\s*\]")
_EDGES = re.compile(r"^[\s,;:|/\-]+|[\s,;|/\-]+$")


def _tidy(text: str) -> str:
    text = _EMPTY_BRACKETS.sub(" ", text)
    text = " ".join(text.split())
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _REPEATED_PUNCT.sub(r"\1", text)
    text = _EDGES.sub("", text)
    return text.replace("( ", "(").replace("[ ", "[")
