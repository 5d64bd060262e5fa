"""A PNG of the topics: one bar chart of top-word probabilities per topic, coloured by the topic's weight."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from deephype.topic_report import TopicSummary

COLOURS = {1: "#2e8b57", 0: "#8c8c8c", -1: "#c0392b", None: "#4c72b0"}  # good, neutral, bad, no weight yet
COLUMNS = 5


def plot_topics(summaries: Sequence[TopicSummary], path: str | Path, title: str) -> Path:
    """A grid of K panels, each the topic's top words by p(word | topic), titled with its weight and score."""
    rows = math.ceil(len(summaries) / COLUMNS)
    figure = Figure(figsize=(3.2 * COLUMNS, 3.0 * rows), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, COLUMNS, squeeze=False).ravel()
    for axis, summary in zip(axes, summaries, strict=False):
        words = [word for word, _ in summary.top_words][::-1]
        probabilities = [p for _, p in summary.top_words][::-1]
        axis.barh(words, probabilities, color=COLOURS[summary.weight])
        weight = "unset" if summary.weight is None else f"{summary.weight:+d}" if summary.weight else "0"
        axis.set_title(f"topic {summary.topic}: weight {weight}, score {summary.score.total:+.3f}", fontsize=9)
        axis.tick_params(labelsize=8)
        axis.set_xlabel("p(word | topic)", fontsize=8)
    for axis in axes[len(summaries):]:
        axis.set_visible(False)
    figure.suptitle(title)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    return path
