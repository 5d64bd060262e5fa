"""A picture of the corpus: the funnel and the genre distribution, side by side in one PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no screen on servers; we only write files
import matplotlib.pyplot as plt  # noqa: E402


def plot_card(card: dict[str, Any], path: Path) -> Path:
    """Write the funnel (kept per step, by unit) and the top genres and condition labels to `path`."""
    fig, (funnel_ax, genre_ax, label_ax) = plt.subplots(1, 3, figsize=(18, 6))
    steps = card["funnel"]
    names = [f"{s['step']} ({s['unit']})" for s in steps]
    funnel_ax.barh(names[::-1], [s["kept"] for s in steps][::-1], color="#4c72b0", label="kept")
    funnel_ax.barh(names[::-1], [s["dropped"] for s in steps][::-1], left=[s["kept"] for s in steps][::-1],
                   color="#dd8452", label="dropped")
    funnel_ax.set_title("Funnel: what each step kept and dropped")
    funnel_ax.set_xscale("log")
    funnel_ax.legend()
    _bars(genre_ax, card["top_genres"], "Top genres (sentences)")
    _bars(label_ax, card["top_condition_labels"], "Top condition labels (sentences)")
    fig.suptitle(f"{card['sentences']:,} sentences from {card['posts_kept']:,} posts; "
                 f"{card['genre_coverage']:.0%} with a real genre")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _bars(ax: Any, pairs: list[list], title: str) -> None:
    labels = [str(name) for name, _ in pairs][::-1]
    ax.barh(labels, [n for _, n in pairs][::-1], color="#55a868")
    ax.set_title(title)
