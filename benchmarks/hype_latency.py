"""Latency of `hype` with a warm model (5 candidates out of 64 samples, genres offline), the model's load time,
and the candidate targets over 20 songs: at most 280 characters, no unknown or doubled word, novel, and the share
that names the artist or the song. The candidate checks are independent of the generator's own filters: names
are masked back out of the final text, which is re-tokenised and compared with the corpus sentences themselves.

Usage: .venv/bin/python benchmarks/hype_latency.py [--config config.yaml] [--model-dir data/model] [--runs 3]
       [--threads N] [--show]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import Counter
from pathlib import Path

import torch

from deephype.candidate_filters import post_overhead, tweet_length
from deephype.config import Settings, load_settings
from deephype.corpus import read_sentences
from deephype.corpus_index import index_path
from deephype.generate import Generator
from deephype.hype import HypeResult, hype, read_song
from deephype.sample_metrics import TrainingIndex, has_immediate_repeat
from deephype.song_genres import GenreResolver
from deephype.songs import mask_mentions
from deephype.store import Store
from deephype.tokens import PLACEHOLDERS, tokenize

SONGS = [
    "M83 - Midnight City", "Phoenix - Lisztomania", "Tame Impala - Let It Happen", "Arcade Fire - Wake Up",
    "Beach House - Space Song", "Bon Iver - Holocene", "The xx - Intro", "Caribou - Can't Do Without You",
    "Kendrick Lamar - Alright", "Frank Ocean - Nights", "KAYTRANADA - 10% feat. Kali Uchis",
    "Disclosure - Latch ft. Sam Smith", "Mac DeMarco - Chamber Of Reflection", "Little Simz - Introvert",
    'Mt. Joy - "Silver Lining"', "Sofi Tukker - Best Friend feat. NERVO, The Knocks & Alisa Ueno",
    "Bicep - Opal (Four Tet Remix)", "Lorde - Green Light", "Vampire Weekend - Harmony Hall", "Björk - Jóga",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def corpus_index(settings: Settings) -> TrainingIndex | None:
    path = settings.path("corpus_db")
    if not path.is_file():
        return None
    store = Store.open(path)
    try:
        return TrainingIndex.build(tokenize(s.text) for s in read_sentences(store))
    finally:
        store.close()


def model_tokens(text: str, argument: str) -> list[str]:
    """The final text with its names masked back to placeholders, the credit and title quotes dropped."""
    tokens = tokenize(mask_mentions(text, read_song(argument)))
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i : i + 3] == ["(", "feat", "."]:  # "(feat. A, B & C)" as the generator adds it
            i = tokens.index(")", i) + 1
            continue
        near_name = (i + 1 < len(tokens) and tokens[i + 1] in PLACEHOLDERS) or (out and out[-1] in PLACEHOLDERS)
        if not (tokens[i] == '"' and near_name):
            out.append(tokens[i])
        i += 1
    return out


def check(result: HypeResult, argument: str, generator: Generator, index: TrainingIndex | None,
          reserved: int) -> Counter[str]:
    """Counts of candidates breaking each target, plus how many there were and how many name the song."""
    counts: Counter[str] = Counter()
    for candidate in result.candidates:
        tokens = model_tokens(candidate.text, argument)
        counts["candidates"] += 1
        counts["too_long"] += tweet_length(candidate.text) + reserved > generator.settings.generation.max_chars
        counts["unknown_word"] += any(t not in generator.cvae.vocab.index for t in tokens)
        counts["doubled_word"] += has_immediate_repeat(tokens)
        counts["not_novel"] += index is not None and not index.is_novel(tokens)
        counts["names_song"] += any(t in PLACEHOLDERS for t in tokens)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=None, help="settings file (default: the project's)")
    parser.add_argument("--model-dir", type=Path, default=None, help="bundle (default: paths.model_dir)")
    parser.add_argument("--runs", type=int, default=3, help="passes over the 20 songs for the latency figures")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: generation.threads)")
    parser.add_argument("--show", action="store_true", help="print every candidate")
    args = parser.parse_args()
    settings = load_settings(args.config)
    model_dir = args.model_dir or settings.path("model_dir")
    if not index_path(model_dir).is_file():
        Generator.load(settings, model_dir)  # builds the corpus index into the bundle once, untimed
    started = time.perf_counter()
    generator = Generator.load(settings, model_dir)  # timed with the corpus index in place
    load_seconds = time.perf_counter() - started
    if args.threads:
        torch.set_num_threads(args.threads)
    resolver = GenreResolver(settings, None, None)  # offline: the artist table, so latency is the model's
    reserved = post_overhead(settings.x.post_mode, settings.generation.hashtag)
    index = corpus_index(settings)
    for argument in SONGS[:2]:
        hype(argument, generator, resolver, 5)  # warm up
    timings, cpu, counts = [], [], Counter()
    for run in range(args.runs):
        for number, argument in enumerate(SONGS):
            started, cpu_started = time.perf_counter(), time.process_time()
            result = hype(argument, generator, resolver, 5, seed=1000 * run + number)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            if run == 0:
                counts += check(result, argument, generator, index, reserved)
                if args.show:
                    print(f"\n{argument} [{', '.join(result.genres) or 'unknown'}; {result.genre_source}]")
                    for candidate in result.candidates:
                        print(f"  {candidate.score:+.2f} {candidate.text}")
    report(load_seconds, timings, cpu, counts, settings.generation.samples, generator,
           novelty_checked=index is not None)


def report(load_seconds: float, timings: list[float], cpu: list[float], counts: Counter, samples: int,
           generator: Generator, novelty_checked: bool) -> None:
    ms = [t * 1000 for t in timings]
    print(f"\nmodel load: {load_seconds:.2f} s  (latents from the {generator.latent_source}; topic reward: "
          f"{'yes' if generator.topic_reward else 'no'}; {torch.get_num_threads()} threads)")
    print(f"hype latency, 5 of {samples} samples, {len(ms)} requests: p50 {statistics.median(ms):.0f} ms, "
          f"p95 {percentile(ms, 0.95):.0f} ms, max {max(ms):.0f} ms")
    print(f"  CPU time per request p50 {statistics.median(cpu) * 1000:.0f} ms, "
          f"p95 {percentile(cpu, 0.95) * 1000:.0f} ms "
          f"(wall time grows with whatever else runs: load average {os.getloadavg()[0]:.1f} now)")
    total = counts["candidates"]
    print(f"20 songs: {total} candidates; too long {counts['too_long']}, unknown word {counts['unknown_word']}, "
          f"doubled word {counts['doubled_word']}, not novel "
          f"{counts['not_novel'] if novelty_checked else 'unchecked (no corpus database)'}; name the artist or song: "
          f"{counts['names_song']} ({counts['names_song'] / max(total, 1):.0%})")


if __name__ == "__main__":
    main()
