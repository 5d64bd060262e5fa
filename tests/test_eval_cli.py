"""`deephype eval`, `score` and `interpolate` end to end on a tiny model trained here, and every bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from tiny_corpus import fill_corpus

from deephype.cli import main
from deephype.config import PROJECT_ROOT, ModelConfig
from deephype.recipe import load_recipe
from deephype.store import Store
from training.cvae import RunPaths, train

TINY = PROJECT_ROOT / "training" / "recipes" / "tiny.yaml"
LIKELIHOOD_KEYS = ("sentences", "nll", "ppl", "lm_ppl", "elbo", "reconstruction", "kl", "active_units", "mi")
RATES = ("eos_rate", "repeat_rate", "distinct_1", "distinct_2", "novelty", "unk_rate")
SECTION_KEYS = (*RATES, "mean_length", "lm_ppl")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """A config whose corpus and model bundle (a tiny CVAE and LM trained on the tiny corpus) live in a temp dir."""
    root = tmp_path_factory.mktemp("bundle")
    store = fill_corpus(Store.open(root / "corpus.db"))
    recipe = load_recipe(TINY, ModelConfig())
    for kind in ("cvae", "lm"):
        train(store, recipe, RunPaths(root / "runs" / kind, root / "model", root / f"{kind}.png"), kind=kind,
              progress=False)
    store.close()
    config = root / "config.yaml"
    config.write_text("paths:\n" + "".join(f"  {key}: {root / value}\n" for key, value in [
        ("corpus_db", "corpus.db"), ("state_db", "state.db"), ("model_dir", "model"), ("runs_dir", "runs"),
        ("plots_dir", "plots"), ("artist_genres_csv", "none.csv"), ("genre_vocabulary", "none.json")]))
    return config


def run(config: Path, *args: str):
    return CliRunner().invoke(main, ["--config", str(config), *args])


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


@pytest.mark.slow
def test_eval_json_has_every_figure_in_range(bundle, small_posts):
    result = run(bundle, "eval", "--posts", str(small_posts), "--k", "4", "--samples", "30",
                 "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(LIKELIHOOD_KEYS) | {"samples", "real"} <= set(report)
    assert report["sentences"] >= 6  # the three kept posts of SMALL_POSTS
    assert 0 < report["nll"] <= report["elbo"] + 1e-6  # the IW bound is at least as tight as the ELBO
    assert report["elbo"] == pytest.approx(report["reconstruction"] + report["kl"])
    assert report["kl"] >= 0 and 0 <= report["active_units"] <= 4
    assert report["ppl"] > 1 and report["lm_ppl"] > 1
    assert -0.1 <= report["mi"] <= math.log(report["sentences"])  # an estimate: a hair below 0 is noise
    for section in ("samples", "real"):
        figures = report[section]
        assert set(SECTION_KEYS) | {"sentences"} == set(figures), section
        assert all(0.0 <= figures[rate] <= 1.0 for rate in RATES), figures
        assert figures["mean_length"] > 0 and figures["lm_ppl"] > 1
    assert report["samples"]["sentences"] == 30 and report["real"]["sentences"] == report["sentences"]
    assert report["real"]["eos_rate"] == 1.0
    assert report["samples"]["unk_rate"] == 0.0  # decoding never emits <unk>
    assert report["real"]["unk_rate"] > 0  # held-out words the tiny vocabulary never saw


@pytest.mark.slow
def test_eval_prints_a_readable_report(bundle, small_posts):
    result = run(bundle, "eval", "--posts", str(small_posts), "--k", "2", "--samples", "10")
    assert result.exit_code == 0, result.output
    for text in ("importance-weighted, K=2", "active units", "mutual information", "samples", "distinct_2"):
        assert text in result.output


def test_score_reports_each_line_and_the_whole_file(bundle, tmp_path):
    lines = "The chorus of <song> swells like a sunrise.\n\nZyxwv qwerty swells.\n"
    result = run(bundle, "score", str(write(tmp_path / "lines.txt", lines.encode())), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [line["line"] for line in report["lines"]] == [1, 3]  # the blank line is skipped, numbers kept
    first, second = report["lines"]
    assert (first["tokens"], first["unknown"]) == (10, 0)  # 9 tokens + <eos>
    assert (second["tokens"], second["unknown"]) == (5, 2)
    assert report["overall"]["tokens"] == 15 and report["overall"]["unknown"] == 2
    assert min(first["ppl"], second["ppl"]) <= report["overall"]["ppl"] <= max(first["ppl"], second["ppl"])
    assert "<unk>" in report["note"]
    text = run(bundle, "score", str(tmp_path / "lines.txt"))
    assert text.exit_code == 0 and "Overall: perplexity" in text.output and "<unk>" in text.output


def test_interpolate_decodes_both_ends_and_the_steps_between(bundle):
    result = run(bundle, "interpolate", "The chorus of <song> swells like a sunrise.",
                 "<artist> layers hazy synths over a patient beat.", "--steps", "3", "--genres", "Indie Pop, folk")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Genres: indie pop, folk")
    points = [line for line in lines if line[:4].replace(".", "").isdigit()]
    assert [p.split()[0] for p in points] == ["0.00", "0.25", "0.50", "0.75", "1.00"]
    assert all(len(p.split()) > 1 for p in points)


def test_interpolate_names_unknown_words(bundle):
    result = run(bundle, "interpolate", "Zyxwv swells.", "The hook never lets go.", "--steps", "0")
    assert result.exit_code == 0, result.output
    assert "Read as <unk>" in result.output and "zyxwv" in result.output
    assert "Genres: unknown" in result.output


def corrupt_bundle(tmp_path: Path) -> Path:
    write(tmp_path / "cvae.pt", b"not a checkpoint")
    write(tmp_path / "lm.pt", b"not a checkpoint")
    return tmp_path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (lambda tmp, posts: ["eval", "--posts", posts, "--model", str(tmp / "nowhere")], "no model checkpoint"),
        (lambda tmp, posts: ["eval", "--posts", posts, "--model", str(corrupt_bundle(tmp))],
         "not a readable deephype checkpoint"),
        (lambda tmp, posts: ["eval", "--posts", str(write(tmp / "p.json", b"[]"))], "no usable sentences"),
        (lambda tmp, posts: ["eval", "--posts", str(tmp / "missing.json")], "does not exist"),
        (lambda tmp, posts: ["score", str(write(tmp / "e.txt", b""))], "no text to score"),
        (lambda tmp, posts: ["score", str(write(tmp / "b.txt", b"  \n\t\n"))], "no text to score"),
        (lambda tmp, posts: ["score", str(write(tmp / "l.txt", b"caf\xe9 music\n"))], "not UTF-8"),
        (lambda tmp, posts: ["score", str(tmp / "missing.txt")], "does not exist"),
        (lambda tmp, posts: ["score", "x.txt", "--model", str(corrupt_bundle(tmp))], "not a readable"),
        (lambda tmp, posts: ["interpolate", " ", "A song.", "--model", str(tmp / "nowhere")], "no model checkpoint"),
        (lambda tmp, posts: ["interpolate", " ", "A song."], "first sentence is empty"),
    ],
    ids=["eval: no model", "eval: corrupt model", "eval: no sentences", "eval: no posts file", "score: empty",
         "score: blank lines", "score: latin-1", "score: no file", "score: corrupt model", "interpolate: no model",
         "interpolate: empty sentence"],
)
def test_bad_input_is_one_clear_line_and_exit_2(bundle, tmp_path, small_posts, args, message):
    result = run(bundle, *args(tmp_path, str(small_posts)))
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert len([line for line in result.stderr.splitlines() if line.startswith("Error:")]) == 1


def test_eval_without_the_training_corpus_says_how_to_build_it(bundle, tmp_path, small_posts):
    config = tmp_path / "config.yaml"
    config.write_text(bundle.read_text().replace(str(bundle.parent / "corpus.db"), str(tmp_path / "none.db")))
    result = run(config, "eval", "--posts", str(small_posts))
    assert result.exit_code == 2 and "deephype data build" in result.output
    assert not (tmp_path / "none.db").exists()
