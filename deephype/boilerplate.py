"""Recognise whole lines of a blog post that are not commentary: menus, social links, tour dates, credits...

Each rule is a small predicate over one repaired line; the first that matches names the reason. Rules are
written against real posts (see tests/test_text_boilerplate.py) and err towards keeping prose: a line with
sentence structure and more than a few words survives unless a specific pattern marks it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from deephype.calls import PLATFORMS, is_call_to_action, is_promo, is_social_call
from deephype.inline_noise import CLAUSE_BOUNDARY, strip_inline_noise, strip_links

__all__ = ["boilerplate_reason", "strip_inline_noise"]

_WORD = re.compile(r"<artist>|<song>|[^\W_]+(?:[-'.][^\W_]+)*")
_MIN_WORDS = 4  # "Enjoy.", "Quite beautiful.", "Video": too short to be commentary on their own
_CAPTION_MAX_WORDS = 12  # a line this short without a full stop is a title, heading or label
_CALL_LINE_MAX_WORDS = 20
_SHORT_LINE = 16  # patterns that would be too eager in prose only apply to lines up to this long

_TERMINATED = re.compile(r"(?:[.!?]|\.\.\.)[\"')\]]*$")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)day"
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
# "may 2" and "march 4" are ordinary words before a number in lower case, so those two need a capital.
_DATE_SRC = (
    rf"(?i:\b{_ORDINAL}(?:\s*-\s*{_ORDINAL})?\s+(?:of\s+)?{_MONTH}(?![a-z])"
    rf"|\b(?!may|mar){_MONTH}\s+{_ORDINAL}\b|\b{_WEEKDAY}\b|\b\d{{1,2}}(?:st|nd|rd|th)\b"
    rf"|\b\d{{1,2}}[/.]\d{{1,2}}(?:[/.]\d{{2,4}})?\b)"
    rf"|\b(?:May|MAY|Mar\.?|March|MARCH|MAR)\s+{_ORDINAL}\b|\b(?:MON|TUE|TUES|WED|THU|THUR|THURS|FRI|SAT|SUN)\b"
)
_DATE = re.compile(_DATE_SRC)
_DIGIT = re.compile(r"\d")
_TIME = re.compile(r"(?i)\b\d{1,2}(?::\d{2}){1,2}\s*(?:[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\b\.?")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_GLUED = re.compile(r"(?<=\d)(?=[A-Za-z]{3})(?!st|nd|rd|th)|(?<=[a-z])(?=[A-Z])")
_VENUE = re.compile(r"\s@\s|\bw/|,\s[A-Z]{2}\b|(?i:\btickets?\b|\bsold out\b|\bfestival\b|\bvenue\b)")
_TOUR_ENTRY = re.compile(
    rf"^(?:(?i:{_WEEKDAY}),?\s+|[A-Z]{{3}}\s+)?(?:{_DATE_SRC})"
    r"(?:\s*(?:-|@|//|:|\||\.)\s*\S|\s+[A-Z]{3,}\b|\s+[A-Z][a-z]+,\s[A-Z]{2}\b)"
)
_TOUR_HEADER = re.compile(r"(?i)\b(?:tour|live|show|concert)\s+dates?\b|\bdates?\s*(?:/\s*info|below)\b|\btour:\s*$")
_GIG_VERB = re.compile(
    r"(?i)\b(?:set to (?:play|perform)|will (?:be )?(?:play|perform)(?:ing)?|(?:plays|performs|headlines|supports)"
    r" (?:a |an |two |their |his |her )?(?:show|gig|set|date|headline)|on tour)\b"
)
_GIG_CALL = re.compile(
    r"(?i)^(?:see|catch|don't miss)\b.{0,60}?\b(?:live|on tour|in concert|tonight|this (?:week|month)|at the"
    r"|at [A-Z])"
)

_PLATFORM = re.compile(rf"(?i)\b{PLATFORMS}(?!\w)")
_HANDLE = re.compile(r"(?<![\w@])@\w{2,}")

_NAVIGATION = re.compile(
    r"(?i)\b(?:share (?:this|on)|share tweet|read more|read next|more about|you might (?:also )?like|related"
    r"(?: posts| articles)?|comments?|leave a (?:comment|reply)|post a comment|bookmark the permalink"
    r"|permalink|posted in|filed under|previous post|next post|older posts|newer posts|back to (?:top|home)"
    r"|loading|click here to (?:proceed|continue)|visited \d+ times|\d+ notes?|reblogged|posted this"
    r"|all rights reserved|copyright|privacy policy|cookies?|terms of (?:use|service)|page cannot be displayed"
    r"|page not found|javascript|log ?in|sign ?in|password|activate my account|inhalt laden|home|menu|search"
    r"|install|tweet|whatsapp)\b"
)
_NAVIGATION_ANYWHERE = re.compile(
    r"(?i)this entry was posted in|bookmark the permalink|\bposted in\b.{0,80}\band tagged\b"
    r"|already have an account|fill out the information below|\(visited \d+ times|contrassegna il permalink"
    r"|thank you for your (?:request|submission)|is for sale\b"
)
_CREDIT_WORDS = (
    r"(?:photos?|photograph(?:y|ed)?|images?|picture|pic|header|cover|artwork|art|illustration|words|text"
    r"|written|review(?:ed)?|posted|post|contributed|submitted|interview|author|cred(?:it)?s?|source"
    r"|lead photo|featured? image|press photo|produced|mixed|mastered|directed|shot|edited|video)"
)
_CREDIT_START = re.compile(
    rf"(?i)^{_CREDIT_WORDS}(?:\s+(?:by|of|credit|courtesy|via)\b|\s*[:|])"
    r"|(?i:^originally (?:premiered|appeared|posted|published|featured) (?:on|in|at)\b)"
    r"|^[Bb]y:?\s+(?!(?:the|now|far|then|way|contrast|comparison|all|no|default|itself|themselves|day|night"
    r"|nature|chance|accident|design|December|January)\b)[A-Z@]"
)
_CREDIT_ANYWHERE = re.compile(
    r"(?i)\b(?:photos?|photograph|images?|picture|artwork|illustration)\s*(?:by|credit|courtesy|via|:)"
    r"|\bcourtesy of\b|\b(?:writer|editor|contributor|photographer|blogger|intern)(?:/\w+)?\s+(?:at|for)\b"
    r"|\b(?:co-?)?founder (?:of|at)\b|^fav(?:ou?rite)? (?:bands?|albums?|songs?)"
    r"|^-\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2}$"
)
_FEATURE_NAME = re.compile(
    r"(?i)^(?:new )?(?:song|track|tune|video|album|jam|pick|record|single|ep) of the (?:day|week|month|year)\b"
)
_TITLE_DASH = re.compile(r"\s[-\u2013]\s?\S|\S\s?[-\u2013]\s")
_TRACKLIST = re.compile(r"(?i)^(?:track\s?list(?:ing)?|tracks)\b|\btrack\s?list(?:ing)?:")
_NUMBERED_ITEM = re.compile(r"(?:^|\s)\d{1,2}\.\s+\S")
_QUOTED_RUN = re.compile(r'(?:"[^"]{1,60}"\s*){4,}')
_TAGS = re.compile(
    r"(?i)^(?:tags?|tagged|categories|category|filed under|genres?|keywords|topics)\s*:"
    r"|\s(?:tags|tagged|categories|filed under)\s*:"
)
_LYRICS = re.compile(
    r"(?i)\[(?:hook|verse|chorus|bridge|intro|outro|pre-chorus|refrain)[^\]]*\]|^lyrics\s*(?::|$|of\b)|\blyrics\s*:$"
)
_FUNCTION_WORD_LIST = (
    "the a an and of to in is are was were it it's this that with for on i you we they he she my our your be"
    " has have as at by from but or so not"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())
_RELEASE = re.compile(
    rf"(?i)\b(?:out now|out today|out (?:on|via|through)|available (?:now|everywhere|via|on|to|for)"
    rf"|due (?:out|on|via)|(?:is|are) out|arrives|release date|on sale|slated (?:to be released|for release)"
    rf"|will be (?:self-)?released|(?:released?|releases|drops|comes out) (?:on|via|through|next)"
    rf"|out (?:on )?(?:\d|{_MONTH}\b))"
)


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def _is_url_line(line: str, words: list[str]) -> bool:
    if len(words) > 12 or "." not in line and "@" not in line:
        return False
    stripped = strip_links(line)
    return stripped != line and len(_words(stripped)) < 3


def _is_navigation(line: str, words: list[str]) -> bool:
    if _NAVIGATION_ANYWHERE.search(line):
        return True
    return len(words) <= _SHORT_LINE and not _TERMINATED.search(line) and bool(_NAVIGATION.search(line)) or (
        len(words) <= 6 and bool(_NAVIGATION.search(line))
    )


def _is_promo(line: str, words: list[str]) -> bool:
    return is_promo(line)


def _is_social(line: str, words: list[str]) -> bool:
    platforms = len(_PLATFORM.findall(line))
    if platforms >= 2 and len(words) - platforms <= 7:
        return True
    if platforms and len(words) <= 4:
        return True
    if _HANDLE.search(line) and len(words) <= 8:
        return True
    return is_social_call(line)


def _is_tour_dates(line: str, words: list[str]) -> bool:
    if not _DIGIT.search(line):
        return (len(words) <= 10 and bool(_TOUR_HEADER.search(line))) or (
            len(words) <= 25 and bool(_GIG_CALL.search(line))
        )
    dates = len(_DATE.findall(line))
    venues = len(_VENUE.findall(line))
    if dates >= 3 and (dates / max(len(words), 1) >= 0.07 or venues >= 2):
        return True
    if len(words) <= 20 and _TOUR_ENTRY.search(line):
        return True
    if len(words) <= 10 and _TOUR_HEADER.search(line):
        return True
    if len(words) <= 25 and _GIG_CALL.search(line):
        return True
    if dates >= 2 and venues >= 1 and len(words) <= 30:
        return True
    if dates >= 1 and len(words) <= 30 and _GIG_VERB.search(line):
        return True
    return dates >= 1 and " @ " in line and len(words) <= 25


def _is_dateline(line: str, words: list[str]) -> bool:
    if len(words) > 20 or not _DIGIT.search(line):
        return False
    unglued = _GLUED.sub(" ", line)
    dates = len(_DATE.findall(unglued)) + len(_TIME.findall(unglued))
    if not dates:
        return False
    rest = _YEAR.sub(" ", _TIME.sub(" ", _DATE.sub(" ", unglued)))
    rest_words = [w for w in _words(rest) if w.lower() not in {"by", "on", "posted", "published", "updated", "in"}]
    return len(rest_words) <= 2 or (dates >= 2 and len(rest_words) <= 4)


def _is_credits(line: str, words: list[str]) -> bool:
    if len(words) > 12:
        return False
    return bool(_CREDIT_START.match(line) or _CREDIT_ANYWHERE.search(line))


def _is_tracklist(line: str, words: list[str]) -> bool:
    if _TRACKLIST.search(line) or _QUOTED_RUN.search(line) and len(_QUOTED_RUN.search(line).group()) > len(line) / 2:
        return True
    return len(_NUMBERED_ITEM.findall(line)) >= 3


def _is_tags(line: str, words: list[str]) -> bool:
    if _TAGS.search(line) and len(words) <= 40:
        return True
    if _TERMINATED.search(line):
        return False
    items = [item for item in line.split(",") if item.strip()]
    if len(items) >= 3 and all(len(_words(item)) <= 4 for item in items):
        return True
    return len(words) >= 8 and not any(word.lower() in _FUNCTION_WORDS for word in words)


def _is_lyrics(line: str, words: list[str]) -> bool:
    # Quoted lyrics mark their line breaks with " / "; two or more in a short line means it is mostly lyric.
    return bool(_LYRICS.search(line)) or (line.count(" / ") >= 2 and len(words) <= 40)


def _is_call_to_action(line: str, words: list[str]) -> bool:
    # A line with prose before its "Listen below." is kept: strip_inline_noise drops just that part.
    clauses = CLAUSE_BOUNDARY.split(line)
    return len(words) <= _CALL_LINE_MAX_WORDS and all(is_call_to_action(clause) for clause in clauses)


def _is_release_info(line: str, words: list[str]) -> bool:
    return len(words) <= _SHORT_LINE and bool(_RELEASE.search(line))


def _mostly_capitals(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 12 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _is_too_short(line: str, words: list[str]) -> bool:
    return len(words) < _MIN_WORDS


def _is_caption(line: str, words: list[str]) -> bool:
    if _FEATURE_NAME.match(line) and len(words) <= 6:
        return True
    if len(words) <= 25 and _mostly_capitals(line):
        return True  # "UPDATE: BROOKLYNVEGAN PRESALE PASSWORD FOR NYC SHOW HERE." is a banner, not prose
    if len(words) <= 10 and _TITLE_DASH.search(line):
        # "Went to War -Amason.", "Waiting (PAL Remix) - Alice Boman.": an artist and a title, not a sentence.
        capitalised = sum(1 for word in words if word[0].isupper() or word[0].isdigit())
        if capitalised >= 0.6 * len(words):
            return True
    return len(words) <= _CAPTION_MAX_WORDS and not _TERMINATED.search(line)


_RULES: tuple[tuple[str, Callable[[str, list[str]], bool]], ...] = (
    ("url", _is_url_line),
    ("navigation", _is_navigation),
    ("promo", _is_promo),
    ("social", _is_social),
    ("tour_dates", _is_tour_dates),
    ("credits", _is_credits),
    ("dateline", _is_dateline),
    ("tracklist", _is_tracklist),
    ("lyrics", _is_lyrics),
    ("tags", _is_tags),
    ("call_to_action", _is_call_to_action),
    ("release_info", _is_release_info),
    ("too_short", _is_too_short),
    ("caption", _is_caption),
)
RULE_NAMES = tuple(name for name, _ in _RULES)


def boilerplate_reason(line: str) -> str | None:
    """Why this whole line is not commentary (one of RULE_NAMES), or None if it looks like commentary."""
    line = " ".join(str(line).split())
    words = _words(line)
    for name, rule in _RULES:
        if rule(line, words):
            return name
    return None
