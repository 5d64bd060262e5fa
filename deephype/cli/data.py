"""`deephype data ...`: build, inspect and export the labelled sentence corpus."""

from __future__ import annotations

import click

from deephype.cli.common import DeephypeGroup


@click.group(cls=DeephypeGroup)
def data() -> None:
    """Build, inspect and export the sentence corpus."""
