"""The LC-GAN critic's data: latents paired with the LDA topic mix, and the LM baseline's fluency, of the text they
decode to.

Latents come from the prior, from the posteriors of training sentences and, as training goes, from the generator
itself; each is decoded the way generation decodes (temperature and top-p sampling) and the sentence it writes is
judged (deephype/lcgan_eval.py). So the critic learns what the decoder will actually write, not what the input said.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from deephype.batch import make_batch
from deephype.checkpoint import LoadedModel
from deephype.corpus import CorpusSentence
from deephype.lcgan_eval import JudgedSamples, SampleJudge
from deephype.model import CVAE, reparameterize
from deephype.tokens import tokenize
from deephype.vocab import condition_matrix

ENCODE_CHUNK = 256  # sentences per encoder pass: (B, T, E) activations stay small
SOURCES = ("prior", "posterior", "generator")


@dataclass(frozen=True)
class PosteriorPool:
    """q(z|x) of every training sentence, with its genre vector: the realism critic's positives, G's genres."""

    mu: torch.Tensor  # (N, Z)
    logvar: torch.Tensor  # (N, Z)
    condition: torch.Tensor  # (N, C)

    def __len__(self) -> int:
        return self.mu.shape[0]

    def variance(self) -> torch.Tensor:
        """The encoder's mean posterior variance per dimension, sigma_z^2 of the distance penalty: (Z,)."""
        return self.logvar.exp().mean(dim=0)

    def draw(self, count: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """`count` posterior latents of random sentences with their genres: (count, Z), (count, C)."""
        rows = torch.randint(len(self), (count,), generator=generator)
        return reparameterize(self.mu[rows], self.logvar[rows], generator), self.condition[rows]

    def genres(self, count: int, generator: torch.Generator) -> torch.Tensor:
        """Genre vectors of random training sentences, for prior latents: (count, C)."""
        return self.condition[torch.randint(len(self), (count,), generator=generator)]


@dataclass(frozen=True)
class LabelledLatents:
    z: torch.Tensor  # (N, Z)
    condition: torch.Tensor  # (N, C)
    topics: torch.Tensor  # (N, K) LDA topic mix of the sentence each latent decoded to
    fluency: torch.Tensor  # (N,) the LM baseline's -log p per token of that sentence
    source: torch.Tensor  # (N,) index into SOURCES

    def __len__(self) -> int:
        return self.z.shape[0]

    def prior_fluency(self) -> float:
        """The mean per-token NLL of what prior latents decode to: the fluency G must not fall below."""
        return float(self.fluency[self.source == SOURCES.index("prior")].mean())

    def extend(self, other: LabelledLatents) -> LabelledLatents:
        names = ("z", "condition", "topics", "fluency", "source")
        return LabelledLatents(**{name: torch.cat([getattr(self, name), getattr(other, name)]) for name in names})


@torch.inference_mode()
def posterior_pool(cvae: LoadedModel, sentences: Sequence[CorpusSentence]) -> PosteriorPool:
    """Encode every sentence (the encoder does not read genres) and keep its genre vector over the CVAE's labels."""
    model: CVAE = cvae.model  # type: ignore[assignment]
    model.eval()
    mus, logvars = [], []
    for start in range(0, len(sentences), ENCODE_CHUNK):
        chunk = sentences[start : start + ENCODE_CHUNK]
        dummy = torch.zeros(len(chunk), len(cvae.conditions))
        batch = make_batch(cvae.vocab, [tokenize(s.text) for s in chunk], dummy)
        mu, logvar = model.encode(batch.targets, batch.lengths)  # (B, Z) each
        mus.append(mu)
        logvars.append(logvar)
    condition = condition_matrix((s.condition_labels for s in sentences), cvae.conditions)
    return PosteriorPool(torch.cat(mus), torch.cat(logvars), condition)


def label(judge: SampleJudge, z: torch.Tensor, condition: torch.Tensor, source: str,
          seed: int) -> tuple[LabelledLatents, JudgedSamples]:
    """Latents from one source, labelled with the topic mix and fluency of what they decode to."""
    judged = judge.judge(z, condition, seed)
    labelled = LabelledLatents(z=z.float(), condition=condition.float(), topics=torch.from_numpy(judged.topics).float(),
                               fluency=torch.from_numpy(judged.nll_per_token()).float(),
                               source=torch.full((z.shape[0],), SOURCES.index(source), dtype=torch.long))
    return labelled, judged


def initial_latents(judge: SampleJudge, pool: PosteriorPool, prior_samples: int, posterior_samples: int,
                    seed: int) -> tuple[LabelledLatents, JudgedSamples]:
    """The critic's first data: prior latents with training genres, and posterior latents of training sentences.

    Also returns the prior latents' judgement: the baseline the generator has to beat.
    """
    generator = torch.Generator().manual_seed(seed)
    z = torch.randn(prior_samples, judge.cvae.model.config.latent_dim, generator=generator)
    prior, baseline = label(judge, z, pool.genres(prior_samples, generator), "prior", seed)
    posterior_z, posterior_condition = pool.draw(posterior_samples, generator)
    posterior, _ = label(judge, posterior_z, posterior_condition, "posterior", seed + 1)
    return prior.extend(posterior), baseline
