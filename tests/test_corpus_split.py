"""The train/validation split: by song, stable under corpus changes, both sides present."""

from deephype.config import DataConfig
from deephype.corpus_build import assign_splits

KEYS = {f"artist {i}|song {i}" for i in range(400)}


def test_share_of_validation_songs_follows_the_config():
    splits = assign_splits(KEYS, DataConfig(val_fraction=0.1, seed=13))
    assert 25 <= sum(side == "val" for side in splits.values()) <= 55


def test_a_song_keeps_its_side_when_other_songs_come_and_go():
    config = DataConfig(val_fraction=0.1, seed=13)
    full = assign_splits(KEYS, config)
    fewer = assign_splits(set(sorted(KEYS)[::3]), config)
    assert all(full[key] == side for key, side in fewer.items())


def test_the_seed_picks_another_split():
    first = assign_splits(KEYS, DataConfig(val_fraction=0.1, seed=13))
    second = assign_splits(KEYS, DataConfig(val_fraction=0.1, seed=14))
    assert first != second


def test_two_songs_give_one_on_each_side():
    for fraction in (0.0, 0.99):
        splits = assign_splits({"a|x", "b|y"}, DataConfig(val_fraction=fraction, seed=13))
        assert sorted(splits.values()) == ["train", "val"]


def test_one_song_trains():
    assert assign_splits({"a|x"}, DataConfig(val_fraction=0.5, seed=13)) == {"a|x": "train"}
