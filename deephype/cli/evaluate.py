"""`deephype eval`, `deephype score` and `deephype interpolate`: judge the trained model bundle.

The library modules are imported inside each command so `deephype --help` does not wait for torch.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from deephype.cli.common import echo_json, pass_settings
from deephype.config import Settings

MODEL_HELP = "Model bundle directory holding cvae.pt and lm.pt  [default: paths.model_dir]"
UNK_NOTE = ("Words the model's vocabulary lacks are read as <unk>; names are not replaced by placeholders, "
            "so a real name usually counts as <unk>.")


def model_dir_of(settings: Settings, model_dir: str | None) -> Path:
    return Path(model_dir) if model_dir else settings.path("model_dir")


def show_progress() -> bool:
    return sys.stderr.isatty()  # progress bars are for people watching, not for logs or pipes


@click.command("eval")
@click.option("--posts", "posts_path", required=True, type=click.Path(),
              help="Held-out posts (.json, .jsonl or a folder of .txt), run through the data pipeline in memory.")
@click.option("--model", "model_dir", default=None, help=MODEL_HELP)
@click.option("--k", type=click.IntRange(min=1), default=50, show_default=True,
              help="Importance samples per sentence for the NLL bound (Burda et al. 2016).")
@click.option("--samples", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Sentences to sample from the prior, each with a real sentence's genres.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_settings
def evaluate_command(settings: Settings, posts_path: str, model_dir: str | None, k: int, samples: int,
                     as_json: bool) -> None:
    """Evaluate the CVAE on held-out posts: likelihood figures beside the LM's, and prior samples beside real text.

    Reports the importance-weighted NLL (nats per sentence) and per-token perplexity, the negative ELBO with its
    reconstruction and KL terms, active units and the mutual information I(x;z); then, for prior samples and the
    real sentences alike, the end-of-sentence, immediate-repeat, novelty and unknown-word rates, distinct-1/2,
    mean length and the LM's perplexity. When the bundle has an LC-GAN, the same prior latents decoded directly
    and after its generator, side by side (topic reward, preferred share, distance, perplexity, distinct-2,
    novelty). Nothing is written to any database.
    """
    from deephype.checkpoint import load_bundle
    from deephype.corpus_build import sentences_from_posts
    from deephype.evaluation import EvalOptions, evaluate, training_index
    from deephype.lcgan_eval import evaluate_lcgan, format_lcgan
    from deephype.sampling import DecodeOptions

    cvae, lm = load_bundle(model_dir_of(settings, model_dir))
    training = training_index(settings.path("corpus_db"))
    sentences = sentences_from_posts(settings, posts_path, progress=show_progress())
    generation = settings.generation
    decode = DecodeOptions(max_tokens=generation.max_tokens, temperature=generation.temperature,
                           top_p=generation.top_p)
    options = EvalOptions(k=k, samples=samples, decode=decode)
    report = evaluate(cvae, lm, sentences, training, options, progress=show_progress())
    lcgan = evaluate_lcgan(model_dir_of(settings, model_dir), cvae, lm, sentences, training, options, settings.topics)
    if lcgan is not None:  # only when the bundle has an LC-GAN generator
        report["lcgan"] = lcgan
    if as_json:
        echo_json(report)
        return
    click.echo(format_report({name: value for name, value in report.items() if name != "lcgan"}, k))
    if lcgan is not None:
        click.echo("\n" + format_lcgan(lcgan))


def format_report(report: dict[str, Any], k: int) -> str:
    gap = report["ppl"] / report["lm_ppl"] - 1
    lines = [
        f"Held-out sentences: {report['sentences']:,}",
        f"CVAE: NLL {report['nll']:.2f} nats/sentence, perplexity {report['ppl']:.2f} (importance-weighted, K={k})",
        f"LM:   perplexity {report['lm_ppl']:.2f} (the CVAE is {gap:+.1%} against it)",
        f"-ELBO {report['elbo']:.2f} = reconstruction {report['reconstruction']:.2f} + KL {report['kl']:.2f} nats; "
        f"active units {report['active_units']}; mutual information {report['mi']:.2f} nats",
        "",
    ]
    sections = {name: value for name, value in report.items() if isinstance(value, dict)}
    figures = list(dict.fromkeys(key for section in sections.values() for key in section))
    lines.append(f"{'':<12}" + "".join(f"{name:>10}" for name in sections))
    for figure in figures:
        cells = (section.get(figure) for section in sections.values())
        lines.append(f"{figure:<12}" + "".join(format_cell(value) for value in cells))
    return "\n".join(lines)


def format_cell(value: float | int | None) -> str:
    if value is None:
        return f"{'':>10}"
    return f"{value:>10,}" if isinstance(value, int) else f"{value:>10.3f}"


@click.command("score")
@click.argument("file", type=click.Path())
@click.option("--model", "model_dir", default=None, help=MODEL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_settings
def score_command(settings: Settings, file: str, model_dir: str | None, as_json: bool) -> None:
    """Score each line of a UTF-8 text file by the LM baseline's per-token perplexity, and the file overall.

    Any text can be judged by the same model: our samples, another system's, real sentences. Lines are scored
    with the "unknown" genre condition and tokenised as they are. Words the model's vocabulary lacks are read
    as <unk> and counted; names are not replaced by placeholders, so a real name usually counts as <unk>.
    """
    from deephype.checkpoint import load_model, model_path
    from deephype.scoring import score_file

    lm = load_model(model_path(model_dir_of(settings, model_dir), "lm"), kind="lm")
    report = score_file(lm, file)
    if as_json:
        lines = [{"line": s.line, "text": s.text, "tokens": s.tokens, "unknown": s.unknown, "ppl": s.ppl}
                 for s in report.lines]
        overall = {"lines": len(report.lines), "tokens": report.tokens, "unknown": report.unknown,
                   "ppl": report.ppl}
        echo_json({"lines": lines, "overall": overall, "note": UNK_NOTE})
        return
    click.echo(f"{'ppl':>9} {'<unk>':>5} {'line':>5}  text")
    for s in report.lines:
        click.echo(f"{s.ppl:>9.2f} {s.unknown:>5} {s.line:>5}  {s.text}")
    click.echo(f"Overall: perplexity {report.ppl:.2f} over {report.tokens:,} tokens in {len(report.lines):,} lines; "
               f"{report.unknown:,} {'word' if report.unknown == 1 else 'words'} read as <unk>.")
    click.echo(UNK_NOTE)


@click.command("interpolate")
@click.argument("first")
@click.argument("second")
@click.option("--steps", type=click.IntRange(min=0), default=5, show_default=True,
              help="Points decoded between the two sentences (both ends are decoded too).")
@click.option("--genres", default="", help='Comma-separated genres for every point, e.g. "indie pop,folk".')
@click.option("--model", "model_dir", default=None, help=MODEL_HELP)
@pass_settings
def interpolate_command(settings: Settings, first: str, second: str, steps: int, genres: str,
                        model_dir: str | None) -> None:
    """Walk the latent space between two sentences: greedy decodes along the line between their posterior means.

    Write the sentences as the corpus does, with <artist> and <song> for the names.
    """
    from deephype.checkpoint import load_model, model_path
    from deephype.interpolation import interpolate

    cvae = load_model(model_path(model_dir_of(settings, model_dir), "cvae"), kind="cvae")
    wanted = [genre.strip().lower() for genre in genres.split(",") if genre.strip()]
    homotopy = interpolate(cvae, first, second, steps, wanted)
    click.echo(f"Genres: {', '.join(homotopy.labels)} (the model's condition labels)")
    if homotopy.unknown:
        click.echo(f"Read as <unk> (not in the vocabulary): {', '.join(homotopy.unknown)}")
    for point in homotopy.points:
        click.echo(f"{point.t:.2f}  {point.text}" + ("" if point.finished else " [no end]"))
