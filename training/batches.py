"""Corpus sentences -> id lists -> length-bucketed batches, so a batch pads little and an epoch is reproducible."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from deephype.batch import Batch, batch_from_ids
from deephype.corpus import CorpusSentence
from deephype.tokens import tokenize
from deephype.vocab import BOS_ID, EOS_ID, Vocabulary, condition_matrix

POOL_BATCHES = 50  # batches per sorting pool: enough to bucket by length, few enough to keep batches mixed


@dataclass(frozen=True)
class Examples:
    ids: list[list[int]]  # <bos> w1 .. wn <eos> per sentence
    condition: torch.Tensor  # (N, C)

    def __len__(self) -> int:
        return len(self.ids)

    def lengths(self) -> list[int]:
        return [len(row) for row in self.ids]


def tokenized(sentences: Sequence[CorpusSentence]) -> list[list[str]]:
    return [tokenize(sentence.text) for sentence in sentences]


def encode_examples(sentences: Sequence[CorpusSentence], vocab: Vocabulary, conditions: Sequence[str],
                    max_tokens: int) -> Examples:
    """Id lists (cut to `max_tokens` words) and condition vectors for corpus sentences."""
    ids = [[BOS_ID, *vocab.encode(tokens[:max_tokens]), EOS_ID] for tokens in tokenized(sentences)]
    return Examples(ids=ids, condition=condition_matrix((s.condition_labels for s in sentences), conditions))


def bucket_batches(lengths: Sequence[int], batch_size: int, seed: int) -> list[list[int]]:
    """Shuffled batches of similar-length sentences: shuffle, sort within pools, cut, shuffle the batches.

    A function of (lengths, batch_size, seed) alone, so a resumed epoch replays the same batches.
    """
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(lengths), generator=generator).tolist()
    pool_size = batch_size * POOL_BATCHES
    batches = []
    for start in range(0, len(order), pool_size):
        pool = sorted(order[start : start + pool_size], key=lambda i: lengths[i])
        batches.extend(pool[i : i + batch_size] for i in range(0, len(pool), batch_size))
    shuffle = torch.randperm(len(batches), generator=generator).tolist()
    return [batches[i] for i in shuffle]


def evaluation_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Batches in length order: no randomness needed to measure."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def collate(examples: Examples, indices: Sequence[int]) -> Batch:
    return batch_from_ids([examples.ids[i] for i in indices], examples.condition[list(indices)])
