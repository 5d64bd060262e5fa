"""Likelihood pieces for evaluation: posteriors of sentences, importance-weighted NLL terms, LM log-likelihood.

The importance-weighted bound (Burda et al. 2016) with K samples from q(z|x):
log p(x) >= logsumexp_k [log p(x|z_k) + log p(z_k) - log q(z_k|x)] - log K, tight as K grows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch.distributions import Normal

from deephype.batch import Batch, make_batch
from deephype.lm import LanguageModel
from deephype.model import CVAE, reparameterize, sentence_nll
from deephype.tokens import tokenize
from deephype.vocab import Vocabulary, condition_matrix


@dataclass(frozen=True)
class ImportanceTerms:
    log_px_z: torch.Tensor  # (B, K) log p(x | z_k, a), summed over tokens (<eos> included)
    log_pz: torch.Tensor  # (B, K) log N(z_k; 0, I)
    log_qz_x: torch.Tensor  # (B, K) log q(z_k | x)

    def nll(self) -> torch.Tensor:
        """Importance-weighted -log p(x) per sentence, in nats: (B,)."""
        k = self.log_px_z.shape[1]
        return -(torch.logsumexp(self.log_px_z + self.log_pz - self.log_qz_x, dim=1) - math.log(k))


def sentence_batch(vocab: Vocabulary, texts: Sequence[str], labels: Sequence[Sequence[str]],
                   conditions: Sequence[str]) -> Batch:
    """A Batch from cleaned sentences (placeholders in place) and each one's condition labels."""
    return make_batch(vocab, [tokenize(text) for text in texts], condition_matrix(labels, conditions))


@torch.inference_mode()
def encode(model: CVAE, vocab: Vocabulary, texts: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """Posterior mean and log-variance of each sentence: (N, Z) each. q(z|x) does not read the genres."""
    model.eval()
    dummy = torch.zeros(len(texts), model.config.condition_size)
    batch = make_batch(vocab, [tokenize(text) for text in texts], dummy)
    return model.encode(batch.targets, batch.lengths)


@torch.inference_mode()
def importance_terms(model: CVAE, batch: Batch, k: int, generator: torch.Generator | None = None) -> ImportanceTerms:
    """The three log-densities for K posterior samples per sentence; one decoder pass per sample."""
    model.eval()
    mu, logvar = model.encode(batch.targets, batch.lengths)  # (B, Z) each
    posterior, prior = Normal(mu, torch.exp(0.5 * logvar)), Normal(torch.zeros_like(mu), torch.ones_like(mu))
    columns: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]] = []
    for _ in range(k):
        z = reparameterize(mu, logvar, generator)  # (B, Z)
        logits, _ = model.decoder(batch.inputs, model.context(z, batch.condition))  # (B, T, V)
        columns.append((-sentence_nll(logits, batch.targets), prior.log_prob(z).sum(-1), posterior.log_prob(z).sum(-1)))
    log_px_z, log_pz, log_qz_x = (torch.stack(parts, dim=1) for parts in zip(*columns, strict=True))
    return ImportanceTerms(log_px_z=log_px_z, log_pz=log_pz, log_qz_x=log_qz_x)


@torch.inference_mode()
def lm_log_likelihood(model: LanguageModel, batch: Batch) -> torch.Tensor:
    """log p(x | a) of each sentence under the plain LM, summed over tokens (<eos> included): (B,)."""
    model.eval()
    logits, terms = model(batch)
    return -terms.reconstruction


def active_units(mu: torch.Tensor, threshold: float = 0.01) -> int:
    """Latent dimensions whose posterior mean varies across sentences (Burda et al. 2016): mu is (N, Z)."""
    if mu.shape[0] < 2:
        return 0
    return int((mu.var(dim=0) > threshold).sum())


def token_counts(batch: Batch) -> torch.Tensor:
    """Predicted tokens per sentence (words + <eos>): the denominator of per-word perplexity. (B,)"""
    return batch.lengths
