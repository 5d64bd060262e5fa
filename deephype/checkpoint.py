"""Checkpoints as plain dicts (state_dicts, model config, vocabulary, labels, recipe, metrics): save and load.

Everything in one is a tensor, a number, a string, a list or a dict, so `torch.load(..., weights_only=True)`
reads it and a checkpoint can never run code. A bundle directory holds `cvae.pt` and `lm.pt`.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from deephype.errors import ModelError
from deephype.lm import LanguageModel
from deephype.model import CVAE, CVAEConfig
from deephype.vocab import Vocabulary

FORMAT = "deephype-checkpoint/1"
KINDS = {"cvae": CVAE, "lm": LanguageModel}
FILES = {"cvae": "cvae.pt", "lm": "lm.pt"}
FIELDS = {"config": dict, "vocabulary": list, "conditions": list, "recipe": dict, "metrics": dict, "model": dict}


@dataclass(frozen=True)
class LoadedModel:
    kind: str  # "cvae" or "lm"
    model: CVAE | LanguageModel  # in eval mode, float32
    vocab: Vocabulary
    conditions: tuple[str, ...]  # condition labels, in the order of the genre vector `a`
    recipe: dict[str, Any]
    metrics: dict[str, Any]
    path: Path


def model_path(model_dir: str | Path, kind: str) -> Path:
    return Path(model_dir) / FILES[kind]


def make_checkpoint(kind: str, model: nn.Module, vocab: Vocabulary, conditions: tuple[str, ...] | list[str],
                    recipe: dict[str, Any], metrics: dict[str, Any], half: bool = False) -> dict[str, Any]:
    """The plain dict for a model; `half` stores floating weights as float16 (about half the bytes)."""
    state = {k: (v.half() if half and v.is_floating_point() else v).clone() for k, v in model.state_dict().items()}
    return {
        "format": FORMAT,
        "kind": kind,
        "config": dataclasses.asdict(model.config),
        "vocabulary": list(vocab.words),
        "conditions": list(conditions),
        "recipe": dict(recipe),
        "metrics": dict(metrics),
        "model": state,
    }


def save_checkpoint(checkpoint: dict[str, Any], path: str | Path) -> Path:
    """Write atomically: a crash or Ctrl-C mid-write leaves the previous file intact."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    torch.save(checkpoint, partial)
    os.replace(partial, path)
    return path


def read_checkpoint(path: str | Path) -> dict[str, Any]:
    """The checkpoint dict at `path`, or a ModelError saying why it cannot be one."""
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"no model checkpoint at {path}: train one with `deephype train cvae` (or `make model`)")
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, OSError, ValueError, AttributeError) as error:
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0][:120]
        raise ModelError(f"{path} is not a readable deephype checkpoint ({reason})") from None
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != FORMAT:
        found = checkpoint.get("format") if isinstance(checkpoint, dict) else type(checkpoint).__name__
        raise ModelError(f"{path} is not a {FORMAT} checkpoint (found {found!r}): retrain the model")
    if checkpoint.get("kind") not in KINDS:
        raise ModelError(f"{path} holds a model of unknown kind {checkpoint.get('kind')!r}")
    for key, kind in FIELDS.items():
        if not isinstance(checkpoint.get(key), kind):
            raise ModelError(f"{path} is corrupt: its '{key}' entry is missing or not a {kind.__name__}")
    return checkpoint


def build_model(checkpoint: dict[str, Any], path: str | Path = "checkpoint") -> CVAE | LanguageModel:
    """Rebuild the model a checkpoint describes and load its weights (upcast to float32), in eval mode."""
    config = model_config(checkpoint, path)
    model = KINDS[checkpoint["kind"]](config)
    state = {k: v.float() if v.is_floating_point() else v for k, v in checkpoint["model"].items()}
    try:
        model.load_state_dict(state)
    except RuntimeError as error:
        detail = str(error).strip().splitlines()[-1].strip()[:160]
        raise ModelError(f"{path}: the weights do not match the model config ({detail}): retrain the model") from None
    return model.eval()


def model_config(checkpoint: dict[str, Any], path: str | Path) -> CVAEConfig:
    raw = checkpoint.get("config")
    known = {f.name for f in dataclasses.fields(CVAEConfig)}
    if not isinstance(raw, dict) or set(raw) != known:
        raise ModelError(f"{path}: the model config does not match this deephype's ({sorted(known)}): retrain")
    config = CVAEConfig(**raw)
    if config.vocab_size != len(checkpoint["vocabulary"]) or config.condition_size != len(checkpoint["conditions"]):
        raise ModelError(
            f"{path}: the config expects {config.vocab_size} words and {config.condition_size} condition labels, "
            f"the checkpoint lists {len(checkpoint['vocabulary'])} and {len(checkpoint['conditions'])}"
        )
    return config


def load_model(path: str | Path, kind: str | None = None) -> LoadedModel:
    """A trained model ready to use; `kind` ("cvae" or "lm") insists on one."""
    checkpoint = read_checkpoint(path)
    if kind is not None and checkpoint["kind"] != kind:
        raise ModelError(f"{path} holds a {checkpoint['kind']} model, expected a {kind}")
    return LoadedModel(
        kind=checkpoint["kind"],
        model=build_model(checkpoint, path),
        vocab=Vocabulary(tuple(checkpoint["vocabulary"])),
        conditions=tuple(checkpoint["conditions"]),
        recipe=checkpoint["recipe"],
        metrics=checkpoint["metrics"],
        path=Path(path),
    )


def load_bundle(model_dir: str | Path) -> tuple[LoadedModel, LoadedModel]:
    """The CVAE and its LM yardstick from a bundle directory; they must share vocabulary and labels."""
    cvae = load_model(model_path(model_dir, "cvae"), kind="cvae")
    lm = load_model(model_path(model_dir, "lm"), kind="lm")
    check_same_inputs(cvae, lm.vocab, lm.conditions, what=str(lm.path))
    return cvae, lm


def check_same_inputs(loaded: LoadedModel | dict[str, Any], vocab: Vocabulary, conditions: tuple[str, ...],
                      what: str) -> None:
    """ModelError unless a model (or checkpoint dict) reads the same words and condition labels as `what`."""
    if isinstance(loaded, dict):
        name, words, labels = "the checkpoint", tuple(loaded["vocabulary"]), tuple(loaded["conditions"])
    else:
        name, words, labels = str(loaded.path), loaded.vocab.words, loaded.conditions
    if words != vocab.words:
        raise ModelError(f"{name} was trained with a different vocabulary ({len(words)} words) than {what} "
                         f"({len(vocab)} words): retrain, or train afresh without --resume")
    if labels != tuple(conditions):
        raise ModelError(f"{name} was trained with different condition labels than {what}: retrain, "
                         "or train afresh without --resume")
