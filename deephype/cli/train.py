"""`deephype train ...`: train the models. Each command is one call into training/."""

from __future__ import annotations

import click

from deephype.cli.common import DeephypeGroup, exit_if_interrupted, pass_settings
from deephype.config import PROJECT_ROOT, Settings
from deephype.errors import EmptyCorpusError

DEFAULT_RECIPE = PROJECT_ROOT / "training" / "recipes" / "full.yaml"


@click.group(cls=DeephypeGroup)
def train() -> None:
    """Train deephype's models on the built corpus."""


@train.command("cvae")
@click.option("--recipe", "recipe_path", type=click.Path(dir_okay=False), default=str(DEFAULT_RECIPE),
              show_default="training/recipes/full.yaml", help="Recipe YAML: only the keys it overrides.")
@click.option("--lm", is_flag=True, help="Train the plain LSTM language model (the CVAE's yardstick) instead.")
@click.option("--resume", is_flag=True, help="Continue this recipe's interrupted run from its checkpoint.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Where the finished model goes  [default: paths.model_dir, the shipped bundle]")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@pass_settings
def cvae(settings: Settings, recipe_path: str, lm: bool, resume: bool, out_dir: str | None, quiet: bool) -> None:
    """Train the conditional VAE (or, with --lm, its LM baseline) on the corpus from `deephype data build`.

    Ctrl-C saves the run; run the same command with --resume to continue it. The finished model goes to
    --out as cvae.pt or lm.pt, with the bundle's MODEL_CARD.md; the training curves go to paths.plots_dir.
    """
    # Imported here so `deephype --help` does not wait for torch.
    from pathlib import Path

    from deephype.recipe import load_recipe
    from deephype.store import Store
    from training.cvae import RunPaths
    from training.cvae import train as train_model

    recipe = load_recipe(recipe_path, settings.model)
    kind = "lm" if lm else "cvae"
    corpus_path = settings.path("corpus_db")
    if not corpus_path.is_file():
        raise EmptyCorpusError(f"no corpus at {corpus_path}: run `deephype data build` first")
    paths = RunPaths(
        run_dir=settings.path("runs_dir") / recipe.name / kind,
        out_dir=Path(out_dir) if out_dir else settings.path("model_dir"),
        plot=settings.path("plots_dir") / f"train_{recipe.name}_{kind}.png",
    )
    store = Store.open(corpus_path)
    try:
        result = train_model(store, recipe, paths, kind=kind, resume=resume, progress=not quiet)
    finally:
        store.close()
    exit_if_interrupted(result)
    report(result.metrics, result.model, result.plot)


def report(metrics: dict, model_path: object, plot_path: object) -> None:
    click.echo(f"{metrics['kind']}: {metrics['epochs']} epochs in {metrics['minutes']} min ({metrics['stopped']})")
    click.echo(f"  validation: perplexity {metrics['val_iw_ppl']:.2f} (importance-weighted), "
               f"-ELBO {metrics['val_nelbo']:.2f}, KL {metrics['val_kl']:.2f} nats, "
               f"{metrics['val_active_units']} active units")
    click.echo(f"  model: {model_path}")
    click.echo(f"  curves: {plot_path}")
