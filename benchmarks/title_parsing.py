"""Measure the song finder on the shared posts: coverage, accuracy on hand labels, agreement with chart titles.

Run: .venv/bin/python benchmarks/title_parsing.py [--show-misses]
Reads ../shared/data/hypem-sample/{posts.json,song_titles_5yrs.json}; labels live in benchmarks/title_labels.py.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from deephype.config import SHARED_DATA
from deephype.songs import SongRef, normalise_name, parse_title, split_song_title

sys.path.insert(0, str(Path(__file__).resolve().parent))
from title_labels import DEV_LABELS, DEV_SEED, DEV_SIZE, NO_SONG_TITLES  # noqa: E402

POSTS = SHARED_DATA / "hypem-sample" / "posts.json"
CHART_TITLES = SHARED_DATA / "hypem-sample" / "song_titles_5yrs.json"


def load_posts(path: Path = POSTS) -> list[dict]:
    return [p for p in json.loads(path.read_text(encoding="utf-8")) if isinstance(p, dict)]


def coverage(posts: list[dict]) -> dict:
    """How often artist and song are found, over posts whose headline names them and over the rest."""
    named = [p for p in posts if (p.get("title") or "") not in NO_SONG_TITLES]
    unnamed = [p for p in posts if (p.get("title") or "") in NO_SONG_TITLES]
    found = [p for p in named if parse_title(p.get("title") or "", p.get("url")) is not None]
    found_without_url = [p for p in named if parse_title(p.get("title") or "") is not None]
    from_slug = [p for p in unnamed if parse_title(p.get("title") or "", p.get("url")) is not None]
    return {
        "posts": len(posts),
        "judged_no_song": len(unnamed),
        "named": len(named),
        "found": len(found),
        "found_share": len(found) / max(len(named), 1),
        "found_share_title_only": len(found_without_url) / max(len(named), 1),
        "no_song_found_from_slug": len(from_slug),
        "missed": [p.get("title") for p in named if p not in found],
    }


def dev_accuracy(posts: list[dict]) -> dict:
    """Exact match (after normalise_name) of artist and song with the hand labels; None must meet None."""
    sample = [posts[i] for i in sorted(random.Random(DEV_SEED).sample(range(len(posts)), DEV_SIZE))]
    labels = {(title, url): (artist, song) for title, url, artist, song in DEV_LABELS}
    missing = [p.get("title") for p in sample if (p.get("title"), p.get("url")) not in labels]
    if missing:
        raise ValueError(f"the labels do not cover the sample (posts.json changed?): {missing[:3]}")
    right, wrong = 0, []
    for post in sample:
        expected = labels[(post.get("title"), post.get("url"))]
        got = parse_title(post.get("title") or "", post.get("url"))
        if _same(got, expected):
            right += 1
        else:
            wrong.append((post.get("title"), expected, None if got is None else (got.artist, got.song)))
    return {"labelled": len(sample), "exact": right, "accuracy": right / len(sample), "wrong": wrong}


def _same(got: SongRef | None, expected: tuple[str | None, str | None]) -> bool:
    if got is None or expected[0] is None:
        return got is None and expected[0] is None
    return (normalise_name(got.artist), normalise_name(got.song)) == (
        normalise_name(expected[0]), normalise_name(expected[1] or ""))


def chart_agreement(posts: list[dict], chart_titles: list[str]) -> dict:
    """Share of parsed songs that equal a chart title (both without credits or version, normalised)."""
    chart = {normalise_name(split_song_title(t)[0]) for t in chart_titles if isinstance(t, str)}
    songs = [r.song for p in posts if (r := parse_title(p.get("title") or "", p.get("url")))]
    matched = sum(normalise_name(s) in chart for s in songs)
    distinct = {normalise_name(s) for s in songs}
    return {"parsed": len(songs), "in_chart": matched, "share": matched / max(len(songs), 1),
            "distinct_songs": len(distinct), "distinct_in_chart": len(distinct & chart)}


def speed(posts: list[dict]) -> float:
    start = time.perf_counter()
    for post in posts:
        parse_title(post.get("title") or "", post.get("url"))
    return len(posts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true", help="list missed titles and wrong dev labels")
    args = parser.parse_args()
    if not POSTS.exists():
        sys.exit(f"shared posts not found at {POSTS}")
    posts = load_posts()
    cov, dev = coverage(posts), dev_accuracy(posts)
    chart = chart_agreement(posts, json.loads(CHART_TITLES.read_text(encoding="utf-8")))
    print(f"posts: {cov['posts']}; judged to name no song: {cov['judged_no_song']}; naming artist and song: "
          f"{cov['named']}")
    print(f"(1) artist and song found: {cov['found']}/{cov['named']} = {cov['found_share']:.1%} "
          f"(title alone, no URL: {cov['found_share_title_only']:.1%}); no-song titles resolved from the URL "
          f"slug: {cov['no_song_found_from_slug']}/{cov['judged_no_song']}")
    print(f"(2) hand-labelled dev set: {dev['exact']}/{dev['labelled']} exact = {dev['accuracy']:.1%}")
    print(f"(3) parsed songs equal to a chart title: {chart['in_chart']}/{chart['parsed']} = {chart['share']:.1%} "
          f"({chart['distinct_in_chart']}/{chart['distinct_songs']} distinct songs)")
    print(f"speed: {speed(posts):,.0f} titles/s")
    if args.show_misses:
        print("\nmissed:", *cov["missed"], sep="\n  ")
        print("\nwrong on the dev set (title, label, parsed):", *dev["wrong"], sep="\n  ")


if __name__ == "__main__":
    main()
