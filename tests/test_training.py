"""Training: schedules, batches, recipes, the loop (reproducible, resumable) and `deephype train cvae`."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
import torch
from click.testing import CliRunner
from tiny_corpus import LABELS, SENTENCES, fill_corpus, tiny_store

from deephype.checkpoint import load_model, read_checkpoint
from deephype.config import PROJECT_ROOT, ModelConfig
from deephype.errors import ConfigError, EmptyCorpusError, ModelError
from deephype.recipe import Recipe, load_recipe
from deephype.store import Store
from training.batches import bucket_batches
from training.cvae import RunPaths, train
from training.schedules import kl_weight

TINY = PROJECT_ROOT / "training" / "recipes" / "tiny.yaml"
FULL = PROJECT_ROOT / "training" / "recipes" / "full.yaml"


@pytest.mark.parametrize(
    ("step", "schedule", "expected"),
    [
        (0, "linear", 0.0), (50, "linear", 0.5), (100, "linear", 1.0), (5000, "linear", 1.0),
        (0, "cyclical", 0.0), (25, "cyclical", 0.5), (50, "cyclical", 1.0), (99, "cyclical", 1.0),
        (100, "cyclical", 0.0), (125, "cyclical", 0.5),
        (0, "constant", 1.0), (77, "constant", 1.0),
    ],
)
def test_kl_weight_schedules(step, schedule, expected):
    assert kl_weight(step, schedule, period=100, ramp=0.5) == pytest.approx(expected)


def test_bucket_batches_cover_every_sentence_once_and_group_similar_lengths():
    lengths = [(i * 37) % 50 + 3 for i in range(1000)]
    batches = bucket_batches(lengths, batch_size=16, seed=1)
    assert sorted(i for batch in batches for i in batch) == list(range(1000))
    assert batches == bucket_batches(lengths, batch_size=16, seed=1)
    assert batches != bucket_batches(lengths, batch_size=16, seed=2)
    spread = sum(max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches) / len(batches)
    assert spread < 5  # unsorted batches of 16 would span most of the 3..52 range


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_recipe_fills_architecture_from_the_settings(tmp_path):
    recipe = load_recipe(write(tmp_path / "mine.yaml", "hidden_dim: 64\nmax_epochs: 3\n"), ModelConfig(latent_dim=8))
    assert (recipe.name, recipe.hidden_dim, recipe.latent_dim, recipe.max_epochs) == ("mine", 64, 8, 3)
    assert recipe.embedding_dim == ModelConfig().embedding_dim


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hiden_dim: 64\n", "unknown key 'hiden_dim'"),
        ("batch_size: lots\n", "'batch_size' must be int"),
        ("kl_schedule: sometimes\n", "'kl_schedule' must be one of linear, cyclical, constant"),
        ("word_dropout: 1.5\n", "'word_dropout' must be between 0 and 1"),
        ("hidden_dim: 33\n", "'hidden_dim' must be even"),
        ("- a list\n", "must be a mapping"),
        ("max_epochs: [\n", "not valid YAML"),
    ],
)
def test_bad_recipe_is_a_config_error_naming_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_recipe(write(tmp_path / "bad.yaml", text), ModelConfig())


def test_shipped_recipes_load():
    assert load_recipe(TINY, ModelConfig()).max_epochs <= 3
    assert load_recipe(FULL, ModelConfig()).name == "full"


def tiny_recipe(**overrides) -> Recipe:
    recipe = load_recipe(TINY, ModelConfig())
    return Recipe(**{**recipe.__dict__, **overrides})


def run_paths(root: Path) -> RunPaths:
    return RunPaths(run_dir=root / "run", out_dir=root / "model", plot=root / "curves.png")


@pytest.mark.slow
def test_training_exports_a_loadable_model_with_metrics_curves_and_card(tmp_path):
    result = train(tiny_store(), tiny_recipe(), run_paths(tmp_path), progress=False)
    assert not result.interrupted and result.plot.stat().st_size > 1000
    loaded = load_model(result.model, kind="cvae")
    assert loaded.conditions == tuple(LABELS)
    assert loaded.metrics["epochs"] == 2 and len(loaded.metrics["history"]) == 2
    for key in ("val_iw_ppl", "val_nelbo", "val_kl", "val_active_units", "val_accuracy"):
        assert key in loaded.metrics
    assert loaded.metrics["val_iw_ppl"] <= loaded.metrics["val_ppl"] * 1.05  # IW bound is tighter than the ELBO
    assert read_checkpoint(result.model)["model"]["to_mu.weight"].dtype == torch.float16
    assert "| figure | cvae |" in (tmp_path / "model" / "MODEL_CARD.md").read_text()


def exported_weights(path: Path) -> dict[str, torch.Tensor]:
    return read_checkpoint(path)["model"]


@pytest.mark.slow
def test_training_is_reproducible_and_resumes_exactly_after_ctrl_c(tmp_path):
    recipe = tiny_recipe(export_float16=False)
    straight = train(tiny_store(), recipe, run_paths(tmp_path / "a"), progress=False)

    def press_ctrl_c(step: int) -> None:
        if step == 3:  # mid-way through the first epoch
            os.kill(os.getpid(), signal.SIGINT)

    stopped = train(tiny_store(), recipe, run_paths(tmp_path / "b"), progress=False, on_step=press_ctrl_c)
    assert stopped.interrupted and stopped.model is None
    assert read_checkpoint(stopped.checkpoint)["training"]["step"] == 3
    resumed = train(tiny_store(), recipe, run_paths(tmp_path / "b"), resume=True, progress=False)
    assert resumed.metrics["steps"] == straight.metrics["steps"]
    expected, actual = exported_weights(straight.model), exported_weights(resumed.model)
    assert all(torch.equal(expected[name], actual[name]) for name in expected)


@pytest.mark.slow
def test_resume_on_a_changed_corpus_is_a_model_error(tmp_path):
    train(tiny_store(), tiny_recipe(max_epochs=1), run_paths(tmp_path), progress=False)
    grown = fill_corpus(Store.open(":memory:"), SENTENCES + [("Brand new words appear here.", ["folk"], "train")])
    with pytest.raises(ModelError, match="different vocabulary"):
        train(grown, tiny_recipe(max_epochs=1), run_paths(tmp_path), resume=True, progress=False)


def test_resume_with_another_architecture_is_a_model_error(tmp_path):
    train(tiny_store(), tiny_recipe(max_epochs=1), run_paths(tmp_path), progress=False)
    with pytest.raises(ModelError, match="different model config"):
        train(tiny_store(), tiny_recipe(hidden_dim=16), run_paths(tmp_path), resume=True, progress=False)


def test_resume_without_a_checkpoint_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="no model checkpoint"):
        train(tiny_store(), tiny_recipe(), run_paths(tmp_path), resume=True, progress=False)


@pytest.mark.parametrize(
    ("sentences", "message"),
    [([], "no training sentences"), ([s for s in SENTENCES if s[2] == "train"], "no validation sentences")],
)
def test_empty_corpus_is_an_empty_corpus_error(tmp_path, sentences, message):
    with pytest.raises(EmptyCorpusError, match=message):
        train(fill_corpus(Store.open(":memory:"), sentences), tiny_recipe(), run_paths(tmp_path), progress=False)


@pytest.fixture
def corpus_config(tmp_path: Path) -> Path:
    fill_corpus(Store.open(tmp_path / "corpus.db")).close()
    return write(tmp_path / "config.yaml", "paths:\n" + "".join(
        f"  {key}: {tmp_path / value}\n"
        for key, value in [("corpus_db", "corpus.db"), ("state_db", "state.db"), ("model_dir", "model"),
                           ("runs_dir", "runs"), ("plots_dir", "plots")]
    ))


def invoke(config: Path, *args: str):
    from deephype.cli import main

    return CliRunner().invoke(main, ["--config", str(config), "train", "cvae", "--quiet", *args])


@pytest.mark.slow
def test_train_cvae_and_lm_from_the_command_line(corpus_config):
    root = corpus_config.parent
    first = invoke(corpus_config, "--recipe", str(TINY))
    assert first.exit_code == 0, first.output
    assert "cvae: 2 epochs" in first.output and "active units" in first.output
    second = invoke(corpus_config, "--recipe", str(TINY), "--lm", "--out", str(root / "elsewhere"))
    assert second.exit_code == 0, second.output
    raw = torch.load(root / "model" / "cvae.pt", weights_only=True)
    assert raw["kind"] == "cvae" and raw["recipe"]["name"] == "tiny"
    assert load_model(root / "elsewhere" / "lm.pt").kind == "lm"
    assert (root / "plots" / "train_tiny_cvae.png").is_file()
    assert (root / "runs" / "tiny" / "lm" / "checkpoint.pt").is_file()


@pytest.mark.parametrize(
    ("recipe_text", "message"),
    [("hidden_size: 64\n", "unknown key 'hidden_size'"), (None, "does not exist")],
)
def test_train_cvae_reports_a_bad_recipe(corpus_config, recipe_text, message):
    recipe = corpus_config.parent / "bad.yaml"
    if recipe_text is not None:
        write(recipe, recipe_text)
    result = invoke(corpus_config, "--recipe", str(recipe))
    assert result.exit_code == 2
    assert "Error:" in result.output and message in result.output


def test_train_cvae_without_a_corpus_says_to_build_one(tmp_path):
    config = write(tmp_path / "config.yaml", f"paths:\n  corpus_db: {tmp_path / 'none.db'}\n")
    result = invoke(config, "--recipe", str(TINY))
    assert result.exit_code == 2 and "deephype data build" in result.output
