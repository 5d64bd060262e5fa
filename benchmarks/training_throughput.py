"""Training and sampling throughput of our CVAE (full-recipe sizes) beside a re-creation of the original design.

Both train on the same corpus sentences on this machine, in one run; it prints sentences/s for each and the ratio,
our achieved FLOP/s against the measured float32 matmul peak, and the time to generate 64 samples of up to 40
tokens. Every measurement is time-boxed; the default run takes about three minutes.

    .venv/bin/python benchmarks/training_throughput.py [--seconds 30] [--corpus var/corpus.db]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
from original_design import LEARNING_RATE, OriginalVAE, forward_flops_per_token, generate_one, train_one

from deephype.checkpoint import load_model, model_path
from deephype.conditions import ConditionLabels
from deephype.config import PROJECT_ROOT, load_settings
from deephype.corpus import read_sentences
from deephype.recipe import Recipe, load_recipe
from deephype.sampling import DecodeOptions, sample
from deephype.store import Store
from deephype.vocab import Vocabulary, condition_matrix
from training.batches import Examples, bucket_batches, collate, encode_examples, tokenized
from training.cvae import CorpusData, load_corpus, new_state, train_step

THREADS = 2  # the machine's cores; the training loop uses the same (generation defaults to 1 on shared cores)
SAMPLES, SAMPLE_TOKENS = 64, 40  # the generation target: 64 samples of up to 40 tokens


@dataclass(frozen=True)
class Timed:
    count: int  # items done (sentences, samples, matmuls)
    seconds: float  # wall clock
    cpu: float  # CPU seconds of this process: on shared cores, closer to what an idle machine would take
    work: float = 0.0  # FLOPs done, where counted

    @property
    def rate(self) -> float:
        return self.count / self.seconds

    @property
    def flops(self) -> float:
        return self.work / self.seconds


def run_for(seconds: float, step: Callable[[int], tuple[int, float]], warmup: int = 2) -> Timed:
    """Call `step(i)` (returning items done and FLOPs) until `seconds` pass, after `warmup` untimed calls."""
    for i in range(warmup):
        step(i)
    count, work, i, started, cpu = 0, 0.0, warmup, time.perf_counter(), time.process_time()
    while (elapsed := time.perf_counter() - started) < seconds:
        done, flops = step(i)
        count, work, i = count + done, work + flops, i + 1
    return Timed(count, elapsed, time.process_time() - cpu, work)


def matmul_peak(seconds: float, n: int = 2048) -> tuple[float, float]:
    """Best float32 torch.mm FLOP/s on n x n matrices, per wall second and per CPU second (per core): the machine's
    practical ceiling for dense work. On shared cores the per-CPU-second figure is the steadier one."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    wall, cpu = 0.0, 0.0
    deadline = time.perf_counter() + seconds
    torch.mm(a, b)
    while time.perf_counter() < deadline:
        started, cpu_started = time.perf_counter(), time.process_time()
        torch.mm(a, b)
        wall = max(wall, 2 * n**3 / (time.perf_counter() - started))
        cpu = max(cpu, 2 * n**3 / max(time.process_time() - cpu_started, 1e-9))
    return wall, cpu


def our_forward_flops(recipe: Recipe, vocab_size: int, tokens: int) -> float:
    """Multiply-adds x 2 of the CVAE's forward pass over `tokens` real tokens: the two encoder LSTMs (H/2 each),
    the decoder LSTM fed cat(embedding, z, a'), the projection, the tied output layer, softmax and cross-entropy.
    Padding is computed too but not counted: it is not useful work."""
    e, h, context = recipe.embedding_dim, recipe.hidden_dim, recipe.latent_dim + recipe.condition_dim
    lstm = 4 * 2  # four gates, a multiply and an add per weight
    encoder = 2 * lstm * (h // 2) * (e + h // 2)
    decoder = lstm * h * (e + context + h) + 2 * h * e + 2 * e * vocab_size + 5 * vocab_size
    return (encoder + decoder) * tokens


def time_our_training(data: CorpusData, recipe: Recipe, seconds: float) -> tuple[Timed, torch.nn.Module]:
    """Full-recipe CVAE training steps (Adam, clipping, annealed ELBO) on length-bucketed batches."""
    torch.manual_seed(recipe.seed)
    state = new_state("cvae", data, recipe)
    batches = bucket_batches(data.train.lengths(), recipe.batch_size, seed=recipe.seed)

    def step(i: int) -> tuple[int, float]:
        batch = collate(data.train, batches[i % len(batches)])
        train_step(state, batch, recipe)
        state.step += 1
        return len(batch), 3 * our_forward_flops(recipe, len(data.vocab), int(batch.lengths.sum()))  # bwd ~ 2x fwd

    return run_for(seconds, step), state.model


def time_original_training(examples: Examples, vocab_size: int, seconds: float) -> tuple[Timed, OriginalVAE]:
    """The original's loop: a random sentence per optimiser step, decoded token by token."""
    torch.manual_seed(0)
    model = OriginalVAE(vocab_size, examples.condition.shape[1])
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    rng, flops = random.Random(0), forward_flops_per_token(vocab_size)

    def step(i: int) -> tuple[int, float]:
        row = rng.randrange(len(examples))
        train_one(model, optimizer, examples.ids[row], examples.condition[row], kl_weight=1.0, rng=rng)
        return 1, 3 * flops * (len(examples.ids[row]) - 1)

    return run_for(seconds, step), model


def time_our_sampling(model: torch.nn.Module, vocab: Vocabulary, condition: torch.Tensor,
                      repeats: int = 7) -> tuple[float, float]:
    """Median wall and CPU seconds to sample 64 sentences of up to 40 tokens (temperature and top-p as the bot
    uses them)."""
    options = DecodeOptions(max_tokens=SAMPLE_TOKENS)
    walls, cpus = [], []
    for seed in range(repeats):
        started, cpu = time.perf_counter(), time.process_time()
        sample(model, vocab, condition[:SAMPLES], seed=seed, options=options)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def time_original_sampling(model: OriginalVAE, condition: torch.Tensor, seconds: float) -> float:
    """Seconds for 64 samples, one at a time for 40 steps each; extrapolated when the time box runs out first."""
    torch.manual_seed(0)
    started, done = time.perf_counter(), 0
    while done < SAMPLES and time.perf_counter() - started < seconds:
        generate_one(model, condition[done], SAMPLE_TOKENS, temperature=0.75)
        done += 1
    return (time.perf_counter() - started) * SAMPLES / done


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40.0, help="time box of our training measurement")
    parser.add_argument("--corpus", type=Path, default=None, help="corpus database (default: paths.corpus_db)")
    parser.add_argument("--recipe", type=Path, default=PROJECT_ROOT / "training" / "recipes" / "full.yaml")
    parser.add_argument("--model", type=Path, default=None, help="shipped bundle to time too (default: model_dir)")
    parser.add_argument("--threads", type=int, default=THREADS, help="torch threads (the training loop uses 2)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    settings = load_settings()
    corpus = args.corpus or settings.path("corpus_db")
    if not corpus.is_file():
        raise SystemExit(f"no corpus at {corpus}: run `deephype data build` first")
    recipe = load_recipe(args.recipe, settings.model)
    store = Store.open(corpus)
    data = load_corpus(store, recipe)
    sentences = read_sentences(store, "train")
    store.close()
    # The original kept every word (max_vocab=-1); it reads the same sentences, cut at the same length.
    full_vocab = Vocabulary.build(tokenized(sentences), min_count=1)
    original = encode_examples(sentences, full_vocab, data.conditions, recipe.max_tokens)
    print(f"machine: {os.cpu_count()} cores, torch threads {args.threads}, load average {os.getloadavg()[0]:.2f} "
          "(other work on the cores slows both sides alike)")
    print(f"corpus: {len(data.train):,} training sentences; vocabulary ours {len(data.vocab):,} "
          f"(cut-off {recipe.min_word_count}, cap {recipe.max_vocabulary:,}), original {len(full_vocab):,} (all words)")
    peak = matmul_peak(min(5.0, args.seconds / 4))
    print(f"float32 matmul peak (torch.mm 2048x2048): {peak[0] / 1e9:.1f} GFLOP/s, "
          f"{peak[1] / 1e9:.1f} GFLOP per CPU second")
    compare_training(args.seconds, data, recipe, original, len(full_vocab), peak)
    shipped = args.model or settings.path("model_dir")
    if model_path(shipped, "cvae").is_file():
        loaded = load_model(model_path(shipped, "cvae"), kind="cvae")
        # Its own labels: the shipped model may predate the current corpus build.
        labels = ConditionLabels(list(loaded.conditions))
        condition = condition_matrix([labels.map(s.genres) for s in sentences[:SAMPLES]], loaded.conditions)
        wall, cpu = time_our_sampling(loaded.model, loaded.vocab, condition)
        print(f"shipped model ({shipped}): 64 samples of up to {SAMPLE_TOKENS} tokens in {wall:.3f} s "
              f"({cpu:.3f} CPU s)")


def utilisation(timed: Timed, peak: tuple[float, float]) -> str:
    per_cpu = timed.work / timed.cpu
    return (f"{timed.flops / 1e9:.2f} GFLOP/s = {timed.flops / peak[0]:.1%} of the matmul peak "
            f"({per_cpu / 1e9:.2f} GFLOP per CPU second = {per_cpu / peak[1]:.1%})")


def compare_training(seconds: float, data: CorpusData, recipe: Recipe, original: Examples, original_vocab: int,
                     peak: tuple[float, float]) -> None:
    ours, model = time_our_training(data, recipe, seconds)
    print(f"ours: {ours.rate:.1f} sentences/s training (batch {recipe.batch_size}, full-recipe sizes; "
          f"{ours.count / ours.cpu:.1f} per CPU second), {utilisation(ours, peak)}")
    theirs, original_model = time_original_training(original, original_vocab, seconds * 0.75)
    print(f"original design: {theirs.rate:.2f} sentences/s training (batch 1; {theirs.count / theirs.cpu:.2f} per "
          f"CPU second), {utilisation(theirs, peak)}")
    print(f"training throughput ratio: {ours.rate / theirs.rate:.0f}x "
          f"(per CPU second: {ours.count / ours.cpu * theirs.cpu / theirs.count:.0f}x)")
    ours_64, _ = time_our_sampling(model, data.vocab, data.train.condition)
    theirs_64 = time_original_sampling(original_model, original.condition, seconds / 2)
    print(f"64 samples of up to {SAMPLE_TOKENS} tokens: ours {ours_64:.3f} s ({SAMPLES / ours_64:.0f} samples/s), "
          f"original {theirs_64:.2f} s ({SAMPLES / theirs_64:.1f} samples/s); ratio {theirs_64 / ours_64:.0f}x")


if __name__ == "__main__":
    main()
