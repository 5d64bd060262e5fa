"""`deephype demo` end to end with a tiny model: the scan, the candidates in Slack, a signed approval, the posting
job, and the summary it closes with."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner
from tiny_bundle import train_tiny_bundle

from bot.demo import run_demo
from deephype.cli import main
from deephype.demo_tweets import BOT_USERNAME, DEMO_TIMELINE
from deephype.songs import detect_song


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return train_tiny_bundle(tmp_path_factory.mktemp("demo-model"))


def test_the_demo_scans_shows_approves_and_posts_exactly_one_tweet(tiny):
    steps = []
    summary = run_demo(tiny, steps.append)
    songs = sum(detect_song(text) is not None for account, text in DEMO_TIMELINE if account != BOT_USERNAME)
    assert summary.tweets == len(DEMO_TIMELINE) == 10 and songs == 6
    assert summary.outcomes.get("written", 0) + summary.outcomes.get("no_candidates", 0) == 6
    assert (summary.outcomes["no_song"], summary.outcomes["own"]) == (3, 1)
    assert len(summary.songs) == summary.outcomes["written"] and summary.candidates >= len(summary.songs)
    [posted] = summary.posted
    assert posted["text"] == summary.approved and posted["quote_tweet_id"] == summary.quoted_url.rsplit("/", 1)[1]
    assert summary.posted_url.endswith(f"/deephype/status/{posted['id']}")
    assert f"Posted: {summary.posted_url}" in summary.final_message
    assert f"posted to X: 1 tweet ({summary.posted_url}), quoting {summary.quoted_url}" in summary.lines()
    assert summary.seconds < 60
    shown = "\n".join(steps)
    for expected in ("Scanning @deephype's home timeline", "[ Approve ]  [ Reject ]", "@ana approves candidate",
                     "Approved by @ana", "The posting job runs"):
        assert expected in shown


def test_the_demo_command_prints_progress_and_the_summary(tiny, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"paths": {"corpus_db": str(tiny.path("corpus_db")),
                                                "artist_genres_csv": str(tiny.path("artist_genres_csv"))}}))
    result = CliRunner().invoke(main, ["--config", str(config), "demo", "--model-dir", str(tiny.path("model_dir"))])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("[") and "Stand-ins for X, Slack and Spotify are up" in lines[0]
    assert "Summary" in lines and any(line.startswith("  posted to X: 1 tweet") for line in lines)


def test_the_demo_without_a_model_says_how_to_get_one(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--model-dir", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "Error: no model checkpoint" in result.output
