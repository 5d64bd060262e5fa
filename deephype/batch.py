"""Padded tensors for a list of tokenised sentences: what the CVAE and the LM read in one step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from deephype.errors import ModelError
from deephype.vocab import BOS_ID, EOS_ID, PAD_ID, Vocabulary


@dataclass(frozen=True)
class Batch:
    tokens: torch.Tensor  # (B, T+1) <bos> w1 .. wn <eos> <pad> ..., T = longest sentence + 1
    lengths: torch.Tensor  # (B,) predicted tokens per sentence: words + <eos>
    condition: torch.Tensor  # (B, C) genre condition vectors

    @property
    def inputs(self) -> torch.Tensor:
        return self.tokens[:, :-1]  # (B, T) what the decoder reads: <bos> w1 .. wn

    @property
    def targets(self) -> torch.Tensor:
        return self.tokens[:, 1:]  # (B, T) what it predicts: w1 .. wn <eos>; also the encoder's input

    @property
    def mask(self) -> torch.Tensor:
        return self.targets != PAD_ID  # (B, T)

    def __len__(self) -> int:
        return self.tokens.shape[0]


def make_batch(vocab: Vocabulary, sentences: Sequence[Sequence[str]], condition: torch.Tensor) -> Batch:
    """Pad tokenised sentences into one Batch; `condition` is (B, C), one row per sentence."""
    if len(sentences) != condition.shape[0]:
        raise ModelError(f"{len(sentences)} sentences but {condition.shape[0]} condition vectors")
    ids = [[BOS_ID, *vocab.encode(tokens), EOS_ID] for tokens in sentences]
    return batch_from_ids(ids, condition)


def batch_from_ids(ids: Sequence[Sequence[int]], condition: torch.Tensor) -> Batch:
    """Pad id lists that already hold <bos> ... <eos>."""
    width = max((len(row) for row in ids), default=2)
    tokens = torch.full((len(ids), width), PAD_ID, dtype=torch.long)
    for i, row in enumerate(ids):
        tokens[i, : len(row)] = torch.tensor(row, dtype=torch.long)
    lengths = torch.tensor([len(row) - 1 for row in ids], dtype=torch.long)
    return Batch(tokens=tokens, lengths=lengths, condition=condition.float())
