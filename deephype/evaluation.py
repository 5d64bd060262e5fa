"""The evaluation report of `deephype eval`: likelihood figures of the CVAE and its LM yardstick on held-out
sentences, and sample figures of prior samples beside the same figures of the real sentences.

The report is a dict: likelihood figures at the top, one dict per section ("samples", "real"); later stages add
sections of their own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from tqdm import tqdm

from deephype.batch import make_batch
from deephype.checkpoint import LoadedModel
from deephype.conditions import ConditionLabels
from deephype.corpus import CorpusSentence, read_sentences
from deephype.errors import EmptyCorpusError, StoreError
from deephype.likelihood import active_units, importance_terms
from deephype.model import CVAE, gaussian_kl, reparameterize
from deephype.sample_metrics import TrainingIndex, sentence_figures
from deephype.sampling import DecodeOptions, sample
from deephype.scoring import lm_sentence_nll
from deephype.store import Store
from deephype.tokens import tokenize
from deephype.vocab import condition_matrix

SAMPLE_CHUNK = 250  # prior samples decoded per call: big enough to batch well, small enough to show progress


@dataclass(frozen=True)
class EvalSet:
    tokens: list[list[str]]  # tokenised held-out sentences, placeholders in place
    condition: torch.Tensor  # (N, C) genre vectors over the model's condition labels

    def __len__(self) -> int:
        return len(self.tokens)


@dataclass(frozen=True)
class EvalOptions:
    k: int = 50  # importance samples per sentence (Burda et al. 2016); the bound tightens as K grows
    samples: int = 1000  # prior samples to judge
    batch_size: int = 32  # sentences per likelihood batch: K decoder passes each, (B, T, V) logits per pass
    seed: int = 0
    decode: DecodeOptions = field(default_factory=DecodeOptions)


def eval_set(sentences: Sequence[CorpusSentence], labels: Sequence[str]) -> EvalSet:
    """Held-out sentences with their genres re-mapped to the model's own condition labels."""
    if not sentences:
        raise EmptyCorpusError("there are no sentences to evaluate: the posts gave none the pipeline kept")
    mapper = ConditionLabels(list(labels))
    conditions = [mapper.map(sentence.genres) for sentence in sentences]
    return EvalSet([tokenize(s.text) for s in sentences], condition_matrix(conditions, labels))


def likelihood_figures(cvae: LoadedModel, lm: LoadedModel, data: EvalSet, options: EvalOptions,
                       progress: bool = False) -> dict[str, Any]:
    """Per sentence: importance-weighted NLL, -ELBO = reconstruction + KL (reconstruction averaged over the same
    K posterior samples, KL in closed form), both in nats; per token (words + <eos>): the CVAE's perplexity
    from the IW NLL and the LM's exact one; active units and mutual information over the whole set."""
    model: CVAE = cvae.model  # type: ignore[assignment]
    generator = torch.Generator().manual_seed(options.seed)
    sums = {"nll": 0.0, "reconstruction": 0.0, "kl": 0.0, "lm_nll": 0.0, "tokens": 0}
    means, logvars = [], []
    order = sorted(range(len(data)), key=lambda i: len(data.tokens[i]))
    starts = range(0, len(order), options.batch_size)
    for start in tqdm(starts, desc=f"likelihood (K={options.k})", unit="batch", disable=not progress):
        chosen = order[start : start + options.batch_size]
        batch = make_batch(cvae.vocab, [data.tokens[i] for i in chosen], data.condition[chosen])
        terms = importance_terms(model, batch, options.k, generator)
        with torch.inference_mode():
            mu, logvar = model.encode(batch.targets, batch.lengths)  # (B, Z) each; eval mode: deterministic
        sums["nll"] += terms.nll().sum().item()
        sums["reconstruction"] += -terms.log_px_z.mean(dim=1).sum().item()
        sums["kl"] += gaussian_kl(mu, logvar).sum().item()
        sums["tokens"] += int(batch.lengths.sum())
        means.append(mu)
        logvars.append(logvar)
    sums["lm_nll"] = lm_sentence_nll(lm.model, lm.vocab, data.tokens, data.condition).sum().item()
    mu, logvar, n = torch.cat(means), torch.cat(logvars), len(data)
    return {
        "sentences": n,
        "nll": sums["nll"] / n,
        "ppl": math.exp(sums["nll"] / sums["tokens"]),
        "lm_ppl": math.exp(sums["lm_nll"] / sums["tokens"]),
        "elbo": (sums["reconstruction"] + sums["kl"]) / n,
        "reconstruction": sums["reconstruction"] / n,
        "kl": sums["kl"] / n,
        "active_units": active_units(mu),
        "mi": mutual_information(mu, logvar, torch.Generator().manual_seed(options.seed + 1)),
    }


def mutual_information(mu: torch.Tensor, logvar: torch.Tensor, generator: torch.Generator | None = None,
                       chunk: int = 256) -> float:
    """I(x; z) under q(x, z) = p_data(x) q(z|x) (Hoffman & Johnson 2016), estimated as in He et al. 2019 with
    the aggregate posterior q(z) the mixture of the N posteriors: E[log q(z|x) - log q(z)], one z per sentence.

    He et al. take E log q(z|x) in closed form; we evaluate it at the same z as log q(z), which cancels most of
    the sampling noise (the estimate is exactly 0 when all posteriors coincide). mu, logvar: (N, Z). At most log N.
    """
    n, d = mu.shape
    if n < 2:
        return 0.0
    z = reparameterize(mu, logvar, generator)  # (N, Z)
    variance, log_norm = logvar.exp(), 0.5 * (d * math.log(2 * math.pi) + logvar.sum(dim=-1))  # (N, Z), (N,)
    log_q_own, log_q_mix = [], []
    for start in range(0, n, chunk):
        rows = torch.arange(start, min(start + chunk, n))
        deviation = z[rows].unsqueeze(1) - mu.unsqueeze(0)  # (c, N, Z)
        log_density = -0.5 * (deviation.pow(2) / variance.unsqueeze(0)).sum(dim=-1) - log_norm  # (c, N) log q(z_i|x_j)
        log_q_own.append(log_density[torch.arange(len(rows)), rows])  # (c,) log q(z_i | x_i)
        log_q_mix.append(torch.logsumexp(log_density, dim=1) - math.log(n))  # (c,) log q(z_i)
    return float((torch.cat(log_q_own) - torch.cat(log_q_mix)).mean())


def draw_rows(n_rows: int, count: int, seed: int) -> list[int]:
    """Rows of the evaluated data whose genre vectors condition the prior samples: distinct rows when there are
    enough, else drawn with replacement."""
    generator = torch.Generator().manual_seed(seed)
    if n_rows >= count:
        return torch.randperm(n_rows, generator=generator)[:count].tolist()
    return torch.randint(n_rows, (count,), generator=generator).tolist()


def prior_samples(cvae: LoadedModel, condition: torch.Tensor, options: EvalOptions,
                  progress: bool = False) -> tuple[list[list[str]], list[bool]]:
    """Decode one prior sample per row of `condition` (N, C) with the evaluation's decoding options."""
    tokens, finished = [], []
    starts = range(0, condition.shape[0], SAMPLE_CHUNK)
    for chunk, start in enumerate(tqdm(starts, desc="prior samples", unit="chunk", disable=not progress)):
        rows = condition[start : start + SAMPLE_CHUNK]
        for decoded in sample(cvae.model, cvae.vocab, rows, seed=options.seed + chunk, options=options.decode):
            tokens.append(list(decoded.tokens))
            finished.append(decoded.finished)
    return tokens, finished


def sample_sections(cvae: LoadedModel, lm: LoadedModel, data: EvalSet, training: TrainingIndex,
                    options: EvalOptions, progress: bool = False) -> dict[str, dict[str, float]]:
    """Figures of `options.samples` prior samples, each conditioned on a real sentence's genre vector, and the
    same figures for those real sentences (all of them when there are fewer). distinct-n falls as a set grows,
    so each section says how many sentences it holds."""
    rows = draw_rows(len(data), options.samples, options.seed)
    condition = data.condition[rows]
    samples, finished = prior_samples(cvae, condition, options, progress)
    real_rows = rows if len(data) >= options.samples else list(range(len(data)))
    real = [data.tokens[i] for i in real_rows]
    sections = {
        "samples": sentence_figures(samples, finished, training, cvae.vocab),
        "real": sentence_figures(real, [True] * len(real), training, cvae.vocab),
    }
    for name, sentences, vectors in (("samples", samples, condition), ("real", real, data.condition[real_rows])):
        nll = lm_sentence_nll(lm.model, lm.vocab, sentences, vectors)
        sections[name]["lm_ppl"] = math.exp(nll.sum().item() / sum(len(s) + 1 for s in sentences))
        sections[name]["sentences"] = len(sentences)
    return sections


def evaluate(cvae: LoadedModel, lm: LoadedModel, sentences: Sequence[CorpusSentence], training: TrainingIndex,
             options: EvalOptions = EvalOptions(), progress: bool = False) -> dict[str, Any]:
    """The whole report on held-out sentences (see the module docstring for its shape)."""
    data = eval_set(sentences, cvae.conditions)
    report = likelihood_figures(cvae, lm, data, options, progress)
    report.update(sample_sections(cvae, lm, data, training, options, progress))
    return report


def training_index(corpus_db: Path) -> TrainingIndex:
    """Novelty's reference: the training sentences of the corpus the model was trained on."""
    if not corpus_db.is_file():
        raise StoreError(f"no corpus at {corpus_db}: novelty is judged against its training sentences; "
                         "run `deephype data build` first")
    store = Store.open(corpus_db)
    try:
        sentences = read_sentences(store, "train")
    finally:
        store.close()
    if not sentences:
        raise EmptyCorpusError(f"the corpus at {corpus_db} has no training sentences: run `deephype data build`")
    return TrainingIndex.build(tokenize(sentence.text) for sentence in sentences)
