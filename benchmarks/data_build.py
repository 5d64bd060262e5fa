"""Time `deephype data build` on the shared posts and print the figures the data targets ask for.

Usage: .venv/bin/python benchmarks/data_build.py [--posts PATH] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from deephype.config import load_settings
from deephype.corpus_build import build_corpus


def main() -> None:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=Path, default=settings.path("posts"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    seconds = []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            started = time.perf_counter()
            card = build_corpus(settings, args.posts, Path(folder) / f"corpus{run}.db", progress=False)
            seconds.append(time.perf_counter() - started)
    print(f"posts: {card['posts']:,}  kept: {card['posts_kept']:,}  sentences: {card['sentences']:,}")
    print(f"sentences with a real genre: {card['sentences_with_genre']:,} ({card['genre_coverage']:.1%})")
    for source, count in card["coverage_by_source"].items():
        print(f"  {source:<14} {count:>6,} ({count / card['sentences']:.1%})")
    print(f"condition labels: {len(card['condition_labels'])}  songs: {card['songs']:,} "
          f"(train {card['train_songs']:,}, val {card['val_songs']:,})")
    print(f"build time over {args.runs} runs: median {statistics.median(seconds):.1f} s, max {max(seconds):.1f} s")


if __name__ == "__main__":
    main()
