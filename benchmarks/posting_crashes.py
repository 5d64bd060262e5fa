"""Exactly-once posting under crashes: approve N candidates, run the posting job in a child process that is killed
at random points (SIGKILL from outside at a random moment, or os._exit just before or just after X accepts a post),
restart it until the queue is drained, then check against the X stand-in that no candidate went out twice and
none was lost (each is posted or flagged for a person).

Usage: .venv/bin/python benchmarks/posting_crashes.py [--candidates 500] [--exit-rate 0.02] [--max-life 1.0]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import io
import logging
import multiprocessing
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

from deephype import curation
from deephype.config import ScheduleConfig, Settings, XConfig
from deephype.posting import Poster
from deephype.standins.x import TWEETS, XStandIn
from deephype.store import Store
from deephype.twitter import CREDENTIAL_VARIABLES, XClient, XCredentials

EXIT_BEFORE_X, EXIT_AFTER_X = 3, 4  # a child's exit codes for the two crash points it injects itself


def settings_for(api_base: str) -> Settings:
    """Everything due at once: any hour, no daily cap that matters, no spacing."""
    schedule = ScheduleConfig(posting_windows=("00:00-24:00",), timezone="UTC", max_posts_per_day=1_000_000,
                              min_spacing_minutes=0, post_retry_seconds=0.05)
    return dataclasses.replace(Settings(), schedule=schedule, x=XConfig(api_base=api_base, read_timeout=5.0))


class CrashingX:
    """The real X client, with the process dying just before or just after X's answer now and then."""

    def __init__(self, client: XClient, rng: random.Random, rate: float) -> None:
        self.client, self.rng, self.rate = client, rng, rate

    def post(self, text: str, source_tweet_id: str | None, mode: str) -> str:
        if self.rng.random() < self.rate:
            os._exit(EXIT_BEFORE_X)  # claimed, X not asked
        tweet_id = self.client.post(text, source_tweet_id, mode)
        if self.rng.random() < self.rate:
            os._exit(EXIT_AFTER_X)  # X accepted, not yet marked posted
        return tweet_id


def child(db_path: str, api_base: str, keys: dict[str, str], seed: int, rate: float, ready) -> None:
    """One posting process: run the job until nothing is left to post, then exit 0."""
    logging.basicConfig(level=logging.ERROR)  # flags and retries are counted at the end, not logged by the hundred
    settings = settings_for(api_base)
    client = XClient(settings.x, XCredentials(*(keys[name] for name in CREDENTIAL_VARIABLES)))
    store = Store.open(db_path)
    poster = Poster(store, CrashingX(client, random.Random(seed), rate), settings)
    ready.set()
    while poster.run().outcomes or curation.approved_queue(store):
        pass
    store.close()


def approve_all(db_path: Path, count: int) -> None:
    store = Store.open(db_path)
    request = curation.create_request(store, "command", "M83", "Midnight City", ["synthpop"], "benchmark")
    ids = curation.add_candidates(store, request, [(f"Candidate {i:04d}: a neon rush of a chorus.", 1.0, {})
                                                   for i in range(count)])
    for candidate_id in ids:
        curation.decide(store, candidate_id, "U1", "approve", "button")
    store.close()


def run_until_drained(db_path: Path, x: XStandIn, args: argparse.Namespace) -> collections.Counter:
    """Start posting processes one after another, killing each at a random moment, until one finishes."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["deephype.posting", "deephype.twitter"])  # a restart costs no imports
    rng, deaths = random.Random(args.seed), collections.Counter()
    while True:
        ready = context.Event()
        process = context.Process(target=child, args=(str(db_path), x.base_url, x.environment(),
                                                      rng.randrange(2**31), args.exit_rate, ready))
        process.start()
        ready.wait(30)
        process.join(timeout=rng.uniform(0, args.max_life))
        if process.is_alive():
            os.kill(process.pid, signal.SIGKILL)
            process.join()
            deaths["SIGKILL"] += 1
            continue
        deaths[{0: "finished", EXIT_BEFORE_X: "exit before X", EXIT_AFTER_X: "exit after X"}.get(
            process.exitcode, f"exit {process.exitcode}")] += 1
        if process.exitcode == 0:
            return deaths


def check(db_path: Path, x: XStandIn, count: int) -> dict[str, int]:
    store = Store.open(db_path)
    rows = list(store.db.query("SELECT * FROM candidates"))
    store.close()
    asked = collections.Counter(r.body["text"] for r in x.requests_to(TWEETS) if isinstance(r.body, dict))
    on_x = {p["text"]: p["id"] for p in x.posted}
    status = collections.Counter(r["status"] for r in rows)
    return {
        "candidates": len(rows),
        "posted": status["posted"],
        "posted with the right tweet id": sum(1 for r in rows if r["status"] == "posted"
                                              and on_x.get(r["text"]) == r["posted_tweet_id"]),
        "flagged for a person": status["needs_review"],
        "  of which on X (died after X accepted)": sum(1 for r in rows if r["status"] == "needs_review"
                                                       and r["text"] in on_x),
        "  of which not on X (died before asking)": sum(1 for r in rows if r["status"] == "needs_review"
                                                        and r["text"] not in on_x),
        "failed": status["failed"],
        "lost (still approved or claimed)": status["approved"] + status["posting"],
        "sent to X more than once": sum(1 for n in asked.values() if n > 1),
        "on X more than once": len(x.posted) - len(on_x),
        "tweets on X": len(x.posted),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--exit-rate", type=float, default=0.02, help="chance of dying at each crash point")
    parser.add_argument("--max-life", type=float, default=1.0, help="longest a posting process lives, seconds")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, XStandIn() as x:
        db_path = Path(tmp) / "state.db"
        approve_all(db_path, args.candidates)
        # The stand-in prints a traceback whenever a dying process leaves a request half-read: count them instead.
        with contextlib.redirect_stderr(io.StringIO()) as noise:
            deaths = run_until_drained(db_path, x, args)
        figures = check(db_path, x, args.candidates)
        figures["requests the stand-in saw cut off by a death"] = noise.getvalue().count("Exception occurred")
    seconds = time.perf_counter() - started
    print(f"posting processes started: {sum(deaths.values())} ({', '.join(f'{n} {k}' for k, n in deaths.items())})")
    for name, value in figures.items():
        print(f"{name:<45} {value}")
    print(f"wall time {seconds:.1f} s")
    ok = (figures["sent to X more than once"] == figures["on X more than once"] == 0
          and figures["lost (still approved or claimed)"] == 0
          and figures["posted"] == figures["posted with the right tweet id"]
          and figures["posted"] + figures["flagged for a person"] + figures["failed"] == args.candidates)
    print("OK: no candidate posted twice, none lost" if ok else "FAILED: see the figures above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
