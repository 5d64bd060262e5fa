"""Train the LDA and the LC-GAN for a bundle's CVAE in a scratch copy of the bundle, time both, and print the LC-GAN's
figures on the corpus's held-out validation songs beside the issue's targets.

The validation split holds whole songs the CVAE, the LDA and the LC-GAN never trained on; each of the prior latents
is conditioned on one of those songs' genre vectors. Nothing in the bundle itself is touched.

Usage: .venv/bin/python benchmarks/lcgan.py [--model data/model] [--samples 1000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from deephype.checkpoint import FILES, load_bundle
from deephype.config import Settings, load_settings
from deephype.corpus import read_sentences
from deephype.evaluation import draw_rows
from deephype.lcgan import load_lcgan
from deephype.lcgan_eval import SampleJudge, lcgan_report
from deephype.sample_metrics import TrainingIndex
from deephype.sampling import DecodeOptions
from deephype.store import Store
from deephype.tokens import tokenize
from deephype.topic_reward import load_topic_reward
from deephype.vocab import condition_matrix
from training.lcgan import LCGANPaths, train_lcgan
from training.lda import train_lda


def timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    """The result of `work()`, its wall seconds and its CPU seconds (this process)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, round(time.perf_counter() - started, 1), round(time.process_time() - cpu, 1)


def targets(prior: dict, steered: dict) -> dict:
    return {
        "preferred_share_ratio": steered["preferred_share"] / prior["preferred_share"],
        "preferred_share_at_least_2x": steered["preferred_share"] >= 2 * prior["preferred_share"],
        "ppl_rise": steered["ppl"] / prior["ppl"] - 1,
        "ppl_rise_at_most_20%": steered["ppl"] <= 1.2 * prior["ppl"],
        "distinct_2_fall": 1 - steered["distinct_2"] / prior["distinct_2"],
        "distinct_2_falls_at_most_20%": steered["distinct_2"] >= 0.8 * prior["distinct_2"],
        "novelty_at_least_90%": steered["novelty"] >= 0.9,
    }


def main() -> None:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=settings.path("model_dir"))
    parser.add_argument("--samples", type=int, default=1000)
    args = parser.parse_args()
    generation = settings.generation
    decode = DecodeOptions(max_tokens=generation.max_tokens, temperature=generation.temperature,
                           top_p=generation.top_p)
    store = Store.open(settings.path("corpus_db"))
    with tempfile.TemporaryDirectory() as folder:
        bundle = Path(folder)
        for name in (FILES["cvae"], FILES["lm"]):
            shutil.copy(args.model / name, bundle / name)
        _, lda_seconds, lda_cpu = timed(lambda: train_lda(store, settings.topics, bundle, bundle / "topics.png",
                                                          progress=False))
        paths = LCGANPaths(bundle, bundle / "run", bundle / "lcgan.png")
        result, lcgan_seconds, lcgan_cpu = timed(lambda: train_lcgan(store, settings.lcgan, settings.topics, decode,
                                                                     paths, progress=False))
        report = held_out_report(store, bundle, settings, decode, args.samples)
        lcgan_bytes = (bundle / "lcgan.pt").stat().st_size
    report["training"] = {"lda_seconds": lda_seconds, "lcgan_seconds": lcgan_seconds,
                          "total_minutes": round((lda_seconds + lcgan_seconds) / 60, 2),
                          "cpu_minutes": round((lda_cpu + lcgan_cpu) / 60, 2), "lcgan_bytes": lcgan_bytes,
                          "shipped_step": result.metrics["best_step"], "training_rounds": result.metrics["rounds"]}
    report["targets"] = targets(report["prior"], report["lcgan"])
    print(json.dumps(report, indent=2, default=float))


def held_out_report(store: Store, bundle: Path, settings: Settings, decode: DecodeOptions, samples: int) -> dict:
    cvae, lm = load_bundle(bundle)
    held_out = read_sentences(store, "val")
    condition = condition_matrix([s.condition_labels for s in held_out], cvae.conditions)
    condition = condition[draw_rows(len(held_out), samples, seed=0)]
    index = TrainingIndex.build(tokenize(s.text) for s in read_sentences(store, "train"))
    judge = SampleJudge(cvae, lm, load_topic_reward(bundle, settings.topics), decode)
    torch.set_num_threads(settings.lcgan.threads)
    return lcgan_report(judge, load_lcgan(bundle, cvae), condition, index)


if __name__ == "__main__":
    main()
