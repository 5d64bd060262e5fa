"""Genre sources: the offline artist table, genre names in the post's own words, and the lookup chain."""

import json

import pytest

from deephype.errors import InputError
from deephype.genres import (
    SOURCE_CACHE,
    SOURCE_MENTION,
    SOURCE_TABLE,
    UNKNOWN,
    GenreLookup,
    GenreMentionFinder,
    read_artist_table,
    read_genre_vocabulary,
)
from deephype.store import Store

VOCABULARY = ["indie pop", "folk rock", "alt folk", "indie folk", "house", "deep house", "soul", "hip hop", "r&b",
              "synthpop", "pop", "electropop", "rock"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The folk rockers return with a stomper.", ("folk rock",)),
        ("It is an alt-folk anthem for the ages.", ("alt folk",)),
        ("A slice of indie pop sunshine.", ("indie pop",)),
        ("Lush deep house production from the Berlin duo.", ("deep house",)),
        ("A house track built on a warm bassline.", ("house",)),
        ("They recorded it in a house by the sea.", ()),  # the everyday word is not a genre
        ("It speaks to the soul.", ()),
        ("A soul song that aches.", ("soul",)),
        ("Hip-hop and R&B collide.", ("hip hop", "r&b")),
        ("A poppy, synth-pop gem.", ("synthpop",)),
        ("A poppy track with a rock-tinged chorus.", ("pop", "rock")),
        ("Drifting in and out of focus, a world away.", ()),
        ("Nothing about genres here at all.", ()),
        ("Unpopular opinion: indie popcorn is great.", ()),  # no match inside words
    ],
)
def test_mentions(text, expected):
    assert GenreMentionFinder(VOCABULARY).find(text) == expected


def test_artist_table(tmp_path):
    path = tmp_path / "artists.csv"
    path.write_text('artist,genres\nMt. Joy,indie folk|folk rock\n"Sofi Tukker",electropop\nNobody,\n', "utf-8")
    table = read_artist_table(path)
    assert table["mt joy"] == ("indie folk", "folk rock")
    assert "nobody" not in table  # no genres means no entry, not an empty label


@pytest.mark.parametrize(
    ("content", "message"),
    [("name,tags\nA,b\n", "'artist' and 'genres' columns"), ("", "'artist' and 'genres' columns")],
)
def test_bad_artist_table(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, "utf-8")
    with pytest.raises(InputError, match=message):
        read_artist_table(path)


def test_genre_vocabulary(tmp_path):
    path = tmp_path / "genres.json"
    path.write_text(json.dumps({"source": "x", "genre_counts": {"pop": 3}}), "utf-8")
    assert read_genre_vocabulary(path) == {"pop": 3}
    path.write_text("[1, 2]", "utf-8")
    with pytest.raises(InputError, match="map genre names to counts"):
        read_genre_vocabulary(path)


def test_lookup_chain_order():
    cache = Store.open(":memory:")
    cache.cache_genres("opia", "Opia", ["dream pop"], "spotify", "2026-01-01T00:00:00")
    lookup = GenreLookup({"mt joy": ("indie folk",), "opia": ("indie pop",)}, GenreMentionFinder(VOCABULARY), cache)
    assert (lookup.label(["Opia"], "").source, lookup.label(["Opia"], "").genres) == (SOURCE_CACHE, ("dream pop",))
    assert lookup.label(["Mt. Joy"], "").genres == ("indie folk",)
    assert lookup.label(["Mt. Joy"], "").source == SOURCE_TABLE
    assert lookup.label(["Unknown Band", "Mt Joy"], "").source == SOURCE_TABLE  # a featured artist's genres
    assert lookup.label(["Unknown Band"], "a slice of indie pop").source == SOURCE_MENTION
    assert lookup.label(["Unknown Band"], "no clue").source == UNKNOWN
