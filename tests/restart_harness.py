"""kill -9 of the whole bot process while it scans the timeline, generates, takes decisions and posts: the real
bot code (Services, the Bolt app, the scan and posting jobs) runs in a child process against the Slack and X
stand-ins, is SIGKILLed at random moments and restarted, and the store is checked at the end. What
tests/test_restarts.py and benchmarks/reliability.py share."""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import io
import multiprocessing
import os
import random
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot_harness import ANA, BEN, SECRET, TrackedExecutor, bot_settings

from bot import blocks as bk
from bot.services import Services
from deephype.config import ScheduleConfig, Settings, XConfig
from deephype.cursors import TIMELINE, read_cursor
from deephype.standins.slack import BOT_TOKEN, SlackStandin
from deephype.standins.slack_signing import SlackRequests
from deephype.standins.slack_workspace import CURATION_CHANNEL_ID
from deephype.standins.x import XStandIn
from deephype.store import Store
from deephype.timeline import FINAL

PHASES = ("starting", "scanning", "generating", "publishing", "deciding", "posting", "idle")
STARTING, SCANNING, GENERATING, PUBLISHING, DECIDING, POSTING, IDLE = range(len(PHASES))
SONGS = [("M83", "Midnight City"), ("Bicep", "Opal"), ("Caribou", "Can't Do Without You"), ("Phoenix", "Lisztomania"),
         ("Tame Impala", "Let It Happen"), ("Disclosure", "Latch"), ("Beach House", "Space Song"),
         ("Bon Iver", "Holocene"), ("Four Tet", "Baby"), ("Jamie xx", "Gosh"), ("Little Dragon", "Ritual Union"),
         ("Röyksopp", "Eple")]
CHATTER = "Tour news: twelve new dates across Europe, tickets on Friday at 10am (note {i})."


@dataclass(frozen=True)
class World:
    """Where a bot process finds everything: its database, the stand-ins, its settings and its journal."""

    db_path: str
    journal: str  # the simulated curator's "done" lines: decisions whose handling finished
    settings: Settings
    slack_root_url: str
    x_environment: dict[str, str]
    tweet_ids: tuple[str, ...]  # the timeline the test wrote (the bot's own posts join it as it quotes them)


def restart_settings(settings: Settings, slack: SlackStandin, x: XStandIn) -> Settings:
    """The bot's settings at the stand-ins: everything due at once, curators ANA and BEN."""
    schedule = ScheduleConfig(posting_windows=("00:00-24:00",), timezone="UTC", max_posts_per_day=1_000_000,
                              min_spacing_minutes=0, post_retry_seconds=0.05)
    settings = dataclasses.replace(settings, schedule=schedule, x=XConfig(api_base=x.base_url, read_timeout=5.0))
    return bot_settings(settings, slack_api_url=slack.base_url, slack_timeout=5.0)


def fill_timeline(x: XStandIn, first: int, songs: int) -> list[str]:
    """Tweets naming songs `first` to `first + songs - 1` (all different: past the list, its artists and titles
    are paired anew), with feed chatter (no song) after every fourth; returns their ids."""
    ids, n = [], len(SONGS)
    for i in range(first, first + songs):
        artist, song = SONGS[i % n][0], SONGS[(i + i // n) % n][1]
        ids.append(x.add_tweet(f'NEW MUSIC: {artist} – "{song}" https://t.co/r{i:04d}', "neonwave_blog"))
        if i % 4 == 3:
            ids.append(x.add_tweet(CHATTER.format(i=i), "latenightdigs"))
    return ids


# ---- the bot process ----------------------------------------------------------------------------------------


def bot_process(world: World, seed: int, phase: Any, ready: Any) -> None:
    """One life of the bot: load, then scan, decide and post in turn until every tweet is done and every decided
    candidate has gone out. The parent kills it at any moment; `phase` says what it was doing."""
    import logging

    import torch

    from bot import jobs
    from bot.app import build_app, web_client
    from bot.curators import Curators
    from bot.services import WorkPool
    from deephype.generate import Generator
    from deephype.song_genres import GenreResolver
    from deephype.twitter import CREDENTIAL_VARIABLES, XClient, XCredentials

    logging.basicConfig(level=logging.CRITICAL)  # a run restarted dozens of times warns about every claim it finds
    torch.set_num_threads(1)
    settings = world.settings
    store = Store.open(world.db_path)
    generator = Generator.load(settings)
    services = PhasedServices(settings, store, generator, GenreResolver(settings, store, None),
                              Curators.from_config(settings.bot), WorkPool(1, 8))
    services.phase = phase
    client = web_client(settings, BOT_TOKEN)
    listeners = TrackedExecutor()
    app = build_app(services, client, SECRET, listeners)
    x = XClient(settings.x, XCredentials(*(world.x_environment[name] for name in CREDENTIAL_VARIABLES)))
    loop = phased_loop(jobs.Loop)(services, client, x)
    loop.install(app)
    curator = Curator(store, app, SlackRequests(SECRET, world.slack_root_url), listeners, world.journal, seed)
    ready.set()
    while True:
        phase.value = SCANNING
        loop.scan_job()
        phase.value = DECIDING
        curator.decide_all()
        phase.value = POSTING
        loop.posting_job()
        phase.value = IDLE
        if all_done(store, world.tweet_ids):
            break
    listeners.shutdown()
    services.close()


class PhasedServices(Services):
    """The bot's Services, saying in `phase` (a shared integer) while the real writes are generating."""

    phase: Any = None

    def write(self, argument: str, genres_override: Any = None) -> Any:
        with self._generating():
            return super().write(argument, genres_override)

    def write_many(self, arguments: Any) -> Any:
        with self._generating():
            return super().write_many(arguments)

    def _generating(self) -> Any:
        return in_phase(self.phase, GENERATING)


@contextlib.contextmanager
def in_phase(phase: Any, value: int) -> Any:
    before, phase.value = phase.value, value
    try:
        yield
    finally:
        phase.value = before


def phased_loop(loop_class: type) -> type:
    """The bot's Loop, saying in its services' `phase` while the real publish posts a song's candidates to Slack."""

    class PhasedLoop(loop_class):
        def publish(self, tweet: Any, result: Any) -> int:
            with in_phase(self.services.phase, PUBLISHING):
                return super().publish(tweet, result)

    return PhasedLoop


class Curator:
    """Decides every candidate it can see in Slack through the real Bolt path: rank 1 approved by reaction or
    button, the rest rejected, each logged in the journal once its handler has finished."""

    def __init__(self, store: Store, app: Any, requests: SlackRequests, listeners: TrackedExecutor, journal: str,
                 seed: int) -> None:
        self.store, self.app, self.requests, self.listeners = store, app, requests, listeners
        self.journal, self.rng = journal, random.Random(seed)

    def decide_all(self) -> None:
        from slack_bolt import BoltRequest

        for row in self.store.db.query("SELECT * FROM candidates WHERE status = 'pending' AND message_ts IS NOT NULL"
                                       " ORDER BY id"):
            action = "approve" if row["rank"] == 1 else "reject"
            request = self._request(row, action)
            self.app.dispatch(BoltRequest(body=request.body, headers=request.headers))
            assert self.listeners.wait_idle(30), "a decision handler did not finish"
            fd = os.open(self.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            os.write(fd, f"{row['id']} {action}\n".encode())  # in the page cache once written: kill -9 keeps it
            os.close(fd)

    def _request(self, row: dict[str, Any], action: str) -> Any:
        user = self.rng.choice((ANA, BEN))
        if self.rng.random() < 0.5:
            emoji = "white_check_mark" if action == "approve" else "x"
            return self.requests.reaction(emoji, row["message_ts"], user_id=user, channel_id=row["channel"])
        text, blocks = bk.candidate_message(row["id"], row["text"], row["score"], row["rank"])
        message = {"ts": row["message_ts"], "text": text, "blocks": blocks}
        return self.requests.block_action(message, bk.APPROVE if action == "approve" else bk.REJECT, user_id=user,
                                          channel_id=row["channel"])


def all_done(store: Store, tweet_ids: tuple[str, ...]) -> bool:
    """Every tweet final, every candidate a curator can see decided, nothing approved left to post."""
    with store.lock:
        final = store.db.execute(
            f"SELECT count(*) FROM tweets WHERE status IN ({','.join('?' * len(FINAL))})"
            f" AND id IN ({','.join('?' * len(tweet_ids))})", [*FINAL, *tweet_ids]).fetchone()[0]
        open_work = store.db.execute(
            "SELECT count(*) FROM candidates WHERE status IN ('approved', 'posting')"
            " OR (status = 'pending' AND message_ts IS NOT NULL)").fetchone()[0]
    return final == len(tweet_ids) and open_work == 0


# ---- the parent: start, kill, restart -----------------------------------------------------------------------


def run_with_kills(world: World, x: XStandIn, kills: int, max_life: float, songs_per_life: int,
                   seed: int) -> tuple[World, collections.Counter]:
    """Start bot processes one after another, `songs_per_life` new songs on the timeline before each, SIGKILLing
    them `kills` times, then let one run to the end. Each life aims at a phase in turn (generation is brief with
    a tiny model: a kill at a uniformly random moment would hardly ever land in it) and dies a random moment
    after entering it, or after `max_life` seconds. Returns the final world and kills per phase the process was
    in ("finished" counts lives that ended their work first)."""
    context = multiprocessing.get_context("forkserver")
    # Preloaded once: a restart costs a fork and the model load, not torch's import.
    context.set_forkserver_preload(["torch", "deephype.generate", "bot.app", "bot.jobs", "restart_harness"])
    rng, deaths, songs = random.Random(seed), collections.Counter(), 0
    targets = [SCANNING, GENERATING, PUBLISHING, DECIDING, POSTING]
    while sum(n for at, n in deaths.items() if at != "finished") < kills:
        world = dataclasses.replace(world, tweet_ids=world.tweet_ids + tuple(fill_timeline(x, songs, songs_per_life)))
        songs += songs_per_life
        process, phase = _start(context, world, rng)
        target = targets[sum(deaths.values()) % len(targets)]
        _await_phase(process, phase, target, max_life)
        # A scan writes a chunk of songs in one batched generation, a few milliseconds with the tiny model.
        time.sleep(rng.uniform(0, 0.004 if target == GENERATING else 0.05))
        at = PHASES[phase.value]
        if not process.is_alive():
            _check_exit(process)
            deaths["finished"] += 1
            continue
        os.kill(process.pid, signal.SIGKILL)
        process.join()
        deaths[at] += 1
    process, _ = _start(context, world, rng)
    process.join(timeout=300)
    if process.is_alive():
        os.kill(process.pid, signal.SIGKILL)
        raise AssertionError("the last bot process did not finish its work in 300 s")
    _check_exit(process)
    return world, deaths


def _await_phase(process: Any, phase: Any, target: int, max_life: float) -> None:
    deadline = time.monotonic() + max_life
    while process.is_alive() and phase.value != target and time.monotonic() < deadline:
        time.sleep(0.002)


def _start(context: Any, world: World, rng: random.Random) -> tuple[Any, Any]:
    phase, ready = context.Value("i", STARTING), context.Event()
    process = context.Process(target=bot_process, args=(world, rng.randrange(2**31), phase, ready), daemon=True)
    process.start()
    deadline = time.monotonic() + 120
    while not ready.wait(0.05):
        if not process.is_alive():
            raise AssertionError(f"a bot process died while starting (exit code {process.exitcode})")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("a bot process did not start in 120 s")
    return process, phase


def _check_exit(process: Any) -> None:
    if process.exitcode != 0:
        raise AssertionError(f"a bot process died on its own (exit code {process.exitcode})")


# ---- what must hold afterwards ------------------------------------------------------------------------------


def check(world: World, slack: SlackStandin, x: XStandIn) -> dict[str, int]:
    """Figures of the run; every one named in MUST_BE_ZERO must be 0."""
    store = Store.open(world.db_path)
    try:
        figures = {"database integrity errors": int(store.db.execute("PRAGMA integrity_check").fetchone()[0] != "ok")}
        figures.update(_tweet_figures(store, list(world.tweet_ids)))
        figures.update(_decision_figures(store, slack, Path(world.journal)))
        figures.update(_posting_figures(store, x))
        figures["partial threads posted again after a kill mid-publish"] = (
            len([m for m in slack.messages(CURATION_CHANNEL_ID) if m.get("thread_ts", m["ts"]) == m["ts"]])
            - figures.pop("finished requests"))
    finally:
        store.close()
    return figures


def _tweet_figures(store: Store, tweet_ids: list[str]) -> dict[str, int]:
    status = {row["id"]: row["status"] for row in store.db.query("SELECT id, status FROM tweets")}
    finished = collections.defaultdict(list)
    for row in store.db.query("SELECT id, source_tweet_id FROM requests WHERE header_ts IS NOT NULL"):
        finished[row["source_tweet_id"]].append(row["id"])
    written = {row["id"]: row["request_id"] for row in store.db.query(
        "SELECT id, request_id FROM tweets WHERE status = 'written'")}
    cursor = read_cursor(store, TIMELINE) or "0"  # past the last tweet once the bot reads its own posts
    return {
        "tweets": len(tweet_ids),
        "tweets skipped or left unfinished": sum(1 for t in tweet_ids if status.get(t) not in FINAL),
        "cursor short of the last tweet": int(int(cursor) < max(int(t) for t in tweet_ids)),
        "tweets written about more than once": sum(1 for ids in finished.values() if len(ids) > 1),
        "written tweets without their request": sum(1 for t, r in written.items() if finished.get(t) != [r]),
        "finished requests": sum(len(ids) for ids in finished.values()),
        "requests cut short before Slack saw them (kept)": store.db.execute(
            "SELECT count(*) FROM requests WHERE header_ts IS NULL AND error IS NULL").fetchone()[0],
        "threads left short by a kill mid-publish": store.db.execute(
            "SELECT count(*) FROM requests WHERE header_ts IS NOT NULL AND status = 'pending'").fetchone()[0],
    }


def _decision_figures(store: Store, slack: SlackStandin, journal: Path) -> dict[str, int]:
    done = [line.split() for line in journal.read_text().splitlines()] if journal.exists() else []
    accepted = collections.defaultdict(list)
    for row in store.db.query("SELECT candidate_id, action FROM decisions WHERE accepted = 1"):
        accepted[row["candidate_id"]].append(row["action"])
    shown_decided = 0
    for row in store.db.query("SELECT * FROM candidates WHERE message_ts IS NOT NULL"):
        message = slack.message(row["channel"], row["message_ts"])
        if "[ Approve ]" not in bk.render_text(message.get("blocks", [])):
            shown_decided += 1
            if row["status"] == "pending":
                accepted[row["id"]].append("shown decided, stored pending")
    return {
        "decisions confirmed to the curator": len(done), "candidates shown decided in Slack": shown_decided,
        "decisions lost": sum(1 for cid, action in done if action not in accepted.get(int(cid), []))
        + sum(1 for actions in accepted.values() if "shown decided, stored pending" in actions),
        "candidates decided twice": sum(1 for actions in accepted.values() if len(actions) > 1),
    }


def _posting_figures(store: Store, x: XStandIn) -> dict[str, int]:
    rows = list(store.db.query("SELECT * FROM candidates"))
    approved = {r["text"] for r in store.db.query(
        "SELECT c.text FROM candidates c JOIN decisions d ON d.candidate_id = c.id"
        " WHERE d.accepted = 1 AND d.action = 'approve'")}
    on_x = collections.Counter(p["text"] for p in x.posted)
    ids = {p["text"]: p["id"] for p in x.posted}
    status = collections.Counter(r["status"] for r in rows)
    return {
        "posted": status["posted"], "flagged for a person": status["needs_review"],
        "duplicate posts": sum(n - 1 for n in on_x.values()),
        "posts without an approval": sum(1 for text in on_x if text not in approved),
        "posted with the wrong tweet id": sum(1 for r in rows if r["status"] == "posted"
                                              and ids.get(r["text"]) != r["posted_tweet_id"]),
        "approvals lost (still queued)": status["approved"] + status["posting"],
    }


MUST_BE_ZERO = ("database integrity errors", "tweets skipped or left unfinished", "cursor short of the last tweet",
                "tweets written about more than once", "written tweets without their request", "decisions lost",
                "candidates decided twice", "duplicate posts", "posts without an approval",
                "posted with the wrong tweet id", "approvals lost (still queued)")


def restart_scenario(settings: Settings, tmp: Path, kills: int, max_life: float = 1.0, songs_per_life: int = 2,
                     seed: int = 5) -> tuple[collections.Counter, dict[str, int]]:
    """The whole scenario: stand-ins up, `kills` kill -9s while the timeline grows, then the checks."""
    with SlackStandin() as slack, XStandIn() as x:
        world = World(str(tmp / "state.db"), str(tmp / "journal.txt"), restart_settings(settings, slack, x),
                      slack.root_url, x.environment(), ())
        # The stand-ins print a traceback for each request a dying process leaves half-sent: expected here.
        with contextlib.redirect_stderr(io.StringIO()):
            world, deaths = run_with_kills(world, x, kills, max_life, songs_per_life, seed)
        return deaths, check(world, slack, x)
