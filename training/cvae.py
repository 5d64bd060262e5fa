"""The training loop shared by the CVAE and its LM yardstick: bucketed batches, annealed ELBO, early stopping.

A run keeps its resumable state in `run_dir/checkpoint.pt` (after every epoch, and on Ctrl-C) and, when it
ends, writes the best weights to `out_dir/<kind>.pt`, a PNG of its curves and the bundle's model card.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from tqdm import tqdm

from deephype.checkpoint import (
    KINDS,
    check_same_inputs,
    make_checkpoint,
    model_path,
    read_checkpoint,
    save_checkpoint,
)
from deephype.corpus import condition_vocabulary, read_sentences
from deephype.errors import EmptyCorpusError, ModelError
from deephype.likelihood import active_units, importance_terms
from deephype.model import CVAE, CVAEConfig, elbo_loss
from deephype.recipe import Recipe
from deephype.store import Store
from deephype.vocab import Vocabulary
from training.batches import Examples, bucket_batches, collate, encode_examples, evaluation_batches, tokenized
from training.card import write_model_card
from training.plots import plot_curves
from training.schedules import kl_weight


@dataclass(frozen=True)
class RunPaths:
    run_dir: Path  # resumable state and history
    out_dir: Path  # the finished model, <kind>.pt, and the bundle's MODEL_CARD.md
    plot: Path  # PNG of the training curves

    @property
    def checkpoint(self) -> Path:
        return self.run_dir / "checkpoint.pt"


@dataclass(frozen=True)
class CorpusData:
    vocab: Vocabulary
    conditions: tuple[str, ...]
    train: Examples
    val: Examples
    card: dict[str, Any]  # the corpus card's figures, for the model card


@dataclass(frozen=True)
class TrainingResult:
    kind: str
    checkpoint: Path  # resumable state
    model: Path | None  # the exported model; None when interrupted
    plot: Path | None
    metrics: dict[str, Any]
    interrupted: bool


@dataclass
class RunState:
    kind: str
    model: torch.nn.Module
    optimizer: torch.optim.Optimizer
    step: int = 0
    epoch: int = 0
    batch_index: int = 0  # batches of the current epoch already done
    totals: dict[str, float] = field(default_factory=dict)  # running sums over the current epoch
    history: list[dict[str, Any]] = field(default_factory=list)
    best_model: dict[str, torch.Tensor] | None = None
    best_loss: float = math.inf
    bad_epochs: int = 0
    elapsed: float = 0.0  # seconds of training, summed over resumed sessions
    stopped: str = ""  # why the run ended; empty while it can go on


def train(store: Store, recipe: Recipe, paths: RunPaths, kind: str = "cvae", resume: bool = False,
          progress: bool = True, on_step: Callable[[int], None] | None = None) -> TrainingResult:
    """Train a "cvae" or an "lm" on the corpus in `store` with `recipe`; `on_step(step)` runs after each step."""
    torch.set_num_threads(recipe.threads)
    data = load_corpus(store, recipe)
    torch.manual_seed(recipe.seed)
    state = new_state(kind, data, recipe)
    if resume:
        restore(state, read_checkpoint(paths.checkpoint), data, paths.checkpoint)
    paths.run_dir.mkdir(parents=True, exist_ok=True)
    with interrupt_guard() as interrupted:
        while not state.stopped:
            started = time.monotonic()
            completed = run_epoch(state, data, recipe, interrupted, progress, on_step)
            state.elapsed += time.monotonic() - started
            if not completed:
                save_state(state, data, recipe, paths.checkpoint)
                return TrainingResult(kind, paths.checkpoint, None, None, {}, interrupted=True)
            end_epoch(state, data, recipe)
            save_state(state, data, recipe, paths.checkpoint)
    return finish(state, data, recipe, paths)


def load_corpus(store: Store, recipe: Recipe) -> CorpusData:
    """The vocabulary (from training sentences only), condition labels, and both splits as id lists."""
    where = store.db.execute("PRAGMA database_list").fetchone()[2] or "in memory"
    train_sentences, val_sentences = read_sentences(store, "train"), read_sentences(store, "val")
    if not train_sentences:
        raise EmptyCorpusError(f"the corpus ({where}) has no training sentences: run `deephype data build` first")
    if not val_sentences:
        raise EmptyCorpusError(f"the corpus ({where}) has no validation sentences, which early stopping needs: "
                               "set data.val_fraction above 0 and rebuild it")
    vocab = Vocabulary.build(tokenized(train_sentences), recipe.min_word_count, recipe.max_vocabulary)
    conditions = tuple(condition_vocabulary(store))
    return CorpusData(
        vocab=vocab,
        conditions=conditions,
        train=encode_examples(train_sentences, vocab, conditions, recipe.max_tokens),
        val=encode_examples(val_sentences, vocab, conditions, recipe.max_tokens),
        card={k: v for k, v in store.card().items() if isinstance(v, int | float | str)},
    )


def model_config(recipe: Recipe, data: CorpusData) -> CVAEConfig:
    return CVAEConfig(
        vocab_size=len(data.vocab),
        condition_size=len(data.conditions),
        embedding_dim=recipe.embedding_dim,
        hidden_dim=recipe.hidden_dim,
        latent_dim=recipe.latent_dim,
        condition_dim=recipe.condition_dim,
        dropout=recipe.dropout,
        word_dropout=recipe.word_dropout,
    )


def new_state(kind: str, data: CorpusData, recipe: Recipe) -> RunState:
    if kind not in KINDS:
        raise ModelError(f"unknown model kind {kind!r}: use one of {', '.join(KINDS)}")
    model = KINDS[kind](model_config(recipe, data))
    return RunState(kind=kind, model=model, optimizer=torch.optim.Adam(model.parameters(), lr=recipe.learning_rate))


def restore(state: RunState, checkpoint: dict[str, Any], data: CorpusData, path: Path) -> None:
    """Continue from a saved run; ModelError when it was trained on other words, labels or sizes."""
    if checkpoint["kind"] != state.kind or "training" not in checkpoint:
        raise ModelError(f"{path} is not a resumable {state.kind} run: train afresh without --resume")
    check_same_inputs(checkpoint, data.vocab, data.conditions, what="the current corpus")
    if checkpoint["config"] != dataclasses.asdict(state.model.config):
        raise ModelError(f"{path} was trained with a different model config ({checkpoint['config']}) than this "
                         "recipe: resume with the recipe it was started with, or train afresh without --resume")
    saved = checkpoint["training"]
    state.model.load_state_dict(checkpoint["model"])
    state.optimizer.load_state_dict(saved["optimizer"])
    for name in ("step", "epoch", "batch_index", "totals", "history", "best_model", "best_loss", "bad_epochs",
                 "elapsed", "stopped"):
        setattr(state, name, saved[name])
    torch.set_rng_state(saved["rng"])


@contextlib.contextmanager
def interrupt_guard() -> Iterator[list[bool]]:
    """The first Ctrl-C sets a flag the loop checks between steps (so the state saved is whole); a second one
    stops at once."""
    flag = [False]

    def handle(signum: int, frame: Any) -> None:
        if flag[0]:
            raise KeyboardInterrupt
        flag[0] = True

    try:
        previous = signal.signal(signal.SIGINT, handle)
    except ValueError:  # not the main thread: Ctrl-C cannot reach us anyway
        yield flag
        return
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def run_epoch(state: RunState, data: CorpusData, recipe: Recipe, interrupted: list[bool], progress: bool,
              on_step: Callable[[int], None] | None) -> bool:
    """Train on the rest of the current epoch; False when interrupted before its end."""
    batches = bucket_batches(data.train.lengths(), recipe.batch_size, seed=recipe.seed * 1000 + state.epoch)
    state.model.train()
    title = f"{state.kind} epoch {state.epoch + 1}/{recipe.max_epochs}"
    bar = tqdm(total=len(batches), initial=state.batch_index, desc=title, disable=not progress, leave=False,
               dynamic_ncols=True)
    with bar:
        for indices in batches[state.batch_index :]:
            if interrupted[0]:
                return False
            figures = train_step(state, collate(data.train, indices), recipe)
            state.step += 1
            state.batch_index += 1
            for name, value in figures.items():
                state.totals[name] = state.totals.get(name, 0.0) + value
            n = state.totals["sentences"]
            bar.set_postfix(loss=f"{state.totals['loss'] / n:.1f}", rec=f"{state.totals['reconstruction'] / n:.1f}",
                            kl=f"{state.totals['kl'] / n:.2f}", refresh=False)
            bar.update()
            if on_step:
                on_step(state.step)
    return not interrupted[0]


def train_step(state: RunState, batch: Any, recipe: Recipe) -> dict[str, float]:
    weight = kl_weight(state.step, recipe.kl_schedule, recipe.kl_period, recipe.kl_ramp)
    _, terms = state.model(batch)
    loss = elbo_loss(terms, weight, recipe.free_bits)
    state.optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(state.model.parameters(), recipe.grad_clip)
    state.optimizer.step()
    n = len(batch)
    return {"sentences": n, "loss": loss.item() * n, "reconstruction": terms.reconstruction.sum().item(),
            "kl": terms.kl.sum().item(), "kl_weight": weight * n}


@torch.no_grad()
def evaluate(model: torch.nn.Module, examples: Examples, batch_size: int) -> dict[str, float]:
    """Per-sentence reconstruction, KL and -ELBO (KL weight 1, no free bits), the perplexity bound, token
    accuracy under teacher forcing, and active units. z is drawn with a fixed seed, so figures are repeatable."""
    was_training = model.training
    model.eval()
    generator = torch.Generator().manual_seed(0)
    sums = {"reconstruction": 0.0, "kl": 0.0, "tokens": 0.0, "correct": 0.0}
    means = []
    for indices in evaluation_batches(examples.lengths(), batch_size):
        batch = collate(examples, indices)
        logits, terms = model(batch, generator)
        sums["reconstruction"] += terms.reconstruction.sum().item()
        sums["kl"] += terms.kl.sum().item()
        sums["tokens"] += batch.lengths.sum().item()
        sums["correct"] += ((logits.argmax(-1) == batch.targets) & batch.mask).sum().item()
        if isinstance(model, CVAE):
            means.append(model.encode(batch.targets, batch.lengths)[0])
    model.train(was_training)
    n = len(examples)
    return {
        "reconstruction": sums["reconstruction"] / n,
        "kl": sums["kl"] / n,
        "nelbo": (sums["reconstruction"] + sums["kl"]) / n,
        "ppl": math.exp((sums["reconstruction"] + sums["kl"]) / sums["tokens"]),
        "accuracy": sums["correct"] / sums["tokens"],
        "active_units": active_units(torch.cat(means)) if means else 0,
    }


def end_epoch(state: RunState, data: CorpusData, recipe: Recipe) -> None:
    """Validate, record the epoch, keep the best weights, and decide whether to stop."""
    val = evaluate(state.model, data.val, recipe.batch_size)
    n = state.totals["sentences"]
    state.epoch += 1
    state.history.append({
        "epoch": state.epoch, "step": state.step, "minutes": round(state.elapsed / 60, 2),
        "train_loss": state.totals["loss"] / n, "train_reconstruction": state.totals["reconstruction"] / n,
        "train_kl": state.totals["kl"] / n, "kl_weight": state.totals["kl_weight"] / n,
        **{f"val_{name}": value for name, value in val.items() if name != "active_units"},
        "active_units": val["active_units"],
    })
    state.batch_index, state.totals = 0, {}
    warming_up = recipe.kl_schedule == "linear" and state.step < recipe.kl_period
    if val["nelbo"] < state.best_loss:
        state.best_loss, state.bad_epochs = val["nelbo"], 0
        state.best_model = {k: v.detach().clone() for k, v in state.model.state_dict().items()}
    elif not warming_up:
        state.bad_epochs += 1
    if state.epoch >= recipe.max_epochs:
        state.stopped = f"reached max_epochs ({recipe.max_epochs})"
    elif recipe.patience and state.bad_epochs >= recipe.patience:
        state.stopped = f"early stop: no better validation -ELBO for {recipe.patience} epochs"
    elif state.elapsed > recipe.max_minutes * 60:
        state.stopped = f"hit the max_minutes guard ({recipe.max_minutes})"


def save_state(state: RunState, data: CorpusData, recipe: Recipe, path: Path) -> None:
    checkpoint = make_checkpoint(state.kind, state.model, data.vocab, data.conditions, dataclasses.asdict(recipe),
                                 {"history": state.history})
    checkpoint["training"] = {
        "optimizer": state.optimizer.state_dict(), "rng": torch.get_rng_state(),
        **{name: getattr(state, name) for name in ("step", "epoch", "batch_index", "totals", "history",
                                                      "best_model", "best_loss", "bad_epochs", "elapsed", "stopped")},
    }
    save_checkpoint(checkpoint, path)
    (path.parent / "history.json").write_text(json.dumps(state.history, indent=1))


def finish(state: RunState, data: CorpusData, recipe: Recipe, paths: RunPaths) -> TrainingResult:
    """Export the best weights with their metrics, draw the curves, and refresh the bundle's model card."""
    if state.best_model is not None:
        state.model.load_state_dict(state.best_model)
    metrics = final_metrics(state, data, recipe)
    exported = model_path(paths.out_dir, state.kind)
    save_checkpoint(make_checkpoint(state.kind, state.model, data.vocab, data.conditions, dataclasses.asdict(recipe),
                                    metrics, half=recipe.export_float16), exported)
    plot = plot_curves(state.history, paths.plot, f"{state.kind} · recipe {recipe.name}")
    write_model_card(paths.out_dir)
    return TrainingResult(state.kind, paths.checkpoint, exported, plot, metrics, interrupted=False)


def final_metrics(state: RunState, data: CorpusData, recipe: Recipe) -> dict[str, Any]:
    val = evaluate(state.model, data.val, recipe.batch_size)
    metrics: dict[str, Any] = {
        "kind": state.kind, "epochs": state.epoch, "steps": state.step, "minutes": round(state.elapsed / 60, 2),
        "stopped": state.stopped, "train_sentences": len(data.train), "val_sentences": len(data.val),
        "vocabulary": len(data.vocab), "conditions": len(data.conditions),
        "parameters": sum(p.numel() for p in state.model.parameters()),
        "trained_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "corpus": data.card,
        **{f"val_{name}": value for name, value in val.items()}, "history": state.history,
    }
    if isinstance(state.model, CVAE):
        metrics["val_iw_ppl"] = importance_weighted_ppl(state.model, data.val, recipe)
    else:
        metrics["val_iw_ppl"] = val["ppl"]  # the LM's likelihood is exact
    return metrics


def importance_weighted_ppl(model: CVAE, examples: Examples, recipe: Recipe) -> float:
    generator = torch.Generator().manual_seed(recipe.seed)
    nll, tokens = 0.0, 0
    for indices in evaluation_batches(examples.lengths(), recipe.batch_size):
        batch = collate(examples, indices)
        nll += importance_terms(model, batch, recipe.importance_samples, generator).nll().sum().item()
        tokens += int(batch.lengths.sum())
    return math.exp(nll / tokens)
