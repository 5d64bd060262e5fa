"""Condition labels: frequent genres become labels, the long tail folds into them, nothing is lost."""

import pytest

from deephype.conditions import OTHER_LABEL, UNKNOWN_LABEL, ConditionLabels

SONGS = [("indie pop", "folk")] * 4 + [("indie folk", "electropop")] * 3 + [("folk",)] * 2 + [("vapor soul",)]


def test_fit_keeps_frequent_genres_in_frequency_order():
    labels = ConditionLabels.fit(SONGS, min_songs=3, max_labels=130)
    assert labels.labels == [UNKNOWN_LABEL, OTHER_LABEL, "folk", "indie pop", "electropop", "indie folk"]


def test_fit_caps_the_number_of_labels():
    labels = ConditionLabels.fit(SONGS, min_songs=1, max_labels=4)
    assert labels.labels == [UNKNOWN_LABEL, OTHER_LABEL, "folk", "indie pop"]


@pytest.mark.parametrize(
    ("genres", "expected"),
    [
        (("indie pop",), ("indie pop",)),
        (("chamber folk",), ("folk",)),  # same head word
        (("indie rock",), ("indie pop",)),  # shares a word
        (("vapor soul",), (OTHER_LABEL,)),
        ((), (UNKNOWN_LABEL,)),
        (("indie pop", "bedroom pop", "folk"), ("indie pop", "folk")),  # merged, no duplicates
    ],
)
def test_map(genres, expected):
    labels = ConditionLabels.fit(SONGS, min_songs=3, max_labels=130)
    assert labels.map(genres) == expected
