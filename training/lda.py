"""`deephype train lda`: fit the topic model on the training sentences, pick its weights, save both to the bundle."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from deephype.config import TopicsConfig
from deephype.corpus import read_sentences
from deephype.errors import EmptyCorpusError
from deephype.store import Store
from deephype.topic_model import save_topic_model
from deephype.topic_plot import plot_topics
from deephype.topic_report import TopicsReport, topics_report
from deephype.topic_weights import WEIGHTS_FILE
from deephype.topics import train_topic_model


@dataclass(frozen=True)
class LdaResult:
    model_path: Path  # lda.npz in the bundle
    report: TopicsReport  # the topics with the weights just picked (report.saved is the weights file)
    plot: Path
    sentences: int
    seconds: float  # fitting, picking and saving
    bundle_bytes: int  # what the topic model and its weights add to the bundle


def train_lda(store: Store, config: TopicsConfig, out_dir: Path, plot_path: Path, progress: bool = True) -> LdaResult:
    """Fit LDA on the corpus's training split, save it to `out_dir` with the weights the rule picks, and plot it."""
    texts = [sentence.text for sentence in read_sentences(store, "train")]
    if not texts:
        raise EmptyCorpusError("the corpus has no training sentences: run `deephype data build` first")
    started = time.perf_counter()
    with tqdm(total=config.passes, desc=f"LDA, {config.num_topics} topics", unit="pass", disable=not progress,
              leave=False) as bar:
        model = train_topic_model(texts, config, on_pass=lambda _: bar.update())
    model_path = save_topic_model(model, out_dir)
    # Retraining changes the topics, so the weights are always re-picked with the model they belong to.
    report = topics_report(model, out_dir, texts, config, pick=True)
    seconds = time.perf_counter() - started
    plot = plot_topics(report.topics, plot_path, title=f"LDA topics of {len(texts):,} training sentences")
    return LdaResult(
        model_path=model_path,
        report=report,
        plot=plot,
        sentences=len(texts),
        seconds=round(seconds, 1),
        bundle_bytes=model_path.stat().st_size + (Path(out_dir) / WEIGHTS_FILE).stat().st_size,
    )
