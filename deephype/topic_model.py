"""The trained LDA topic model as plain numpy arrays: batched topic inference, and saving it into the bundle.

Scoring needs only the dictionary, the topic-word parameters and the prior, so the bundle holds those
(`lda.npz`, no pickle) and inference never imports gensim.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from scipy.special import psi

from deephype.errors import ModelError
from deephype.tokens import tokenize

FORMAT = "deephype-lda/1"
LDA_FILE = "lda.npz"
MAX_ITERATIONS = 100  # the E-step converges in 10-30 iterations on short texts
TOLERANCE = 1e-3  # mean change of a text's topic counts at which it has converged (gensim's default)


class TopicModel:
    """LDA topics over a fixed dictionary: `lam` (K, V) is the variational topic-word parameter (Hoffman et al.
    2010, "Online Learning for Latent Dirichlet Allocation"), `alpha` (K,) the prior on a text's topic mix."""

    def __init__(self, words: Sequence[str], lam: np.ndarray, alpha: np.ndarray, info: dict[str, Any]) -> None:
        lam = np.asarray(lam, dtype=np.float32)
        alpha = np.asarray(alpha, dtype=np.float64)
        if lam.ndim != 2 or lam.shape != (alpha.shape[0], len(words)):
            raise ModelError(f"topic model arrays disagree: {lam.shape} topic-word parameters for "
                             f"{alpha.shape[0]} topics and {len(words)} words")
        self.words = tuple(words)
        self.lam = lam
        self.alpha = alpha
        self.info = dict(info)
        self.index = {word: i for i, word in enumerate(self.words)}
        lam64 = lam.astype(np.float64)
        self.topic_word = lam64 / lam64.sum(axis=1, keepdims=True)  # (K, V): p(word | topic)
        self._exp_elog_beta_t = np.exp(psi(lam64) - psi(lam64.sum(axis=1, keepdims=True))).T  # (V, K)

    @property
    def num_topics(self) -> int:
        return self.lam.shape[0]

    @property
    def model_id(self) -> str:
        """A fingerprint of the topics, so weights picked for one model are never applied to another."""
        digest = hashlib.sha256(self.lam.tobytes())
        digest.update("\n".join(self.words).encode("utf-8"))
        return digest.hexdigest()[:12]

    def top_words(self, topic: int, count: int) -> list[tuple[str, float]]:
        order = np.argsort(-self.topic_word[topic], kind="stable")[:count]
        return [(self.words[i], float(self.topic_word[topic, i])) for i in order]

    def word_counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """(N, V) counts of dictionary words per text; stop words, punctuation and placeholders are not in it."""
        if isinstance(texts, str):
            raise TypeError("pass a sequence of texts, not one string")
        indptr, indices = [0], []
        for text in texts:
            indices.extend(i for i in map(self.index.get, tokenize(text)) if i is not None)
            indptr.append(len(indices))
        counts = sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(texts), len(self.words)))
        counts.sum_duplicates()
        return counts

    def topic_distribution(self, texts: Sequence[str]) -> np.ndarray:
        """(N, K) posterior mean topic mix of each text; a text with no dictionary word gets the prior's mix."""
        gamma = self.infer(self.word_counts(texts))
        return gamma / gamma.sum(axis=1, keepdims=True)

    def infer(self, counts: sparse.csr_matrix) -> np.ndarray:
        """The variational E-step of LDA (Blei, Ng, Jordan 2003) for a whole batch at once: (N, K) gamma.

        Same update as gensim's `LdaModel.inference`, vectorised over texts; it starts from the prior plus an
        even share of each text's words rather than at random, so the same text always gets the same answer.
        """
        beta_t = self._exp_elog_beta_t
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        beta_nz = beta_t[counts.indices]  # (nnz, K)
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        gamma = self.alpha[None, :] + lengths[:, None] / self.num_topics  # (N, K)
        for _ in range(MAX_ITERATIONS):
            exp_elog_theta = np.exp(psi(gamma) - psi(gamma.sum(axis=1, keepdims=True)))  # (N, K)
            phinorm = np.einsum("ik,ik->i", exp_elog_theta[rows], beta_nz) + 1e-100  # (nnz,)
            ratios = sparse.csr_matrix((counts.data / phinorm, counts.indices, counts.indptr), shape=counts.shape)
            updated = self.alpha[None, :] + exp_elog_theta * (ratios @ beta_t)
            change = np.abs(updated - gamma).mean(axis=1)
            gamma = updated
            if change.max(initial=0.0) < TOLERANCE:
                break
        return gamma


def lda_path(model_dir: str | Path) -> Path:
    return Path(model_dir) / LDA_FILE


def save_topic_model(model: TopicModel, model_dir: str | Path) -> Path:
    """Write `lda.npz` into the bundle atomically: float32 parameters, the dictionary, and how it was trained."""
    path = lda_path(model_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    info = {**model.info, "format": FORMAT}
    with open(partial, "wb") as handle:
        np.savez_compressed(handle, words=np.array(model.words, dtype=str), lam=model.lam,
                            alpha=model.alpha.astype(np.float32), info=np.array(json.dumps(info)))
    os.replace(partial, path)
    return path


def load_topic_model(model_dir: str | Path) -> TopicModel:
    """The bundle's topic model, or a ModelError saying how to get one."""
    path = lda_path(model_dir)
    if not path.is_file():
        raise ModelError(f"no topic model in {Path(model_dir)} (expected {LDA_FILE}): "
                         "train one with `deephype train lda`")
    try:
        with np.load(path, allow_pickle=False) as arrays:
            words, lam, alpha = arrays["words"].tolist(), arrays["lam"], arrays["alpha"]
            info = json.loads(str(arrays["info"]))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0][:120]
        raise ModelError(f"{path} is not a readable topic model ({reason}): "
                         "retrain with `deephype train lda`") from None
    if not isinstance(info, dict) or info.get("format") != FORMAT:
        found = info.get("format") if isinstance(info, dict) else type(info).__name__
        raise ModelError(f"{path} is not a {FORMAT} topic model (found {found!r}): retrain with `deephype train lda`")
    return TopicModel(words, lam, alpha, info)
