"""Topic weights (+1 good, 0 neutral, -1 bad): picked from the data by a stated rule, stored in the bundle.

The rule. Each topic k gets two shares, both "descriptive minus promotional" by deephype/topic_lexicon.py:
  words:     over the topic's `top_words` most likely words, each counted by p(word | k);
  sentences: over the training sentences, each counted by its share of topic k (theta_dk), a sentence's
             value being (descriptive words - promotional words and pairs) / its words.
A topic's score is the mean of the two. Topics are ranked by score: the best `preferred_fraction` of them
(rounded) get +1 if their score is above zero, the worst `avoided_fraction` get -1 if their score is below zero,
the rest 0; ties keep topic order. `topics.topic_weights` in config.yaml, when not empty, overrides the picked
weights.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from deephype.config import TopicsConfig
from deephype.errors import ConfigError, ModelError
from deephype.tokens import tokenize
from deephype.topic_lexicon import DESCRIPTIVE, PROMOTIONAL, lexicon_shares
from deephype.topic_model import TopicModel

WEIGHTS_FILE = "topic_weights.json"
FORMAT = "deephype-topic-weights/1"


@dataclass(frozen=True)
class TopicScore:
    words: float  # descriptive minus promotional share of the topic's top words
    sentences: float  # descriptive minus promotional share of its sentences, weighted by their topic share

    @property
    def total(self) -> float:
        return (self.words + self.sentences) / 2


def score_topics(model: TopicModel, texts: Sequence[str], distribution: np.ndarray,
                 top_words: int) -> list[TopicScore]:
    """The rule's score of every topic; `distribution` is `model.topic_distribution(texts)`, (N, K)."""
    shares = np.array([lexicon_shares(tokenize(text)) for text in texts]).reshape(-1, 2)  # (N, 2)
    net = shares[:, 0] - shares[:, 1]  # (N,)
    mass = distribution.sum(axis=0)  # (K,)
    sentence_scores = (distribution.T @ net) / np.maximum(mass, 1e-12)  # (K,)
    return [TopicScore(words=_top_words_score(model, k, top_words), sentences=float(sentence_scores[k]))
            for k in range(model.num_topics)]


def _top_words_score(model: TopicModel, topic: int, count: int) -> float:
    top = model.top_words(topic, count)
    total = sum(p for _, p in top)
    net = sum(p * ((word in DESCRIPTIVE) - (word in PROMOTIONAL)) for word, p in top)
    return net / total if total else 0.0


def pick_weights(scores: Sequence[TopicScore], preferred_fraction: float, avoided_fraction: float) -> tuple[int, ...]:
    """+1 for the best-scoring share of topics, -1 for the worst, 0 between (the rule in the module docstring)."""
    count = len(scores)
    preferred = min(round(count * preferred_fraction), count)
    avoided = min(round(count * avoided_fraction), count - preferred)
    order = sorted(range(count), key=lambda k: -scores[k].total)  # stable: ties keep topic order
    weights = [0] * count
    # A topic is only rewarded when descriptive words outweigh promotional ones in it, and only penalised when
    # promotional words outweigh descriptive ones: a rank alone would penalise the least flowery of good topics.
    for k in order[:preferred]:
        weights[k] = 1 if scores[k].total > 0 else 0
    for k in order[count - avoided:]:
        weights[k] = -1 if scores[k].total < 0 else 0
    return tuple(weights)


def check_weights(weights: Sequence[int], num_topics: int, source: str) -> None:
    """ConfigError unless `weights` has one +1 / 0 / -1 per topic; `source` names where they came from."""
    if len(weights) != num_topics:
        raise ConfigError(f"{source} lists {len(weights)} weights but the topic model has {num_topics} topics: "
                          f"give one weight (1, 0 or -1) per topic, in the order `deephype topics` shows")
    bad = [w for w in weights if w not in (-1, 0, 1)]
    if bad:
        raise ConfigError(f"{source} takes only 1, 0 and -1, got {bad[0]}")


def save_weights(model: TopicModel, weights: Sequence[int], scores: Sequence[TopicScore],
                 config: TopicsConfig, model_dir: str | Path) -> Path:
    """Write the picked weights, their scores and the rule's settings next to the topic model they belong to."""
    check_weights(weights, model.num_topics, "the picked weights")
    path = Path(model_dir) / WEIGHTS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "format": FORMAT,
        "model_id": model.model_id,
        "weights": list(weights),
        "scores": [{"words": round(s.words, 5), "sentences": round(s.sentences, 5)} for s in scores],
        "rule": {"top_words": config.top_words, "preferred_fraction": config.preferred_fraction,
                 "avoided_fraction": config.avoided_fraction},
    }
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path


def read_picked_weights(model: TopicModel, model_dir: str | Path) -> tuple[int, ...]:
    """The weights picked into the bundle for this very model, or a ModelError saying how to pick them."""
    path = Path(model_dir) / WEIGHTS_FILE
    hint = "run `deephype topics --pick-weights` (or set topics.topic_weights in config.yaml)"
    if not path.is_file():
        raise ModelError(f"no topic weights in {Path(model_dir)} (expected {WEIGHTS_FILE}): {hint}")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        found, model_id, weights = record["format"], record["model_id"], tuple(record["weights"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ModelError(f"{path} is not a readable weights file ({error}): {hint}") from None
    if found != FORMAT or model_id != model.model_id:
        raise ModelError(f"{path} was picked for another topic model than the one in {Path(model_dir)}: {hint}")
    check_weights(weights, model.num_topics, str(path))
    return weights


def topic_weights(model: TopicModel, model_dir: str | Path, config: TopicsConfig) -> tuple[int, ...]:
    """The weights in effect: config's `topics.topic_weights` when given, else those picked into the bundle."""
    if config.topic_weights:
        check_weights(config.topic_weights, model.num_topics, "config key 'topics.topic_weights'")
        return tuple(config.topic_weights)
    return read_picked_weights(model, model_dir)
