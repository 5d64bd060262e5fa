"""The Generator: load the model bundle once; for a song and its genres, sample many sentences in one batch, turn
them into tweet-ready text, filter them and return the best few, ranked and diverse.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from deephype.candidate_filters import TOO_LONG, Blocklist, SampleFilter, fits
from deephype.candidate_text import Names, names_mentioned, render, tidy_tokens
from deephype.checkpoint import LoadedModel, load_bundle
from deephype.conditions import ConditionLabels
from deephype.config import Settings
from deephype.corpus_index import CorpusIndex, load_corpus_index
from deephype.errors import ConfigError, InputError, ModelError
from deephype.lcgan import LatentGenerator, load_lcgan
from deephype.ranking import RankingWeights, fluency, pick_diverse, relevance
from deephype.sampling import Decoded, DecodeOptions, decode_latent
from deephype.tokens import detokenize
from deephype.vocab import condition_vector

log = logging.getLogger(__name__)

EXAMPLE = 'generate("Mt. Joy", "Silver Lining", ["indie folk"])'
DUPLICATE = "duplicate"  # a sample the batch already holds: not a rejection, but not a new candidate either
PRIOR = "prior"  # latents drawn from N(0, I)
LCGAN = "lcgan"  # prior latents moved by the bundle's LC-GAN generator toward the preferred topics


@dataclass(frozen=True)
class Candidate:
    text: str
    score: float  # ranking score: higher is better; candidates come best first
    details: dict[str, float]  # the terms behind the score (fluency, novelty, names_song, topic, ...)


@dataclass(frozen=True)
class Generation:
    """One batch's outcome: the candidates, and what happened to the other samples."""

    candidates: list[Candidate]
    samples: int
    passed: int  # distinct samples that passed every filter, of which the candidates are the best
    rejected: Counter[str] = field(default_factory=Counter)  # reason -> how many samples it turned away
    seed: int = 0
    condition_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Draft:
    tokens: tuple[str, ...]  # tidied, with placeholders
    text: str  # tweet-ready, names filled in


@dataclass(frozen=True)
class GenerationRequest:
    """One song to write about: the arguments of `Generator.sample_candidates`, so that several songs can share
    one batched decode. Checked when made, so a bad request fails on its own before any batch starts."""

    artist: str
    song: str
    genres: Sequence[str] = ()
    n: int | None = None  # candidates to return; None: generation.candidates
    featuring: Sequence[str] = ()
    reserved_chars: int = 0  # characters the post adds, kept free in every text
    seed: int | None = None  # None: a fresh random seed, reported in the Generation

    def __post_init__(self) -> None:
        _check_request(self.artist, self.song, 1 if self.n is None else self.n, self.reserved_chars)


class Generator:
    """A loaded CVAE with its LM yardstick and corpus index, and the topic reward and LC-GAN generator when the
    bundle has them."""

    def __init__(self, settings: Settings, cvae: LoadedModel, lm: LoadedModel, index: CorpusIndex,
                 topic_reward: Any | None = None, latent_generator: LatentGenerator | None = None):
        self.settings = settings
        self.cvae, self.lm, self.index, self.topic_reward = cvae, lm, index, topic_reward
        self.latent_generator = latent_generator  # the LC-GAN's G, or None: latents from the prior
        self.labels = ConditionLabels(list(cvae.conditions))
        config = settings.generation
        self.sample_filter = SampleFilter(cvae.vocab, index, Blocklist(config.blocklist), settings.data.min_words)
        self.weights = RankingWeights.from_config(config)
        self.options = DecodeOptions(max_tokens=config.max_tokens, temperature=config.temperature, top_p=config.top_p)
        self.latent_source = LCGAN if latent_generator is not None else PRIOR

    @classmethod
    def load(cls, settings: Settings, model_dir: Path | None = None) -> Generator:
        """Load the bundle (default: paths.model_dir) once; the corpus index is built on first use if missing."""
        model_dir = Path(model_dir) if model_dir else settings.path("model_dir")
        if settings.generation.threads < 1:
            raise ConfigError(f"config key 'generation.threads' must be at least 1, got {settings.generation.threads}")
        torch.set_num_threads(settings.generation.threads)  # process-wide: generation is this process's torch work
        cvae, lm = load_bundle(model_dir)
        index = load_corpus_index(model_dir, cvae.vocab.words, settings.path("corpus_db"))
        topic_reward, latent_generator = _topic_reward(model_dir, settings), _latent_generator(model_dir, cvae)
        generator = cls(settings, cvae, lm, index, topic_reward, latent_generator)
        log.info("generator loaded from %s: latents from the %s, ranking %s the topic reward", model_dir,
                 "LC-GAN generator" if generator.latent_generator else "prior (no usable LC-GAN in the bundle)",
                 "with" if generator.topic_reward else "without")
        return generator

    def generate(self, artist: str, song: str, genres: Sequence[str], n: int | None = None,
                 featuring: Sequence[str] = (), reserved_chars: int = 0, seed: int | None = None) -> list[Candidate]:
        """The n best candidates (default: generation.candidates), best first; fewer when fewer samples pass."""
        return self.sample_candidates(artist, song, genres, n, featuring, reserved_chars, seed).candidates

    def sample_candidates(self, artist: str, song: str, genres: Sequence[str], n: int | None = None,
                          featuring: Sequence[str] = (), reserved_chars: int = 0,
                          seed: int | None = None) -> Generation:
        """`generate`, with the count of samples each filter turned away."""
        request = GenerationRequest(artist, song, tuple(genres), n, tuple(featuring), reserved_chars, seed)
        return self.sample_candidates_many([request])[0]

    def sample_candidates_many(self, requests: Sequence[GenerationRequest]) -> list[Generation]:
        """One Generation per request, in order, from one batched decode of every request's samples: the decoder
        steps once for all songs instead of once per song, which is most of a song's cost."""
        seeds = [random.SystemRandom().randrange(2**31) if r.seed is None else r.seed for r in requests]
        labels = [self.labels.map(r.genres) for r in requests]
        conditions = [condition_vector(song_labels, self.cvae.conditions) for song_labels in labels]  # (C,) each
        decoded = self._sample(conditions, seeds)
        generations = []
        for request, seed, song_labels, condition, sentences in zip(requests, seeds, labels, conditions, decoded,
                                                                    strict=True):
            n = self.settings.generation.candidates if request.n is None else request.n
            names = Names(request.artist, request.song, tuple(request.featuring))
            drafts, rejected = self._drafts(sentences, names, request.reserved_chars)
            candidates = self._rank(drafts, condition, n, seed)
            log.info("%s - %s (%s): %d of %d samples (latents from the %s) passed the filters %s; %d returned",
                     request.artist, request.song, ", ".join(song_labels), len(drafts), len(sentences),
                     self.latent_source, dict(rejected), len(candidates))
            generations.append(Generation(candidates, len(sentences), len(drafts), rejected, seed, song_labels))
        return generations

    def _sample(self, conditions: Sequence[torch.Tensor], seeds: Sequence[int]) -> list[list[Decoded]]:
        """generation.samples sentences per genre vector (C,), decoded together: prior latents, each song's drawn
        from its own seed (as deephype.sampling.sample draws them: same seed, same z, alone or in a batch), moved
        by the LC-GAN if any. The token draws of the batch come from the first song's generator, so one song
        alone decodes exactly as it always has; in a batch the draws interleave across songs (see the tests)."""
        if not seeds:
            return []
        samples = self.settings.generation.samples
        rows = torch.cat([condition.expand(samples, -1) for condition in conditions])  # (R * S, C)
        rngs = [torch.Generator().manual_seed(seed) for seed in seeds]
        latent_dim = self.cvae.model.config.latent_dim
        z = torch.cat([torch.randn(samples, latent_dim, generator=rng) for rng in rngs])  # (R * S, Z)
        if self.latent_generator is not None:
            z = self.latent_generator.transform(z, rows)  # row by row: a batch moves each z as alone
        decoded = decode_latent(self.cvae.model, self.cvae.vocab, z, rows, self.options, rngs[0])
        return [decoded[i * samples:(i + 1) * samples] for i in range(len(seeds))]

    def _drafts(self, decoded: Sequence[Decoded], names: Names, reserved_chars: int) -> tuple[list[_Draft], Counter]:
        """Samples that pass every filter, as text, each once; the others counted by reason."""
        drafts: dict[tuple[str, ...], _Draft] = {}
        rejected: Counter[str] = Counter()
        max_chars = self.settings.generation.max_chars
        for sentence in decoded:
            tokens = tidy_tokens(sentence.tokens)  # judged as they will be shown
            reason = self.sample_filter.rejection(tokens, sentence.finished)
            if reason is None and tokens in drafts:
                reason = DUPLICATE
            elif reason is None:
                text = self._text(tokens, names, reserved_chars, max_chars)
                if text is None:
                    reason = TOO_LONG
                else:
                    drafts[tokens] = _Draft(tokens, text)
            if reason:
                rejected[reason] += 1
        return list(drafts.values()), rejected

    def _text(self, tokens: tuple[str, ...], names: Names, reserved_chars: int, max_chars: int) -> str | None:
        """The tweet text, crediting featured artists only when that still fits; None when nothing fits."""
        for credit in (True, False):
            text = render(tokens, names, self.index.casing, credit=credit)
            if fits(text, reserved_chars, max_chars):
                return text
        return None

    def _rank(self, drafts: list[_Draft], condition: torch.Tensor, n: int, seed: int) -> list[Candidate]:
        """Score and pick n. When n drafts name the artist or song, only those are scored: a post that names
        neither is of no use to a curator, and the LM pass (a third of a request's time) halves."""
        named = [draft for draft in drafts if names_mentioned(draft.tokens)]
        drafts = named if len(named) >= n else drafts
        tokens = [draft.tokens for draft in drafts]
        details = [
            {"fluency": value, "novelty": self.index.novelty(t), "names_song": float(names_mentioned(t))}
            for value, t in zip(fluency(self.lm.model, self.lm.vocab, tokens, condition), tokens, strict=True)
        ]
        if self.topic_reward is not None and drafts:
            rewards = self.topic_reward.reward([detokenize(list(t)) for t in tokens])
            for row, reward in zip(details, rewards, strict=True):
                row["topic"] = float(reward)
        relevances = [relevance(row, self.weights) for row in details]
        ranked = pick_diverse(tokens, relevances, n, self.weights.diversity)
        return [
            Candidate(drafts[r.position].text, round(r.score, 4), {
                **{k: round(v, 4) for k, v in details[r.position].items()},
                "relevance": round(relevances[r.position], 4), "redundancy": round(r.redundancy, 4),
                "seed": float(seed),
            })
            for r in ranked
        ]


def _check_request(artist: str, song: str, n: int, reserved_chars: int) -> None:
    if not isinstance(artist, str) or not artist.strip() or not isinstance(song, str) or not song.strip():
        raise InputError(f"candidates need an artist and a song, for example {EXAMPLE}")
    if n < 1:
        raise InputError(f"ask for at least one candidate (got n={n}), for example {EXAMPLE}")
    if reserved_chars < 0:
        raise InputError(f"reserved_chars counts what the post adds and cannot be negative (got {reserved_chars})")


def _topic_reward(model_dir: Path, settings: Settings) -> Any | None:
    """The bundle's topic reward, or None when it has no topic model (or its weights are unusable: logged)."""
    from deephype.topic_model import lda_path
    from deephype.topic_reward import load_topic_reward

    if not lda_path(model_dir).is_file():
        return None
    try:
        return load_topic_reward(model_dir, settings.topics)
    except ModelError as error:
        log.warning("ranking without the topic reward: %s", error)
        return None


def _latent_generator(model_dir: Path, cvae: LoadedModel) -> LatentGenerator | None:
    """The bundle's LC-GAN generator, or None when it has none or one trained for another CVAE (logged)."""
    try:
        return load_lcgan(model_dir, cvae)
    except ModelError as error:
        log.warning("sampling from the prior: %s", error)
        return None
