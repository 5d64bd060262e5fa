"""`deephype train lcgan`: train the LC-GAN that steers the bundle's CVAE toward the preferred topics."""

from __future__ import annotations

from pathlib import Path

import click

from deephype.cli.common import exit_if_interrupted, pass_settings
from deephype.config import Settings
from deephype.errors import EmptyCorpusError

PLOT_NAME = "train_lcgan.png"


@click.command("lcgan")
@click.option("--model", "model_dir", type=click.Path(file_okay=False), default=None,
              help="Bundle holding cvae.pt, lm.pt and lda.npz; lcgan.pt is written there  [default: paths.model_dir]")
@click.option("--resume", is_flag=True, help="Continue the interrupted run from its checkpoint.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@pass_settings
def lcgan(settings: Settings, model_dir: str | None, resume: bool, quiet: bool) -> None:
    """Train the LC-GAN (Engel et al. 2017) for the bundle's CVAE, after `deephype train lda`.

    Prior and posterior latents are decoded, and the sentences scored by the topic model and the LM baseline; a
    critic learns to predict those topics and that fluency and to tell real latents from the generator's, and the
    generator learns to move prior latents toward preferred topics without losing fluency or going far. Settings
    come from the `lcgan` section of config.yaml, decoding from `generation`. The generator goes to the bundle as
    lcgan.pt, the curves to paths.plots_dir. Ctrl-C saves the run; run the same command with --resume to continue.
    """
    from deephype.sampling import DecodeOptions
    from deephype.store import Store
    from training.lcgan import LCGANPaths, train_lcgan

    corpus_path = settings.path("corpus_db")
    if not corpus_path.is_file():
        raise EmptyCorpusError(f"no corpus at {corpus_path}: run `deephype data build` first")
    bundle = Path(model_dir) if model_dir else settings.path("model_dir")
    paths = LCGANPaths(model_dir=bundle, run_dir=settings.path("runs_dir") / "lcgan",
                       plot=settings.path("plots_dir") / PLOT_NAME)
    generation = settings.generation
    decode = DecodeOptions(max_tokens=generation.max_tokens, temperature=generation.temperature,
                           top_p=generation.top_p)
    store = Store.open(corpus_path)
    try:
        result = train_lcgan(store, settings.lcgan, settings.topics, decode, paths, resume=resume,
                             progress=not quiet)
    finally:
        store.close()
    exit_if_interrupted(result)
    report(result.metrics, result.model, result.plot)


def report(metrics: dict, model_path: object, plot_path: object) -> None:
    prior, best = metrics["baseline"], metrics["best"]
    bounds = "within" if best["within_bounds"] else "NOT within (no round was)"
    click.echo(f"lcgan: {metrics['steps']} generator steps in {metrics['minutes']} min; shipping the generator of "
               f"step {metrics['best_step']}, {bounds} the perplexity and distinct-2 bounds")
    click.echo(f"  decoded samples, prior -> generator: reward {prior['reward']:+.3f} -> {best['reward']:+.3f}, "
               f"preferred top topic {prior['preferred_share']:.1%} -> {best['preferred_share']:.1%}, "
               f"LM perplexity {prior['ppl']:.1f} -> {best['ppl']:.1f}, distinct-2 {prior['distinct_2']:.3f} -> "
               f"{best['distinct_2']:.3f}, mean ||z' - z|| {best['distance']:.2f}")
    click.echo(f"  model: {model_path}")
    click.echo(f"  curves: {plot_path}")
