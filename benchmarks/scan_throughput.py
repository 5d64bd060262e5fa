"""Time one timeline scan of N new tweets (half about songs) through the bot's real scan job, against the X and
Slack stand-ins, with a warm model and cached genres (target: 200 tweets in under 30 s on 2 cores).

Usage: .venv/bin/python benchmarks/scan_throughput.py [--config config.yaml] [--model-dir data/model]
       [--tweets 200] [--samples 64] [--batch 8] [--threads 1]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.app import web_client
from bot.curators import Curators
from bot.jobs import Loop
from bot.services import Services, WorkPool
from deephype.config import Settings, load_settings
from deephype.songs import detect_song, normalise_name
from deephype.standins.slack import BOT_TOKEN, SlackStandin
from deephype.standins.slack_workspace import ANA, CURATION_CHANNEL_NAME
from deephype.standins.x import XStandIn
from deephype.store import Store
from deephype.twitter import CREDENTIAL_VARIABLES, XClient, XCredentials

SONGS = [("M83", "Midnight City", "synthpop"), ("Phoenix", "Lisztomania", "indie rock"),
         ("Tame Impala", "Let It Happen", "psychedelic rock"), ("Beach House", "Space Song", "dream pop"),
         ("Bon Iver", "Holocene", "indie folk"), ("Caribou", "Can't Do Without You", "electronica"),
         ("Frank Ocean", "Nights", "neo soul"), ("Disclosure", "Latch", "house"),
         ("Little Simz", "Introvert", "uk hip hop"), ("Mac DeMarco", "Chamber Of Reflection", "indie rock")]
SONG_TWEETS = ['NEW MUSIC: {a} – "{s}" https://t.co/xk2Lp0a', '{a} - {s} https://t.co/8fJd0qW',
               'Song of the day: {a} - {s}', '{a} – "{s}" on repeat all week', 'Listen to {a}\'s "{s}" tonight']
CHATTER = ["Tickets for the {c} show go on sale Friday at 10am.", "What's the best album opener of all time? #{n}",
           "We're live tonight at 8pm with a listening party in {c}.", "Our {c} office playlist is up, number {n}.",
           "Festival season in {c} starts in {n} days and we are not ready."]
CITIES = ["Berlin", "Lisbon", "Glasgow", "Montreal", "Osaka", "Austin", "Leeds", "Oslo", "Lyon", "Perth"]


def timeline(count: int) -> list[tuple[str, str]]:
    """`count` (account, text) tweets alternating song and chatter; a song tweet seen before says so."""
    songs = itertools.cycle(SONG_TWEETS[i].format(a=a, s=s) for i in range(len(SONG_TWEETS)) for a, s, _ in SONGS)
    seen: set[str] = set()
    tweets = []
    for i in range(count):
        if i % 2:
            text = CHATTER[i // 2 % len(CHATTER)].format(c=CITIES[i // 2 % len(CITIES)], n=i)
        else:
            text = next(songs)
            text = f"{text} (still on repeat, day {i})" if text in seen else text
        seen.add(text)
        tweets.append((f"feed{i % 7}", text))
    return tweets


def services_for(settings: Settings) -> Services:
    from deephype.generate import Generator
    from deephype.song_genres import GenreResolver

    store = Store.open(":memory:")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for artist, _, genre in SONGS:  # cached genres: the scan does not wait on Spotify
        store.cache_genres(normalise_name(artist), artist, [genre], "spotify", now)
    return Services(settings, store, Generator.load(settings), GenreResolver(settings, store, None),
                    Curators((ANA,)), WorkPool(1, 8))


def settings_from(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config)
    paths = dataclasses.replace(settings.paths, model_dir=str(args.model_dir or settings.path("model_dir")))
    generation = dataclasses.replace(settings.generation, samples=args.samples or settings.generation.samples,
                                     threads=args.threads or settings.generation.threads)
    schedule = dataclasses.replace(settings.schedule, timeline_max_tweets=args.tweets,
                                   scan_batch=args.batch or settings.schedule.scan_batch)
    return dataclasses.replace(settings, paths=paths, generation=generation, schedule=schedule)


def timed_scan(settings: Settings, tweets: list[tuple[str, str]], x: XStandIn, slack: SlackStandin) -> dict:
    """Load and warm the model, put the tweets on the timeline, and time one scan job."""
    settings = dataclasses.replace(
        settings, x=dataclasses.replace(settings.x, api_base=x.base_url),
        bot=dataclasses.replace(settings.bot, slack_api_url=slack.base_url, channel=f"#{CURATION_CHANNEL_NAME}"))
    started = time.perf_counter()
    services = services_for(settings)
    loaded = time.perf_counter() - started
    services.write("Arcade Fire - Wake Up")  # warm up: the first batch pays for lazy initialisation
    for account, text in tweets:
        x.add_tweet(text, account)
    keys = x.environment()
    loop = Loop(services, web_client(settings, BOT_TOKEN),
                XClient(settings.x, XCredentials(*(keys[name] for name in CREDENTIAL_VARIABLES))))
    writes: list[tuple[int, float]] = []  # (songs, seconds) of each batch written

    def timed_write_many(arguments: list[str]):
        begun = time.perf_counter()
        try:
            return services.write_many(arguments)
        finally:
            writes.append((len(arguments), time.perf_counter() - begun))

    loop.scanner.write_many = timed_write_many
    started, cpu_started = time.perf_counter(), time.process_time()
    report = loop.scan_job()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    services.close()
    return {"loaded": loaded, "report": report, "seconds": seconds, "cpu": cpu, "writes": writes,
            "slack_posts": len(slack.calls_to("chat.postMessage"))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=None)
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--tweets", type=int, default=200)
    parser.add_argument("--samples", type=int, default=None,
                        help="samples decoded per song  [default: generation.samples]: the scan's main cost")
    parser.add_argument("--batch", type=int, default=None,
                        help="tweets per chunk, their songs decoded together  [default: schedule.scan_batch]")
    parser.add_argument("--threads", type=int, default=None, help="torch threads  [default: generation.threads]")
    args = parser.parse_args(argv)
    settings = settings_from(args)
    tweets = timeline(args.tweets)
    about_songs = sum(detect_song(text) is not None for _, text in tweets)
    with XStandIn() as x, SlackStandin() as slack:
        run = timed_scan(settings, tweets, x, slack)
    seconds, writes = run["seconds"], run["writes"]
    print(f"model {settings.path('model_dir')} loaded in {run['loaded']:.1f} s (not counted); "
          f"{settings.generation.samples} samples per song; chunks of {settings.schedule.scan_batch} tweets; "
          f"{settings.generation.threads} torch thread(s)")
    print(f"tweets: {len(tweets)} new, {about_songs} about songs; scan: {run['report'].describe()}")
    print(f"scan time {seconds:.1f} s ({len(tweets) / seconds:.1f} tweets/s); target < 30 s")
    # On shared cores the wall time includes waiting for other processes; the CPU time is what the scan costs.
    print(f"CPU time of this process during the scan {run['cpu']:.1f} s; load average now "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    songs, written = sum(n for n, _ in writes), sum(t for _, t in writes)
    print(f"writing: {len(writes)} batches, {songs} songs, {written:.1f} s ({written / max(songs, 1) * 1000:.0f} ms "
          f"per song); slowest batch {max((t for _, t in writes), default=0) * 1000:.0f} ms, mean "
          f"{statistics.mean(t for _, t in writes) * 1000 if writes else 0:.0f} ms")
    print(f"the rest (X reads, song detection, store, {run['slack_posts']} Slack posts): {seconds - written:.1f} s")
    return 0 if seconds < 30 else 1


if __name__ == "__main__":
    sys.exit(main())
