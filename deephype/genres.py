"""Genres for an artist: the store's cache, an offline artist table, and genre names a post mentions.

Every label carries its source, so a curator (and the data card) can see how much of it is guesswork.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from deephype.errors import InputError
from deephype.songs import normalise_name
from deephype.store import Store

SOURCE_CACHE = "cache"
SOURCE_TABLE = "offline_table"
SOURCE_MENTION = "post_mention"
UNKNOWN = "unknown"

# Single-word genres are often everyday words ("focus", "world", "drift", "a house"): they count only in a musical
# context (a music noun after them, "a slice of ..." before, "...-tinged" after), except these unambiguous ones.
_STANDALONE = {"edm", "rap", "r&b", "indietronica", "electropop", "chillwave", "downtempo", "dubstep", "moombahton",
               "vaporwave", "shoegaze", "techno", "synthpop", "britpop", "afrobeat", "afropop", "reggae", "grunge",
               "eurodance", "europop", "chillhop", "microhouse", "complextro", "brostep", "chillstep", "etherpop",
               "electroclash", "bebop", "aussietronica", "indiecoustica", "latintronica", "electropowerpop", "popgaze",
               "nu-disco", "trip-hop", "hip hop", "neo-soul", "synthwave", "darkwave", "dancehall", "reggaeton"}
# Spotify genre names that in blog prose are almost always something else (labels, instruments, moods).
_NEVER = {"ninja", "melancholia", "focus", "world", "wave", "fake", "comic", "christmas", "vogue", "strut", "mandible",
          "pixie", "lilith", "drift", "preverb", "wonky", "cello", "violin", "erotica", "cabaret", "minimal", "drone",
          "footwork", "soundtrack", "fluxwork", "tracestep", "ambeat", "electrofox", "bmore", "laboratorio"}
_MUSIC_NOUNS = r"(?:music|song|songs|track|tracks|tune|tunes|anthem|banger|number|record|single|vibes?|sound|" \
    r"production|producer|outfit|band|act|duo|trio|artist|singer|jam|groove|beat|beats|cut|ballad|gem|influences?|" \
    r"sensibilit(?:y|ies)|hooks?|ep|album|scene|stylings|star)"
_BEFORE = "(?:" + "|".join(f"(?<={word} of )" for word in
                         ("slice", "piece", "blend", "brand", "dose", "fusion", "mix", "kind", "style")) + ")"
_AFTER = r"(?=[\s-]+" + _MUSIC_NOUNS + r"\b|-(?:tinged|infused|inspired|laced|leaning|heavy|driven|influenced)\b)"
# Genre words written as people or adjectives: "folk rockers", "a poppy hook".
_INFLECTIONS = [(r"\brockers\b", "rock"), (r"\bpoppy\b", "pop"), (r"\bhip-hop\b", "hip hop"), (r"\br 'n' b\b", "r&b"),
                (r"\brnb\b", "r&b"), (r"\bsynth-pop\b", "synthpop"), (r"\belectro-pop\b", "electropop")]


@dataclass(frozen=True)
class GenreLabel:
    genres: tuple[str, ...]  # Spotify genre names, most specific first as the source gave them
    source: str  # SOURCE_CACHE, SOURCE_TABLE, SOURCE_MENTION or UNKNOWN


def read_genre_vocabulary(path: str | Path) -> dict[str, int]:
    """The Spotify genre vocabulary with how many reviews carried each (genre_counts_5yrs.json format)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the genre vocabulary {path}: {error}") from None
    counts = data.get("genre_counts", data) if isinstance(data, dict) else None
    if not isinstance(counts, dict) or not all(isinstance(v, int) for v in counts.values()):
        raise InputError(f"{path} must map genre names to counts (optionally under 'genre_counts')")
    return counts


def read_artist_table(path: str | Path) -> dict[str, tuple[str, ...]]:
    """Offline artist -> genres table: a CSV with columns `artist` and `genres` (joined by '|')."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"artist", "genres"} <= set(reader.fieldnames):
                raise InputError(f"{path} must be a CSV with 'artist' and 'genres' columns")
            table: dict[str, tuple[str, ...]] = {}
            for row in reader:
                genres = tuple(g.strip() for g in (row["genres"] or "").split("|") if g.strip())
                key = normalise_name(row["artist"] or "")
                if key and genres and key not in table:
                    table[key] = genres
            return table
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InputError(f"cannot read the artist genre table {path}: {error}") from None


class GenreMentionFinder:
    """Finds Spotify genre names in free text ("folk rockers", "an alt-folk anthem", "a slice of indie pop")."""

    def __init__(self, vocabulary: Iterable[str]):
        names = sorted({g.lower() for g in vocabulary} - _NEVER, key=len, reverse=True)  # longest match wins
        alternatives = []
        for name in names:
            words = [re.escape(w) for w in re.split(r"[\s-]+", name) if w]
            pattern = r"[\s-]+".join(words)
            if len(words) == 1 and name not in _STANDALONE:
                pattern = f"(?:{_BEFORE}{pattern}|{pattern}{_AFTER})"
            alternatives.append(pattern)
        self._pattern = re.compile(r"(?<![\w&])(?:" + "|".join(alternatives) + r")(?![\w&])", re.IGNORECASE)
        self._canonical = {re.sub(r"[\s-]+", " ", n): n for n in names}

    def find(self, text: str) -> tuple[str, ...]:
        text = text.lower()
        for pattern, replacement in _INFLECTIONS:
            text = re.sub(pattern, replacement, text)
        found: list[str] = []
        for match in self._pattern.finditer(text):
            name = self._canonical.get(re.sub(r"[\s-]+", " ", match.group(0)))
            if name and name not in found:
                found.append(name)
        return tuple(found)


class GenreLookup:
    """The pipeline's genre chain for an artist: store cache, then the offline table, then the post's own words."""

    def __init__(self, table: dict[str, tuple[str, ...]], finder: GenreMentionFinder, cache: Store | None = None):
        self.table = table
        self.finder = finder
        self.cache = cache

    def label(self, artists: Iterable[str], post_text: str) -> GenreLabel:
        keys = [normalise_name(a) for a in artists if a]
        for key in keys:
            cached = self.cache.cached_genres(key) if self.cache else None
            if cached and cached["genres"]:
                return GenreLabel(tuple(cached["genres"]), SOURCE_CACHE)
        for key in keys:
            if key in self.table:
                return GenreLabel(self.table[key], SOURCE_TABLE)
        mentioned = self.finder.find(post_text)
        if mentioned:
            return GenreLabel(mentioned, SOURCE_MENTION)
        return GenreLabel((), UNKNOWN)
