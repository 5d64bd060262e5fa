"""Run the text cleaning over the shared posts: lines each boilerplate rule drops, a sample to read, and timings.

Usage: .venv/bin/python benchmarks/text_rules.py [--posts PATH] [--sample 50] [--seed 0]

The sample prints dropped lines (with their rule) and kept lines side by side, for a person to check for false
positives; nothing here asserts anything.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path

from deephype.config import SHARED_DATA
from deephype.text import (
    NearDuplicateFilter,
    boilerplate_reason,
    content_lines,
    residue_reason,
    split_sentences,
    strip_inline_noise,
    word_count,
)


def clean_all(contents: list[str]) -> tuple[list[tuple[str, str | None]], Counter, int, dict[str, float]]:
    """Every line with its reason, residue reasons of sentences, kept sentence count, and seconds per stage."""
    seconds = Counter()
    lines: list[tuple[str, str | None]] = []
    residue: Counter = Counter()
    duplicates = NearDuplicateFilter()
    kept = 0
    for content in contents:
        started = time.process_time()
        post_lines = content_lines(content)
        seconds["content_lines"] += time.process_time() - started
        for line in post_lines:
            started = time.process_time()
            reason = boilerplate_reason(line)
            seconds["boilerplate_reason"] += time.process_time() - started
            lines.append((line, reason))
            if reason:
                continue
            started = time.process_time()
            for sentence in split_sentences(line):
                sentence = strip_inline_noise(sentence)
                why = residue_reason(sentence) if sentence else "empty"
                if not why and not 5 <= word_count(sentence) <= 40:
                    why = "length"
                if not why and duplicates.is_duplicate(sentence):
                    why = "duplicate"
                residue[why or "kept"] += 1
                kept += not why
            seconds["sentences"] += time.process_time() - started
    return lines, residue, kept, dict(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=Path, default=SHARED_DATA / "hypem-sample" / "posts.json")
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    contents = [post.get("content") or "" for post in json.loads(args.posts.read_text(encoding="utf-8"))]

    wall = time.perf_counter()
    cpu = time.process_time()
    lines, residue, kept, seconds = clean_all(contents)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall

    reasons = Counter(reason for _, reason in lines)
    print(f"{len(contents):,} posts, {len(lines):,} lines: {reasons[None]:,} kept as commentary")
    for reason, count in reasons.most_common():
        if reason:
            print(f"  {reason:<16}{count:>6,}")
    print(f"sentences of kept lines: {sum(residue.values()):,}, kept {kept:,}; dropped:")
    for reason, count in residue.most_common():
        if reason != "kept":
            print(f"  {reason:<16}{count:>6,}")
    print(f"time: {wall:.1f} s wall, {cpu:.1f} s CPU (" + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items()) + ")")

    rng = random.Random(args.seed)
    dropped = [(line, reason) for line, reason in lines if reason]
    commentary = [line for line, reason in lines if not reason]
    print(f"\n--- {args.sample} dropped lines ---")
    for line, reason in rng.sample(dropped, min(args.sample, len(dropped))):
        print(f"[{reason}] {line[:160]}")
    print(f"\n--- {args.sample} kept lines ---")
    for line in rng.sample(commentary, min(args.sample, len(commentary))):
        print(f"  {line[:160]}")


if __name__ == "__main__":
    main()
