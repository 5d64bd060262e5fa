"""The LC-GAN (Engel, Hoffman, Roberts 2017, "Latent Constraints"): a critic D and a gated generator G on the CVAE's
decoder input cat(z, a), trained so that prior latents moved by G decode to text in the preferred LDA topics.

D predicts the topic mix of the text a latent decodes to and how fluent the LM baseline finds that text, and tells
posterior latents of real sentences from G's outputs (the paper's realism constraint). G moves z to
z' = (1 - g) * z + g * dz, rewarded by D's predicted topic reward, and penalised by D's predicted loss of fluency and
by its distance from z. Only G ships in the bundle (`lcgan.pt`), with a fingerprint of the CVAE it was trained against.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from deephype.checkpoint import LoadedModel, save_checkpoint
from deephype.errors import ModelError

log = logging.getLogger(__name__)

FORMAT = "deephype-lcgan/1"
LCGAN_FILE = "lcgan.pt"
GATE_BIAS = -2.0  # G starts near the identity (g ~ 0.12), so its first outputs are already latents D calls real
# G's proposals dz stay within +-4 per dimension, where the prior keeps 99.99% of each coordinate: further out the
# decoder writes word salad that no critic trained near the prior can judge (an unbounded G drifted to ||z'|| ~ 1000).
PROPOSAL_RANGE = 4.0


@dataclass(frozen=True)
class LCGANShape:
    """What D and G are built from: sizes fixed by the CVAE and the topic model, widths by `LCGANConfig`."""

    latent_dim: int  # the CVAE's z
    condition_size: int  # the CVAE's genre vector a
    num_topics: int  # D's topic head predicts the LDA mix of the decoded text
    hidden_dim: int = 256
    hidden_layers: int = 2


def mlp(input_dim: int, hidden_dim: int, layers: int) -> nn.Sequential:
    """`layers` ReLU layers of `hidden_dim` units; the caller adds the output layer."""
    parts: list[nn.Module] = []
    for i in range(layers):
        parts += [nn.Linear(input_dim if i == 0 else hidden_dim, hidden_dim), nn.ReLU()]
    return nn.Sequential(*parts)


@dataclass(frozen=True)
class Judgement:
    """What D says of latents (B, Z) with genres (B, C)."""

    topic_logits: torch.Tensor  # (B, K) the topic mix of the text they decode to, as logits
    fluency: torch.Tensor  # (B,) the LM baseline's -log p per token of that text, in nats
    realism: torch.Tensor  # (B,) logit that they are posterior latents of real sentences


class Critic(nn.Module):
    """D(z, a): one MLP per judgement. Separate MLPs: the realism head is trained adversarially and must not drag the
    two regression heads around."""

    def __init__(self, shape: LCGANShape):
        super().__init__()
        width, inputs = shape.hidden_dim, shape.latent_dim + shape.condition_size
        self.topics = nn.Sequential(mlp(inputs, width, shape.hidden_layers), nn.Linear(width, shape.num_topics))
        self.fluency = nn.Sequential(mlp(inputs, width, shape.hidden_layers), nn.Linear(width, 1))
        self.realism = nn.Sequential(mlp(inputs, width, shape.hidden_layers), nn.Linear(width, 1))

    def forward(self, z: torch.Tensor, condition: torch.Tensor) -> Judgement:
        x = torch.cat([z, condition], dim=-1)  # (B, Z + C)
        return Judgement(self.topics(x), self.fluency(x).squeeze(-1), self.realism(x).squeeze(-1))


class Generator(nn.Module):
    """G(z, a) = (1 - g) * z + g * dz, with the gate g in (0, 1) and the proposal dz both computed from cat(z, a)
    (Engel et al. 2017): a closed gate leaves z as it is. dz is bounded (PROPOSAL_RANGE), so z' is too."""

    def __init__(self, shape: LCGANShape):
        super().__init__()
        self.body = mlp(shape.latent_dim + shape.condition_size, shape.hidden_dim, shape.hidden_layers)
        self.shift = nn.Linear(shape.hidden_dim, shape.latent_dim)
        self.gate = nn.Linear(shape.hidden_dim, shape.latent_dim)
        nn.init.constant_(self.gate.bias, GATE_BIAS)

    def gate_and_proposal(self, z: torch.Tensor, condition: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.body(torch.cat([z, condition], dim=-1))  # (B, H)
        return torch.sigmoid(self.gate(hidden)), PROPOSAL_RANGE * torch.tanh(self.shift(hidden))  # (B, Z) each

    def forward(self, z: torch.Tensor, condition: torch.Tensor) -> torch.Tensor:
        g, dz = self.gate_and_proposal(z, condition)
        return (1 - g) * z + g * dz  # (B, Z)


def topic_loss(topic_logits: torch.Tensor, topics: torch.Tensor) -> torch.Tensor:
    """D's attribute loss: cross-entropy of its predicted topic mix (B, K) against the LDA mix of the decoded text
    (B, K), i.e. KL up to a constant. The paper's attributes are labels; ours are the decoded text's topics."""
    return -(topics * F.log_softmax(topic_logits, dim=-1)).sum(dim=-1).mean()


def fluency_loss(predicted: torch.Tensor, nll_per_token: torch.Tensor) -> torch.Tensor:
    """D's fluency loss: squared error of its predicted per-token NLL of the decoded text (B,) against the LM's (B,).
    A constraint on the decoded text like the paper's attribute constraints, so that G learns where in latent space
    the decoder stays fluent rather than only where it stays near real latents."""
    return F.mse_loss(predicted, nll_per_token)


def realism_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """D's realism loss (Engel et al. 2017): posterior latents of real sentences are 1, G's outputs and
    prior draws 0, by binary cross-entropy."""
    real = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
    fake = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return (real + fake) / 2


def predicted_reward(topic_logits: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """D's estimate of the topic reward theta . w of the decoded text: (B, K), (K,) -> (B,)."""
    if topic_logits.shape[-1] != weights.shape[0]:
        raise ModelError(f"the critic predicts {topic_logits.shape[-1]} topics but {weights.shape[0]} topic weights "
                         "were given: retrain the LC-GAN with the current topic model")
    return torch.softmax(topic_logits, dim=-1) @ weights


def distance_penalty(moved: torch.Tensor, z: torch.Tensor, posterior_variance: torch.Tensor) -> torch.Tensor:
    """Engel et al. 2017: L_dist(z', z) = mean over dims of log(1 + (z' - z)^2) / sigma_z^2, with sigma_z^2
    the encoder's mean posterior variance per dimension: moving along a dimension the encoder pins down precisely
    changes the sentence most. Grows with distance, but only logarithmically, so it never swamps the reward. (B,)"""
    return (torch.log1p((moved - z).pow(2)) / posterior_variance).mean(dim=-1)


@dataclass(frozen=True)
class GeneratorObjective:
    """How G weighs each term against D's predicted reward (weight 1)."""

    fluency_weight: float  # per nat of predicted per-token NLL above the baseline
    fluency_baseline: float  # the prior samples' mean per-token NLL: only fluency lost beyond it costs anything
    realism_weight: float
    distance_weight: float


@dataclass(frozen=True)
class GeneratorLoss:
    total: torch.Tensor  # what G minimises
    reward: torch.Tensor  # D's predicted reward of G's latents (maximised)
    fluency: torch.Tensor  # how far D's predicted per-token NLL of their text exceeds the baseline, in nats
    realism: torch.Tensor  # -log D_realism(G(z)): the non-saturating GAN loss
    distance: torch.Tensor  # the distance penalty, before its weight


def generator_loss(generator: Generator, critic: Critic, z: torch.Tensor, condition: torch.Tensor,
                   weights: torch.Tensor, posterior_variance: torch.Tensor,
                   objective: GeneratorObjective) -> GeneratorLoss:
    """G's loss on prior latents z (B, Z) with genres (B, C): -reward + fluency + realism + distance, weighted.

    The fluency term is a hinge on the batch's mean predicted NLL: G gains nothing by writing blander text than the
    prior does (which is easier than writing better text), it only pays for writing less fluent text.
    """
    moved = generator(z, condition)  # (B, Z)
    judged = critic(moved, condition)
    reward = predicted_reward(judged.topic_logits, weights).mean()
    fluency = torch.relu(judged.fluency.mean() - objective.fluency_baseline)
    realism = F.binary_cross_entropy_with_logits(judged.realism, torch.ones_like(judged.realism))
    distance = distance_penalty(moved, z, posterior_variance).mean()
    total = (-reward + objective.fluency_weight * fluency + objective.realism_weight * realism
             + objective.distance_weight * distance)
    return GeneratorLoss(total=total, reward=reward, fluency=fluency, realism=realism, distance=distance)


def cvae_fingerprint(cvae: LoadedModel) -> str:
    """A fingerprint of a CVAE's weights, words and condition labels: an LC-GAN is only valid for that CVAE."""
    digest = hashlib.sha256()
    for name, tensor in sorted(cvae.model.state_dict().items()):
        digest.update(name.encode("utf-8"))
        digest.update(tensor.detach().float().contiguous().numpy().tobytes())
    digest.update("\n".join(cvae.vocab.words).encode("utf-8"))
    digest.update("\n".join(cvae.conditions).encode("utf-8"))
    return digest.hexdigest()[:16]


def lcgan_path(model_dir: str | Path) -> Path:
    return Path(model_dir) / LCGAN_FILE


def make_lcgan_checkpoint(generator: Generator, shape: LCGANShape, fingerprint: str, topics: dict[str, Any],
                          config: dict[str, Any], metrics: dict[str, Any]) -> dict[str, Any]:
    """The bundle's plain dict: G's weights in float16 (upcast on load), how it was built and against what.

    `topics` records the topic model id and weights G was trained toward; `config` the LCGANConfig used.
    """
    state = {k: (v.half() if v.is_floating_point() else v).clone() for k, v in generator.state_dict().items()}
    return {"format": FORMAT, "shape": dataclasses.asdict(shape), "cvae_fingerprint": fingerprint,
            "topics": dict(topics), "config": dict(config), "metrics": dict(metrics), "generator": state}


def save_lcgan(checkpoint: dict[str, Any], model_dir: str | Path) -> Path:
    return save_checkpoint(checkpoint, lcgan_path(model_dir))


def read_lcgan(path: str | Path) -> dict[str, Any]:
    """The LC-GAN checkpoint dict at `path`, or a ModelError saying why it cannot be one."""
    path = Path(path)
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, OSError, ValueError, AttributeError) as error:
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0][:120]
        raise ModelError(f"{path} is not a readable LC-GAN checkpoint ({reason}): "
                         "retrain it with `deephype train lcgan`") from None
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != FORMAT:
        found = checkpoint.get("format") if isinstance(checkpoint, dict) else type(checkpoint).__name__
        raise ModelError(f"{path} is not a {FORMAT} checkpoint (found {found!r}): retrain with `deephype train lcgan`")
    for key, kind in (("shape", dict), ("cvae_fingerprint", str), ("generator", dict), ("metrics", dict),
                      ("topics", dict)):
        if not isinstance(checkpoint.get(key), kind):
            raise ModelError(f"{path} is corrupt: its '{key}' entry is missing or not a {kind.__name__}")
    return checkpoint


class LatentGenerator:
    """The trained G, ready for generation: `transform(z, condition)` moves prior latents toward preferred topics."""

    def __init__(self, generator: Generator, checkpoint: dict[str, Any], path: Path):
        self.generator = generator.eval()
        self.topics = checkpoint["topics"]  # {"model_id": ..., "weights": [...]} G was trained toward
        self.metrics = checkpoint["metrics"]
        self.path = path

    @torch.inference_mode()
    def transform(self, z: torch.Tensor, condition: torch.Tensor) -> torch.Tensor:
        """z' for prior latents (N, Z) and genre vectors (N, C): (N, Z)."""
        return self.generator(z.float(), condition.float())


def build_latent_generator(checkpoint: dict[str, Any], cvae: LoadedModel, path: Path) -> LatentGenerator:
    """Rebuild G from a checkpoint; ModelError unless it was trained against this very CVAE."""
    expected, found = cvae_fingerprint(cvae), checkpoint["cvae_fingerprint"]
    if found != expected:
        raise ModelError(f"{path} was trained against another CVAE (fingerprint {found}) than {cvae.path} "
                         f"(fingerprint {expected}): retrain it with `deephype train lcgan`")
    shape = LCGANShape(**checkpoint["shape"])
    if (shape.latent_dim, shape.condition_size) != (cvae.model.config.latent_dim, len(cvae.conditions)):
        raise ModelError(f"{path} expects {shape.latent_dim}-d latents and {shape.condition_size} condition labels, "
                         f"{cvae.path} has {cvae.model.config.latent_dim} and {len(cvae.conditions)}: retrain it")
    generator = Generator(shape)
    state = {k: v.float() if v.is_floating_point() else v for k, v in checkpoint["generator"].items()}
    try:
        generator.load_state_dict(state)
    except RuntimeError as error:
        detail = str(error).strip().splitlines()[-1].strip()[:160]
        raise ModelError(f"{path}: the weights do not match its shape ({detail}): retrain the LC-GAN") from None
    return LatentGenerator(generator, checkpoint, path)


def load_lcgan(model_dir: str | Path, cvae: LoadedModel) -> LatentGenerator | None:
    """The bundle's LC-GAN generator for `cvae`, or None (logged: generation then samples from the prior)."""
    path = lcgan_path(model_dir)
    if not path.is_file():
        log.info("no LC-GAN generator in %s (%s): latents come from the prior", Path(model_dir), LCGAN_FILE)
        return None
    return build_latent_generator(read_lcgan(path), cvae, path)
