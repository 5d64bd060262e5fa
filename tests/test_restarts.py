"""kill -9 restarts: the real bot process (scan job, generation with a tiny model, Bolt decisions, posting job)
against the Slack and X stand-ins, SIGKILLed while scanning, generating, publishing to Slack, deciding and posting
and restarted, new
songs reaching the timeline between lives. The database opens cleanly every time, the cursor skips no tweet and
no tweet is written about twice, no decision the curator saw confirmed is lost, and nothing is posted twice or
without an approval."""

from __future__ import annotations

import pytest
from restart_harness import MUST_BE_ZERO, restart_scenario
from tiny_bundle import train_tiny_bundle


@pytest.mark.slow
def test_kill_9_while_scanning_generating_deciding_and_posting_loses_and_doubles_nothing(tmp_path):
    settings = train_tiny_bundle(tmp_path / "model")
    deaths, figures = restart_scenario(settings, tmp_path, kills=15)
    assert {name: figures[name] for name in MUST_BE_ZERO} == dict.fromkeys(MUST_BE_ZERO, 0), figures
    assert all(deaths[phase] for phase in ("scanning", "generating", "publishing", "deciding", "posting")), deaths
    assert figures["tweets"] >= 30 and figures["decisions confirmed to the curator"] >= 15, figures
    assert figures["posted"] >= 6, figures
