"""Find sentences that repeat, exactly or nearly, something already kept (press releases quoted by ten blogs).

Near duplicates are pairs whose sets of word 3-shingles have a Jaccard similarity at or above a threshold.
Candidates come from prefix filtering, so each check touches a few short posting lists, never all pairs.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

_WORD = re.compile(r"<artist>|<song>|[^\W_]+(?:'[^\W_]+)*")
_SHINGLE_SIZE = 3


class NearDuplicateFilter:
    """Remembers the sentences it has seen; `is_duplicate` answers for a new one and records it if new."""

    def __init__(self, threshold: float = 0.8):
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"near-duplicate threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self._exact: set[str] = set()
        self._shingles: list[frozenset[int]] = []
        self._index: dict[int, list[int]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self._exact)

    def is_duplicate(self, sentence: str) -> bool:
        words = _WORD.findall(str(sentence).lower())
        key = " ".join(words)
        if key in self._exact:
            return True
        shingles = _shingles(words)
        if self._has_near_duplicate(shingles):
            return True
        self._record(key, shingles)
        return False

    def _prefix(self, shingles: frozenset[int]) -> list[int]:
        # Prefix filtering (Chaudhuri et al. 2006; Bayardo et al. 2007): J(A, B) >= t needs an overlap of at
        # least ceil(t * |A|), so under any fixed order A and B share a shingle among their first
        # |A| - ceil(t * |A|) + 1. Sorting by the shingle hash is such an order.
        # The epsilon keeps float error (0.7 * 10 = 7.000000000000001) from shortening the prefix.
        keep = len(shingles) - math.ceil(self.threshold * len(shingles) - 1e-9) + 1
        return sorted(shingles)[:keep]

    def _has_near_duplicate(self, shingles: frozenset[int]) -> bool:
        if not shingles:
            return False
        seen: set[int] = set()
        for shingle in self._prefix(shingles):
            for candidate in self._index.get(shingle, ()):
                if candidate in seen:
                    continue
                seen.add(candidate)
                if _jaccard(shingles, self._shingles[candidate]) >= self.threshold:
                    return True
        return False

    def _record(self, key: str, shingles: frozenset[int]) -> None:
        self._exact.add(key)
        number = len(self._shingles)
        self._shingles.append(shingles)
        for shingle in self._prefix(shingles):
            self._index[shingle].append(number)


def _shingles(words: list[str]) -> frozenset[int]:
    """Hashes of word 3-shingles; a sentence shorter than three words is one shingle of all its words."""
    if len(words) < _SHINGLE_SIZE:
        return frozenset([hash(tuple(words))]) if words else frozenset()
    return frozenset(hash(tuple(words[i : i + _SHINGLE_SIZE])) for i in range(len(words) - _SHINGLE_SIZE + 1))


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    overlap = len(a & b)
    return overlap / (len(a) + len(b) - overlap)
