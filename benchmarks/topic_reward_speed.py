"""Throughput of the topic reward: texts scored per second by our batched E-step, beside gensim's own inference.

Scores validation sentences and short fragments of them (the length of CVAE samples) with the bundle's topic
model; gensim's `LdaModel.inference` on the same bag-of-words is the reference. Needs `deephype train lda` first.

    .venv/bin/python benchmarks/topic_reward_speed.py [--texts 1000] [--model-dir data/model]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from deephype.config import load_settings
from deephype.corpus import read_sentences
from deephype.store import Store
from deephype.topic_model import TopicModel
from deephype.topic_reward import load_topic_reward


def best_of(runs: int, work: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def gensim_seconds(model: TopicModel, texts: list[str]) -> float:
    """gensim's per-document E-step over the same dictionary and topics (its state rebuilt from our arrays)."""
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    dictionary = Dictionary([list(model.words)])
    lda = LdaModel(id2word=dictionary, num_topics=model.num_topics, alpha=model.alpha, random_state=0)
    lda.state.sstats[...] = model.lam - lda.eta  # the state adds eta back to give lambda
    lda.sync_state()
    counts = model.word_counts(texts)
    corpus = [list(zip(row.indices.tolist(), row.data.tolist(), strict=True)) for row in counts]
    return best_of(3, lambda: lda.inference(corpus))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--model-dir", default=None)
    args = parser.parse_args()
    settings = load_settings()
    reward = load_topic_reward(args.model_dir or settings.path("model_dir"), settings.topics)
    store = Store.open(settings.path("corpus_db"))
    sentences = [s.text for s in read_sentences(store, "val")]
    full = (sentences * (args.texts // len(sentences) + 1))[: args.texts]
    short = [" ".join(text.split()[:12]) for text in full]
    for name, texts in (("sentences", full), ("12-word fragments", short)):
        seconds = best_of(5, lambda texts=texts: reward.reward(texts))
        values = reward.reward(texts)
        print(f"{len(texts)} {name}: {seconds * 1000:.0f} ms ({len(texts) / seconds:,.0f} texts/s), "
              f"reward mean {values.mean():+.3f}, preferred {reward.preferred(texts).mean():.1%}")
    theirs = gensim_seconds(reward.model, full)
    print(f"gensim inference on the same {len(full)} sentences (bag of words given): {theirs * 1000:.0f} ms")
    print(f"topic model: {reward.model.num_topics} topics, {len(reward.model.words):,} words, "
          f"weights {np.asarray(reward.weights, dtype=int).tolist()}")


if __name__ == "__main__":
    main()
