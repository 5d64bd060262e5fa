"""Ranking candidates: how fluent the LM yardstick finds them, how novel, whether they name the song, the topic
reward when the bundle has one, then a diverse top N by maximal marginal relevance (Carbonell & Goldstein 1998).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import torch

from deephype.batch import make_batch
from deephype.config import GenerationConfig
from deephype.likelihood import lm_log_likelihood
from deephype.lm import LanguageModel
from deephype.tokens import PLACEHOLDERS
from deephype.vocab import Vocabulary

Tokens = Sequence[str]


@dataclass(frozen=True)
class RankingWeights:
    """How much each term adds to a candidate's relevance; fluency (mean log-probability per token) counts 1."""

    mention: float
    novelty: float
    topic: float
    diversity: float

    @classmethod
    def from_config(cls, config: GenerationConfig) -> RankingWeights:
        return cls(config.mention_weight, config.novelty_weight, config.topic_weight, config.diversity_weight)


@dataclass(frozen=True)
class Ranked:
    position: int  # index into the list that was ranked
    score: float  # relevance minus the redundancy penalty when it was picked; falls from first to last
    redundancy: float  # highest word overlap with a candidate picked before it, 0..1


def fluency(lm: LanguageModel, vocab: Vocabulary, sentences: Sequence[Tokens], condition: torch.Tensor) -> list[float]:
    """Mean log-probability per token (the end of the sentence included) under the LM with genre vector `condition`
    (C,); a sentence the LM finds as likely as real commentary scores about -3 to -4."""
    if not sentences:
        return []
    batch = make_batch(vocab, sentences, condition.unsqueeze(0).expand(len(sentences), -1))
    return (lm_log_likelihood(lm, batch) / batch.lengths).tolist()


def relevance(details: Mapping[str, float], weights: RankingWeights) -> float:
    """A candidate's worth before diversity: fluency plus the weighted bonuses present in its details."""
    return (details["fluency"] + weights.mention * details["names_song"] + weights.novelty * details["novelty"]
            + weights.topic * details.get("topic", 0.0))


def word_set(tokens: Tokens) -> frozenset[str]:
    """The words that make two candidates say the same thing (names and punctuation left out)."""
    return frozenset(t for t in tokens if t not in PLACEHOLDERS and any(ch.isalnum() for ch in t))


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two word sets."""
    return len(a & b) / len(a | b) if a or b else 0.0


def pick_diverse(sentences: Sequence[Tokens], relevances: Sequence[float], n: int, diversity: float) -> list[Ranked]:
    """The n best by maximal marginal relevance: each pick maximises relevance - diversity * (highest overlap with
    the ones already picked). The picked scores never rise, so the list is best first."""
    words = [word_set(tokens) for tokens in sentences]
    remaining = list(range(len(sentences)))
    picked: list[Ranked] = []
    while remaining and len(picked) < n:
        best = None
        for i in remaining:
            redundancy = max((overlap(words[i], words[p.position]) for p in picked), default=0.0)
            value = relevances[i] - diversity * redundancy
            if best is None or value > best.score:
                best = Ranked(i, value, redundancy)
        picked.append(best)
        remaining.remove(best.position)
    return picked
