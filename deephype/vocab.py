"""The model's word vocabulary (frequency cut-off, special tokens, placeholders) and its genre condition vector.

Both travel inside every checkpoint, so a model is always read with exactly the words and labels it learned.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import torch

from deephype.errors import ModelError
from deephype.tokens import PLACEHOLDERS

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<bos>", "<eos>"
SPECIALS = (PAD, UNK, BOS, EOS)
PAD_ID, UNK_ID, BOS_ID, EOS_ID = range(4)
UNKNOWN_LABEL = "unknown"  # the condition label of a song whose genres are not known


@dataclass(frozen=True)
class Vocabulary:
    """Words by id: the four specials first, then the placeholders, then corpus words by falling frequency."""

    words: tuple[str, ...]
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.words[: len(SPECIALS)] != SPECIALS:
            raise ModelError(f"a vocabulary must start with {', '.join(SPECIALS)}; this one starts {self.words[:4]}")
        if len(set(self.words)) != len(self.words):
            raise ModelError("the vocabulary lists a word twice: the checkpoint is corrupt")
        object.__setattr__(self, "index", {word: i for i, word in enumerate(self.words)})

    @classmethod
    def build(cls, sentences: Iterable[Sequence[str]], min_count: int, max_size: int | None = None) -> Vocabulary:
        """Keep words seen at least `min_count` times (at most `max_size` words in all); ties break alphabetically."""
        counts = Counter(token for tokens in sentences for token in tokens)
        reserved = SPECIALS + PLACEHOLDERS
        ranked = sorted((w for w, n in counts.items() if n >= min_count and w not in reserved),
                        key=lambda w: (-counts[w], w))
        if max_size is not None:
            ranked = ranked[: max(0, max_size - len(reserved))]
        return cls(reserved + tuple(ranked))

    def __len__(self) -> int:
        return len(self.words)

    def encode(self, tokens: Sequence[str]) -> list[int]:
        """Token ids of a tokenised sentence; unknown words become <unk>. No <bos>/<eos> added."""
        return [self.index.get(token, UNK_ID) for token in tokens]

    def decode(self, ids: Iterable[int]) -> list[str]:
        """Tokens for ids, stopping at <eos> and leaving out <bos> and <pad>."""
        tokens = []
        for i in ids:
            if i == EOS_ID:
                break
            if i not in (BOS_ID, PAD_ID):
                tokens.append(self.words[i])
        return tokens


def condition_vector(labels: Iterable[str], label_list: Sequence[str]) -> torch.Tensor:
    """The genre condition `a`: multi-hot over `label_list`, normalised to sum to one.

    Labels the list does not know count as "unknown", so an old model still reads a song with a new genre.
    """
    position = {label: i for i, label in enumerate(label_list)}
    if UNKNOWN_LABEL not in position:
        raise ModelError(f"the condition labels must include '{UNKNOWN_LABEL}'")
    hot = {position.get(label, position[UNKNOWN_LABEL]) for label in labels} or {position[UNKNOWN_LABEL]}
    vector = torch.zeros(len(label_list))
    vector[sorted(hot)] = 1.0 / len(hot)
    return vector


def condition_matrix(label_lists: Iterable[Iterable[str]], label_list: Sequence[str]) -> torch.Tensor:
    """Condition vectors for many sentences, stacked: (N, C)."""
    rows = [condition_vector(labels, label_list) for labels in label_lists]
    return torch.stack(rows) if rows else torch.zeros(0, len(label_list))
