"""The topic reward: how much of a text's topic mass lies in good topics minus bad ones, in [-1, 1].

`reward = theta . weights`, with theta the text's posterior topic mix under the LDA model and weights +1 / 0 / -1
per topic. The LC-GAN's critic learns to predict it from a latent; evaluation reports it for samples.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from deephype.config import TopicsConfig
from deephype.topic_model import TopicModel, load_topic_model
from deephype.topic_weights import check_weights, topic_weights


class TopicReward:
    """Batched reward, topic mix and preference of texts under one topic model and its weights."""

    def __init__(self, model: TopicModel, weights: Sequence[int]) -> None:
        check_weights(weights, model.num_topics, "the topic weights")
        self.model = model
        self.weights = np.asarray(weights, dtype=np.float64)  # (K,)

    def topic_distribution(self, texts: Sequence[str]) -> np.ndarray:
        """(N, K) topic mix of each text; rows sum to 1."""
        return self.model.topic_distribution(texts)

    def reward(self, texts: Sequence[str]) -> np.ndarray:
        """(N,) weighted topic mass in [-1, 1]; a text with no topic word gets the prior mix's reward."""
        return self.topic_distribution(texts) @ self.weights

    def preferred(self, texts: Sequence[str]) -> np.ndarray:
        """(N,) True where the text's top topic has weight +1 (never for a text with no topic word)."""
        counts = self.model.word_counts(texts)
        gamma = self.model.infer(counts)  # (N, K)
        has_words = np.diff(counts.indptr) > 0
        return (self.weights[gamma.argmax(axis=1)] == 1) & has_words


def load_topic_reward(model_dir: str | Path, config: TopicsConfig) -> TopicReward:
    """The bundle's topic model with the weights in effect (config's override, else the picked ones)."""
    model = load_topic_model(model_dir)
    return TopicReward(model, topic_weights(model, model_dir, config))
