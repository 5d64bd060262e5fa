"""Generated tokens -> tweet-ready text: human spacing, capitals and end punctuation, and the real artist and
title where the placeholders were, written the way a person would (`Mt. Joy's "Silver Lining" (feat. X)`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from deephype.english_words import COMMON_ENGLISH_WORDS
from deephype.tokens import ARTIST, PLACEHOLDERS, SONG, detokenize

SENTENCE_ENDS = {".", "!", "?", "..."}
_NO_END = {",", ";", ":", "-", "--", "–", "—", "(", "&", "/", "+"}  # a sentence cannot stop on these
_APOSTROPHES = {"'", "‘", "’", "`"}  # a lone one is a broken quote or clitic, never worth showing
_NO_START = _NO_END | SENTENCE_ENDS | {")", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "%"}
_QUOTES = "\"'“”‘’«»„"
# A word takes its usual mid-sentence form when at least this share of its uses had it ("spotify" -> "Spotify").
# Everyday words need near-unanimity and several uses: "forest" and "peace" are capitalised in the corpus mostly
# inside band names ("Pale Waves"), which a generated sentence rarely reproduces; "london" and "friday" always.
_MIN_CASING_SHARE = 0.6
_MIN_COMMON_WORD_SHARE = 0.9
_MIN_COMMON_WORD_USES = 5
_CASING_WORD = re.compile(r"[^\W_](?:[\w&]|[-'.](?=[^\W_]))*")
_PLACEHOLDER_MENTION = re.compile(r"<(?:artist|song)>(?:'s)?")
_CLITIC_TAIL = re.compile(r"(?:'s|n't|'re|'ve|'ll|'d|'m)$", re.IGNORECASE)


@dataclass(frozen=True)
class Names:
    """What the placeholders become: the main artist(s), the title (with its version), the featured artists."""

    artist: str
    song: str
    featuring: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "artist", " ".join(self.artist.split()))
        object.__setattr__(self, "song", " ".join(strip_outer_quotes(self.song).split()))
        object.__setattr__(self, "featuring", tuple(" ".join(f.split()) for f in self.featuring if f.strip()))


def strip_outer_quotes(title: str) -> str:
    """A title without the quotes someone typed around it: '"Opal"' -> 'Opal'."""
    title = title.strip()
    while len(title) >= 2 and title[0] in _QUOTES and title[-1] in _QUOTES:
        title = title[1:-1].strip()
    return title


def quoted_title(song: str) -> str:
    """A title as a tweet writes it: in double quotes; double quotes inside become single ones."""
    return '"' + song.replace('"', "'") + '"'


def possessive(name: str) -> str:
    """`Mt. Joy` -> `Mt. Joy's`; a name ending in s takes the apostrophe alone (`The Knocks'`), as in AP style."""
    if name.endswith(("s", "S")) and not name.endswith(("'s", "’s")):
        return name + "'"
    return name + "'s"


def featuring_credit(featuring: Sequence[str]) -> str:
    """`(feat. NERVO, The Knocks & Alisa Ueno)`; empty without guests."""
    if not featuring:
        return ""
    names = list(featuring)
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " & " + names[-1]
    return f"(feat. {joined})"


def tidy_tokens(tokens: Sequence[str]) -> tuple[str, ...]:
    """Generated tokens as they will be shown: unpaired or empty quotes and brackets dropped, lone apostrophes
    dropped, no punctuation dangling at either end or just before a full stop, and a full stop at the end.
    The filters judge these tokens, so what they pass is what gets posted. Tidying tidy tokens changes nothing."""
    words = [t for t in tokens if t.strip() and t not in _APOSTROPHES]
    previous = None
    while words != previous:  # every pass only drops tokens, so this ends
        previous = words
        words = _drop_before_stops(_trim_dangling(_balanced_brackets(_balanced_quotes(words))))
    return tuple(words if _ends_sentence(words) else [*words, "."])


def _drop_before_stops(words: list[str]) -> list[str]:
    """No comma, dash or colon right before a full stop: "a mix of us , ; ." -> "a mix of us ."."""
    kept: list[str] = []
    before_stop = False
    for word in reversed(words):
        if word in _NO_END and before_stop:
            continue
        before_stop = word in SENTENCE_ENDS
        kept.append(word)
    return kept[::-1]


def _ends_sentence(words: list[str]) -> bool:
    """True for nothing at all, or words ending in a full stop (possibly inside a closing quote)."""
    if not words:
        return True
    return words[-1] in SENTENCE_ENDS or (words[-1] == '"' and len(words) > 1 and words[-2] in SENTENCE_ENDS)


def render(tokens: Sequence[str], names: Names, casing: Mapping[str, str] | None = None,
           credit: bool = True) -> str:
    """Readable text for generated tokens: tidied (see `tidy_tokens`), placeholders filled, casing restored and
    sentences capitalised. `credit` adds the featured artists after the first bare mention of the title."""
    words = list(tidy_tokens(tokens))
    if not words:
        return ""
    words = _capitalise_sentences([_cased(word, casing or {}) for word in words])
    return " ".join(detokenize(_articles(_fill(words, names, credit))).split())


_VOWEL_LETTER_NAMES = set("AEFHILMNORSX")  # letters whose names start with a vowel sound: "an EP", "an MC"
_YOU_SOUNDS = ("uni", "use", "usu", "uti", "ure", "eu", "one", "once")  # "a unique", "a one-off"
_SILENT_H = ("hour", "honest", "honor", "honour", "heir")


def _articles(words: list[str]) -> list[str]:
    """"a" or "an" by the sound of the next word, names included: "an EP", "a unique", "an "Opal"", "an 80s"."""
    out = list(words)
    for i, word in enumerate(words[:-1]):
        if word.lower() in ("a", "an") and any(ch.isalnum() for ch in words[i + 1]):
            article = "an" if _starts_with_vowel_sound(words[i + 1].lstrip("\"'(")) else "a"
            out[i] = article.capitalize() if word[0].isupper() else article
    return out


def _starts_with_vowel_sound(word: str) -> bool:
    head = word.split()[0].rstrip(".,;:!?\"')") if word.strip() else ""
    if not head:
        return False
    if len(head) > 1 and head.isupper() and head.isalpha():
        return head[0] in _VOWEL_LETTER_NAMES  # read letter by letter
    lower = head.lower()
    if lower[0].isdigit():
        return lower.startswith("8") or lower[:2] in ("11", "18") and not lower[2:3].isdigit()
    if lower.startswith(_SILENT_H):
        return True
    return lower[0] in "aeiou" and not lower.startswith(_YOU_SOUNDS)


def _balanced_quotes(words: list[str]) -> list[str]:
    """Drop the model's quote marks when they do not pair up, pairs around nothing but punctuation (`","`), and
    any right around a placeholder (the title gets quotes of its own)."""
    quotes = [i for i, w in enumerate(words) if w == '"']
    drop = set(quotes) if len(quotes) % 2 else set()
    for start, end in zip(quotes[::2], quotes[1::2], strict=False):
        if not any(ch.isalnum() for word in words[start + 1 : end] for ch in word):
            drop.update((start, end))
    for i in quotes:
        if (i + 1 < len(words) and words[i + 1] in PLACEHOLDERS) or (i > 0 and words[i - 1] in PLACEHOLDERS):
            drop.add(i)
    kept = [w for i, w in enumerate(words) if i not in drop]
    if kept.count('"') % 2:  # dropping around a placeholder can leave one of a pair
        kept = [w for w in kept if w != '"']
    return kept


def _balanced_brackets(words: list[str]) -> list[str]:
    """Drop any bracket without its partner, and pairs around nothing but punctuation."""
    unmatched, opened = set(), []
    for i, word in enumerate(words):
        if word == "(":
            opened.append(i)
        elif word == ")" and not opened:
            unmatched.add(i)
        elif word == ")":
            start = opened.pop()
            if not any(ch.isalnum() for inner in words[start + 1 : i] for ch in inner):
                unmatched.update((start, i))
    unmatched.update(opened)
    return [w for i, w in enumerate(words) if i not in unmatched]


def _trim_dangling(words: list[str]) -> list[str]:
    """No sentence starts with punctuation or a clitic, or ends on a comma, a dash or an open bracket."""
    start, end = 0, len(words)
    while start < end and words[start] in _NO_START:
        start += 1
    while end > start and words[end - 1] in _NO_END:
        end -= 1
    return words[start:end]


def _cased(word: str, casing: Mapping[str, str]) -> str:
    if word in PLACEHOLDERS:
        return word
    if word == "i":
        return "I"
    return casing.get(word, word)


def _capitalise_sentences(words: list[str]) -> list[str]:
    """Capitalise the first word of each sentence; names keep their own casing ("dvsn", "of Montreal")."""
    out, start = [], True
    for word in words:
        if start and word in PLACEHOLDERS:
            start = False
        elif start and word[:1].isalpha():
            word, start = word[0].upper() + word[1:], False
        elif word in SENTENCE_ENDS:
            start = True
        out.append(word)
    return out


def _fill(words: list[str], names: Names, credit: bool) -> list[str]:
    """Swap placeholders (and a following "'s") for the names. Guests are credited once, after the first bare
    title, or after the artist when the title is followed by "by <artist>"."""
    out: list[str] = []
    pending = credit and bool(names.featuring)
    i = 0
    while i < len(words):
        word, owns = words[i], i + 1 < len(words) and words[i + 1] == "'s"
        if word not in PLACEHOLDERS:
            out.append(word)
            i += 1
            continue
        name = names.artist if word == ARTIST else quoted_title(names.song)
        out.append(possessive(name) if owns and word == ARTIST else name + "'s" if owns else name)
        i += 2 if owns else 1
        by_artist = words[i : i + 2] == ["by", ARTIST] and words[i + 2 : i + 3] != ["'s"]
        if pending and word == SONG and not owns:
            if by_artist:
                out.extend(["by", names.artist])
                i += 2
            out.append(featuring_credit(names.featuring))
            pending = False
    return out


def names_mentioned(tokens: Iterable[str]) -> bool:
    """True when the generated tokens name the artist or the song."""
    return any(token in PLACEHOLDERS for token in tokens)


def learn_casing(texts: Iterable[str], vocabulary: Iterable[str]) -> dict[str, str]:
    """How the corpus capitalises its words mid-sentence ("spotify" -> "Spotify", "u.k." -> "U.K."): the lower-
    cased words of `vocabulary` whose usual written form is not all lower case."""
    known = set(vocabulary)
    forms: dict[str, Counter[str]] = {}
    for text in texts:
        text = _PLACEHOLDER_MENTION.sub(" ", unicodedata.normalize("NFC", text))
        for position, match in enumerate(_CASING_WORD.finditer(text)):
            word = _CLITIC_TAIL.sub("", match.group(0))
            start = match.start()
            if position == 0 or not word or re.search(r"[.!?:]\s*[\"'(]?\s*$", text[:start]):
                continue  # sentence-initial capitals say nothing about the word
            key = word.lower()
            if key in known:
                forms.setdefault(key, Counter())[word] += 1
    casing = {}
    for key, counter in forms.items():
        form, count = counter.most_common(1)[0]
        uses = sum(counter.values())
        common = key in COMMON_ENGLISH_WORDS
        share = _MIN_COMMON_WORD_SHARE if common else _MIN_CASING_SHARE
        if form != key and count >= share * uses and (not common or uses >= _MIN_COMMON_WORD_USES):
            casing[key] = form
    return casing
