"""Every `deephype` command, however deep, has a description and a working --help."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from deephype.cli import main


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append(((*prefix, name), command))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, (*prefix, name)))
    return found


def command_id(value: object) -> str:
    return " ".join(value) if isinstance(value, tuple) else ""


@pytest.mark.parametrize(("path", "command"), all_commands(main), ids=command_id)
def test_help(path, command):
    assert command.help and len(command.help.strip()) > 20, f"`deephype {' '.join(path)}` needs a description"
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    for parameter in command.params:
        if isinstance(parameter, click.Option) and not parameter.hidden:
            assert parameter.help, f"option {parameter.opts} of `deephype {' '.join(path)}` has no help"
