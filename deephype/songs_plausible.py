"""Could this phrase be an artist's name, or a song title? The last check before a reading is believed.

Blog pages and tweets are full of lines shaped like "X - Y" that are no song: tour dates ("28 May - Groningen"),
credits ("Photo by Emma Svensson"), link bars ("Facebook | Twitter"), field labels ("Year: 2018") and chat
("omg - this is amazing"). These checks turn them away.
"""

from __future__ import annotations

import re

from deephype.songs_words import (
    EVENT_WORDS,
    FIELD_WORDS,
    GENRE_WORDS,
    LABEL_CORE,
    LABEL_WORDS,
    MUSIC_NOUNS,
    SENTENCE_VERBS,
    SENTENCE_WORDS,
    SOCIAL_WORDS,
    VERY_COMMON,
)

CONNECTORS = frozenset({"&", "and", "x", "of", "the", "de", "la", "le", "du", "von", "van", "da", "y", "n", "'n'",
                        "+"})
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?"
# "06/02", "28 May", "Jan 18", "21st", "Sat 17 February", "10.05.2018": the start of a tour date, not a name.
_DATEISH = re.compile(
    rf"^(?:{_DAY},?\s+)?(?:\d{{1,2}}[/.]\d{{1,2}}(?:[/.]\d{{2,4}})?|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+{MONTH})?"
    rf"|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?)(?:\s|,|-|$)",
    re.IGNORECASE,
)
_DATE_INSIDE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}(?:,?\s+\d{{4}})?\b|\b{MONTH}\s+\d{{1,2}},?\s+\d{{4}}", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"\b\w{4,}[.!?]\s+[A-Z]")  # "... something. Shake something."
# Field names that never open an artist's name ("Post Malone" and "Press Club" do open with field names).
_FIELD_OPENERS = frozenset({"tagged", "tags", "copyright", "published", "updated", "photo", "photos", "words",
                            "written", "posted", "filed", "reviewed", "contributed", "author"})
# A bare number is a title ("1901", "505") unless it reads as a day or as a year from the era posts and tweets
# are written in ("Best of - 2018"); such a title needs quotes ('"2002" by Anne-Marie').
_DATE_NUMBER = re.compile(r"\d{1,2}|20[0-3]\d")
_US_PLACE = re.compile(r",\s*[A-Z]{2}$")  # "Richmond, VA": a tour stop
_URLISH = re.compile(r"https?:|www\.|\.(?:com|net|org|co\.uk)(?:/|$)", re.IGNORECASE)


def _folded(words: list[str]) -> list[str]:
    return [w.lower().strip(".,!?:;\"'()") for w in words]


def looks_like_name(name: str, strict: bool, text_has_capitals: bool, max_words: int = 7) -> bool:
    """Could this be an artist's name? `text_has_capitals` says the text around it uses capitals, so
    lowercase sentence words in it ("check it out") give a sentence away; `strict` applies that always."""
    words = name.split()
    named = [w for w in words if w.lower().strip(",") not in CONNECTORS]
    if not 0 < len(named) <= max_words or len(name) > 70 or not any(ch.isalnum() for ch in name):
        return False
    folded = _folded(words)
    if _is_not_a_name(name, folded):
        return False
    return not (strict or text_has_capitals) or not _reads_as_sentence(words, folded, strict)


def is_field(phrase: str) -> bool:
    """A metadata field or sentence opener: "Words by", "Stream / Buy", "Written & Directed", "Finally"."""
    letters = re.findall(r"[a-z]+", phrase.lower())
    while letters and letters[-1] in ("by", "s"):
        letters.pop()
    fields = [w for w in letters if w != "and"]
    return " ".join(letters) in FIELD_WORDS or 0 < len(fields) <= 3 and all(w in FIELD_WORDS for w in fields)


def _is_not_a_name(name: str, folded: list[str]) -> bool:
    if any(w in EVENT_WORDS or w in SOCIAL_WORDS for w in folded) or _URLISH.search(name) or _DATEISH.match(name):
        return True
    if _DATE_INSIDE.search(name):
        return True
    if len(folded) > 1 and re.sub(r"[^a-z]", "", folded[0]) in _FIELD_OPENERS:
        return True  # "Tagged Loyle Carner", "Copyright 2009-2017"
    if all(w in LABEL_WORDS | GENRE_WORDS for w in folded) and not is_reduplicated(folded):
        return True
    if is_field(name) or _US_PLACE.search(name):
        return True
    return len(folded) == 1 and folded[0] in VERY_COMMON  # "Here's", "Home | Gigs", "What's the story"


def is_reduplicated(folded: list[str]) -> bool:
    """One word said twice or more ("Now, Now", "Talk Talk", "Chk Chk Chk"): a band's name, never a blog label,
    even when the word alone is one ("Now")."""
    return len(folded) >= 2 and len(set(folded)) == 1 and folded[0].isalpha()


def _reads_as_sentence(words: list[str], folded: list[str], strict: bool) -> bool:
    lowercase = [w for w in words if w[:1].islower() and w.lower() not in CONNECTORS]
    if len(lowercase) >= 3 or len(lowercase) >= 2 and len(words) >= 4:
        return True  # "La scène suédoise actuelle se porte bien", "Another heater from the Black Panther"
    if any(w[:1].islower() and f in SENTENCE_VERBS for w, f in zip(words, folded, strict=True)):
        return True  # "Thutmose revisits Karma alongside Alex Mali"
    telling = [w for w, f in zip(words, folded, strict=True) if w[:1].islower() and (
        f in SENTENCE_WORDS | MUSIC_NOUNS or any(p in MUSIC_NOUNS for p in f.split("-")))]
    return bool(telling) and (strict or len(telling) * 3 >= len(words) or len(words) >= 4)


def _could_be_unquoted_title(song: str, words: list[str], folded: list[str], text_has_capitals: bool) -> bool:
    """Without quotes a title has to look like one: no dates, venues or sentences ("Published 5 May, 2018",
    "Pond on 5/30 @ Warsaw", "Bronze Whale is managed by ...", "Great song, weird video. I approve.")."""
    if _DATE_NUMBER.fullmatch(song) or _DATE_INSIDE.search(song) or " @ " in song:
        return False
    if any(f in EVENT_WORDS for f in folded) or _SENTENCE_BREAK.search(song):
        return False
    if not text_has_capitals:
        return True
    head, subtitle = _split_subtitle(words, folded)
    telling = [f for w, f in head if w[:1].islower() and f in SENTENCE_WORDS | MUSIC_NOUNS | SENTENCE_VERBS]
    if any(w[:1].islower() and f in MUSIC_NOUNS for w, f in subtitle):
        return False  # "Opal (this one is a banger)": talk about the track, not its subtitle
    return not song[:1].islower() and len(telling) < 2 and not any(f in SENTENCE_VERBS for f in telling)


def _split_subtitle(words: list[str], folded: list[str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(word, folded) pairs outside and inside brackets. A subtitle in brackets is often lowercase prose by
    design ("Delilah (pull me out of this)"), so only the words outside show whether a title is a sentence."""
    outside, inside, depth = [], [], 0
    for word, fold in zip(words, folded, strict=True):
        (inside if depth or word.startswith(("(", "[")) else outside).append((word, fold))
        depth = max(depth + word.count("(") + word.count("[") - word.count(")") - word.count("]"), 0)
    return outside, inside


def can_own_number_title(artist: str) -> bool:
    """Whether an unquoted title that is only a number ("Phoenix - 1901") may be believed: the words before it
    must be written as a name, every word capitalised and none an abbreviation, since "Class of - 1999",
    "Live at Brixton - 1985" and "Vol. - 1999" put a year or a count after a phrase."""
    words = artist.split()
    return bool(words) and all(w[:1].isupper() or w[:1].isdigit() for w in words) and not artist.endswith(".")


def looks_like_song(song: str, strict: bool, text_has_capitals: bool = False, quoted: bool = True) -> bool:
    """Could this be a song title? An unquoted title that opens in lowercase inside a capitalised headline is
    a description ("Tula - electronic / downtempo music artist from Sweden.")."""
    words = song.split()
    if not 0 < len(words) <= 14 or len(song) > 100 or not any(ch.isalnum() for ch in song):
        return False
    folded = _folded(words)
    if all(w in LABEL_CORE for w in folded) or _URLISH.search(song) or is_field(song):
        return False
    if any(w in SOCIAL_WORDS or w in ("festival", "tickets", "presale", "giveaway") for w in folded):
        return False
    if not quoted and not _could_be_unquoted_title(song, words, folded, text_has_capitals):
        return False
    if strict:
        lowercase = [w for w, f in _split_subtitle(words, folded)[0] if w[:1].islower() and f in SENTENCE_WORDS]
        nouns = [w for w, f in zip(words, folded, strict=True) if w[:1].islower() and f in MUSIC_NOUNS]
        return len(lowercase) < 2 and not nouns and not any(f in EVENT_WORDS for f in folded)
    return True
