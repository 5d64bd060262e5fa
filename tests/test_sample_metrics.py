"""Sample figures on crafted sentences: stutter, diversity, novelty against training text, unknown words."""

from __future__ import annotations

import pytest

from deephype.sample_metrics import (
    TrainingIndex,
    distinct_n,
    eos_rate,
    has_immediate_repeat,
    mean_length,
    novelty,
    repeat_rate,
    sentence_figures,
    unk_rate,
)
from deephype.vocab import Vocabulary


def toks(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("and and and the song", True),  # the classic word salad
        ("the song the song is here", True),  # a two-word phrase twice
        ("we love it so we love it so", True),  # four words, the longest span checked
        ("a b c d e a b c d e", False),  # five words: beyond the span, a refrain rather than a stutter
        ("so good . . .", False),  # an ellipsis is punctuation, not a repeat
        ("wow ! !", False),
        ("the song is the best song", False),  # words come back, but not right after themselves
        ("<song> <song> rules", True),  # placeholders are words too
        ("", False),
    ],
)
def test_immediate_repeats(text, expected):
    assert has_immediate_repeat(toks(text)) is expected


def test_repeat_rate_counts_sentences_not_tokens():
    sentences = [toks("and and and and and"), toks("a fine song"), toks("a fine fine song"), toks("ok then")]
    assert repeat_rate(sentences) == 0.5


@pytest.mark.parametrize(
    ("texts", "n", "expected"),
    [
        (["a b a"], 1, 2 / 3),
        (["a b a"], 2, 1.0),  # (a b), (b a)
        (["a b", "a b"], 2, 0.5),
        (["a b c", "c b a"], 1, 0.5),
        (["a", "b"], 2, 0.0),  # no bigrams at all
        ([], 1, 0.0),
    ],
)
def test_distinct_n(texts, n, expected):
    assert distinct_n([toks(t) for t in texts], n) == pytest.approx(expected)


TRAINING = [
    "<artist> returns with a warm folk stomper built on brushed drums and bright guitars .",
    "the harmonies are gorgeous .",
]
INDEX = TrainingIndex.build(toks(t) for t in TRAINING)


@pytest.mark.parametrize(
    ("text", "novel"),
    [
        ("the harmonies are gorgeous .", False),  # a training sentence, short: the exact match still counts
        ("the harmonies are gorgeous !", True),
        ("a warm folk stomper built on brushed drums and bright guitars .", False),  # shares 8-grams
        ("we heard a warm folk stomper built on brushed drums last night", False),  # exactly one 8-gram copied
        ("we heard a warm folk stomper built on brushed guitars last night", True),  # 7 tokens in a row at most
        ("something else entirely , and long enough to have many eight grams in it", True),
    ],
)
def test_novelty_rejects_copies_and_copied_8_grams(text, novel):
    assert INDEX.is_novel(toks(text)) is novel


def test_novelty_is_a_share_of_sentences():
    sentences = [toks("the harmonies are gorgeous ."), toks("brand new words here"), toks("more new words")]
    assert novelty(sentences, INDEX) == pytest.approx(2 / 3)


VOCAB = Vocabulary.build([toks("the song is good ."), toks("the song is loud .")], min_count=1)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["the song is good ."], 0.0),
        (["the song is zesty ."], 0.2),  # one word of five the vocabulary lacks
        (["the <unk> is good", "zesty"], 0.4),  # an explicit <unk> counts too
        (["<artist> is loud"], 0.0),  # placeholders are always in the vocabulary
        ([], 0.0),
    ],
)
def test_unk_rate(texts, expected):
    assert unk_rate([toks(t) for t in texts], VOCAB) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("finished", "expected"), [([True, True, False, True], 0.75), ([False], 0.0), ([], 0.0)],
)
def test_eos_rate(finished, expected):
    assert eos_rate(finished) == expected


def test_mean_length_and_all_figures_together():
    sentences = [toks("the song is good ."), toks("loud loud song")]
    assert mean_length(sentences) == 4.0
    figures = sentence_figures(sentences, [True, False], INDEX, VOCAB)
    assert figures == {
        "eos_rate": 0.5, "repeat_rate": 0.5, "distinct_1": 0.75, "distinct_2": 1.0,
        "novelty": 1.0, "unk_rate": 0.0, "mean_length": 4.0,
    }
