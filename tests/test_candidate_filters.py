"""The sample filters, X's character count, the blocklist, and the corpus index shipped beside the bundle."""

from __future__ import annotations

import pytest
import torch
from tiny_corpus import fill_corpus

from deephype.candidate_filters import (
    BLOCKED_WORD,
    COPIED,
    DOUBLED_WORD,
    MALFORMED,
    MODE_OVERHEAD,
    TOO_SHORT,
    UNFINISHED,
    UNKNOWN_WORD,
    Blocklist,
    SampleFilter,
    fits,
    hashtag_suffix,
    post_overhead,
    tweet_length,
)
from deephype.config import POST_MODES
from deephype.corpus_index import INDEX_FILE, CorpusIndex, load_corpus_index, token_hash, vocabulary_digest
from deephype.errors import ConfigError, ModelError
from deephype.store import Store
from deephype.tokens import tokenize
from deephype.twitter import post_arguments
from deephype.vocab import Vocabulary

CORPUS = [
    "<artist> returns with <song>, a warm folk stomper built on brushed drums and bright guitars.",
    "The first single from <artist>' upcoming record glows.",
    "The chorus of <song> swells like a sunrise over the hills.",
    "I have had <song> on repeat all week.",
    "We first heard it on Spotify in London.",
]
EXTRA_WORDS = "a new hazy anthem that glows. damn it's they're isn't an"
VOCAB = Vocabulary.build([tokenize(t) for t in [*CORPUS, EXTRA_WORDS]], 1)


@pytest.fixture(scope="module")
def index() -> CorpusIndex:
    return CorpusIndex.build(CORPUS, VOCAB.words)


@pytest.fixture
def sample_filter(index) -> SampleFilter:
    return SampleFilter(VOCAB, index, Blocklist(["damn", "brushed drums"]), min_words=5)


@pytest.mark.parametrize(("text", "finished", "reason"), [
    ("<artist> returns with a new hazy anthem that glows.", True, None),
    ("<artist> returns with a new hazy anthem that glows.", False, UNFINISHED),
    ("a hazy anthem.", True, TOO_SHORT),
    ("<song>, a hazy anthem.", True, TOO_SHORT),  # four words: names count, punctuation does not
    ("<artist> returns with a new hazy xylophone anthem.", True, UNKNOWN_WORD),
    ("<artist> returns with a new <unk> anthem.", True, UNKNOWN_WORD),
    ("<artist> returns with with a new hazy anthem.", True, DOUBLED_WORD),
    ("<artist> returns with a new a new hazy anthem.", True, DOUBLED_WORD),
    ("<song>, <song> returns with a new hazy anthem.", True, DOUBLED_WORD),
    ("<song> and <song> and <song> glows like a hazy anthem.", True, DOUBLED_WORD),
    ("<artist> 's new hazy anthem that glows.", True, None),
    ("it's n't a new hazy anthem that glows.", True, MALFORMED),
    ("<artist> returns with a an new hazy anthem.", True, DOUBLED_WORD),  # would read "an an new"
    ("<artist> 're with a new hazy anthem that glows.", True, MALFORMED),
    ("<artist> returns , 's a new hazy anthem that glows.", True, MALFORMED),
    ("<artist> returns with a damn new hazy anthem.", True, BLOCKED_WORD),
    ("a new anthem built on brushed drums that glows.", True, BLOCKED_WORD),
    ("I have had <song> on repeat all week.", True, COPIED),  # a corpus sentence
    ("the chorus of <song> swells like a sunrise over a new anthem.", True, COPIED),  # shares an 8-gram
    ("the chorus of <song> swells like a new hazy anthem.", True, None),  # only 6 tokens in a row are shared
])
def test_sample_filter(sample_filter, text, finished, reason):
    assert sample_filter.rejection(tuple(tokenize(text)), finished) == reason


@pytest.mark.parametrize(("text", "length"), [
    ("", 0),
    ("a" * 280, 280),
    ("Björk's \"Jóga\" is glacial.", 26),  # accented Latin counts 1
    ("米津玄師's \"Lemon\"", 4 * 2 + 10),  # CJK counts 2
    ("봄날 by BTS", 2 * 2 + 7),
    ("so good 🔥", 8 + 2),  # an emoji counts 2
    ("listen https://example.com/a/very/long/path/that/goes/on/and/on now", 7 + 23 + 4),
    ("Cafe\u0301", 4),  # NFC: e + combining accent is one character
])
def test_tweet_length_follows_x_weighting(text, length):
    assert tweet_length(text) == length


@pytest.mark.parametrize(("mode", "hashtag", "overhead"), [
    ("standalone", "", 0), ("reply", "", 0), ("quote", "", 0),
    ("standalone", "#nowplaying", 12), ("standalone", "nowplaying", 12), ("quote", " #np ", 4), ("reply", "np", 4),
])
def test_post_overhead(mode, hashtag, overhead):
    assert post_overhead(mode, hashtag) == overhead


def test_post_overhead_knows_every_configurable_mode_and_refuses_others():
    assert set(MODE_OVERHEAD) == set(POST_MODES)
    with pytest.raises(ConfigError, match="post mode must be one of"):
        post_overhead("thread")


@pytest.mark.parametrize("mode", POST_MODES)
@pytest.mark.parametrize("hashtag", ["", "#np"])
def test_a_candidate_at_the_limit_of_each_mode_is_sent_as_a_full_tweet(mode, hashtag):
    """The limit a candidate gets is what X leaves once the post is made: create_tweet's arguments carry the
    candidate plus the hashtag and nothing else, in every mode (a quote or reply rides in its own argument)."""
    limit = 280 - post_overhead(mode, hashtag)
    longest, too_long = "a" * limit, "a" * (limit + 1)
    assert fits(longest, post_overhead(mode, hashtag), 280) and not fits(too_long, post_overhead(mode, hashtag), 280)
    sent = post_arguments(longest + hashtag_suffix(hashtag), "1234", mode)
    assert tweet_length(sent["text"]) == 280
    reference = {"quote": {"quote_tweet_id"}, "reply": {"in_reply_to_tweet_id"}, "standalone": set()}[mode]
    assert set(sent) == {"text"} | reference


def test_hashtag_suffix():
    assert (hashtag_suffix(""), hashtag_suffix("#np"), hashtag_suffix("np")) == ("", " #np", " #np")


def test_fits_counts_what_the_post_adds():
    assert fits("a" * 256, 24, 280) and not fits("a" * 257, 24, 280)
    assert fits("米" * 140, 0, 280) and not fits("米" * 141, 0, 280)


@pytest.mark.parametrize(("entries", "tokens", "hit"), [
    (["damn"], ["a", "DAMN", "good", "song"], "damn"),
    (["damn"], ["damning", "review"], None),
    (["damn*"], ["damning", "review"], "damn*"),
    (["brushed drums"], ["brushed", "drums", "here"], "brushed drums"),
    (["brushed drums"], ["brushed", "bright", "drums"], None),
    ([], ["anything"], None),
    (["  "], ["anything"], None),
])
def test_blocklist(entries, tokens, hit):
    assert Blocklist(entries).hit(tokens) == hit


def test_novelty_is_graded_by_unseen_four_grams(index):
    # 7 4-grams, of which the first 4 ("the chorus of <song>" ... "<song> swells like a") are in the corpus
    assert index.novelty(tokenize("The chorus of <song> swells like a hazy anthem.")) == pytest.approx(3 / 7)
    assert index.novelty(tokenize("a new hazy anthem that glows")) == 1.0
    assert index.novelty(tokenize("so good")) == 1.0  # too short to have a 4-gram


def test_a_bare_possessive_apostrophe_after_a_name_counts_as_s(index):
    # "<artist> 's" renders as "Years & Years' ..." for a name ending in s: the same text as the corpus's.
    assert not index.is_novel(tokenize("The first single from <artist>'s upcoming record glows."))
    assert index.is_novel(tokenize("The first single from the upcoming record glows."))


def test_index_learns_casing(index):
    assert index.casing == {"spotify": "Spotify"}  # "London" once is too few for an everyday word


def test_token_hash_is_stable_across_processes():
    # A fixed value: Python's own hash() would differ from run to run and break shipped indexes.
    assert token_hash(["a", "b"]) == token_hash(("a", "b")) != token_hash(["a b"])
    assert token_hash(["<song>", "is", "great"]) == -7723020253780260867


def test_index_round_trips_through_a_weights_only_file(index, tmp_path):
    path = index.save(tmp_path / INDEX_FILE)
    assert isinstance(torch.load(path, weights_only=True)["ngrams"], torch.Tensor)
    assert CorpusIndex.load(path) == index


def test_unreadable_index_is_a_model_error(tmp_path):
    path = tmp_path / INDEX_FILE
    path.write_bytes(b"not a torch file")
    with pytest.raises(ModelError, match="not a readable corpus index"):
        CorpusIndex.load(path)
    torch.save({"format": "something else"}, path)
    with pytest.raises(ModelError, match="is not a deephype-corpus-index/2 file"):
        CorpusIndex.load(path)


def test_load_corpus_index_builds_once_then_works_without_the_corpus(tmp_path):
    corpus = tmp_path / "corpus.db"
    fill_corpus(Store.open(corpus)).close()
    built = load_corpus_index(tmp_path / "model", VOCAB.words, corpus)
    assert (tmp_path / "model" / INDEX_FILE).is_file() and built.digest == vocabulary_digest(VOCAB.words)
    corpus.unlink()
    assert load_corpus_index(tmp_path / "model", VOCAB.words, corpus) == built
    assert load_corpus_index(tmp_path / "model", VOCAB.words, None) == built


def test_load_corpus_index_rebuilds_for_another_vocabulary(tmp_path):
    corpus = tmp_path / "corpus.db"
    fill_corpus(Store.open(corpus)).close()
    load_corpus_index(tmp_path, VOCAB.words, corpus)
    other = Vocabulary((*VOCAB.words, "zebra"))
    rebuilt = load_corpus_index(tmp_path, other.words, corpus)
    assert rebuilt.digest == vocabulary_digest(other.words)
    assert CorpusIndex.load(tmp_path / INDEX_FILE).digest == rebuilt.digest


def test_an_index_of_an_older_format_is_rebuilt_when_the_corpus_is_there(tmp_path):
    corpus = tmp_path / "corpus.db"
    fill_corpus(Store.open(corpus)).close()
    torch.save({"format": "deephype-corpus-index/1"}, tmp_path / INDEX_FILE)
    with pytest.raises(ModelError, match="is not a deephype-corpus-index/2 file"):
        load_corpus_index(tmp_path, VOCAB.words, None)
    assert load_corpus_index(tmp_path, VOCAB.words, corpus).digest == vocabulary_digest(VOCAB.words)
    assert CorpusIndex.load(tmp_path / INDEX_FILE).digest == vocabulary_digest(VOCAB.words)


def test_load_corpus_index_without_index_or_corpus_says_what_to_do(tmp_path):
    with pytest.raises(ModelError, match="run `deephype data build`"):
        load_corpus_index(tmp_path, VOCAB.words, tmp_path / "missing.db")
    CorpusIndex.build(CORPUS, VOCAB.words).save(tmp_path / INDEX_FILE)
    with pytest.raises(ModelError, match="no corpus_index.pt for its vocabulary"):
        load_corpus_index(tmp_path, (*VOCAB.words, "zebra"), None)
