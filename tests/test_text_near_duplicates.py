"""NearDuplicateFilter: exact and near repeats are caught, distinct sentences are kept, and it scales."""

import random
import time

import pytest

from deephype.text import NearDuplicateFilter

PRESS = (
    "Inspired by scenes from Andre Tarkovsky's 1966 arthouse classic film, Andrei Rublev is an emotive charge "
    "of hip-hop drums, crunching bass lines and hypnotic guitar solos."
)


@pytest.mark.parametrize(
    ("first", "second", "duplicate"),
    [
        (PRESS, PRESS, True),
        # normalisation: case, punctuation and spacing do not matter
        ("Listen to this GORGEOUS track!", "listen to this gorgeous   track", True),
        # the same press line quoted by another blog with a few words added
        (PRESS, PRESS + " It's out now.", True),
        (
            PRESS,
            "Inspired by scenes from Andre Tarkovsky's 1966 arthouse classic film, 'Andrei Rublev' is an "
            "emotive charge of hip-hop drums, crunching bass lines and hypnotic guitar solos.",
            True,
        ),
        # one word changed in 24 touches 3 of 22 shingles: Jaccard 19 / 25 = 0.76, under 0.8
        (PRESS, PRESS.replace("hypnotic", "mesmerising"), False),
        # half the sentence rewritten is a different sentence
        (
            PRESS,
            "Inspired by scenes from Andre Tarkovsky's 1966 arthouse classic film, the band made their most "
            "ambitious and strange record yet.",
            False,
        ),
        ("It's a gorgeous track.", "It's a gorgeous song.", False),
        ("Short one.", "Short two.", False),
    ],
)
def test_pairs(first, second, duplicate):
    seen = NearDuplicateFilter(threshold=0.8)
    assert seen.is_duplicate(first) is False
    assert seen.is_duplicate(second) is duplicate


def test_records_only_new_sentences():
    seen = NearDuplicateFilter()
    assert [seen.is_duplicate(s) for s in ["A b c d.", "A b c d!", "E f g h.", "a B c D"]] == [
        False,
        True,
        False,
        True,
    ]
    assert len(seen) == 2


def test_threshold_is_inclusive_and_respected():
    # 10 shingles each, 8 shared: Jaccard 8 / 12 = 0.667
    first = "one two three four five six seven eight nine ten eleven twelve"
    second = "one two three four five six seven eight nine ten x y"
    loose = NearDuplicateFilter(0.66)
    loose.is_duplicate(first)
    assert loose.is_duplicate(second) is True
    strict = NearDuplicateFilter(0.67)
    strict.is_duplicate(first)
    assert strict.is_duplicate(second) is False
    exact = NearDuplicateFilter(1.0)
    exact.is_duplicate(first)
    assert exact.is_duplicate(second) is False
    assert exact.is_duplicate(first + ".") is True


@pytest.mark.parametrize("threshold", [0.0, -0.1, 1.5])
def test_rejects_a_threshold_outside_0_1(threshold):
    with pytest.raises(ValueError, match="threshold"):
        NearDuplicateFilter(threshold)


def test_twenty_thousand_sentences_are_fast_and_exact():
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(3000)]
    sentences = [" ".join(rng.choices(vocabulary, k=rng.randint(6, 30))) for _ in range(20_000)]
    seen = NearDuplicateFilter()
    start = time.perf_counter()
    flags = [seen.is_duplicate(s) for s in sentences]
    elapsed = time.perf_counter() - start
    assert not any(flags)  # random sentences share no 3-shingles worth speaking of
    assert elapsed < 5.0
    # every one of them is now an exact repeat, and one more word at the end is a near repeat
    assert seen.is_duplicate(sentences[123])
    assert seen.is_duplicate(sentences[456] + " extra")
