"""The `deephype` command. Each subcommand is one library call; errors become a one-line message, exit 2."""

from __future__ import annotations

import click

from deephype.cli.bot import bot_command, history_command, stats_command
from deephype.cli.common import DeephypeGroup, pass_settings  # noqa: F401  (re-exported for subcommands)
from deephype.cli.data import data
from deephype.cli.demo import demo_command
from deephype.cli.evaluate import evaluate_command, interpolate_command, score_command
from deephype.cli.hype import detect, hype
from deephype.cli.lcgan import lcgan
from deephype.cli.topics import lda, topics
from deephype.cli.train import train


@click.group(cls=DeephypeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Settings file (default: config.yaml in the project; embedded defaults if there is none).",
)
@click.version_option(package_name="deephype")
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """deephype writes short, flowery commentary about songs and posts it to X once a curator approves it.

    Start with `deephype data build` (the corpus), then `deephype train cvae`.
    """
    ctx.obj = {"config_path": config_path}


main.add_command(data)
main.add_command(train)
main.add_command(evaluate_command)
main.add_command(score_command)
main.add_command(interpolate_command)
train.add_command(lda)
train.add_command(lcgan)
main.add_command(topics)
main.add_command(bot_command)
main.add_command(history_command)
main.add_command(stats_command)
main.add_command(hype)
main.add_command(detect)
main.add_command(demo_command)
