"""Judging latents by the sentences they decode to, and the `lcgan` section of `deephype eval`: the same prior latents
decoded directly and after the LC-GAN's generator G, side by side (topic reward, preferred share, distance moved, the
LM's perplexity, distinct-2 and novelty).

Both sets share their latents, genre vectors and decoding seed, so the difference between them is G's doing. The
LC-GAN's training judges its latents with the same code.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from deephype.checkpoint import LoadedModel
from deephype.config import TopicsConfig
from deephype.corpus import CorpusSentence
from deephype.evaluation import SAMPLE_CHUNK, EvalOptions, draw_rows, eval_set
from deephype.lcgan import LatentGenerator, load_lcgan
from deephype.sample_metrics import TrainingIndex, distinct_n, novelty
from deephype.sampling import DecodeOptions, decode_latent
from deephype.scoring import lm_sentence_nll
from deephype.tokens import detokenize
from deephype.topic_reward import TopicReward, load_topic_reward

log = logging.getLogger(__name__)

SEED_OFFSET = 7  # the section's latents differ from the `samples` section's, whose seeds start at options.seed
FIGURES = ("reward", "preferred_share", "distance", "ppl", "distinct_2", "novelty")


@dataclass(frozen=True)
class JudgedSamples:
    """Sentences decoded from latents, with what the topic model and the LM baseline say of each."""

    tokens: list[list[str]]
    texts: list[str]
    topics: np.ndarray  # (N, K) LDA topic mix
    reward: np.ndarray  # (N,) in [-1, 1]
    preferred: np.ndarray  # (N,) the top topic is weighted +1
    nll: np.ndarray  # (N,) the LM's -log p of each sentence, <eos> included, in nats

    def subset(self, count: int) -> JudgedSamples:
        """The first `count` sentences and their scores."""
        return JudgedSamples(tokens=self.tokens[:count], texts=self.texts[:count], topics=self.topics[:count],
                             reward=self.reward[:count], preferred=self.preferred[:count], nll=self.nll[:count])

    def nll_per_token(self) -> np.ndarray:
        return self.nll / np.array([len(tokens) + 1 for tokens in self.tokens])

    def figures(self, distance: float, index: TrainingIndex) -> dict[str, Any]:
        """The section's figures; `distance` is the mean ||z' - z|| of the latents behind them."""
        return {
            "sentences": len(self.tokens),
            "reward": float(self.reward.mean()),
            "preferred_share": float(self.preferred.mean()),
            "distance": distance,
            "ppl": math.exp(float(self.nll.sum()) / sum(len(tokens) + 1 for tokens in self.tokens)),
            "distinct_2": distinct_n(self.tokens, 2),
            "novelty": novelty(self.tokens, index),
        }


@dataclass(frozen=True)
class SampleJudge:
    """Decodes latents as generation does and scores the sentences: topics by LDA, fluency by the LM baseline."""

    cvae: LoadedModel
    lm: LoadedModel  # reads the same condition labels as the CVAE (load_bundle checks)
    reward: TopicReward
    options: DecodeOptions

    def judge(self, z: torch.Tensor, condition: torch.Tensor, seed: int) -> JudgedSamples:
        """Latents (N, Z) with genre vectors (N, C), decoded in chunks from one seeded generator."""
        generator = torch.Generator().manual_seed(seed)
        tokens: list[list[str]] = []
        for start in range(0, z.shape[0], SAMPLE_CHUNK):
            rows = slice(start, start + SAMPLE_CHUNK)
            decoded = decode_latent(self.cvae.model, self.cvae.vocab, z[rows], condition[rows], self.options,
                                    generator)
            tokens.extend(list(d.tokens) for d in decoded)
        texts = [detokenize(sentence) for sentence in tokens]
        topics = self.reward.topic_distribution(texts)
        return JudgedSamples(tokens=tokens, texts=texts, topics=topics, reward=topics @ self.reward.weights,
                             preferred=self.reward.preferred(texts),
                             nll=lm_sentence_nll(self.lm.model, self.lm.vocab, tokens, condition).numpy())


def evaluate_lcgan(model_dir: str | Path, cvae: LoadedModel, lm: LoadedModel, sentences: Sequence[CorpusSentence],
                   training: TrainingIndex, options: EvalOptions, topics: TopicsConfig) -> dict[str, Any] | None:
    """The section for the bundle in `model_dir`, conditioned on the held-out sentences' genres; None when the
    bundle has no LC-GAN. ModelError when it has one but no topic model to judge it with."""
    latent_generator = load_lcgan(model_dir, cvae)
    if latent_generator is None:
        return None
    reward = load_topic_reward(model_dir, topics)
    if latent_generator.topics.get("model_id") != reward.model.model_id:
        log.warning("%s was trained toward another topic model than the bundle's: its figures judge it by topics "
                    "it never saw; retrain it with `deephype train lcgan`", latent_generator.path)
    data = eval_set(sentences, cvae.conditions)
    condition = data.condition[draw_rows(len(data), options.samples, options.seed)]
    return lcgan_report(SampleJudge(cvae, lm, reward, options.decode), latent_generator, condition, training,
                        options.seed)


def lcgan_report(judge: SampleJudge, latent_generator: LatentGenerator, condition: torch.Tensor,
                 training: TrainingIndex, seed: int = 0) -> dict[str, Any]:
    """{"prior": figures, "lcgan": figures} for one prior latent per row of `condition` (N, C)."""
    seed += SEED_OFFSET
    z = torch.randn(condition.shape[0], judge.cvae.model.config.latent_dim,
                    generator=torch.Generator().manual_seed(seed))  # (N, Z)
    moved = latent_generator.transform(z, condition)  # (N, Z)
    distance = float((moved - z).norm(dim=1).mean())
    return {
        "prior": judge.judge(z, condition, seed).figures(0.0, training),
        "lcgan": judge.judge(moved, condition, seed).figures(distance, training),
    }


def format_lcgan(section: dict[str, Any]) -> str:
    """The section as a small table for the text report: one row per figure, prior and LC-GAN side by side."""
    prior, steered = section["prior"], section["lcgan"]
    lines = [f"LC-GAN ({prior['sentences']:,} prior latents, decoded directly and after G)",
             f"{'':<16}{'prior':>10}{'lcgan':>10}{'change':>10}"]
    for figure in FIGURES:
        before, after = prior[figure], steered[figure]
        change = f"{after / before - 1:+.1%}" if before and figure not in ("reward", "distance") else ""
        lines.append(f"{figure:<16}{before:>10.3f}{after:>10.3f}{change:>10}")
    return "\n".join(lines)
