"""Condition labels: the long tail of Spotify genres folded into a fixed label set the model conditions on.

Rule: a genre becomes a label of its own when at least `min_songs` training songs carry it (a label the model sees
on fewer songs is noise it cannot learn), keeping at most `max_labels` of the most common. Any other genre maps to
the most common label with the same head word ("indie folk" -> "folk"), then to one sharing any word
("shimmer pop" -> "indie pop"), else to "other". Songs with no genre get "unknown".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

UNKNOWN_LABEL = "unknown"
OTHER_LABEL = "other"


def _words(genre: str) -> list[str]:
    return [w for w in re.split(r"[\s-]+", genre.lower()) if w]


class ConditionLabels:
    """Maps genre lists to condition labels. `labels` is the fixed order of the model's genre vector."""

    def __init__(self, labels: list[str]):
        self.labels = labels
        self._rank = {label: i for i, label in enumerate(labels)}

    @classmethod
    def fit(cls, song_genres: Iterable[tuple[str, ...]], min_songs: int, max_labels: int) -> ConditionLabels:
        """Choose labels from the genres of each training song (one tuple per song, not per sentence)."""
        counts = Counter(g for genres in song_genres for g in set(genres))
        frequent = [g for g, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= min_songs]
        return cls([UNKNOWN_LABEL, OTHER_LABEL, *frequent[: max(0, max_labels - 2)]])

    def map_genre(self, genre: str) -> str:
        if genre in self._rank:
            return genre
        words = _words(genre)
        if not words:
            return OTHER_LABEL
        genre_labels = self.labels[2:]
        same_head = [label for label in genre_labels if _words(label)[-1] == words[-1]]
        if same_head:
            return same_head[0]  # labels are in frequency order, so this is the most common
        shared = [label for label in genre_labels if set(_words(label)) & set(words)]
        return shared[0] if shared else OTHER_LABEL

    def map(self, genres: Iterable[str]) -> tuple[str, ...]:
        mapped: list[str] = []
        for genre in genres:
            label = self.map_genre(genre)
            if label not in mapped:
                mapped.append(label)
        return tuple(mapped) if mapped else (UNKNOWN_LABEL,)
