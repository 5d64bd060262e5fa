"""`deephype bot` (the Slack app), `deephype history` (recent decisions) and `deephype stats` (counts)."""

from __future__ import annotations

import logging
import re
import signal
import sys
import threading
from typing import Any

import click

from deephype import curation
from deephype.cli.common import echo_json, pass_settings
from deephype.config import BOT_MODES, Settings
from deephype.store import Store


@click.command("bot")
@click.option("--mode", type=click.Choice(BOT_MODES), default=None,
              help="socket (no public URL needed) or http  [default: bot.mode in config]")
@click.option("--port", type=int, default=None, help="HTTP mode's port  [default: bot.http_port in config]")
@click.option("-v", "--verbose", is_flag=True, help="Log every request Bolt handles.")
@pass_settings
def bot_command(settings: Settings, mode: str | None, port: int | None, verbose: bool) -> None:
    """Run the Slack curation bot (/hype, the candidate buttons, the approve/reject reactions) and, when the X
    keys are set, the loop: scan the home timeline for songs and post approved candidates on the schedule.

    Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN; HTTP mode needs SLACK_BOT_TOKEN and
    SLACK_SIGNING_SECRET and serves /slack/events. The loop needs X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and
    X_ACCESS_TOKEN_SECRET. Stop it with Ctrl-C (or SIGTERM): a post in flight is settled first.
    """
    from bot.app import run  # Slack and torch load only when the bot really starts

    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if threading.current_thread() is threading.main_thread():
        # SIGTERM unwinds like Ctrl-C, so the store is closed and writing jobs are finished.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    run(settings, mode, port)


@click.command("history")
@click.option("-n", "--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many decisions, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
@pass_settings
def history_command(settings: Settings, limit: int, as_json: bool) -> None:
    """List recent curation decisions: who approved, rejected or edited which candidate, and attempts refused."""
    rows = _with_store(settings, lambda store: curation.history(store, limit))
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("No decisions yet.")
    for row in rows:
        click.echo(describe_decision(row))


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a summary.")
@pass_settings
def stats_command(settings: Settings, as_json: bool) -> None:
    """Print how many requests and candidates there are, by status, and the approval rate of decided ones."""
    figures = _with_store(settings, curation.stats)
    if as_json:
        echo_json(figures)
        return
    rate = "n/a" if figures["approval_rate"] is None else f"{figures['approval_rate']:.1%}"
    click.echo(f"requests: {figures['requests']}  candidates: {figures['candidates']}  "
               f"decided: {figures['decided']}  approval rate: {rate}")
    for status, count in sorted(figures["by_status"].items()):
        click.echo(f"  {status:<13} {count}")


def describe_decision(row: dict[str, Any]) -> str:
    """One line of `deephype history`."""
    note = re.sub(r"<@(\w+)>", r"@\1", row["note"] or "")  # Slack mentions, as the terminal can show them
    outcome = "" if row["accepted"] else f"  (refused: {note})"
    text = row["text"] if len(row["text"]) <= 60 else row["text"][:59] + "…"
    return (f"{row['at']}  {row['user_id']:<11} {row['action']:<12} via {row['via']:<8} #{row['candidate_id']} "
            f"{row['artist']} – {row['song']}: {text}{outcome}")


def _with_store(settings: Settings, read: Any) -> Any:
    store = Store.open(settings.path("state_db"))
    try:
        return read(store)
    finally:
        store.close()
