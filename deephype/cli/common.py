"""What every subcommand shares: loading settings once, and turning DeephypeError into a CLI error."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import click

from deephype.config import Settings, load_settings
from deephype.errors import DeephypeError


class CliError(click.ClickException):
    exit_code = 2


class DeephypeGroup(click.Group):
    """A click group whose commands report DeephypeError as `Error: ...` with exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DeephypeError as error:
            raise CliError(str(error)) from None
        except KeyboardInterrupt:
            raise click.Abort() from None


def settings_from(ctx: click.Context) -> Settings:
    root = ctx.find_root()
    root.obj = root.obj or {}
    if "settings" not in root.obj:
        root.obj["settings"] = load_settings(root.obj.get("config_path"))
    return root.obj["settings"]


def pass_settings(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the loaded Settings as its first argument."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return command(settings_from(click.get_current_context()), *args, **kwargs)

    return wrapper


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def exit_if_interrupted(result: Any) -> None:
    """After a training run that Ctrl-C stopped: say where it was saved and how to resume, exit 130."""
    if result.interrupted:
        click.echo(f"Interrupted: the run is saved in {result.checkpoint}. Continue it with the same command "
                   "and --resume.", err=True)
        click.get_current_context().exit(130)
