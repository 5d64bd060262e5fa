"""MODEL_CARD.md for a model bundle, rewritten from the checkpoints it holds each time one is trained."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from deephype.checkpoint import FILES, read_checkpoint
from deephype.lcgan import LCGAN_FILE, read_lcgan

FIGURES = (  # (metric key, label, format)
    ("val_iw_ppl", "validation perplexity, importance-weighted (the LM's is exact)", "{:.2f}"),
    ("val_ppl", "validation perplexity bound from the ELBO", "{:.2f}"),
    ("val_nelbo", "validation -ELBO, nats per sentence", "{:.2f}"),
    ("val_reconstruction", "validation reconstruction, nats per sentence", "{:.2f}"),
    ("val_kl", "validation KL, nats per sentence", "{:.2f}"),
    ("val_active_units", "active latent units", "{}"),
    ("val_accuracy", "validation next-token accuracy (teacher forcing)", "{:.3f}"),
    ("parameters", "parameters", "{:,}"),
    ("epochs", "epochs", "{}"),
    ("minutes", "training minutes (wall clock)", "{}"),
    ("stopped", "why training stopped", "{}"),
    ("trained_at", "trained at", "{}"),
)


def write_model_card(model_dir: str | Path) -> Path:
    """Describe the bundle's models (data, recipe, metrics, date) in `model_dir/MODEL_CARD.md`."""
    model_dir = Path(model_dir)
    present = {kind: read_checkpoint(model_dir / name) for kind, name in FILES.items() if (model_dir / name).is_file()}
    lines = ["# deephype default model", "",
             "A conditional sentence VAE (`cvae.pt`) that writes music commentary from a latent `z` and a song's genre",
             "vector, and a plain LSTM language model (`lm.pt`) with the same decoder, its likelihood yardstick.",
             "Rebuild both from the shared posts with `make model`. Validation figures are on the corpus's held-out",
             "validation split; `deephype eval` measures on songs the models never saw.", ""]
    lines += data_section(present) + metrics_section(present, model_dir) + lcgan_section(model_dir)
    lines += recipe_section(present)
    path = model_dir / "MODEL_CARD.md"
    # Written aside and renamed: `make model` trains the CVAE and the LM side by side, and both write the card.
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial.replace(path)
    return path


def data_section(present: dict[str, dict[str, Any]]) -> list[str]:
    metrics = next(iter(present.values()))["metrics"]
    lines = ["## Data", "",
             f"- {metrics['train_sentences']:,} training and {metrics['val_sentences']:,} validation sentences "
             "from `deephype data build`",
             f"- vocabulary: {metrics['vocabulary']:,} tokens (specials and `<artist>`/`<song>` placeholders included)",
             f"- condition labels: {metrics['conditions']}"]
    lines += [f"- corpus {key}: {value}" for key, value in sorted(metrics.get("corpus", {}).items())]
    return lines + [""]


def metrics_section(present: dict[str, dict[str, Any]], model_dir: Path) -> list[str]:
    kinds = list(present)
    lines = ["## Metrics", "", "| figure | " + " | ".join(kinds) + " |", "|---|" + "---|" * len(kinds)]
    for key, label, form in FIGURES:
        cells = [form.format(present[k]["metrics"][key]) if key in present[k]["metrics"] else "-" for k in kinds]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    threads = [str(present[k]["recipe"].get("threads", "-")) for k in kinds]
    lines.append("| torch threads | " + " | ".join(threads) + " |")
    sizes = [f"{(model_dir / FILES[k]).stat().st_size / 1e6:.1f} MB" for k in kinds]
    lines.append("| file size | " + " | ".join(sizes) + " |")
    return lines + [""]


def lcgan_section(model_dir: Path) -> list[str]:
    """The LC-GAN's training figures (its own prior and generator samples, training genres) when the bundle has one;
    `deephype eval` gives the held-out figures."""
    path = model_dir / LCGAN_FILE
    if not path.is_file():
        return []
    checkpoint = read_lcgan(path)
    metrics, topics = checkpoint["metrics"], checkpoint["topics"]
    before, after = metrics["baseline"], metrics["best"]
    lines = ["## LC-GAN", "",
             f"Generator `lcgan.pt`, steered toward LDA topic weights {topics['weights']}, shipped from step "
             f"{metrics['best_step']} of {metrics['steps']} ({metrics['minutes']:.1f} minutes), trained at "
             f"{metrics['trained_at']}. On its training genres, prior latents against the generator's:", "",
             "| figure | prior | generator |", "|---|---|---|"]
    for key in ("reward", "preferred_share", "ppl", "distinct_2", "novelty", "distance"):
        lines.append(f"| {key} | {before[key]:.3f} | {after[key]:.3f} |")
    return lines + [""]


def recipe_section(present: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["## Recipe", ""]
    for kind, checkpoint in present.items():
        lines += [f"{kind}:", "", "```yaml", yaml.safe_dump(checkpoint["recipe"], sort_keys=False).rstrip(), "```", ""]
    return lines
