"""`deephype train lda` and `deephype topics`: fit the LDA topic model, and show its topics and weights."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from deephype.cli.common import pass_settings
from deephype.config import Settings
from deephype.errors import EmptyCorpusError
from deephype.store import Store

if TYPE_CHECKING:
    from deephype.topic_report import TopicSummary

PLOT_NAME = "topics.png"


def open_corpus(settings: Settings) -> Store:
    path = settings.path("corpus_db")
    if not path.is_file():
        raise EmptyCorpusError(f"no corpus at {path}: run `deephype data build` first")
    return Store.open(path)


@click.command("lda")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Where lda.npz and topic_weights.json go  [default: paths.model_dir, the shipped bundle]")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@pass_settings
def lda(settings: Settings, out_dir: str | None, quiet: bool) -> None:
    """Fit the LDA topic model on the corpus's training sentences and pick each topic's weight by the rule.

    Settings come from the `topics` section of config.yaml (number of topics, passes, seed). The model and the
    picked weights go to --out; a PNG of the topics goes to paths.plots_dir. `deephype topics` shows them.
    """
    from training.lda import train_lda  # imported here so `deephype --help` does not wait for gensim

    target = Path(out_dir) if out_dir else settings.path("model_dir")
    store = open_corpus(settings)
    try:
        result = train_lda(store, settings.topics, target, settings.path("plots_dir") / PLOT_NAME,
                           progress=not quiet)
    finally:
        store.close()
    weights = " ".join(signed(t.picked) for t in result.report.topics)
    click.echo(f"LDA: {settings.topics.num_topics} topics over {result.sentences:,} sentences in {result.seconds} s")
    click.echo(f"  picked weights: {weights}")
    click.echo(f"  model: {result.model_path} ({result.bundle_bytes / 1024:.0f} KB with its weights)")
    click.echo(f"  topics: {result.plot}  (details: `deephype topics`)")


@click.command("topics")
@click.option("--pick-weights", is_flag=True,
              help="Write the rule's weights into the bundle (topics.topic_weights in config still overrides them).")
@click.option("--words", type=click.IntRange(1, 50), default=8, show_default=True, help="Top words per topic.")
@click.option("--examples", type=click.IntRange(0, 20), default=3, show_default=True,
              help="Example sentences per topic.")
@click.option("--model-dir", type=click.Path(file_okay=False), default=None,
              help="Bundle holding lda.npz  [default: paths.model_dir]")
@pass_settings
def topics(settings: Settings, pick_weights: bool, words: int, examples: int, model_dir: str | None) -> None:
    """Show each LDA topic: top words, example sentences, the weight rule's score and the topic's weight.

    The rule (see deephype/topic_weights.py) ranks topics by descriptive minus promotional word share; the best
    third get +1, the worst third -1. Also writes a PNG of the topic-word weights to paths.plots_dir.
    """
    from deephype.corpus import read_sentences
    from deephype.topic_model import load_topic_model
    from deephype.topic_plot import plot_topics
    from deephype.topic_report import topics_report

    bundle = Path(model_dir) if model_dir else settings.path("model_dir")
    model = load_topic_model(bundle)
    store = open_corpus(settings)
    try:
        texts = [sentence.text for sentence in read_sentences(store, "train")]
    finally:
        store.close()
    report = topics_report(model, bundle, texts, settings.topics, words=words, examples=examples, pick=pick_weights)
    for summary in report.topics:
        echo_topic(summary)
    click.echo(weights_line(report.weights_source, bundle, report.saved))
    plot = plot_topics(report.topics, settings.path("plots_dir") / PLOT_NAME,
                       title=f"LDA topics of {len(texts):,} training sentences")
    click.echo(f"Plot: {plot}")


def signed(weight: int) -> str:
    return f"{weight:+d}" if weight else "0"


def echo_topic(summary: TopicSummary) -> None:
    weight = "unset" if summary.weight is None else signed(summary.weight)
    score = summary.score
    click.echo(f"Topic {summary.topic}: weight {weight} (rule picks {signed(summary.picked)}), "
               f"score {score.total:+.4f} (words {score.words:+.4f}, sentences {score.sentences:+.4f}), "
               f"{summary.share:.1%} of the text")
    click.echo("  words: " + ", ".join(word for word, _ in summary.top_words))
    for example in summary.examples:
        click.echo(f"  e.g. {example}")


def weights_line(source: str, bundle: Path, saved: Path | None) -> str:
    if saved:
        return f"Picked weights written to {saved}" + (" (config's topics.topic_weights overrides them)"
                                                       if source == "config" else "")
    if source == "config":
        return "Weights in effect: topics.topic_weights from config.yaml"
    if source == "bundle":
        return f"Weights in effect: picked by the rule, from {bundle}"
    return "No weights yet: run `deephype topics --pick-weights` or set topics.topic_weights in config.yaml"
