"""The LC-GAN: gate, losses, one training step of each network, checkpoints and their mismatches, and a tiny run
end to end that must raise the topic reward of decoded samples."""

from __future__ import annotations

import dataclasses
import logging
import random
from pathlib import Path

import pytest
import torch
from click.testing import CliRunner
from tiny_corpus import LABELS, fill_corpus

from deephype.checkpoint import LoadedModel, load_model, make_checkpoint, model_path, save_checkpoint
from deephype.cli import main
from deephype.config import PROJECT_ROOT, LCGANConfig, ModelConfig, TopicsConfig
from deephype.errors import ConfigError, ModelError
from deephype.lcgan import (
    PROPOSAL_RANGE,
    Critic,
    Generator,
    GeneratorObjective,
    LCGANShape,
    cvae_fingerprint,
    distance_penalty,
    fluency_loss,
    generator_loss,
    lcgan_path,
    load_lcgan,
    make_lcgan_checkpoint,
    predicted_reward,
    realism_loss,
    save_lcgan,
    topic_loss,
)
from deephype.lcgan_eval import FIGURES, SampleJudge, format_lcgan, lcgan_report
from deephype.lm import LanguageModel
from deephype.model import CVAE, CVAEConfig
from deephype.recipe import load_recipe
from deephype.sample_metrics import TrainingIndex
from deephype.sampling import DecodeOptions
from deephype.store import Store
from deephype.tokens import tokenize
from deephype.topic_model import save_topic_model
from deephype.topic_reward import load_topic_reward
from deephype.topics import train_topic_model
from deephype.vocab import Vocabulary, condition_matrix
from training.cvae import RunPaths, train
from training.lcgan import LCGANPaths, optimise, train_lcgan

SHAPE = LCGANShape(latent_dim=4, condition_size=3, num_topics=3, hidden_dim=16, hidden_layers=2)
WEIGHTS = torch.tensor([1.0, 0.0, -1.0])
SOUND = ["dreamy", "lush", "hazy", "shimmering", "warm", "ethereal", "velvety", "glowing", "synths", "guitars",
         "reverb", "melodies"]
PROMO = ["stream", "tickets", "tour", "download", "available", "spotify", "premiere", "release", "dates", "vinyl",
         "preorder", "link"]
TOPICS = TopicsConfig(num_topics=2, passes=30, no_below=2, no_above=0.9, top_words=10, preferred_fraction=0.5,
                      avoided_fraction=0.5)
TINY = PROJECT_ROOT / "training" / "recipes" / "tiny.yaml"


def tiny_batch(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Latents (8, Z), genre vectors (8, C) and target topic mixes (8, K), fixed by the seed."""
    generator = torch.Generator().manual_seed(seed)
    z = torch.randn(8, SHAPE.latent_dim, generator=generator)
    condition = torch.softmax(torch.randn(8, SHAPE.condition_size, generator=generator), dim=-1)
    topics = torch.softmax(3 * torch.randn(8, SHAPE.num_topics, generator=generator), dim=-1)
    return z, condition, topics


OBJECTIVE = GeneratorObjective(fluency_weight=1.0, fluency_baseline=0.0, realism_weight=1.0, distance_weight=0.1)


def untrained_cvae(path: Path, seed: int = 0) -> LoadedModel:
    torch.manual_seed(seed)
    words = ("<pad>", "<unk>", "<bos>", "<eos>", "<artist>", "<song>", "the", "song")
    config = CVAEConfig(vocab_size=len(words), condition_size=3, embedding_dim=8, hidden_dim=8, latent_dim=4,
                        condition_dim=2)
    return LoadedModel("cvae", CVAE(config).eval(), Vocabulary(words), ("unknown", "folk", "pop"), {}, {}, path)


@pytest.mark.parametrize(("bias", "expected"), [(-1e4, "z"), (1e4, "shift")])
def test_a_closed_gate_keeps_z_and_an_open_one_takes_the_proposal(bias, expected):
    generator = Generator(SHAPE)
    torch.nn.init.zeros_(generator.gate.weight)
    torch.nn.init.constant_(generator.gate.bias, bias)
    z, condition, _ = tiny_batch()
    moved = generator(z, condition)
    _, proposal = generator.gate_and_proposal(z, condition)
    assert torch.equal(moved, z if expected == "z" else proposal)


def test_proposals_stay_within_their_range_however_large_the_weights():
    generator = Generator(SHAPE)
    torch.nn.init.constant_(generator.shift.weight, 1e3)
    z, condition, _ = tiny_batch()
    _, proposal = generator.gate_and_proposal(100 * z, condition)
    assert proposal.abs().max() <= PROPOSAL_RANGE


def test_the_gate_starts_mostly_closed():
    z, condition, _ = tiny_batch()
    moved = Generator(SHAPE)(z, condition)
    assert 0 < (moved - z).norm(dim=1).mean() < 0.5 * z.norm(dim=1).mean()


def test_one_critic_step_reduces_its_losses_on_a_fixed_batch():
    torch.manual_seed(0)
    critic = Critic(SHAPE)
    z, condition, topics = tiny_batch()
    fake = tiny_batch(seed=1)[0] + 2.0
    nll_per_token = torch.linspace(3.0, 6.0, 8)

    def loss() -> torch.Tensor:
        judged = critic(z, condition)
        return (topic_loss(judged.topic_logits, topics) + fluency_loss(judged.fluency, nll_per_token)
                + realism_loss(judged.realism, critic(fake, condition).realism))

    before = loss()
    optimise(torch.optim.Adam(critic.parameters(), lr=LCGANConfig().learning_rate), before)
    assert loss().item() < before.item()


def test_one_generator_step_reduces_its_loss():
    torch.manual_seed(0)
    generator, critic = Generator(SHAPE), Critic(SHAPE)
    z, condition, _ = tiny_batch()
    variance = torch.full((SHAPE.latent_dim,), 0.5)

    def loss():
        return generator_loss(generator, critic, z, condition, WEIGHTS, variance, OBJECTIVE)

    before = loss()
    optimise(torch.optim.Adam(generator.parameters(), lr=LCGANConfig().learning_rate), before.total)
    after = loss()
    assert after.total.item() < before.total.item()
    terms = -after.reward + after.fluency + after.realism + 0.1 * after.distance
    assert after.total.item() == pytest.approx(terms.item())


@pytest.mark.parametrize(("baseline", "costs"), [(-1e3, True), (1e3, False)])
def test_only_fluency_lost_beyond_the_baseline_costs_the_generator(baseline, costs):
    torch.manual_seed(0)
    generator, critic = Generator(SHAPE), Critic(SHAPE)
    z, condition, _ = tiny_batch()
    objective = dataclasses.replace(OBJECTIVE, fluency_baseline=baseline)
    loss = generator_loss(generator, critic, z, condition, WEIGHTS, torch.ones(SHAPE.latent_dim), objective)
    predicted = critic(generator(z, condition), condition).fluency.mean()
    assert loss.fluency.item() == pytest.approx(max(predicted.item() - baseline, 0.0), rel=1e-5)
    assert (loss.fluency.item() > 0) == costs


@pytest.mark.parametrize("variance", [0.1, 1.0])
def test_the_distance_penalty_grows_with_distance(variance):
    z = torch.zeros(1, 4)
    sigma2 = torch.full((4,), variance)
    penalties = [distance_penalty(z + step, z, sigma2).item() for step in (0.0, 0.1, 0.5, 1.0, 3.0, 10.0)]
    assert penalties[0] == 0.0
    assert all(a < b for a, b in zip(penalties, penalties[1:], strict=False))


def test_the_distance_penalty_weighs_precise_dimensions_more():
    z, moved = torch.zeros(1, 2), torch.ones(1, 2)
    assert distance_penalty(moved, z, torch.tensor([0.1, 0.1])) > distance_penalty(moved, z, torch.tensor([1.0, 1.0]))


def test_predicted_reward_is_the_weighted_topic_mix_and_checks_the_weights():
    logits = torch.log(torch.tensor([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]))
    assert predicted_reward(logits, WEIGHTS).tolist() == pytest.approx([0.6, -0.7])
    with pytest.raises(ModelError, match="predicts 3 topics but 2 topic weights"):
        predicted_reward(logits, torch.tensor([1.0, -1.0]))


def test_a_bundle_without_lcgan_generates_from_the_prior(tmp_path, caplog):
    with caplog.at_level(logging.INFO, logger="deephype.lcgan"):
        assert load_lcgan(tmp_path, untrained_cvae(tmp_path / "cvae.pt")) is None
    assert "latents come from the prior" in caplog.text


def test_a_saved_generator_loads_for_its_own_cvae(tmp_path):
    cvae = untrained_cvae(tmp_path / "cvae.pt")
    shape = dataclasses.replace(SHAPE, num_topics=2)
    generator = Generator(shape)
    save_lcgan(make_lcgan_checkpoint(generator, shape, cvae_fingerprint(cvae), {"model_id": "x", "weights": [1, -1]},
                                     {}, {"steps": 1}), tmp_path)
    loaded = load_lcgan(tmp_path, cvae)
    z, condition, _ = tiny_batch()
    assert torch.allclose(loaded.transform(z, condition), generator(z, condition), atol=1e-2)  # stored in float16
    assert loaded.topics["weights"] == [1, -1]


@pytest.mark.parametrize("change", ["weights", "vocabulary", "conditions"])
def test_a_generator_trained_against_another_cvae_is_refused(tmp_path, change):
    cvae = untrained_cvae(tmp_path / "cvae.pt")
    save_lcgan(make_lcgan_checkpoint(Generator(SHAPE), SHAPE, cvae_fingerprint(cvae), {}, {}, {}), tmp_path)
    if change == "weights":
        other = dataclasses.replace(cvae, model=untrained_cvae(cvae.path, seed=1).model)
    elif change == "vocabulary":
        other = dataclasses.replace(cvae, vocab=Vocabulary((*cvae.vocab.words[:-1], "track")))
    else:
        other = dataclasses.replace(cvae, conditions=("unknown", "folk", "rock"))
    with pytest.raises(ModelError, match="trained against another CVAE"):
        load_lcgan(tmp_path, other)


@pytest.mark.parametrize(("content", "message"), [
    (b"not a checkpoint", "not a readable LC-GAN checkpoint"),
    (None, "is not a deephype-lcgan/1 checkpoint"),
])
def test_an_unreadable_lcgan_file_is_a_model_error(tmp_path, content, message):
    if content is None:
        torch.save({"format": "something-else"}, lcgan_path(tmp_path))
    else:
        lcgan_path(tmp_path).write_bytes(content)
    with pytest.raises(ModelError, match=message):
        load_lcgan(tmp_path, untrained_cvae(tmp_path / "cvae.pt"))


def themed(pool: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"<song> is the {rng.choice(['song', 'track'])}: {' '.join(rng.sample(pool, 6))}." for _ in range(count)]


THEMED = themed(SOUND, 40, seed=1) + themed(PROMO, 40, seed=2)


def themed_store() -> Store:
    rows = [(text, [LABELS[i % len(LABELS)]], "train") for i, text in enumerate(THEMED)]
    rows += [(text, ["folk"], "val") for text in themed(SOUND, 3, seed=5)]
    return fill_corpus(Store.open(":memory:"), rows)


def small_bundle(root: Path) -> TopicsConfig:
    """Train a tiny CVAE and LM whose latent carries the theme of a sentence (sound or promotion), and an LDA whose
    two topics are those themes; the returned settings reward the sound topic."""
    recipe = dataclasses.replace(load_recipe(TINY, ModelConfig()), max_epochs=20, batch_size=8, hidden_dim=64,
                                 embedding_dim=32, dropout=0.1, learning_rate=0.005, kl_period=50, free_bits=0.5,
                                 word_dropout=0.5, patience=0)
    for kind in ("cvae", "lm"):
        train(themed_store(), recipe, RunPaths(root / "run" / kind, root, root / f"{kind}.png"), kind=kind,
              progress=False)
    model = train_topic_model(THEMED, TOPICS)
    save_topic_model(model, root)
    sound = max(range(2), key=lambda k: sum(model.topic_word[k, model.index[w]] for w in SOUND))
    return dataclasses.replace(TOPICS, topic_weights=tuple(1 if k == sound else -1 for k in range(2)))


RUN = LCGANConfig(hidden_dim=32, prior_samples=200, posterior_samples=200, generator_steps=100, critic_steps=3,
                  rounds=2, round_samples=100, batch_size=64, learning_rate=0.003, threads=1)
DECODE = DecodeOptions(max_tokens=15)


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[Path, TopicsConfig]:
    root = tmp_path_factory.mktemp("lcgan")
    topics = small_bundle(root / "model")
    train_lcgan(themed_store(), RUN, topics, DECODE, LCGANPaths(root / "model", root / "run", root / "lcgan.png"),
                progress=False)
    return root, topics


@pytest.mark.slow
def test_a_tiny_run_raises_the_reward_of_decoded_samples(trained):
    root, topics = trained
    cvae, lm = load_model(model_path(root / "model", "cvae")), load_model(model_path(root / "model", "lm"))
    latent_generator = load_lcgan(root / "model", cvae)
    reward = load_topic_reward(root / "model", topics)
    condition = condition_matrix([[label] for label in LABELS] * 50, cvae.conditions)
    index = TrainingIndex.build(tokenize(text) for text in THEMED)
    report = lcgan_report(SampleJudge(cvae, lm, reward, DECODE), latent_generator, condition, index)
    prior, steered = report["prior"], report["lcgan"]
    assert steered["reward"] > prior["reward"] + 0.2
    assert steered["preferred_share"] > prior["preferred_share"]
    assert prior["distance"] == 0 < steered["distance"]
    assert set(FIGURES) <= set(prior) and all(0 <= steered[k] <= 1 for k in ("preferred_share", "distinct_2",
                                                                               "novelty"))
    assert "preferred_share" in format_lcgan(report)
    metrics = latent_generator.metrics
    assert metrics["labelled"] == {"prior": 200, "posterior": 200, "generator": 200}
    assert (root / "lcgan.png").stat().st_size > 0


def test_training_names_a_missing_topic_model_and_mismatched_weights(tmp_path):
    cvae = untrained_cvae(model_path(tmp_path, "cvae"))
    save_checkpoint(make_checkpoint("cvae", cvae.model, cvae.vocab, cvae.conditions, {}, {}), cvae.path)
    lm = LanguageModel(cvae.model.config)
    save_checkpoint(make_checkpoint("lm", lm, cvae.vocab, cvae.conditions, {}, {}), model_path(tmp_path, "lm"))
    paths = LCGANPaths(tmp_path, tmp_path / "run", tmp_path / "lcgan.png")
    with pytest.raises(ModelError, match="no topic model"):
        train_lcgan(themed_store(), RUN, TOPICS, DECODE, paths, progress=False)
    save_topic_model(train_topic_model(THEMED, TOPICS), tmp_path)
    with pytest.raises(ConfigError, match="lists 3 weights but the topic model has 2 topics"):
        train_lcgan(themed_store(), RUN, dataclasses.replace(TOPICS, topic_weights=(1, 0, -1)), DECODE, paths,
                    progress=False)
    assert not lcgan_path(tmp_path).exists()


def test_a_random_cvae_checkpoint_round_trips_its_fingerprint(tmp_path):
    cvae = untrained_cvae(tmp_path / "cvae.pt")
    save_checkpoint(make_checkpoint("cvae", cvae.model, cvae.vocab, cvae.conditions, {}, {}), cvae.path)
    assert cvae_fingerprint(load_model(cvae.path)) == cvae_fingerprint(cvae)


@pytest.mark.slow
def test_a_finished_run_resumes_to_the_same_generator_and_refuses_other_settings(trained):
    root, topics = trained
    exported = torch.load(lcgan_path(root / "model"), weights_only=True)
    paths = LCGANPaths(root / "model", root / "run", root / "resumed.png")
    result = train_lcgan(themed_store(), RUN, topics, DECODE, paths, resume=True, progress=False)
    resumed = torch.load(result.model, weights_only=True)
    assert resumed["metrics"]["best_step"] == exported["metrics"]["best_step"]
    assert all(torch.equal(v, exported["generator"][k]) for k, v in resumed["generator"].items())
    with pytest.raises(ModelError, match="other lcgan settings"):
        train_lcgan(themed_store(), dataclasses.replace(RUN, distance_weight=1.0), topics, DECODE, paths,
                    resume=True, progress=False)


def test_the_cli_names_what_the_bundle_lacks(tmp_path):
    store = fill_corpus(Store.open(tmp_path / "corpus.db"))
    store.close()
    config = tmp_path / "config.yaml"
    config.write_text(f"paths:\n  corpus_db: {tmp_path / 'corpus.db'}\n  runs_dir: {tmp_path / 'runs'}\n")
    result = CliRunner().invoke(main, ["--config", str(config), "train", "lcgan", "--model", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "no model checkpoint at" in result.output and "cvae.pt" in result.output
