"""`deephype history`, `deephype stats` and `deephype bot`'s start-up checks, on a real temporary store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.app import tokens_for
from bot.curators import Curators
from deephype import curation
from deephype.cli import main
from deephype.errors import ConfigError
from deephype.standins.slack import BOT_TOKEN, SlackStandin
from deephype.standins.slack_workspace import ANA, BEN, CAT, CURATORS_GROUP_ID
from deephype.store import Store


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f"paths:\n  state_db: {tmp_path / 'state.db'}\n", encoding="utf-8")
    store = Store.open(tmp_path / "state.db")
    request = curation.create_request(store, "command", "Bicep", "Opal", ["electronica"], "spotify")
    ids = curation.add_candidates(store, request, [("Opal shimmers.", 0.9, {}), ("Bicep glow.", 0.8, {}),
                                                   ("Late light.", 0.7, {})])
    curation.decide(store, ids[0], ANA, "approve", "button")
    curation.decide(store, ids[0], BEN, "reject", "reaction")  # too late: refused
    curation.decide(store, ids[1], BEN, "reject", "button")
    curation.decide(store, ids[2], ANA, "approve", "edit", edited_text="Late, lovely light.")
    store.close()
    return path


def run(config: Path, *args: str):
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_history_lists_recent_decisions_newest_first(config):
    rows = json.loads(run(config, "history", "--json"))
    assert [(r["user_id"], r["action"], r["via"], r["accepted"]) for r in rows] == [
        (ANA, "edit+approve", "edit", 1), (BEN, "reject", "button", 1), (BEN, "reject", "reaction", 0),
        (ANA, "approve", "button", 1)]
    assert rows[0]["text"] == "Late, lovely light." and rows[0]["artist"] == "Bicep"
    lines = run(config, "history", "-n", "2").splitlines()
    assert len(lines) == 2 and "edit+approve" in lines[0] and "Bicep – Opal: Late, lovely light." in lines[0]
    refused = run(config, "history").splitlines()[2]
    assert refused.endswith(f"(refused: already approved by @{ANA})")


def test_stats_counts_and_approval_rate(config):
    figures = json.loads(run(config, "stats", "--json"))
    assert figures == {"requests": 1, "candidates": 3, "by_status": {"approved": 2, "rejected": 1}, "decided": 3,
                       "approval_rate": 0.6667}
    text = run(config, "stats")
    assert "approval rate: 66.7%" in text and "approved      2" in text


def test_an_empty_store_has_no_history_and_no_rate(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"paths:\n  state_db: {tmp_path / 'empty.db'}\n", encoding="utf-8")
    assert run(config, "history").strip() == "No decisions yet."
    assert "approval rate: n/a" in run(config, "stats")


@pytest.mark.parametrize(("mode", "env", "named"), [
    ("socket", {}, "SLACK_BOT_TOKEN"),
    ("socket", {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
    ("socket", {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN must be an app-level"),
    ("socket", {"SLACK_BOT_TOKEN": "xapp-1", "SLACK_APP_TOKEN": "xapp-2"}, "SLACK_BOT_TOKEN must be the bot token"),
    ("http", {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
])
def test_missing_or_swapped_tokens_name_the_variable(monkeypatch, mode, env, named):
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=named):
        tokens_for(mode)


def test_bot_command_reports_a_missing_token_before_loading_anything(monkeypatch, tmp_path):
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(main, ["bot", "--mode", "http"])
    assert result.exit_code == 2 and "SLACK_BOT_TOKEN is not set: export SLACK_BOT_TOKEN=" in result.output


def test_tokens_for_each_mode(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cret")
    assert (tokens_for("socket").app, tokens_for("socket").signing_secret) == ("xapp-1", None)
    assert (tokens_for("http").app, tokens_for("http").signing_secret) == (None, "s3cret")


def test_curator_group_members_are_cached_and_kept_through_a_slack_failure():
    from slack_sdk import WebClient

    now = [0.0]
    curators = Curators((CAT,), CURATORS_GROUP_ID, cache_seconds=60, clock=lambda: now[0])
    with SlackStandin() as slack:
        client = WebClient(token=BOT_TOKEN, base_url=slack.base_url)
        assert [curators.allows(u, client) for u in (ANA, BEN, CAT, "U0NOBODY")] == [True, True, True, False]
        assert len(slack.calls_to("usergroups.users.list")) == 1
        now[0] = 61
        slack.fail("usergroups.users.list", "team_access_not_granted")
        assert curators.allows(ANA, client)  # Slack failed: the last known members stay in force
        assert len(slack.calls_to("usergroups.users.list")) == 2
        slack.workspace.usergroups[CURATORS_GROUP_ID] = (BEN,)
        assert not curators.allows(ANA, client)  # the failure was not cached: the next call asked again
    assert not Curators((), "").configured and Curators((ANA,)).configured
