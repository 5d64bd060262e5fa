"""Fit the LDA topic model on corpus sentences with gensim (the only module that imports it).

Sentences lose their placeholders, stop words, numbers and punctuation; the fitted topics are handed over as a
plain `TopicModel` (deephype/topic_model.py), which is what the bundle stores and the reward reads.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from gensim.corpora import Dictionary
from gensim.models import LdaModel
from gensim.models.callbacks import Metric
from gensim.parsing.preprocessing import STOPWORDS

from deephype.config import TopicsConfig
from deephype.errors import EmptyCorpusError
from deephype.tokens import PLACEHOLDERS, tokenize
from deephype.topic_lexicon import DESCRIPTIVE, PROMOTIONAL
from deephype.topic_model import TopicModel

CHUNK_SIZE = 2000  # sentences per online update (gensim's default)
MIN_WORD_LENGTH = 3  # "ok", "yo", "la": too short to mean a topic
# gensim's stop words, except those the weight rule reads ("below" in "stream it below", "via", "thick").
STOP_WORDS = STOPWORDS - PROMOTIONAL - DESCRIPTIVE


def lda_words(text: str) -> list[str]:
    """The words of a sentence that LDA sees: lower-cased, no stop words, placeholders, numbers or clitics."""
    return [
        token for token in tokenize(text)
        if token not in PLACEHOLDERS and len(token) >= MIN_WORD_LENGTH and token not in STOP_WORDS
        and "'" not in token and token[0].isalpha()
    ]


def train_topic_model(texts: Sequence[str], config: TopicsConfig,
                      on_pass: Callable[[int], None] | None = None) -> TopicModel:
    """LDA over `texts` with config's topic count, passes and seed; `on_pass(n)` is called after each pass."""
    documents = [lda_words(text) for text in texts]
    dictionary = Dictionary(documents)
    dictionary.filter_extremes(no_below=config.no_below, no_above=config.no_above, keep_n=None)
    corpus = [bow for bow in map(dictionary.doc2bow, documents) if bow]
    if not corpus:
        raise EmptyCorpusError(f"no words left for LDA in {len(texts)} sentences after removing stop words and "
                               f"words in fewer than {config.no_below} sentences (topics.no_below)")
    started = time.perf_counter()
    lda = LdaModel(corpus, id2word=dictionary, num_topics=config.num_topics, alpha="auto", passes=config.passes,
                   iterations=config.iterations, chunksize=CHUNK_SIZE, random_state=config.seed, eval_every=None,
                   callbacks=[_PassCounter(on_pass)] if on_pass else None)
    info = {
        "num_topics": config.num_topics,
        "passes": config.passes,
        "seed": config.seed,
        "no_below": config.no_below,
        "no_above": config.no_above,
        "sentences": len(corpus),
        "words": len(dictionary),
        "per_word_bound": round(float(lda.log_perplexity(corpus)), 4),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    words = [dictionary[i] for i in range(len(dictionary))]
    return TopicModel(words, lda.state.get_lambda(), lda.alpha, info)


class _PassCounter(Metric):
    """A gensim callback metric that only reports each finished pass: gensim asks every metric once a pass."""

    logger = None  # gensim's Callback checks it to decide where to log; we show progress ourselves
    title = "passes"

    def __init__(self, on_pass: Callable[[int], None]) -> None:
        self.on_pass = on_pass
        self.done = 0

    def get_value(self, **_: object) -> int:
        self.done += 1
        self.on_pass(self.done)
        return self.done
