"""A tiny CVAE + LM bundle trained on the tiny corpus, and settings pointing at it: what generation tests load."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tiny_corpus import fill_corpus, tiny_store

from deephype.config import PROJECT_ROOT, Settings
from deephype.recipe import load_recipe
from deephype.store import Store
from training.cvae import RunPaths, train

TINY = PROJECT_ROOT / "training" / "recipes" / "tiny.yaml"


def train_tiny_bundle(root: Path) -> Settings:
    """Train both models of a bundle into root/model (seconds) and return settings whose model, corpus, state and
    artist table paths all live under `root` (the table is empty: tests write one when they need it)."""
    fill_corpus(Store.open(root / "corpus.db")).close()
    recipe = load_recipe(TINY, Settings().model)
    for kind in ("cvae", "lm"):
        train(tiny_store(), recipe, RunPaths(root / "run" / kind, root / "model", root / f"{kind}.png"), kind=kind,
              progress=False)
    settings = Settings()
    paths = dataclasses.replace(settings.paths, model_dir=str(root / "model"), corpus_db=str(root / "corpus.db"),
                                state_db=str(root / "state.db"), artist_genres_csv=str(root / "artist_genres.csv"))
    return dataclasses.replace(settings, paths=paths)
