"""`deephype demo`: the whole loop offline, against local stand-ins, in under a minute."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import click

from deephype.cli.common import pass_settings
from deephype.config import Settings


@click.command("demo")
@click.option("--model-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Model bundle to write with  [default: paths.model_dir, the shipped bundle]")
@click.option("-v", "--verbose", is_flag=True, help="Show the bot's log lines too.")
@pass_settings
def demo_command(settings: Settings, model_dir: Path | None, verbose: bool) -> None:
    """Run the bot end to end with no credentials: local stand-ins for X, Slack and Spotify and a fresh
    database. It scans a small timeline of music-feed tweets, shows the candidates as a curator sees them in
    Slack, approves one through a signed click, and lets the posting job send it to the X stand-in.
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from bot.demo import run_demo  # Slack and torch load only when the demo really runs

    started = time.monotonic()

    def progress(text: str) -> None:
        click.echo(f"[{time.monotonic() - started:5.1f}s] {text}" if not text.startswith(" ") else text)

    summary = run_demo(settings, progress, model_dir)
    click.echo("\nSummary")
    for line in summary.lines():
        click.echo(f"  {line}")
    click.echo("\nThe same code runs against the real services with `deephype bot` once the Slack, X and Spotify "
               "variables are set (see the README).")
