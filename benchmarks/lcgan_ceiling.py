"""How far could picking among prior latents raise the preferred-topic share of a bundle's samples? Each of N
prior latents, with a held-out song's genre vector, is decoded R times as generation
decodes (temperature, top-p); the spread of the preferred share between latents, against the spread within one
latent's decodings, says how much of a sentence's topic the latent decides at all.

It prints the share with prior latents; the share the best tenth and quarter of latents reach when they are picked
on half of their decodings and measured on the other half (so the pick is not flattered by the same draws); and the
share of the variance of "top topic is preferred" explained by the latent. The LC-GAN is not bound by these
figures: its generator moves latents well outside the prior's typical set (a mean ||z' - z|| of about 5 for a
12-dimensional prior), where the decoder's topics depend more on the latent.

Usage: .venv/bin/python benchmarks/lcgan_ceiling.py [--model data/model] [--latents 300] [--repeats 16]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from deephype.checkpoint import load_bundle
from deephype.config import load_settings
from deephype.corpus import read_sentences
from deephype.evaluation import draw_rows
from deephype.lcgan_eval import SampleJudge
from deephype.sampling import DecodeOptions
from deephype.store import Store
from deephype.topic_reward import load_topic_reward
from deephype.vocab import condition_matrix


def preferred_by_latent(judge: SampleJudge, condition: torch.Tensor, repeats: int) -> np.ndarray:
    """(N, R): whether each of R decodings of each of N prior latents has a preferred top topic."""
    z = torch.randn(condition.shape[0], judge.cvae.model.config.latent_dim, generator=torch.Generator().manual_seed(1))
    judged = judge.judge(z.repeat_interleave(repeats, 0), condition.repeat_interleave(repeats, 0), seed=2)
    return judged.preferred.reshape(condition.shape[0], repeats).astype(float)


def ceiling(preferred: np.ndarray) -> dict[str, float]:
    half = preferred.shape[1] // 2
    picked_on, measured_on = preferred[:, :half].mean(axis=1), preferred[:, half:].mean(axis=1)
    order = np.argsort(-picked_on, kind="stable")
    between = preferred.mean(axis=1).var()
    within = preferred.var(axis=1, ddof=1).mean() / preferred.shape[1]  # the noise in each latent's mean
    return {
        "latents": preferred.shape[0], "repeats": preferred.shape[1],
        "prior_share": float(preferred.mean()),
        "best_tenth_share": float(measured_on[order[: max(1, len(order) // 10)]].mean()),
        "best_quarter_share": float(measured_on[order[: max(1, len(order) // 4)]].mean()),
        "variance_explained_by_latent": float(max(0.0, between - within) / preferred.var()),
    }


def main() -> None:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=settings.path("model_dir"), help="bundle with lda.npz")
    parser.add_argument("--latents", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=16, help="decodings per latent (even)")
    args = parser.parse_args()
    torch.set_num_threads(settings.generation.threads)
    generation = settings.generation
    decode = DecodeOptions(max_tokens=generation.max_tokens, temperature=generation.temperature,
                           top_p=generation.top_p)
    cvae, lm = load_bundle(args.model)
    held_out = read_sentences(Store.open(settings.path("corpus_db")), "val")
    condition = condition_matrix([s.condition_labels for s in held_out], cvae.conditions)
    condition = condition[draw_rows(len(held_out), args.latents, seed=0)]
    judge = SampleJudge(cvae, lm, load_topic_reward(args.model, settings.topics), decode)
    print(json.dumps(ceiling(preferred_by_latent(judge, condition, args.repeats)), indent=2))


if __name__ == "__main__":
    main()
