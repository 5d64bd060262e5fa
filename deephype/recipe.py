"""Training recipes: a YAML file lists only what it overrides; keys and types are checked like config.yaml.

Architecture sizes left out of a recipe come from the `model:` section of the settings, so a recipe plus the
settings fully describe a run, and the complete Recipe is stored in every checkpoint.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import yaml

from deephype.config import ModelConfig, build_dataclass
from deephype.errors import ConfigError

KL_SCHEDULES = ("linear", "cyclical", "constant")


@dataclass(frozen=True)
class Recipe:
    name: str = "custom"  # the file's stem unless set; names the run directory
    seed: int = 13
    threads: int = 2  # torch threads: the target machine's two cores; 1 is faster when other jobs share them
    # Architecture: None takes the value from the settings' `model:` section.
    min_word_count: int | None = None
    embedding_dim: int | None = None
    hidden_dim: int | None = None
    latent_dim: int | None = None
    condition_dim: int | None = None
    max_vocabulary: int = 10000  # caps the embedding and softmax, the bulk of the weights
    max_tokens: int = 60  # longer training sentences are cut (run-ons the splitter missed)
    dropout: float = 0.3
    word_dropout: float = 0.25  # Bowman et al. 2016; applies to the LM too, so both see the same inputs
    # Optimisation.
    batch_size: int = 64
    learning_rate: float = 0.001
    grad_clip: float = 1.0  # LSTMs occasionally spike; clipping the global norm keeps one batch from undoing an epoch
    max_epochs: int = 20
    patience: int = 2  # epochs without a better validation loss before stopping
    max_minutes: float = 30.0  # a wall-clock guard; a run that hits it says so in its metrics
    # KL annealing (Bowman et al. 2016; cyclical: Fu et al. 2019) and free bits (Kingma et al. 2016).
    kl_schedule: str = "linear"
    kl_period: int = 2000  # linear: steps to reach weight 1; cyclical: steps per cycle
    kl_ramp: float = 0.5  # cyclical: share of each cycle spent ramping up from 0 to 1
    free_bits: float = 0.25  # nats per latent dimension below which the KL is not penalised
    importance_samples: int = 10  # K for the importance-weighted perplexity reported at the end
    # Export.
    export_float16: bool = True  # halves the shipped file; loading upcasts to float32


def load_recipe(path: str | Path, defaults: ModelConfig) -> Recipe:
    """Read a recipe file and fill its architecture gaps from `defaults`; ConfigError names any bad key."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"recipe {path} does not exist (recipes live in training/recipes/)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(f"recipe {path} is not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"recipe {path} must be a mapping of keys to values, got {type(raw).__name__}")
    raw.setdefault("name", path.stem)
    try:
        recipe = build_dataclass(Recipe, raw, prefix="")
    except ConfigError as error:
        raise ConfigError(f"recipe {path}: {str(error).replace('config key', 'key')}") from None
    return complete_recipe(recipe, defaults)


def complete_recipe(recipe: Recipe, defaults: ModelConfig) -> Recipe:
    """The recipe with every architecture size set, checked for values no run could use."""
    filled = {
        f.name: getattr(defaults, f.name)
        for f in dataclasses.fields(ModelConfig)
        if hasattr(recipe, f.name) and getattr(recipe, f.name) is None
    }
    recipe = dataclasses.replace(recipe, **filled)
    check_recipe(recipe)
    return recipe


def check_recipe(recipe: Recipe) -> None:
    if recipe.kl_schedule not in KL_SCHEDULES:
        choices = ", ".join(KL_SCHEDULES)
        raise ConfigError(f"recipe key 'kl_schedule' must be one of {choices}, got {recipe.kl_schedule!r}")
    positive = ("threads", "min_word_count", "embedding_dim", "hidden_dim", "latent_dim", "condition_dim",
                "max_vocabulary", "max_tokens", "batch_size", "max_epochs", "kl_period", "importance_samples")
    for key in positive:
        if getattr(recipe, key) < 1:
            raise ConfigError(f"recipe key '{key}' must be at least 1, got {getattr(recipe, key)}")
    for key in ("dropout", "word_dropout", "kl_ramp"):
        if not 0.0 <= getattr(recipe, key) <= 1.0:
            raise ConfigError(f"recipe key '{key}' must be between 0 and 1, got {getattr(recipe, key)}")
    for key in ("learning_rate", "grad_clip", "max_minutes"):
        if getattr(recipe, key) <= 0:
            raise ConfigError(f"recipe key '{key}' must be positive, got {getattr(recipe, key)}")
    if recipe.free_bits < 0 or recipe.patience < 0:
        raise ConfigError("recipe keys 'free_bits' and 'patience' must not be negative")
    if recipe.hidden_dim % 2:
        raise ConfigError(f"recipe key 'hidden_dim' must be even (the encoder halves it), got {recipe.hidden_dim}")
