"""What generation needs from the corpus, built once and shipped beside the model bundle (`corpus_index.pt`):
hashes of every sentence and its n-grams (novelty) and how the corpus capitalises its words (casing).

With it, `deephype hype` runs without the corpus database; it is rebuilt when the model's vocabulary changes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch

from deephype.candidate_text import learn_casing
from deephype.corpus import read_sentences
from deephype.errors import ModelError
from deephype.sample_metrics import NOVELTY_NGRAM, ngrams
from deephype.store import Store
from deephype.tokens import PLACEHOLDERS, tokenize

log = logging.getLogger(__name__)

INDEX_FILE = "corpus_index.pt"
FORMAT = "deephype-corpus-index/2"
PHRASE_NGRAM = 4  # graded novelty: the share of a candidate's 4-grams that no corpus sentence has


def vocabulary_digest(words: Sequence[str]) -> str:
    """A fingerprint of a model's vocabulary: an index built for another corpus will not match it."""
    return hashlib.sha256("\n".join(words).encode("utf-8")).hexdigest()[:16]


def token_hash(tokens: Sequence[str]) -> int:
    """A stable signed 64-bit hash of a token sequence (Python's own hash() changes between processes)."""
    digest = hashlib.blake2b("\x1f".join(tokens).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def canonical(tokens: Sequence[str]) -> tuple[str, ...]:
    """Tokens as novelty compares them: a bare apostrophe after a name is a possessive, as "'s" is, since both
    render the same after a name ending in s ("Years & Years' upcoming")."""
    return tuple("'s" if token == "'" and i and tokens[i - 1] in PLACEHOLDERS else token
                 for i, token in enumerate(tokens))


def _hashes(rows: Iterable[Sequence[str]], n: int) -> frozenset[int]:
    return frozenset(token_hash(gram) for tokens in rows for gram in ngrams(tokens, n))


@dataclass(frozen=True)
class CorpusIndex:
    digest: str  # vocabulary_digest of the model it was built for
    sentences: frozenset[int]  # token_hash of every corpus sentence
    ngrams: frozenset[int]  # token_hash of every NOVELTY_NGRAM-gram
    phrases: frozenset[int]  # token_hash of every PHRASE_NGRAM-gram
    casing: dict[str, str]  # lower-cased word -> its usual written form, where that is not lower case

    @classmethod
    def build(cls, texts: Sequence[str], vocabulary: Sequence[str]) -> CorpusIndex:
        """Index corpus sentences (placeholders in place) for the model with `vocabulary`."""
        rows = [canonical(tokenize(text)) for text in texts]
        return cls(
            digest=vocabulary_digest(vocabulary),
            sentences=frozenset(token_hash(tokens) for tokens in rows),
            ngrams=_hashes(rows, NOVELTY_NGRAM),
            phrases=_hashes(rows, PHRASE_NGRAM),
            casing=learn_casing(texts, vocabulary),
        )

    def is_novel(self, tokens: Sequence[str]) -> bool:
        """Not a corpus sentence, and no NOVELTY_NGRAM tokens in a row copied from one."""
        tokens = canonical(tokens)
        if token_hash(tokens) in self.sentences:
            return False
        return not any(token_hash(gram) in self.ngrams for gram in ngrams(tokens, NOVELTY_NGRAM))

    def novelty(self, tokens: Sequence[str]) -> float:
        """Share of the text's 4-grams that no corpus sentence has: 0 for a patchwork of stock phrases."""
        grams = list(ngrams(canonical(tokens), PHRASE_NGRAM))
        if not grams:
            return 1.0
        return sum(token_hash(gram) not in self.phrases for gram in grams) / len(grams)

    def save(self, path: str | Path) -> Path:
        """Write atomically, as plain tensors and strings (loadable with weights_only=True)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        torch.save({
            "format": FORMAT,
            "digest": self.digest,
            "sentences": torch.tensor(sorted(self.sentences), dtype=torch.int64),
            "ngrams": torch.tensor(sorted(self.ngrams), dtype=torch.int64),
            "phrases": torch.tensor(sorted(self.phrases), dtype=torch.int64),
            "casing": dict(self.casing),
        }, partial)
        os.replace(partial, path)
        return path

    @classmethod
    def load(cls, path: str | Path) -> CorpusIndex:
        try:
            raw = torch.load(path, map_location="cpu", weights_only=True)
        except (pickle.UnpicklingError, RuntimeError, EOFError, OSError, ValueError) as error:
            raise ModelError(f"{path} is not a readable corpus index ({str(error)[:100]}): delete it and run "
                             "`deephype hype` with the corpus database present to rebuild it") from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise ModelError(f"{path} is not a {FORMAT} file: delete it and run `deephype hype` with the corpus "
                             "database present to rebuild it")
        return cls(raw["digest"], frozenset(raw["sentences"].tolist()), frozenset(raw["ngrams"].tolist()),
                   frozenset(raw["phrases"].tolist()), dict(raw["casing"]))


def index_path(model_dir: str | Path) -> Path:
    return Path(model_dir) / INDEX_FILE


def load_corpus_index(model_dir: str | Path, vocabulary: Sequence[str], corpus_db: str | Path | None) -> CorpusIndex:
    """The bundle's corpus index for this vocabulary; built from `corpus_db` (and saved into the bundle) when it
    is missing, unreadable, of an older format or for another model. Without either, a ModelError: novelty cannot
    be checked."""
    path, digest = index_path(model_dir), vocabulary_digest(vocabulary)
    corpus = Path(corpus_db) if corpus_db else None
    can_build = corpus is not None and corpus.is_file()
    if path.is_file():
        try:
            index = CorpusIndex.load(path)
        except ModelError:
            if not can_build:
                raise
        else:
            if index.digest == digest:
                return index
        log.info("rebuilding %s from %s", path, corpus)
    if not can_build:
        raise ModelError(f"the model bundle {Path(model_dir)} has no {INDEX_FILE} for its vocabulary, and there is "
                         f"no corpus database at {corpus} to build one from: run `deephype data build`, or use a "
                         "bundle that ships its index")
    return _build_index(corpus, vocabulary, path)


def _build_index(corpus: Path, vocabulary: Sequence[str], path: Path) -> CorpusIndex:
    store = Store.open(corpus)
    try:
        texts = [sentence.text for sentence in read_sentences(store)]
    finally:
        store.close()
    if not texts:
        raise ModelError(f"the corpus database {corpus} holds no sentences: run `deephype data build`")
    index = CorpusIndex.build(texts, vocabulary)
    try:
        index.save(path)
    except OSError as error:  # a read-only bundle still works; the index is rebuilt next time
        log.warning("could not save the corpus index to %s: %s", path, error)
    return index
