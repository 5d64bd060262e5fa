"""The LC-GAN training loop (Engel, Hoffman, Roberts 2017): label latents by the topics of what they decode to, then
train the critic D and the generator G, `critic_steps` D updates per G update.

Each round G's own latents are decoded and judged (LDA topics, LM fluency, distinct-2): those measured figures are
the curves that matter (D's predictions can be fooled; the decoded text cannot), the new labels keep D honest where
G goes, and the G that ships is the round's with the best measured reward among those whose samples stayed within
the quality bounds. Ctrl-C saves the run in `run_dir/checkpoint.pt`; `resume` continues.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from tqdm import tqdm

from deephype.checkpoint import load_bundle, save_checkpoint
from deephype.config import LCGANConfig, TopicsConfig
from deephype.corpus import read_sentences
from deephype.errors import EmptyCorpusError, ModelError
from deephype.lcgan import (
    Critic,
    Generator,
    GeneratorObjective,
    LCGANShape,
    cvae_fingerprint,
    fluency_loss,
    generator_loss,
    make_lcgan_checkpoint,
    realism_loss,
    save_lcgan,
    topic_loss,
)
from deephype.lcgan_eval import SampleJudge
from deephype.sample_metrics import TrainingIndex
from deephype.sampling import DecodeOptions
from deephype.store import Store
from deephype.tokens import tokenize
from deephype.topic_reward import load_topic_reward
from training.card import write_model_card
from training.cvae import interrupt_guard
from training.lcgan_data import LabelledLatents, PosteriorPool, initial_latents, label, posterior_pool
from training.lcgan_plot import plot_lcgan

LOG_POINTS = 100  # history entries over a whole run, whatever its length


@dataclass(frozen=True)
class LCGANPaths:
    model_dir: Path  # the bundle: cvae.pt and lda.npz are read, lcgan.pt is written
    run_dir: Path  # resumable state
    plot: Path  # PNG of the losses and the reward over training

    @property
    def checkpoint(self) -> Path:
        return self.run_dir / "checkpoint.pt"


@dataclass(frozen=True)
class LCGANResult:
    model: Path | None  # lcgan.pt in the bundle; None when interrupted
    plot: Path | None
    checkpoint: Path
    metrics: dict[str, Any]
    interrupted: bool


@dataclass(frozen=True)
class Setup:
    """What a run reads and never changes."""

    judge: SampleJudge  # the bundle's CVAE, LM baseline and topic reward, decoding as generation does
    pool: PosteriorPool
    index: TrainingIndex  # the training sentences, for the novelty of each round's samples
    shape: LCGANShape
    fingerprint: str
    config: LCGANConfig

    @property
    def weights(self) -> torch.Tensor:
        return torch.as_tensor(self.judge.reward.weights, dtype=torch.float32)  # (K,)


    @property
    def topics(self) -> dict[str, Any]:
        """The topic model and weights G is trained toward, as checkpoints record them."""
        reward = self.judge.reward
        return {"model_id": reward.model.model_id, "weights": [int(w) for w in reward.weights]}

    @property
    def steps_per_round(self) -> int:
        return math.ceil(self.config.generator_steps / self.config.rounds)


@dataclass
class RunState:
    generator: Generator
    critic: Critic
    generator_optimizer: torch.optim.Optimizer
    critic_optimizer: torch.optim.Optimizer
    data: LabelledLatents
    rng: torch.Generator
    step: int = 0  # generator steps done
    totals: dict[str, float] = field(default_factory=dict)  # sums since the last history entry
    history: list[dict[str, float]] = field(default_factory=list)  # losses, every few steps
    rounds: list[dict[str, Any]] = field(default_factory=list)  # measured figures of G's samples, per round
    best: dict[str, Any] = field(default_factory=dict)  # {"step", "figures", "generator"} of the round to ship
    elapsed: float = 0.0


def train_lcgan(store: Store, config: LCGANConfig, topics: TopicsConfig, decode: DecodeOptions, paths: LCGANPaths,
                resume: bool = False, progress: bool = True) -> LCGANResult:
    """Train the LC-GAN for the bundle's CVAE toward its topic reward; write G to the bundle and plot the run."""
    torch.set_num_threads(config.threads)
    torch.manual_seed(config.seed)
    setup = prepare(store, paths.model_dir, config, topics, decode)
    with interrupt_guard() as interrupted:
        started = time.monotonic()
        state = restore(setup, paths.checkpoint) if resume else first_state(setup)
        state.elapsed += time.monotonic() - started
        completed = run(state, setup, interrupted, progress)
    save_state(state, setup, paths.checkpoint)
    if not completed:
        return LCGANResult(None, None, paths.checkpoint, {}, interrupted=True)
    return finish(state, setup, paths)


def prepare(store: Store, model_dir: Path, config: LCGANConfig, topics: TopicsConfig, decode: DecodeOptions) -> Setup:
    """Load the bundle's CVAE, LM and topic reward and encode the training sentences; errors name what is missing."""
    cvae, lm = load_bundle(model_dir)
    reward = load_topic_reward(model_dir, topics)
    sentences = read_sentences(store, "train")
    if not sentences:
        raise EmptyCorpusError("the corpus has no training sentences: run `deephype data build` first")
    shape = LCGANShape(latent_dim=cvae.model.config.latent_dim, condition_size=len(cvae.conditions),
                       num_topics=reward.model.num_topics, hidden_dim=config.hidden_dim,
                       hidden_layers=config.hidden_layers)
    return Setup(judge=SampleJudge(cvae, lm, reward, decode), pool=posterior_pool(cvae, sentences),
                 index=TrainingIndex.build(tokenize(s.text) for s in sentences), shape=shape,
                 fingerprint=cvae_fingerprint(cvae), config=config)


def first_state(setup: Setup) -> RunState:
    """Fresh D and G, and D's first data; the prior's measured reward is round 0, the baseline."""
    config = setup.config
    data, baseline = initial_latents(setup.judge, setup.pool, config.prior_samples, config.posterior_samples,
                                     config.seed)
    generator, critic = Generator(setup.shape), Critic(setup.shape)
    state = RunState(
        generator=generator, critic=critic, data=data, rng=torch.Generator().manual_seed(config.seed),
        generator_optimizer=torch.optim.Adam(generator.parameters(), lr=config.learning_rate),
        critic_optimizer=torch.optim.Adam(critic.parameters(), lr=config.learning_rate),
    )
    # As many prior samples as a round has: distinct-n falls as a set grows, so only equal sizes compare.
    state.rounds.append({"step": 0, **baseline.subset(config.round_samples).figures(0.0, setup.index)})
    return state


def run(state: RunState, setup: Setup, interrupted: list[bool], progress: bool) -> bool:
    """Train until `generator_steps`; False when Ctrl-C stopped it first."""
    config = setup.config
    log_every = max(1, config.generator_steps // LOG_POINTS)
    bar = tqdm(total=config.generator_steps, initial=state.step, desc="lcgan", unit="step", disable=not progress,
               leave=False, dynamic_ncols=True)
    with bar:
        while state.step < config.generator_steps:
            if interrupted[0]:
                return False
            started = time.monotonic()
            add_totals(state, train_step(state, setup))
            state.step += 1
            if state.step % log_every == 0 or state.step == config.generator_steps:
                close_history_entry(state)
            if state.step % setup.steps_per_round == 0 or state.step == config.generator_steps:
                measure_round(state, setup)
            state.elapsed += time.monotonic() - started
            measured = state.rounds[-1]
            bar.set_postfix(reward=f"{measured['reward']:+.3f}", preferred=f"{measured['preferred_share']:.2f}",
                            refresh=False)
            bar.update()
    return True


def train_step(state: RunState, setup: Setup) -> dict[str, float]:
    """`critic_steps` D updates, then one G update; the figures are D's mean losses and G's loss terms."""
    sums: dict[str, float] = {}
    for _ in range(setup.config.critic_steps):
        for name, value in critic_step(state, setup).items():
            sums[name] = sums.get(name, 0.0) + value / setup.config.critic_steps
    return {**sums, **generator_step(state, setup)}


def critic_step(state: RunState, setup: Setup) -> dict[str, float]:
    """D learns the topics and fluency of decoded text on labelled latents, and tells posterior latents from G's."""
    config, rng, data = setup.config, state.rng, state.data
    rows = torch.randint(len(data), (config.batch_size,), generator=rng)
    judged = state.critic(data.z[rows], data.condition[rows])
    topics = topic_loss(judged.topic_logits, data.topics[rows])
    fluency = fluency_loss(judged.fluency, data.fluency[rows])
    real_z, real_condition = setup.pool.draw(config.batch_size, rng)
    fake_z, fake_condition = fake_latents(state, setup)
    realism = realism_loss(state.critic(real_z, real_condition).realism, state.critic(fake_z, fake_condition).realism)
    optimise(state.critic_optimizer, topics + fluency + realism)
    return {"critic_topics": topics.item(), "critic_fluency": fluency.item(), "critic_realism": realism.item()}


def fake_latents(state: RunState, setup: Setup) -> tuple[torch.Tensor, torch.Tensor]:
    """The realism head's negatives: G's outputs, a `prior_negatives` share left as raw prior draws (as the paper
    does, so D also learns where the prior differs from real posteriors)."""
    config, rng = setup.config, state.rng
    z = torch.randn(config.batch_size, setup.shape.latent_dim, generator=rng)  # (B, Z)
    condition = setup.pool.genres(config.batch_size, rng)  # (B, C)
    with torch.no_grad():
        moved = state.generator(z, condition)
    keep_prior = torch.rand(config.batch_size, generator=rng) < config.prior_negatives  # (B,)
    return torch.where(keep_prior.unsqueeze(1), z, moved), condition


def generator_step(state: RunState, setup: Setup) -> dict[str, float]:
    config, rng = setup.config, state.rng
    z = torch.randn(config.batch_size, setup.shape.latent_dim, generator=rng)
    condition = setup.pool.genres(config.batch_size, rng)
    state.critic.requires_grad_(False)  # D is only read here: no gradients for it to pick up
    objective = GeneratorObjective(fluency_weight=config.fluency_weight, fluency_baseline=state.data.prior_fluency(),
                                   realism_weight=config.realism_weight, distance_weight=config.distance_weight)
    loss = generator_loss(state.generator, state.critic, z, condition, setup.weights, setup.pool.variance(),
                          objective)
    optimise(state.generator_optimizer, loss.total)
    state.critic.requires_grad_(True)
    return {"generator_loss": loss.total.item(), "predicted_reward": loss.reward.item(),
            "predicted_fluency": loss.fluency.item(), "generator_realism": loss.realism.item(),
            "distance_penalty": loss.distance.item()}


def optimise(optimizer: torch.optim.Optimizer, loss: torch.Tensor) -> None:
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()


def add_totals(state: RunState, figures: dict[str, float]) -> None:
    for name, value in figures.items():
        state.totals[name] = state.totals.get(name, 0.0) + value
    state.totals["steps"] = state.totals.get("steps", 0.0) + 1


def close_history_entry(state: RunState) -> None:
    steps = state.totals.pop("steps", 0.0)
    if steps:
        state.history.append({"step": state.step, **{k: v / steps for k, v in state.totals.items()}})
    state.totals = {}


@torch.no_grad()
def measure_round(state: RunState, setup: Setup) -> None:
    """Decode fresh prior latents moved by G and judge them, record the figures, add the latents to D's data, and
    keep G when this round is the one to ship so far."""
    config, number = setup.config, len(state.rounds)
    generator = torch.Generator().manual_seed(config.seed + 1000 * number)
    z = torch.randn(config.round_samples, setup.shape.latent_dim, generator=generator)
    condition = setup.pool.genres(config.round_samples, generator)
    state.generator.eval()
    moved = state.generator(z, condition)
    state.generator.train()
    labelled, judged = label(setup.judge, moved, condition, "generator", config.seed + number)
    state.data = state.data.extend(labelled)
    figures = {"step": state.step, **judged.figures(float((moved - z).norm(dim=1).mean()), setup.index)}
    figures["within_bounds"] = within_bounds(figures, state.rounds[0], config)
    state.rounds.append(figures)
    if ships_before(figures, state.best.get("figures")):
        state.best = {"step": state.step, "figures": figures,
                      "generator": {k: v.detach().clone() for k, v in state.generator.state_dict().items()}}


def within_bounds(figures: dict[str, Any], prior: dict[str, Any], config: LCGANConfig) -> bool:
    """Whether a round's samples kept the LM perplexity and distinct-2 close enough to the prior's samples."""
    return (figures["ppl"] <= prior["ppl"] * (1 + config.max_ppl_rise)
            and figures["distinct_2"] >= prior["distinct_2"] * (1 - config.max_distinct_drop))


def ships_before(figures: dict[str, Any], best: dict[str, Any] | None) -> bool:
    """Round order for shipping: within the quality bounds first, then by measured reward."""
    if best is None:
        return True
    return (figures["within_bounds"], figures["reward"]) > (best["within_bounds"], best["reward"])


def finish(state: RunState, setup: Setup, paths: LCGANPaths) -> LCGANResult:
    """Export the best round's G into the bundle with the run's figures, and draw the curves."""
    best = Generator(setup.shape)
    best.load_state_dict(state.best["generator"])
    metrics = final_metrics(state, setup)
    checkpoint = make_lcgan_checkpoint(best, setup.shape, setup.fingerprint, setup.topics,
                                       dataclasses.asdict(setup.config), metrics)
    exported = save_lcgan(checkpoint, paths.model_dir)
    write_model_card(paths.model_dir)
    plot = plot_lcgan(state.history, state.rounds, paths.plot,
                      f"LC-GAN · {setup.shape.num_topics} topics · conditioned on training-song genres")
    return LCGANResult(exported, plot, paths.checkpoint, metrics, interrupted=False)


def final_metrics(state: RunState, setup: Setup) -> dict[str, Any]:
    counts = torch.bincount(state.data.source, minlength=3).tolist()
    return {
        "steps": state.step, "minutes": round(state.elapsed / 60, 2), "best_step": state.best["step"],
        "baseline": state.rounds[0], "best": state.best["figures"], "rounds": state.rounds, "history": state.history,
        "labelled": {"prior": counts[0], "posterior": counts[1], "generator": counts[2]},
        "trained_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


def save_state(state: RunState, setup: Setup, path: Path) -> None:
    """Everything a resumed run needs, including D's labelled latents (decoding them again would cost minutes)."""
    save_checkpoint({
        "format": "deephype-lcgan-run/1", "cvae_fingerprint": setup.fingerprint, "topics": setup.topics,
        "config": dataclasses.asdict(setup.config), "shape": dataclasses.asdict(setup.shape),
        "generator": state.generator.state_dict(), "critic": state.critic.state_dict(),
        "generator_optimizer": state.generator_optimizer.state_dict(),
        "critic_optimizer": state.critic_optimizer.state_dict(),
        "data": dataclasses.asdict(state.data), "rng": state.rng.get_state(),
        **{name: getattr(state, name) for name in ("step", "totals", "history", "rounds", "best", "elapsed")},
    }, path)


def restore(setup: Setup, path: Path) -> RunState:
    """Continue a saved run; ModelError when it was started for another CVAE, topic model or config."""
    if not path.is_file():
        raise ModelError(f"no LC-GAN run to resume at {path}: train afresh without --resume")
    saved = torch.load(path, map_location="cpu", weights_only=True)
    if saved.get("cvae_fingerprint") != setup.fingerprint:
        raise ModelError(f"{path} was started against another CVAE (fingerprint {saved.get('cvae_fingerprint')}, "
                         f"the bundle's is {setup.fingerprint}): train afresh without --resume")
    if (saved["config"], saved["shape"], saved.get("topics")) != (dataclasses.asdict(setup.config),
                                                               dataclasses.asdict(setup.shape), setup.topics):
        raise ModelError(f"{path} was started with other lcgan settings or another topic model or weights: resume "
                         "with the settings it was started with, or train afresh without --resume")
    state = first_state_from(saved, setup)
    for name in ("step", "totals", "history", "rounds", "best", "elapsed"):
        setattr(state, name, saved[name])
    return state


def first_state_from(saved: dict[str, Any], setup: Setup) -> RunState:
    generator, critic = Generator(setup.shape), Critic(setup.shape)
    generator.load_state_dict(saved["generator"])
    critic.load_state_dict(saved["critic"])
    generator_optimizer = torch.optim.Adam(generator.parameters(), lr=setup.config.learning_rate)
    critic_optimizer = torch.optim.Adam(critic.parameters(), lr=setup.config.learning_rate)
    generator_optimizer.load_state_dict(saved["generator_optimizer"])
    critic_optimizer.load_state_dict(saved["critic_optimizer"])
    rng = torch.Generator()
    rng.set_state(saved["rng"])
    return RunState(generator=generator, critic=critic, generator_optimizer=generator_optimizer,
                    critic_optimizer=critic_optimizer, data=LabelledLatents(**saved["data"]), rng=rng)
