"""The Generator on a tiny trained bundle: loading, filters holding for every candidate, ranking, reproducibility;
and the ranking pieces (relevance, maximal marginal relevance) on their own."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from tiny_bundle import train_tiny_bundle

from deephype.candidate_filters import tweet_length
from deephype.config import GenerationConfig, Settings, TopicsConfig
from deephype.corpus_index import INDEX_FILE
from deephype.errors import InputError, ModelError
from deephype.generate import LCGAN, PRIOR, Candidate, Generation, GenerationRequest, Generator
from deephype.hype import HypeResult, hype_many
from deephype.ranking import RankingWeights, overlap, pick_diverse, relevance, word_set
from deephype.song_genres import GenreResolver
from deephype.topic_model import TopicModel, save_topic_model
from deephype.vocab import condition_vector

SONGS = [
    ("Mt. Joy", "Silver Lining", ["indie folk"], ()),
    ("Opia", "Four Winds", ["indie pop"], ()),
    ("Sofi Tukker", "Best Friend", ["electropop"], ("NERVO", "The Knocks")),
    ("米津玄師", "Lemon", [], ()),
]


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    return train_tiny_bundle(tmp_path_factory.mktemp("generate"))


@pytest.fixture(scope="module")
def generator(settings) -> Generator:
    return Generator.load(settings)


def test_load_builds_the_corpus_index_into_the_bundle_then_needs_no_corpus(settings, generator):
    assert (settings.path("model_dir") / INDEX_FILE).is_file()
    elsewhere = dataclasses.replace(settings, paths=dataclasses.replace(settings.paths, corpus_db="/nonexistent.db"))
    again = Generator.load(elsewhere)
    assert again.index == generator.index
    assert again.latent_source == PRIOR and again.topic_reward is None


def test_load_without_a_bundle_says_how_to_get_one(settings, tmp_path):
    with pytest.raises(ModelError, match="deephype train cvae"):
        Generator.load(settings, tmp_path)


@pytest.mark.parametrize(("artist", "song", "genres", "featuring"), SONGS)
def test_every_candidate_passes_the_filters(generator, artist, song, genres, featuring):
    generation = generator.sample_candidates(artist, song, genres, n=5, featuring=featuring, reserved_chars=24,
                                             seed=7)
    assert generation.passed + sum(generation.rejected.values()) == generator.settings.generation.samples
    assert 1 <= len(generation.candidates) <= 5
    assert_passes_the_filters(generation, artist, reserved_chars=24)


def assert_passes_the_filters(generation: Generation, artist: str, reserved_chars: int) -> None:
    for candidate in generation.candidates:
        assert isinstance(candidate, Candidate)
        assert tweet_length(candidate.text) + reserved_chars <= 280
        assert "<" not in candidate.text and not re.search(r"\b(\w+) \1\b", candidate.text, re.IGNORECASE)
        assert candidate.text[0].isupper() or candidate.text.startswith(('"', artist))
        assert candidate.text.endswith((".", "!", "?", '"'))
        assert {"fluency", "novelty", "names_song", "relevance", "redundancy"} <= set(candidate.details)
    scores = [c.score for c in generation.candidates]
    assert scores == sorted(scores, reverse=True)
    assert len({c.text for c in generation.candidates}) == len(generation.candidates)


def test_the_same_seed_writes_the_same_candidates(generator):
    first = generator.generate("Bicep", "Opal", ["indie pop"], seed=3)
    assert first == generator.generate("Bicep", "Opal", ["indie pop"], seed=3)
    assert first != generator.generate("Bicep", "Opal", ["indie pop"], seed=4)
    assert len(first) == generator.settings.generation.candidates


def requests_for(songs, seed: int = 20) -> list[GenerationRequest]:
    return [GenerationRequest(artist, song, genres, 5, featuring, 24, seed + i)
            for i, (artist, song, genres, featuring) in enumerate(songs)]


def test_a_batch_gives_each_song_candidates_that_name_it_and_pass_the_filters(generator):
    requests = requests_for(SONGS)
    generations = generator.sample_candidates_many(requests)
    assert [g.seed for g in generations] == [r.seed for r in requests]
    for request, generation in zip(requests, generations, strict=True):
        others = [(r.artist, r.song) for r in requests if r is not request]
        assert generation.passed + sum(generation.rejected.values()) == generator.settings.generation.samples
        assert generation.candidates and generation.condition_labels == generator.labels.map(request.genres)
        assert_passes_the_filters(generation, request.artist, request.reserved_chars)
        best = generation.candidates[0]
        assert best.details["names_song"] == 1.0 and (request.artist in best.text or request.song in best.text)
        # Split back right: no candidate names another song of the batch.
        assert not any(name in c.text for c in generation.candidates for pair in others for name in pair)
    assert generator.sample_candidates_many([]) == []


def test_a_song_decodes_the_same_alone_or_in_a_batch_when_decoding_draws_nothing(settings):
    """Each song's latents come from its own seed, so decoding that draws no random numbers (temperature ~0: the
    nucleus is the top token) gives each song the same sentences alone as anywhere in a batch. With sampling the
    batch's token draws come from one generator in turn for every row of every song (deephype.sampling draws
    (rows, 1) uniforms per step), so only a one-song batch can repeat the single-song path draw for draw. The
    sentences are compared before ranking: this tiny model's near-greedy sentences repeat words and never finish,
    so the filters keep none and the candidates would all be empty."""
    near_greedy = dataclasses.replace(settings.generation, temperature=1e-6)
    generator = Generator.load(dataclasses.replace(settings, generation=near_greedy))
    conditions = [condition_vector(generator.labels.map(genres), generator.cvae.conditions)
                  for _, _, genres, _ in SONGS]
    seeds = [10, 11, 12, 13]
    batch = generator._sample(conditions, seeds)
    alone = [generator._sample([condition], [seed])[0] for condition, seed in zip(conditions, seeds, strict=True)]
    assert batch == alone
    assert all(len(sentences) == near_greedy.samples for sentences in batch)
    assert generator._sample(conditions, [20, 21, 22, 23]) != batch  # the latents matter: the check has teeth


def test_one_song_is_the_one_request_batch_and_sampling_keeps_each_songs_seed(generator):
    request = requests_for(SONGS[:1], seed=3)[0]
    alone = generator.sample_candidates("Mt. Joy", "Silver Lining", ["indie folk"], n=5, reserved_chars=24, seed=3)
    assert generator.sample_candidates_many([request]) == [alone]
    in_batch = generator.sample_candidates_many(requests_for(SONGS[1:3]) + [request])[-1]
    assert (in_batch.seed, in_batch.samples, in_batch.condition_labels) == (3, alone.samples, alone.condition_labels)


@pytest.mark.parametrize(("fields", "message"), [
    ({"artist": ""}, "need an artist and a song"),
    ({"n": 0}, "at least one candidate"),
    ({"reserved_chars": -5}, "cannot be negative"),
])
def test_a_bad_request_fails_when_made_before_any_batch(fields, message):
    with pytest.raises(InputError, match=message):
        GenerationRequest(**{"artist": "Bicep", "song": "Opal", **fields})


ARGUMENTS = ["M83 - Midnight City", "what a night", "Bon Iver - Holocene", "", "Caribou - Can't Do Without You"]


def test_hype_many_writes_each_song_and_keeps_a_bad_argument_as_its_own_error(generator):
    resolver = GenreResolver(generator.settings, None, None)
    results = hype_many(ARGUMENTS, generator, resolver, n=3)
    assert [type(r).__name__ for r in results] == ["HypeResult", "SongRequestError", "HypeResult",
                                                   "SongRequestError", "HypeResult"]
    written = [r for r in results if isinstance(r, HypeResult)]
    assert [(r.artist, r.song) for r in written] == [("M83", "Midnight City"), ("Bon Iver", "Holocene"),
                                                     ("Caribou", "Can't Do Without You")]
    for result in written:
        assert 1 <= len(result.candidates) <= 3
        assert result.candidates[0].details["names_song"] == 1.0
    assert hype_many(["no song here"], generator, resolver, n=3)[0].args[0].startswith("no artist and title")


def test_reserved_characters_shorten_what_is_kept(generator):
    generation = generator.sample_candidates("Bicep", "Opal", [], n=64, reserved_chars=200, seed=5)
    assert all(tweet_length(c.text) <= 80 for c in generation.candidates)
    assert generation.rejected["too_long"] > 0


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"artist": " "}, "need an artist and a song, for example"),
    ({"song": ""}, "need an artist and a song, for example"),
    ({"n": 0}, "at least one candidate"),
    ({"reserved_chars": -1}, "cannot be negative"),
])
def test_bad_requests_are_input_errors(generator, kwargs, message):
    request = {"artist": "Bicep", "song": "Opal", "genres": [], **kwargs}
    with pytest.raises(InputError, match=message):
        generator.generate(**request)


def test_a_blocklisted_word_never_appears(settings, generator):
    common = generator.generate("Bicep", "Opal", [], n=20, seed=11)
    words = [w.lower() for c in common for w in re.findall(r"[a-z]+", c.text.lower())]
    blocked = max(set(words), key=words.count)
    strict = dataclasses.replace(settings, generation=GenerationConfig(blocklist=(blocked.upper(),)))
    kept = Generator(strict, generator.cvae, generator.lm, generator.index).generate("Bicep", "Opal", [], n=20,
                                                                                     seed=11)
    assert all(blocked not in re.findall(r"[a-z]+", c.text.lower()) for c in kept)


def test_the_topic_reward_joins_the_ranking_when_the_bundle_has_a_topic_model(settings, generator, tmp_path):
    bundle = copy_bundle(settings, tmp_path / "bundle")
    words = ["hazy", "folk", "warm", "synths", "bassline", "chorus"]
    lam = np.array([[9, 9, 9, 1, 1, 1], [1, 1, 1, 9, 9, 9]], dtype=np.float32)
    save_topic_model(TopicModel(words, lam, np.array([0.5, 0.5]), {}), bundle)
    with_topics = dataclasses.replace(settings, topics=TopicsConfig(num_topics=2, topic_weights=(1, -1)))
    loaded = Generator.load(with_topics, bundle)
    assert loaded.topic_reward is not None
    candidates = loaded.generate("Bicep", "Opal", [], n=5, seed=2)
    assert all(-1.0 <= c.details["topic"] <= 1.0 for c in candidates)
    assert "topic" not in generator.generate("Bicep", "Opal", [], n=5, seed=2)[0].details


def copy_bundle(settings: Settings, folder: Path) -> Path:
    folder.mkdir()
    for name in ("cvae.pt", "lm.pt", INDEX_FILE):
        (folder / name).write_bytes((settings.path("model_dir") / name).read_bytes())
    return folder


def save_mover(generator: Generator, bundle: Path, fingerprint: str) -> None:
    """An LC-GAN generator whose gate is wide open, so it replaces prior latents with its own."""
    lcgan = pytest.importorskip("deephype.lcgan", reason="the LC-GAN module is not in this checkout")
    cvae = generator.cvae
    shape = lcgan.LCGANShape(cvae.model.config.latent_dim, len(cvae.conditions), num_topics=2, hidden_dim=8,
                       hidden_layers=1)
    torch.manual_seed(0)
    mover = lcgan.Generator(shape)
    torch.nn.init.constant_(mover.gate.bias, 5.0)
    checkpoint = lcgan.make_lcgan_checkpoint(mover, shape, fingerprint, {"model_id": "x", "weights": [1, -1]}, {}, {})
    lcgan.save_lcgan(checkpoint, bundle)


def test_samples_go_through_the_lcgan_generator_when_the_bundle_has_one(settings, generator, tmp_path):
    bundle = copy_bundle(settings, tmp_path / "bundle")
    save_mover(generator, bundle, pytest.importorskip("deephype.lcgan").cvae_fingerprint(generator.cvae))
    steered = Generator.load(settings, bundle)
    assert steered.latent_source == LCGAN
    moved = steered.sample_candidates("Bicep", "Opal", [], n=64, seed=3)
    prior = generator.sample_candidates("Bicep", "Opal", [], n=64, seed=3)
    assert moved.samples == prior.samples and moved.candidates != prior.candidates


def test_an_lcgan_for_another_cvae_is_ignored_with_a_warning(settings, generator, tmp_path, caplog):
    bundle = copy_bundle(settings, tmp_path / "bundle")
    save_mover(generator, bundle, "0123456789abcdef")
    with caplog.at_level("WARNING", logger="deephype.generate"):
        loaded = Generator.load(settings, bundle)
    assert loaded.latent_source == PRIOR and "trained against another CVAE" in caplog.text
    assert loaded.generate("Bicep", "Opal", [], seed=3) == generator.generate("Bicep", "Opal", [], seed=3)


WEIGHTS = RankingWeights(mention=1.0, novelty=0.5, topic=0.5, diversity=1.0)


@pytest.mark.parametrize(("details", "expected"), [
    ({"fluency": -3.0, "names_song": 1.0, "novelty": 1.0}, -3.0 + 1.0 + 0.5),
    ({"fluency": -3.0, "names_song": 0.0, "novelty": 0.0}, -3.0),
    ({"fluency": -3.0, "names_song": 0.0, "novelty": 0.0, "topic": -1.0}, -3.5),
])
def test_relevance(details, expected):
    assert relevance(details, WEIGHTS) == pytest.approx(expected)


def test_word_overlap_ignores_names_and_punctuation():
    a = word_set(["<artist>", "'s", "hazy", "anthem", "."])
    assert a == {"'s", "hazy", "anthem"}
    assert overlap(a, word_set(["<song>", "is", "a", "hazy", "anthem", "!"])) == pytest.approx(2 / 5)
    assert overlap(frozenset(), frozenset()) == 0.0


@pytest.mark.parametrize(("sentences", "relevances", "n", "diversity", "order"), [
    # without a diversity penalty, plain relevance order
    ([["a", "b"], ["a", "b"], ["c", "d"]], [3.0, 2.9, 1.0], 3, 0.0, [0, 1, 2]),
    # a near copy of the best drops below a different, weaker sentence
    ([["a", "b"], ["a", "b"], ["c", "d"]], [3.0, 2.9, 2.5], 3, 1.0, [0, 2, 1]),
    ([["a", "b"], ["a", "b"], ["c", "d"]], [3.0, 2.9, 1.0], 2, 1.0, [0, 1]),  # 2.9 - 1 > 1.0 - 0
    ([["a"]], [1.0], 5, 1.0, [0]),
    ([], [], 5, 1.0, []),
])
def test_pick_diverse(sentences, relevances, n, diversity, order):
    picked = pick_diverse(sentences, relevances, n, diversity)
    assert [p.position for p in picked] == order
    scores = [p.score for p in picked]
    assert scores == sorted(scores, reverse=True)


NAME = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(NAME, NAME, st.lists(NAME, max_size=3), st.integers(0, 200))
def test_any_names_give_candidates_that_fit(generator, artist, song, featuring, reserved):
    for candidate in generator.generate(artist, song, [], n=3, featuring=featuring, reserved_chars=reserved, seed=1):
        assert tweet_length(candidate.text) + reserved <= 280
        assert "<artist>" not in candidate.text and "<song>" not in candidate.text
