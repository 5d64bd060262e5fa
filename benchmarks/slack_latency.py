"""Time `/hype` through the real bot against the Slack stand-in: how fast the command is acknowledged (target
p95 < 200 ms) and how long until its candidates are posted (target < 2 s, warm model, cached genres).

Usage: .venv/bin/python benchmarks/slack_latency.py [--model DIR] [--runs 20] [--burst 8]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from slack_bolt import BoltRequest

from bot.app import build_app, web_client
from bot.curators import Curators
from bot.services import Services, WorkPool
from deephype import curation
from deephype.config import Settings, load_settings
from deephype.hype import HypeResult
from deephype.standins.slack import BOT_TOKEN, SlackStandin
from deephype.standins.slack_signing import SlackRequests
from deephype.standins.slack_workspace import ANA
from deephype.store import Store

SECRET = "benchmark-signing-secret"
SONGS = ["M83 - Midnight City", "Bicep - Opal", "Caribou - Sun", "Phoenix - Lisztomania", "Robyn - Dancing On My Own",
         "Disclosure - Latch", "Jamie xx - Gosh", "Sofi Tukker - Best Friend", "Tame Impala - Let It Happen",
         "Christine and the Queens - Tilted"]


class TimedServices(Services):
    """The bot's services, noting how long each write (genres + generation) takes, so the bot's own share of
    the time to candidates (ack, store, Slack calls) can be told apart from the model's."""

    write_ms: list[float]

    def write(self, argument: str, genres_override: Sequence[str] | None = None) -> HypeResult:
        started = time.perf_counter()
        try:
            return super().write(argument, genres_override)
        finally:
            self.write_ms.append((time.perf_counter() - started) * 1000)


def services_for(settings: Settings) -> TimedServices:
    from deephype.generate import Generator
    from deephype.song_genres import GenreResolver

    store = Store.open(":memory:")
    pool = WorkPool(settings.bot.workers, settings.bot.queue_size)
    services = TimedServices(settings, store, Generator.load(settings), GenreResolver(settings, store, None),
                             Curators((ANA,)), pool)
    services.write_ms = []
    return services


def ack_ms(app, requests: SlackRequests, song: str) -> float:
    request = requests.slash_command(song)
    started = time.perf_counter()
    response = app.dispatch(BoltRequest(body=request.body, headers=request.headers))
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200 or not response.body.startswith("Writing about"):
        sys.exit(f"/hype {song} was answered {response.status}: {response.body}")
    return elapsed


def posted_ms(app, requests: SlackRequests, services: TimedServices, song: str) -> tuple[float, float, float]:
    """(ack ms, ms until the header and every candidate are posted, of which writing) for one /hype on an idle
    bot."""
    request_id = services.store.db["requests"].count + 1  # the row the command will create once it has written
    started = time.perf_counter()
    acked = ack_ms(app, requests, song)
    while (row := curation.get_request(services.store, request_id)) is None or row["status"] == "pending":
        time.sleep(0.002)
    elapsed = (time.perf_counter() - started) * 1000
    if row["status"] != "done":
        sys.exit(f"/hype {song} failed: {row['error']}")
    services.pool.wait_idle()
    return acked, elapsed, services.write_ms[-1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def spread(values: list[float]) -> str:
    return (f"p50 {statistics.median(values):7.1f} ms  p95 {percentile(values, 0.95):7.1f} ms  "
            f"max {max(values):7.1f} ms")


def report(name: str, values: list[float], target: float) -> None:
    verdict = "meets" if percentile(values, 0.95) < target else "MISSES"
    print(f"{name:<34} {spread(values)}  ({verdict} the {target:.0f} ms target, n={len(values)})")


def main() -> None:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=settings.path("model_dir"), help="model bundle directory")
    parser.add_argument("--runs", type=int, default=20, help="sequential /hype commands")
    parser.add_argument("--burst", type=int, default=8, help="commands sent at once (acks while the model works)")
    args = parser.parse_args()
    if not args.model.is_dir():
        sys.exit(f"no model bundle at {args.model}: run `deephype train cvae` or pass --model DIR")
    settings = dataclasses.replace(settings, paths=dataclasses.replace(settings.paths, model_dir=str(args.model)))
    with SlackStandin() as slack:
        settings = dataclasses.replace(settings, bot=dataclasses.replace(
            settings.bot, slack_api_url=slack.base_url, queue_size=max(settings.bot.queue_size, args.burst)))
        started = time.perf_counter()
        services = services_for(settings)
        print(f"model loaded from {args.model} in {time.perf_counter() - started:.2f} s")
        app = build_app(services, web_client(settings, BOT_TOKEN), SECRET)
        requests = SlackRequests(SECRET, slack.root_url)
        for song in SONGS:  # warm the model and the genre cache for every song
            posted_ms(app, requests, services, song)
        runs = [posted_ms(app, requests, services, SONGS[i % len(SONGS)]) for i in range(args.runs)]
        acks, posts, writes = (list(column) for column in zip(*runs, strict=True))
        burst = burst_acks(app, requests, args.burst)
        services.pool.wait_idle()
        candidates = services.store.db.execute("SELECT COUNT(*) FROM candidates").fetchone()[0]
        services.close()
    report("/hype ack, idle bot", acks, 200)
    report(f"/hype ack, {args.burst} at once", burst, 200)
    report("/hype to candidates posted", posts, 2000)
    overhead = [posted - written for posted, written in zip(posts, writes, strict=True)]
    print(f"  of which writing (genres + model)  {spread(writes)}")
    print(f"  of which the bot (store, Slack)    {spread(overhead)}")
    print(f"{candidates} candidates posted in all, {len(slack.calls)} Web API calls")


def burst_acks(app, requests: SlackRequests, count: int) -> list[float]:
    """Ack times of `count` commands arriving together, so most are acked while the model is writing."""
    times: list[float] = []
    gate = threading.Barrier(count)

    def send(song: str) -> None:
        gate.wait()
        times.append(ack_ms(app, requests, song))

    threads = [threading.Thread(target=send, args=(SONGS[i % len(SONGS)],)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


if __name__ == "__main__":
    main()
