"""A PNG of an LC-GAN run: the critic's and generator's losses per step, and the judged samples of each round."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

LOSSES = (
    ("critic_topics", "D: topic cross-entropy"),
    ("critic_fluency", "D: fluency squared error"),
    ("critic_realism", "D: realism BCE"),
    ("generator_realism", "G: realism (-log D)"),
    ("distance_penalty", "G: distance penalty"),
)


def plot_lcgan(history: Sequence[dict[str, Any]], rounds: Sequence[dict[str, Any]], path: str | Path,
               title: str) -> Path:
    """Losses and D's predictions per step; per round, the measured reward, preferred share, and perplexity and
    distinct-2 relative to the prior's samples (round 0, the dashed lines)."""
    figure = Figure(figsize=(12, 7.5), layout="constrained")
    FigureCanvasAgg(figure)
    (losses, predicted), (measured, quality) = figure.subplots(2, 2)
    steps = [entry["step"] for entry in history]
    for key, label in LOSSES:
        losses.plot(steps, [entry[key] for entry in history], label=label)
    losses.set(title="losses", xlabel="generator step")
    losses.legend(fontsize="small")
    predicted.plot(steps, [entry["predicted_reward"] for entry in history], color="tab:green", label="reward")
    fluency = predicted.twinx()
    fluency.plot(steps, [entry["predicted_fluency"] for entry in history], color="tab:red")
    predicted.set(title="G's latents as D predicts them: reward (green, left),\nLM NLL per token above the prior's "
                  "(red, right)", xlabel="generator step")
    plot_rounds(measured, quality, rounds)
    figure.suptitle(title)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    return path


def plot_rounds(measured: Axes, quality: Axes, rounds: Sequence[dict[str, Any]]) -> None:
    prior, trained = rounds[0], rounds[1:]
    steps = [r["step"] for r in trained]
    for axes, keys, scale in ((measured, ("reward", "preferred_share"), False), (quality, ("ppl", "distinct_2"), True)):
        for key, colour in zip(keys, ("tab:green", "tab:blue"), strict=True):
            values = [r[key] / prior[key] if scale else r[key] for r in trained]
            axes.plot(steps, values, marker="o", color=colour, label=key + (" / prior's" if scale else ""))
            axes.axhline(1.0 if scale else prior[key], color=colour, linestyle="--")
        axes.legend(fontsize="small")
    measured.set(title="each round's decoded samples, judged (dashed: the prior's)", xlabel="generator step")
    quality.set(title="their LM perplexity and distinct-2 over the prior's", xlabel="generator step")
