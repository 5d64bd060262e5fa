"""Figures of a set of sentences, generated or real: finishing, stutter, diversity, novelty, unknown words, length.

Every figure reads token lists (no <bos>/<eos>), so prior samples and real held-out sentences are judged by the
same code. Rates are fractions 0-1; a figure over nothing (no sentences, no n-grams) is 0.0.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from deephype.vocab import UNK, Vocabulary

NOVELTY_NGRAM = 8  # a sample sharing 8 consecutive tokens with a training sentence copied a phrase of it
REPEAT_SPAN = 4  # the longest phrase checked for an immediate repeat: "and and", "the song the song"

Tokens = Sequence[str]


def ngrams(tokens: Tokens, n: int) -> Iterator[tuple[str, ...]]:
    return (tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True)
class TrainingIndex:
    """The training sentences and their n-grams, for novelty: a sample is novel when it is not a training
    sentence and shares no `n`-gram with one (shorter samples: only the exact match is checked)."""

    sentences: frozenset[tuple[str, ...]]
    ngrams: frozenset[tuple[str, ...]]
    n: int = NOVELTY_NGRAM

    @classmethod
    def build(cls, sentences: Iterable[Tokens], n: int = NOVELTY_NGRAM) -> TrainingIndex:
        rows = [tuple(tokens) for tokens in sentences]
        return cls(frozenset(rows), frozenset(g for row in rows for g in ngrams(row, n)), n)

    def is_novel(self, tokens: Tokens) -> bool:
        return tuple(tokens) not in self.sentences and not any(g in self.ngrams for g in ngrams(tokens, self.n))


def eos_rate(finished: Sequence[bool]) -> float:
    """Share of sentences that ended with <eos> rather than running out of steps."""
    return sum(finished) / len(finished) if finished else 0.0


def has_immediate_repeat(tokens: Tokens, max_span: int = REPEAT_SPAN) -> bool:
    """True when a word or phrase of up to `max_span` tokens comes twice in a row ("and and", "so good so good").

    Phrases of punctuation alone ("! !", ". . .") don't count: they are emphasis, not the decoder stuttering.
    """
    for span in range(1, max_span + 1):
        for i in range(len(tokens) - 2 * span + 1):
            phrase = tokens[i : i + span]
            if phrase == tokens[i + span : i + 2 * span] and any(any(c.isalnum() for c in t) for t in phrase):
                return True
    return False


def repeat_rate(sentences: Sequence[Tokens]) -> float:
    """Share of sentences with an immediate repeat (see `has_immediate_repeat`)."""
    return sum(has_immediate_repeat(tokens) for tokens in sentences) / len(sentences) if sentences else 0.0


def distinct_n(sentences: Sequence[Tokens], n: int) -> float:
    """Distinct n-grams over all n-grams in the set (Li et al. 2016). It falls as the set grows, so compare sets
    of the same size."""
    grams = [g for tokens in sentences for g in ngrams(tokens, n)]
    return len(set(grams)) / len(grams) if grams else 0.0


def novelty(sentences: Sequence[Tokens], index: TrainingIndex) -> float:
    """Share of sentences that are neither a training sentence nor copy an n-gram of one."""
    return sum(index.is_novel(tokens) for tokens in sentences) / len(sentences) if sentences else 0.0


def unk_rate(sentences: Sequence[Tokens], vocab: Vocabulary) -> float:
    """Share of tokens the model's vocabulary does not hold (what it reads as <unk>)."""
    tokens = [token for sentence in sentences for token in sentence]
    unknown = sum(token == UNK or token not in vocab.index for token in tokens)
    return unknown / len(tokens) if tokens else 0.0


def mean_length(sentences: Sequence[Tokens]) -> float:
    """Mean tokens per sentence (words and punctuation, no <eos>)."""
    return sum(len(tokens) for tokens in sentences) / len(sentences) if sentences else 0.0


def sentence_figures(sentences: Sequence[Tokens], finished: Sequence[bool], index: TrainingIndex,
                     vocab: Vocabulary) -> dict[str, float]:
    """All figures of one set, keyed as `deephype eval` reports them (its `lm_ppl` is added by the caller)."""
    return {
        "eos_rate": eos_rate(finished),
        "repeat_rate": repeat_rate(sentences),
        "distinct_1": distinct_n(sentences, 1),
        "distinct_2": distinct_n(sentences, 2),
        "novelty": novelty(sentences, index),
        "unk_rate": unk_rate(sentences, vocab),
        "mean_length": mean_length(sentences),
    }
