"""The LDA topic model, its reward and the weight-picking rule, on a tiny corpus with two clear themes."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from gensim.corpora import Dictionary
from gensim.models import LdaModel

from deephype.config import DEFAULT_CONFIG, TopicsConfig, load_settings
from deephype.errors import ConfigError, ModelError
from deephype.store import Store
from deephype.tokens import tokenize
from deephype.topic_lexicon import lexicon_shares
from deephype.topic_model import LDA_FILE, TopicModel, load_topic_model, save_topic_model
from deephype.topic_reward import TopicReward, load_topic_reward
from deephype.topic_weights import (
    WEIGHTS_FILE,
    TopicScore,
    pick_weights,
    read_picked_weights,
    save_weights,
    score_topics,
    topic_weights,
)
from deephype.topics import lda_words, train_topic_model
from tests.tiny_corpus import fill_corpus

SOUND = ["dreamy", "lush", "hazy", "shimmering", "warm", "ethereal", "velvety", "glowing", "synths", "guitars",
         "reverb", "melodies"]
PROMO = ["stream", "tickets", "tour", "download", "available", "spotify", "premiere", "release", "dates", "vinyl",
         "preorder", "link"]
CONFIG = TopicsConfig(num_topics=2, passes=30, no_below=2, no_above=0.9, top_words=10, preferred_fraction=0.5,
                      avoided_fraction=0.5)


def themed_sentences(pool: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"<song> is the {rng.choice(['song', 'track'])}: {' '.join(rng.sample(pool, 6))}." for _ in range(count)]


TRAIN = themed_sentences(SOUND, 60, seed=1) + themed_sentences(PROMO, 60, seed=2)
HELD_OUT_SOUND = themed_sentences(SOUND, 20, seed=3)
HELD_OUT_PROMO = themed_sentences(PROMO, 20, seed=4)


@pytest.fixture(scope="module")
def model() -> TopicModel:
    return train_topic_model(TRAIN, CONFIG)


def sound_topic(model: TopicModel) -> int:
    """The topic whose most likely word is from the sound pool (found from the model, not assumed)."""
    return next(k for k in range(model.num_topics) if model.top_words(k, 1)[0][0] in SOUND)


def sound_weights(model: TopicModel) -> list[int]:
    return [1 if k == sound_topic(model) else -1 for k in range(model.num_topics)]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("<artist>'s new single <song> is dreamy and lush.", ["new", "single", "dreamy", "lush"]),
        ("Stream it on Spotify: 2018 tour dates below!", ["stream", "spotify", "tour", "dates", "below"]),
        ("We don't know, it's in the air", ["know", "air"]),
        ("<song>", []),
    ],
)
def test_lda_words_drop_placeholders_stop_words_numbers_and_clitics(text, words):
    assert lda_words(text) == words


def test_the_two_themes_become_the_two_topics(model):
    tops = [{word for word, _ in model.top_words(k, 8)} for k in range(2)]
    sound, promo = sound_topic(model), 1 - sound_topic(model)
    assert len(tops[sound] & set(SOUND)) >= 6 and not tops[sound] & set(PROMO)
    assert len(tops[promo] & set(PROMO)) >= 6 and not tops[promo] & set(SOUND)


def test_reward_is_in_range_and_prefers_sentences_of_the_preferred_topic(model):
    reward = TopicReward(model, sound_weights(model))
    sound, promo = reward.reward(HELD_OUT_SOUND), reward.reward(HELD_OUT_PROMO)
    assert np.all((sound >= -1) & (sound <= 1)) and np.all((promo >= -1) & (promo <= 1))
    assert sound.min() > 0.8 and promo.max() < -0.8
    assert reward.preferred(HELD_OUT_SOUND).all() and not reward.preferred(HELD_OUT_PROMO).any()
    mixed = reward.reward(["dreamy lush hazy stream tickets tour"])[0]
    assert promo.max() < mixed < sound.min()


def test_distribution_rows_sum_to_one_and_texts_without_topic_words_get_the_prior(model):
    reward = TopicReward(model, sound_weights(model))
    texts = [*HELD_OUT_SOUND[:3], "", "the of and <song>", "Zyzzyva qwerty!"]
    distribution = reward.topic_distribution(texts)
    assert distribution.shape == (6, 2)
    np.testing.assert_allclose(distribution.sum(axis=1), 1.0, atol=1e-9)
    prior = model.alpha / model.alpha.sum()
    np.testing.assert_allclose(distribution[3:], np.tile(prior, (3, 1)), atol=1e-9)
    assert not reward.preferred(texts[3:]).any()


def test_a_text_scores_the_same_alone_and_in_any_batch(model):
    reward = TopicReward(model, sound_weights(model))
    batch = HELD_OUT_PROMO + HELD_OUT_SOUND
    together = reward.reward(batch)
    alone = np.array([reward.reward([text])[0] for text in batch])
    np.testing.assert_allclose(together, alone, atol=1e-6)
    np.testing.assert_array_equal(reward.reward(batch[::-1])[::-1], together)


def test_batched_inference_matches_gensim(model):
    documents = [lda_words(text) for text in TRAIN]
    dictionary = Dictionary(documents)
    lda = LdaModel([dictionary.doc2bow(d) for d in documents], id2word=dictionary, num_topics=2, passes=10,
                   random_state=5)
    ours = TopicModel([dictionary[i] for i in range(len(dictionary))], lda.state.get_lambda(), lda.alpha, {})
    held_out = HELD_OUT_SOUND + HELD_OUT_PROMO
    gamma, _ = lda.inference([dictionary.doc2bow(lda_words(text)) for text in held_out])
    np.testing.assert_allclose(ours.topic_distribution(held_out), gamma / gamma.sum(axis=1, keepdims=True),
                               atol=0.02)


def test_training_is_deterministic_with_the_seed_and_reports_every_pass(model):
    passes: list[int] = []
    again = train_topic_model(TRAIN, CONFIG, on_pass=passes.append)
    assert passes == list(range(1, CONFIG.passes + 1))
    np.testing.assert_array_equal(again.lam, model.lam)
    assert again.words == model.words and again.model_id == model.model_id
    other = train_topic_model(TRAIN, dataclasses.replace(CONFIG, seed=CONFIG.seed + 1))
    assert other.model_id != model.model_id


def test_save_and_load_round_trip(model, tmp_path):
    path = save_topic_model(model, tmp_path)
    loaded = load_topic_model(tmp_path)
    assert path == tmp_path / LDA_FILE and loaded.words == model.words
    assert loaded.model_id == model.model_id and loaded.info["num_topics"] == 2
    np.testing.assert_allclose(loaded.alpha, model.alpha, rtol=1e-6)
    texts = HELD_OUT_SOUND + HELD_OUT_PROMO
    np.testing.assert_allclose(loaded.topic_distribution(texts), model.topic_distribution(texts), atol=1e-6)


@pytest.mark.parametrize(
    ("text", "descriptive", "promotional"),
    [
        ("Dreamy, lush vocals float over warm synths.", 5 / 7, 0.0),
        ("Stream it below, out now on Spotify.", 0.0, 4 / 7),  # stream, below, spotify and the pair "out now"
        ("The band met in Leeds.", 0.0, 0.0),
        ("", 0.0, 0.0),
    ],
)
def test_lexicon_shares(text, descriptive, promotional):
    assert lexicon_shares(tokenize(text)) == pytest.approx((descriptive, promotional))


def crafted_model(order: tuple[str, ...]) -> TopicModel:
    """Three hand-made topics (sound words, neutral words, promotional words) in the given order."""
    vocabulary = {"sound": ["dreamy", "lush", "hazy"], "neutral": ["band", "city", "friends"],
                  "promo": ["stream", "tickets", "tour"]}
    words = [w for theme in ("sound", "neutral", "promo") for w in vocabulary[theme]]
    lam = np.full((3, len(words)), 0.1)
    for k, theme in enumerate(order):
        for word in vocabulary[theme]:
            lam[k, words.index(word)] = 50.0
    return TopicModel(words, lam, np.full(3, 0.3), {})


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (("sound", "neutral", "promo"), (1, 0, -1)),
        (("promo", "sound", "neutral"), (-1, 1, 0)),
        (("neutral", "promo", "sound"), (0, -1, 1)),
    ],
)
def test_rule_weights_topics_by_descriptive_minus_promotional_share(order, expected):
    model = crafted_model(order)
    texts = ["The dreamy lush hazy song.", "The band met in the city with friends.", "Stream it, tickets for the tour."]
    scores = score_topics(model, texts, model.topic_distribution(texts), top_words=3)
    assert [s.words > 0 for s in scores] == [theme == "sound" for theme in order]
    assert [s.sentences < 0 for s in scores] == [theme == "promo" for theme in order]
    assert pick_weights(scores, 0.33, 0.33) == expected


@pytest.mark.parametrize(
    ("totals", "preferred", "avoided", "expected"),
    [
        ([0.3, -0.1, 0.0], 0.33, 0.33, (1, -1, 0)),
        ([0.1, 0.1, -0.1, -0.1], 0.25, 0.25, (1, 0, 0, -1)),  # ties keep topic order
        ([0.3, -0.1, 0.0, 0.2], 0.5, 0.25, (1, -1, 0, 1)),
        ([0.3, 0.2, 0.1], 0.33, 0.33, (1, 0, 0)),  # the worst topic is still more descriptive than promotional
        ([-0.3, -0.2, -0.1], 0.33, 0.33, (-1, 0, 0)),  # and the best still more promotional
        ([0.3, -0.1], 0.0, 0.0, (0, 0)),
        ([0.5, 0.4, 0.3, 0.2, 0.1, 0.0, -0.1, -0.2, -0.3, -0.4], 0.33, 0.33, (1, 1, 1, 0, 0, 0, 0, -1, -1, -1)),
    ],
)
def test_pick_weights_table(totals, preferred, avoided, expected):
    scores = [TopicScore(words=t, sentences=t) for t in totals]
    assert pick_weights(scores, preferred, avoided) == expected


@pytest.mark.parametrize("weights", [[1, 0, -1], [1]])
def test_mismatched_weights_are_a_config_error_naming_both_numbers(model, tmp_path, weights):
    with pytest.raises(ConfigError, match=f"{len(weights)} weights but the topic model has 2 topics"):
        TopicReward(model, weights)
    save_topic_model(model, tmp_path)
    config = dataclasses.replace(CONFIG, topic_weights=tuple(weights))
    with pytest.raises(ConfigError, match=rf"'topics\.topic_weights' lists {len(weights)} weights .* 2 topics"):
        load_topic_reward(tmp_path, config)


def test_weights_other_than_plus_minus_one_or_zero_are_a_config_error(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("topics:\n  topic_weights: [1, 2]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"topics\.topic_weights' takes only 1, 0 and -1 .*got 2"):
        load_settings(path)


def test_config_yaml_topics_section_matches_the_defaults():
    assert load_settings(DEFAULT_CONFIG).topics == TopicsConfig()


def test_picked_weights_round_trip_and_config_overrides_them(model, tmp_path):
    save_topic_model(model, tmp_path)
    scores = [TopicScore(0.1, 0.1), TopicScore(-0.1, -0.1)]
    save_weights(model, (1, -1), scores, CONFIG, tmp_path)
    assert read_picked_weights(model, tmp_path) == (1, -1)
    assert topic_weights(model, tmp_path, dataclasses.replace(CONFIG, topic_weights=(-1, 1))) == (-1, 1)
    np.testing.assert_array_equal(load_topic_reward(tmp_path, CONFIG).weights, [1.0, -1.0])


def test_a_missing_topic_model_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="no topic model in .*deephype train lda"):
        load_topic_model(tmp_path)
    (tmp_path / LDA_FILE).write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="not a readable topic model"):
        load_topic_model(tmp_path)


def test_missing_or_stale_weights_are_a_model_error(model, tmp_path):
    save_topic_model(model, tmp_path)
    with pytest.raises(ModelError, match="no topic weights .*--pick-weights"):
        load_topic_reward(tmp_path, CONFIG)
    other = train_topic_model(TRAIN, dataclasses.replace(CONFIG, seed=99))
    save_weights(other, (1, -1), [TopicScore(0, 0)] * 2, CONFIG, tmp_path)
    with pytest.raises(ModelError, match="picked for another topic model"):
        load_topic_reward(tmp_path, CONFIG)


@pytest.fixture
def cli_config(tmp_path: Path) -> Path:
    sentences = [(text, ["unknown"], "train") for text in TRAIN] + [(HELD_OUT_SOUND[0], ["unknown"], "val")]
    fill_corpus(Store.open(tmp_path / "corpus.db"), sentences, ["unknown"]).close()
    config = tmp_path / "config.yaml"
    config.write_text(
        f"paths:\n  corpus_db: {tmp_path / 'corpus.db'}\n  model_dir: {tmp_path / 'model'}\n"
        f"  plots_dir: {tmp_path / 'plots'}\n"
        "topics:\n  num_topics: 2\n  passes: 30\n  no_below: 2\n  no_above: 0.9\n  top_words: 10\n"
        "  preferred_fraction: 0.5\n  avoided_fraction: 0.5\n",
        encoding="utf-8",
    )
    return config


def invoke(config: Path, *args: str):
    from deephype.cli import main

    return CliRunner().invoke(main, ["--config", str(config), *args])


def test_train_lda_and_topics_from_the_command_line(cli_config):
    root = cli_config.parent
    missing = invoke(cli_config, "topics")
    assert missing.exit_code == 2 and "deephype train lda" in missing.output
    trained = invoke(cli_config, "train", "lda", "--quiet")
    assert trained.exit_code == 0, trained.output
    assert "2 topics over 120 sentences" in trained.output
    assert (root / "model" / LDA_FILE).is_file() and (root / "model" / WEIGHTS_FILE).is_file()
    assert (root / "model" / LDA_FILE).stat().st_size < 10_000
    shown = invoke(cli_config, "topics", "--words", "3", "--examples", "1")
    assert shown.exit_code == 0, shown.output
    assert "Topic 0: weight" in shown.output and "Topic 1: weight" in shown.output
    assert "weight +1 (rule picks +1)" in shown.output and "weight -1 (rule picks -1)" in shown.output
    assert (root / "plots" / "topics.png").stat().st_size > 1000
    model = load_topic_model(root / "model")
    assert read_picked_weights(model, root / "model") == tuple(sound_weights(model))


def test_topics_with_mismatched_config_weights_exits_with_the_mismatch(cli_config):
    assert invoke(cli_config, "train", "lda", "--quiet").exit_code == 0
    with cli_config.open("a", encoding="utf-8") as handle:
        handle.write("  topic_weights: [1, 0, -1]\n")
    result = invoke(cli_config, "topics", "--pick-weights")
    assert result.exit_code == 2
    assert "Error:" in result.output and "3 weights but the topic model has 2 topics" in result.output
