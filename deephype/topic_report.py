"""What `deephype topics` shows: each topic's top words, example sentences, the weight rule's score and weight."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from deephype.config import TopicsConfig
from deephype.topic_model import TopicModel
from deephype.topic_weights import (
    WEIGHTS_FILE,
    TopicScore,
    pick_weights,
    read_picked_weights,
    save_weights,
    score_topics,
    topic_weights,
)

# A sentence with one or two topic words sits wholly in some topic by chance; examples should show a topic in use.
MIN_EXAMPLE_WORDS = 4


@dataclass(frozen=True)
class TopicSummary:
    topic: int
    top_words: tuple[tuple[str, float], ...]  # (word, p(word | topic)), most likely first
    examples: tuple[str, ...]  # training sentences with the highest share of this topic
    share: float  # the topic's share of all topic mass in the training sentences
    score: TopicScore
    picked: int  # the rule's weight
    weight: int | None  # the weight in effect; None when neither config nor the bundle sets one


@dataclass(frozen=True)
class TopicsReport:
    topics: tuple[TopicSummary, ...]
    weights_source: str  # "config", "bundle" or "none"
    saved: Path | None  # the weights file written by pick=True


def topics_report(model: TopicModel, model_dir: str | Path, texts: Sequence[str], config: TopicsConfig,
                  words: int = 8, examples: int = 3, pick: bool = False) -> TopicsReport:
    """Describe every topic over `texts` (the training sentences); `pick` writes the rule's weights to the bundle."""
    distribution = model.topic_distribution(texts)  # (N, K)
    scores = score_topics(model, texts, distribution, config.top_words)
    picked = pick_weights(scores, config.preferred_fraction, config.avoided_fraction)
    saved = save_weights(model, picked, scores, config, model_dir) if pick else None
    weights, source = _weights_in_effect(model, model_dir, config)
    known = np.asarray(model.word_counts(texts).sum(axis=1)).ravel()  # (N,)
    shares = distribution.sum(axis=0) / max(len(texts), 1)
    summaries = tuple(
        TopicSummary(
            topic=k,
            top_words=tuple(model.top_words(k, words)),
            examples=_examples(texts, distribution[:, k], known, examples),
            share=float(shares[k]),
            score=scores[k],
            picked=picked[k],
            weight=weights[k] if weights else None,
        )
        for k in range(model.num_topics)
    )
    return TopicsReport(topics=summaries, weights_source=source, saved=saved)


def _weights_in_effect(model: TopicModel, model_dir: str | Path, config: TopicsConfig) -> tuple[tuple[int, ...], str]:
    if config.topic_weights:
        return topic_weights(model, model_dir, config), "config"
    if not (Path(model_dir) / WEIGHTS_FILE).is_file():
        return (), "none"
    return read_picked_weights(model, model_dir), "bundle"


def _examples(texts: Sequence[str], topic_share: np.ndarray, known: np.ndarray, count: int) -> tuple[str, ...]:
    candidates = np.flatnonzero(known >= MIN_EXAMPLE_WORDS)
    best = candidates[np.argsort(-topic_share[candidates], kind="stable")[:count]]
    return tuple(texts[i] for i in best)
