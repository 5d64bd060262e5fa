"""Reliability figures in one table: 50 concurrent /hype commands against the loaded model (ack time, answers,
peak RSS), the fault matrix per service, posting processes killed at random (benchmarks/posting_crashes.py), the
whole bot process killed while scanning, generating, publishing, deciding and posting (tests/restart_harness.py),
and the hypothesis fuzzing of every entry point at a larger scale than CI runs it.

Usage: .venv/bin/python benchmarks/reliability.py [--concurrent 50] [--crash-candidates 700] [--restart-kills 60]
       [--fuzz-scale 4]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import io
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]  # the bot harness and the crash benchmark

from bot_harness import ANA, BotHarness, bot_settings  # noqa: E402
from posting_crashes import approve_all, check, run_until_drained  # noqa: E402
from restart_harness import MUST_BE_ZERO, restart_scenario  # noqa: E402

from deephype.config import Settings, load_settings  # noqa: E402
from deephype.standins.slack import SlackStandin  # noqa: E402
from deephype.standins.x import XStandIn  # noqa: E402
from deephype.store import Store  # noqa: E402

SONGS = ["M83 - Midnight City", "Bicep - Opal", "Caribou - Can't Do Without You", "Phoenix - Lisztomania",
         "Tame Impala - Let It Happen", "Disclosure - Latch", "Beach House - Space Song", "Bon Iver - Holocene"]
SERVICES = {"x_posting": "X (posting)", "x_timeline": "X (timeline)", "spotify": "Spotify", "slack": "Slack"}


class PeakRss:
    """Samples this process's resident memory every 20 ms while running."""

    def __init__(self) -> None:
        self.peak_kb, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak_kb = max(self.peak_kb, current_rss_kb())

    def __enter__(self) -> PeakRss:
        self.peak_kb = current_rss_kb()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def current_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def model_settings(model_dir: str | None) -> Settings:
    settings = load_settings()
    chosen = Path(model_dir) if model_dir else settings.path("model_dir")
    if (chosen / "cvae.pt").exists():
        return dataclasses.replace(settings, paths=dataclasses.replace(settings.paths, model_dir=str(chosen)))
    from tiny_bundle import train_tiny_bundle  # no shipped model: a tiny one, trained in seconds

    return train_tiny_bundle(Path(tempfile.mkdtemp(prefix="reliability-model-")))


def load_scenario(settings: Settings, concurrent: int) -> dict[str, float]:
    """`concurrent` /hype commands at the same instant through the real Bolt dispatch, the model loaded."""
    from deephype.generate import Generator
    from deephype.song_genres import GenreResolver

    with SlackStandin() as slack, PeakRss() as rss:
        settings = bot_settings(settings)
        store = Store.open(":memory:")
        bot = BotHarness(slack, settings, Generator.load(settings), GenreResolver(settings, store, None), store)
        start, acks = threading.Barrier(concurrent), []

        def send(i: int) -> None:
            request = bot.requests.slash_command(SONGS[i % len(SONGS)], user_id=ANA)
            start.wait()
            began = time.perf_counter()
            status, body = bot.dispatch(request)
            acks.append((time.perf_counter() - began, status, body))

        threads = [threading.Thread(target=send, args=(i,)) for i in range(concurrent)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        bot.settle(timeout=1800)
        bot.close()
        writing = sum(1 for _, status, body in acks if status == 200 and body.startswith("Writing about"))
        busy = sum(1 for _, status, body in acks if status == 200 and "busy" in body)
        answered_later = len([r for r in slack.responses if r.user == ANA])
    return {"sent": concurrent, "acked in 3 s": sum(1 for t, status, _ in acks if status == 200 and t < 3.0),
            "slowest ack s": max(t for t, _, _ in acks), "writing": writing, "busy": busy,
            "answered": busy + min(answered_later, writing), "lost": writing - min(answered_later, writing),
            "peak rss MB": rss.peak_kb / 1024}


def pytest_cases(test_file: str, env: dict[str, str] | None = None) -> list[tuple[str, bool]]:
    """(test id, passed) for every case of one test file, run in a child pytest."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.xml"
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}",
                        str(ROOT / "tests" / test_file)], cwd=ROOT, env={**os.environ, **(env or {})},
                       capture_output=True, check=False)
        cases = ElementTree.parse(report).getroot().iter("testcase")
        return [(case.get("name", ""), not any(child.tag in ("failure", "error") for child in case))
                for case in cases]


def fault_scenario() -> dict[str, tuple[int, int]]:
    """Per service: (faults injected, survived), one fault per case of tests/test_fault_matrix.py."""
    counts: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for name, passed in pytest_cases("test_fault_matrix.py"):
        service = next((label for key, label in SERVICES.items() if f"_{key}_" in f"_{name}"), "other")
        counts[service][0] += 1
        counts[service][1] += passed
    return {service: (n, ok) for service, (n, ok) in counts.items()}


def crash_scenario(candidates: int, max_life: float) -> dict[str, int]:
    """benchmarks/posting_crashes.py's run: posting processes killed at random until the queue drains."""
    args = argparse.Namespace(candidates=candidates, exit_rate=0.02, max_life=max_life, seed=11)
    with tempfile.TemporaryDirectory() as tmp, XStandIn() as x:
        db_path = Path(tmp) / "state.db"
        approve_all(db_path, candidates)
        with contextlib.redirect_stderr(io.StringIO()):
            deaths = run_until_drained(db_path, x, args)
        figures = check(db_path, x, candidates)
    return {"crashes": sum(n for kind, n in deaths.items() if kind != "finished"),
            "duplicates": figures["on X more than once"] + figures["sent to X more than once"],
            "lost": figures["lost (still approved or claimed)"],
            "recovered": figures["posted"] + figures["flagged for a person"] + figures["failed"]}


def restarts(kills: int) -> tuple[collections.Counter, dict[str, int]]:
    """The bot process SIGKILLed `kills` times across its phases, with a tiny model (a restart loads it in a
    fraction of a second, so the kills, not the model loads, fill the run)."""
    from tiny_bundle import train_tiny_bundle

    with tempfile.TemporaryDirectory() as tmp:
        settings = train_tiny_bundle(Path(tmp) / "model")
        return restart_scenario(settings, Path(tmp), kills=kills)


def fuzz_scenario(scale: float) -> tuple[int, int]:
    """(cases tried, failing fuzz tests) of tests/test_fuzz_inputs.py at `scale` times its CI example counts."""
    with tempfile.TemporaryDirectory() as tmp:
        count_file = Path(tmp) / "cases.txt"
        cases = pytest_cases("test_fuzz_inputs.py", {"DEEPHYPE_FUZZ_SCALE": str(scale),
                                                     "DEEPHYPE_FUZZ_COUNT_FILE": str(count_file)})
        tried = len(count_file.read_text().splitlines()) if count_file.exists() else 0
    return tried, sum(1 for _, passed in cases if not passed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrent", type=int, default=50)
    parser.add_argument("--crash-candidates", type=int, default=700)
    parser.add_argument("--max-life", type=float, default=0.3, help="longest a posting process lives, seconds")
    parser.add_argument("--restart-kills", type=int, default=60, help="bot processes killed by the restart run")
    parser.add_argument("--fuzz-scale", type=float, default=4.0)
    parser.add_argument("--model-dir", help="a bundle directory (default: the config's, else a tiny one)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    load = load_scenario(model_settings(args.model_dir), args.concurrent)
    faults = fault_scenario()
    crashes = crash_scenario(args.crash_candidates, args.max_life)
    deaths, restart = restarts(args.restart_kills)
    phases = ("scanning", "generating", "publishing", "deciding", "posting")
    tried, failing = fuzz_scenario(args.fuzz_scale)
    rows = [
        ("/hype requests sent", load["sent"]), ("  acknowledged within 3 s", load["acked in 3 s"]),
        ("  slowest acknowledgement (s)", f"{load['slowest ack s']:.2f}"),
        ("  answered (candidates or busy)", f"{load['answered']} ({load['writing']} written, {load['busy']} busy)"),
        ("  lost", load["lost"]), ("  peak RSS of the bot, model loaded (MB)", f"{load['peak rss MB']:.0f}"),
        *[(f"faults injected / survived: {service}", f"{n} / {ok}") for service, (n, ok) in sorted(faults.items())],
        ("posting processes killed (crashes injected)", crashes["crashes"]),
        ("  candidates recovered (posted, flagged or failed)", f"{crashes['recovered']} of {args.crash_candidates}"),
        ("  approvals lost", crashes["lost"]), ("  duplicate posts", crashes["duplicates"]),
        (f"bot processes killed: {' / '.join(phases)}", " / ".join(str(deaths[p]) for p in phases)),
        ("  tweets on the timeline (skipped or unfinished)",
         f"{restart['tweets']} ({restart['tweets skipped or left unfinished']})"),
        ("  tweets written about twice", restart["tweets written about more than once"]),
        ("  requests cut short before Slack saw them (kept)",
         restart["requests cut short before Slack saw them (kept)"]),
        ("  threads left short by a kill mid-publish (posted again)",
         f"{restart['threads left short by a kill mid-publish']} "
         f"({restart['partial threads posted again after a kill mid-publish']})"),
        ("  decisions confirmed to the curator (lost)",
         f"{restart['decisions confirmed to the curator']} ({restart['decisions lost']})"),
        ("  posted (duplicates, without an approval)",
         f"{restart['posted']} ({restart['duplicate posts']}, {restart['posts without an approval']})"),
        ("  database integrity errors", restart["database integrity errors"]),
        ("crashes injected in total", crashes["crashes"] + sum(deaths[p] for p in phases)),
        ("fuzz cases tried", tried), ("  fuzz tests with an unhandled error", failing),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"wall time {time.perf_counter() - started:.0f} s")
    ok = (load["lost"] == 0 and load["acked in 3 s"] == load["sent"] and crashes["duplicates"] == 0
          and crashes["lost"] == 0 and failing == 0 and all(n == survived for n, survived in faults.values())
          and all(restart[name] == 0 for name in MUST_BE_ZERO))
    print("OK" if ok else "FAILED: see the figures above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
