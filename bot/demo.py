"""`deephype demo`: the real bot, with no credentials, against local stand-ins for X, Slack and Spotify and a fresh
database. One timeline scan, the candidates as a curator sees them, one approval through a signed click (the
path a real click takes in HTTP mode), one run of the posting job, and a summary."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slack_bolt import App, BoltRequest

from bot import blocks as bk
from bot.app import build_app, web_client
from bot.curators import Curators
from bot.jobs import Loop
from bot.services import Services, WorkPool
from deephype import curation
from deephype.config import Settings
from deephype.demo import CURATOR, SIGNING_SECRET, DemoSummary, DemoWorld
from deephype.demo_tweets import DEMO_TIMELINE
from deephype.errors import DeephypeError, ServiceError
from deephype.standins.slack import BOT_TOKEN
from deephype.standins.slack_signing import SlackRequests
from deephype.standins.slack_workspace import DEFAULT_USERS
from deephype.store import Store

Progress = Callable[[str], None]
INDENT = "    "


def run_demo(base: Settings, progress: Progress = print, model_dir: Path | None = None) -> DemoSummary:
    """Run the demo, telling `progress` each step as it happens; returns what happened."""
    started = time.monotonic()
    with DemoWorld(base, model_dir) as world:
        progress(f"Stand-ins for X, Slack and Spotify are up on 127.0.0.1; a fresh database is at "
                 f"{world.settings.path('state_db')}")
        progress(f"Loading the model bundle from {world.settings.path('model_dir')} ...")
        services = load_services(world)
        try:
            summary = _walk_through(world, services, progress)
        finally:
            services.close()
    summary.seconds = time.monotonic() - started
    return summary


def load_services(world: DemoWorld) -> Services:
    """What `deephype bot` loads, with genres from the Spotify stand-in."""
    from deephype.generate import Generator
    from deephype.song_genres import GenreResolver

    settings, store = world.settings, world.store
    resolver = GenreResolver(settings, store, world.spotify_genres())
    return Services(settings, store, Generator.load(settings), resolver, Curators.from_config(settings.bot),
                    WorkPool(settings.bot.workers, settings.bot.queue_size))


def _walk_through(world: DemoWorld, services: Services, progress: Progress) -> DemoSummary:
    client = web_client(world.settings, BOT_TOKEN)
    app = build_app(services, client, SIGNING_SECRET)  # HTTP mode: every request must carry a valid signature
    loop = Loop(services, client, world.x_client())
    loop.install(app)
    progress(f"Scanning @{world.x.username}'s home timeline ({len(DEMO_TIMELINE)} tweets from music feeds) ...")
    scan = loop.scan_job()
    if scan is None:
        raise ServiceError("the timeline scan failed; run with --verbose to see why")
    progress(f"Scan done: {scan.describe()}. The curation channel now shows:")
    songs = curation_threads(world, services.store)
    for text in songs.values():
        progress(text)
    chosen = first_candidate(services.store)
    song = _song(services.store, chosen)
    progress(f"@ana approves candidate {chosen['rank']} of {song} (a signed click, dispatched as Slack would) ...")
    approve(app, world, chosen)
    progress(indent(message_text(world, chosen)))
    progress("The posting job runs (its schedule allows a post now) ...")
    report = loop.posting_job()
    if report is None or not report.outcomes:
        raise ServiceError("the posting job posted nothing; run with --verbose to see why")
    final = message_text(world, chosen)
    progress(indent(final))
    return _summary(world, services.store, scan.outcomes, list(songs), chosen, song, final)


def curation_threads(world: DemoWorld, store: Store) -> dict[str, str]:
    """Song -> its thread in the curation channel as text: the header, then each candidate indented."""
    threads = {}
    for request in store.db.query("SELECT * FROM requests WHERE header_ts IS NOT NULL ORDER BY id"):
        lines = [render(world, request["channel"], request["header_ts"])]
        for candidate in curation.thread_candidates(store, request["header_ts"]):
            lines.append(indent(render(world, candidate["channel"], candidate["message_ts"]), "  ↳ "))
        threads[f"{request['artist']} – {request['song']}"] = indent("\n".join(lines))
    return threads


def first_candidate(store: Store) -> dict[str, Any]:
    rows = list(store.db.query("SELECT * FROM candidates WHERE message_ts IS NOT NULL ORDER BY id LIMIT 1"))
    if not rows:
        raise DeephypeError("no candidate passed the filters for any song on the demo timeline; the model bundle "
                            "may be too small: rebuild it with `make model`")
    return rows[0]


def approve(app: App, world: DemoWorld, candidate: dict[str, Any]) -> None:
    """Click Approve as @ana: a signed block_actions request through Bolt's dispatch, then wait for the update."""
    message = world.slack.message(candidate["channel"], candidate["message_ts"])
    click = SlackRequests(SIGNING_SECRET, world.slack.root_url).block_action(message, bk.APPROVE, user_id=CURATOR,
                                                                            channel_id=candidate["channel"])
    response = app.dispatch(BoltRequest(body=click.body, headers=click.headers))
    if response.status != 200:
        raise ServiceError(f"the bot refused the click ({response.status} {response.body})")
    world.slack.wait_for("chat.update", 1, timeout=30)  # the handler acks first, then decides and updates


def render(world: DemoWorld, channel: str, ts: str) -> str:
    return bk.render_text(world.slack.message(channel, ts)["blocks"], {user.id: user.name for user in DEFAULT_USERS})


def message_text(world: DemoWorld, candidate: dict[str, Any]) -> str:
    return render(world, candidate["channel"], candidate["message_ts"])


def indent(text: str, first: str = INDENT) -> str:
    pad = " " * len(first)
    return "\n".join((first if i == 0 else pad) + line for i, line in enumerate(text.splitlines()))


def _song(store: Store, candidate: dict[str, Any]) -> str:
    request = curation.get_request(store, candidate["request_id"])
    return f"{request['artist']} – {request['song']}"


def _summary(world: DemoWorld, store: Store, outcomes: dict[str, int], songs: list[str], chosen: dict[str, Any],
             song: str, final: str) -> DemoSummary:
    after = curation.get_candidate(store, chosen["id"])
    request = curation.get_request(store, chosen["request_id"])
    posted = world.x.posted
    posted_url = f"https://x.com/{world.x.username}/status/{after['posted_tweet_id']}" if posted else None
    candidates = store.db.execute("SELECT COUNT(*) FROM candidates WHERE message_ts IS NOT NULL").fetchone()[0]
    return DemoSummary(len(DEMO_TIMELINE), dict(outcomes), songs, candidates, after["text"],
                       song, posted, posted_url, request["source_tweet_url"], final)
