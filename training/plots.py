"""A PNG of a run's training curves (matplotlib's Agg canvas: no display, no global pyplot state)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def plot_curves(history: Sequence[dict[str, Any]], path: str | Path, title: str) -> Path:
    """Loss, KL and validation perplexity per epoch from a run's history entries."""
    epochs = [entry["epoch"] for entry in history]
    figure = Figure(figsize=(12, 3.6), layout="constrained")
    FigureCanvasAgg(figure)
    loss, kl, ppl = figure.subplots(1, 3)
    loss.plot(epochs, [e["train_reconstruction"] for e in history], marker="o", label="train reconstruction")
    loss.plot(epochs, [e["val_reconstruction"] for e in history], marker="o", label="val reconstruction")
    loss.plot(epochs, [e["val_nelbo"] for e in history], marker="o", linestyle="--", label="val -ELBO")
    loss.set(title="nats per sentence", xlabel="epoch")
    loss.legend(fontsize="small")
    kl.plot(epochs, [e["train_kl"] for e in history], marker="o", label="train KL")
    kl.plot(epochs, [e["val_kl"] for e in history], marker="o", label="val KL")
    kl.plot(epochs, [e["active_units"] for e in history], marker="s", linestyle=":", label="active units")
    kl.set(title="KL (nats) and active units", xlabel="epoch")
    kl.legend(fontsize="small")
    ppl.plot(epochs, [e["val_ppl"] for e in history], marker="o", color="tab:red")
    ppl.set(title="val perplexity (ELBO bound)", xlabel="epoch")
    figure.suptitle(title)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    return path
