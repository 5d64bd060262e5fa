"""Replace mentions of a song's artist and title in a sentence with the model's placeholders.

Matching ignores case, accents and small spelling variants ("Mt. Joy" / "Mt Joy", "Cosmo's" / "Cosmos",
"&" / "and") and never reaches inside other words ("Opia" leaves "Utopian" alone). A possessive keeps its
"'s" ("<artist>'s"); quotes around the title go ('"Silver Lining"' -> <song>); a version in brackets after the
title goes with it ("Opal (Four Tet Remix)" -> <song>).

The rule for common words, because "Home", "It" or "Love You Better" are also plain English:
  * a name written with capitals matches only where the sentence writes at least one capital too ("silver
    lining" in lowercase is plain English), or in quotes;
  * beyond that, a name with at least one uncommon word ("Four Tet", "Silver Lining") matches in any case;
  * a one-word name, or a name made only of common words, matches only where the sentence writes it with the
    name's own capitals ("Love You Better", not "love you better"), or in quotes;
  * a one-word name that is a very common word ("Home", "It", "Go", "Trust") must also not open the sentence
    unless quoted, since a capital there proves nothing ("Trust me" is not the song; "'Trust' glows" is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from deephype.songs_text import fold_with_index, normalise_name
from deephype.songs_words import VERY_COMMON
from deephype.tokens import ARTIST, PLACEHOLDERS, SONG

if TYPE_CHECKING:
    from deephype.songs import SongRef

_JOIN = r"(?:\s+|\s*[-/,]\s*)"
_SMALL_WORDS = {"a", "an", "and", "the", "of", "in", "on", "to", "for", "x", "n", "at", "by", "with", "or"}
_VERSION_WORDS = re.compile(r"remix|edit|rework|mix|version|vip|bootleg|flip|cover|dub|refix|reprise", re.I)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    text: str  # what replaces sentence[start:end]
    rank: tuple[int, int]  # longer first, then the song before the artist when quoted


def mask_mentions(sentence: str, ref: SongRef) -> str:
    """The sentence with the artist (and featured artists) as <artist> and the song as <song>."""
    if not sentence:
        return sentence
    folded, index = fold_with_index(sentence)
    blocked = [(m.start(), m.end()) for m in re.finditer("|".join(map(re.escape, PLACEHOLDERS)), sentence)]
    mentions: list[_Mention] = []
    for name in _song_names(ref):
        mentions.extend(_find(sentence, folded, index, name, SONG, ref.version))
    for name in _artist_names(ref):
        mentions.extend(_find(sentence, folded, index, name, ARTIST, None))
    chosen: list[_Mention] = []
    for mention in sorted(mentions, key=lambda m: m.rank, reverse=True):
        spans = [(c.start, c.end) for c in chosen] + blocked
        if all(mention.end <= s or mention.start >= e for s, e in spans):
            chosen.append(mention)
    for mention in sorted(chosen, key=lambda m: m.start, reverse=True):
        sentence = sentence[:mention.start] + mention.text + sentence[mention.end:]
    return sentence


def _song_names(ref: SongRef) -> list[str]:
    return [ref.song] if ref.song.strip() else []


def _artist_names(ref: SongRef) -> list[str]:
    names = [ref.artist, *ref.featuring]
    for name in list(names):
        parts = [p.strip() for p in re.split(r"\s*(?:&|\+|,|/)\s*|\s+x\s+", name) if p.strip()]
        if len(parts) > 1:
            names.extend(p for p in parts if len(p.split()) > 1 or normalise_name(p) not in VERY_COMMON)
    return [n for n in dict.fromkeys(names) if n.strip()]


@lru_cache(maxsize=4096)
def _pattern(name: str) -> re.Pattern[str] | None:
    words = fold_with_index(name)[0].split()
    parts = [_word_pattern(w) for w in words]
    parts = [p for p in parts if p]
    if not parts or not re.search(r"\w", name):
        return None
    return re.compile(r"(?<!\w)" + _JOIN.join(parts) + r"(?!\w)")


def _word_pattern(word: str) -> str:
    if word in ("&", "and", "+"):
        return r"(?:&|and|\+)"
    word = word.strip("\",:;!?")
    pieces = []
    for ch in word:
        pieces.append(re.escape(ch) if ch.isalnum() else r"[.'\-]?" if ch in ".'-" else re.escape(ch) + "?")
    return "".join(pieces)  # brackets stay, optional: "Snow (again)" matches "Snow (again)" and "Snow again"


def _find(sentence: str, folded: str, index: list[int], name: str, placeholder: str,
          version: str | None) -> list[_Mention]:
    pattern = _pattern(name)
    if pattern is None:
        return []
    found = []
    for match in pattern.finditer(folded):
        start, end = index[match.start()], index[match.end() - 1] + 1
        if placeholder == SONG:
            end = _with_version(sentence, end, version)
        quoted_start, quoted_end, text = _unquote(sentence, start, end, placeholder)
        if not _counts(sentence, start, end, name, quoted=quoted_start != start):
            continue
        rank = (end - start, 1 if placeholder == SONG and quoted_start != start else 0)
        found.append(_Mention(quoted_start, quoted_end, text, rank))
    return found


def _with_version(sentence: str, end: int, version: str | None) -> int:
    match = re.match(r"\s*[\(\[]([^\)\]]{1,60})[\)\]]", sentence[end:])
    if match and (_VERSION_WORDS.search(match.group(1)) or version and
                  normalise_name(match.group(1)) == normalise_name(version)):
        return end + match.end()
    return end


def _unquote(sentence: str, start: int, end: int, placeholder: str) -> tuple[int, int, str]:
    """Widen the span over quotes that wrap it, spaced or not ('"Opal,"', "' Trust '"); punctuation inside the
    closing quote stays."""
    opening = re.search(r"([\"'])\s?$", sentence[:start])
    if not opening:
        return start, end, placeholder
    closing = re.match(r"\s?([,.!?]?)\s?" + re.escape(opening.group(1)), sentence[end:])
    if not closing:
        return start, end, placeholder
    return opening.start(), end + closing.end(), placeholder + closing.group(1)


def _counts(sentence: str, start: int, end: int, name: str, quoted: bool) -> bool:
    """Apply the common-word rule in the module docstring."""
    key = normalise_name(name).split()
    uncommon = [w for w in key if w not in VERY_COMMON and w not in _SMALL_WORDS]
    if quoted:
        return True
    written = sentence[start:end]
    if any(ch.isupper() for ch in name) and not any(ch.isupper() for ch in written):
        return False  # "silver lining" in lowercase is English, "Silver Lining" is the song
    if len(key) > 1 and uncommon:
        return True
    if not _cased_like(written, name):
        return False
    if len(key) == 1 and key[0] in VERY_COMMON:
        opening = sentence[:start].rstrip(" \"'([")
        return bool(opening) and opening[-1] not in ".!?:;"
    return True


def _cased_like(written: str, name: str) -> bool:
    found = [w for w in re.findall(r"[^\W\d_][\w']*", written) if w.lower() not in _SMALL_WORDS]
    wanted = [w for w in re.findall(r"[^\W\d_][\w']*", name) if w.lower() not in _SMALL_WORDS]
    if not found:
        return True
    return all(not w[:1].isupper() or f[:1].isupper() for f, w in zip(found, wanted, strict=False))
