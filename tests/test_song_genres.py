"""The genre fallback chain (Spotify, cache, offline table, unknown), with real spotipy against the stand-in."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from deephype.config import Settings, SpotifyConfig
from deephype.genres import SOURCE_CACHE, SOURCE_TABLE
from deephype.song_genres import SOURCE_GIVEN, SOURCE_UNKNOWN, GenreResolver
from deephype.songs import SongRef
from deephype.spotify import SOURCE as SOURCE_SPOTIFY
from deephype.spotify import SpotifyGenres
from deephype.standins.spotify import Fault, SpotifyStandIn
from deephype.standins.spotify_catalogue import DEFAULT_CATALOGUE
from deephype.store import Store

TABLE = "artist,genres\nM83,offline shoegaze|synthpop\nMt. Joy,indie folk|folk rock\nNERVO,edm\n"


@pytest.fixture(scope="module")
def shared_standin():
    with SpotifyStandIn() as standin:
        yield standin


@pytest.fixture
def standin(shared_standin):
    shared_standin.reset()
    return shared_standin


@pytest.fixture
def store():
    store = Store.open(":memory:")
    yield store
    store.close()


def settings_with_table(tmp_path: Path, table: str | None = TABLE) -> Settings:
    path = tmp_path / "artist_genres.csv"
    if table is not None:
        path.write_text(table, encoding="utf-8")
    settings = Settings()
    return dataclasses.replace(settings, paths=dataclasses.replace(settings.paths, artist_genres_csv=str(path)))


@pytest.fixture
def make_spotify(standin, store):
    made: list[SpotifyGenres] = []

    def make(**config) -> SpotifyGenres:
        client = SpotifyGenres(standin.spotify_config(SpotifyConfig(**config)), store, standin.client_id,
                               standin.client_secret, sleep=lambda seconds: None)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def test_spotify_genres_come_first(tmp_path, store, make_spotify):
    resolver = GenreResolver(settings_with_table(tmp_path), store, make_spotify())
    found = resolver.resolve(SongRef("M83", "Midnight City"))
    assert (found.genres, found.source, found.note) == (tuple(DEFAULT_CATALOGUE["M83"]["genres"]), SOURCE_SPOTIFY,
                                                         None)


@pytest.mark.parametrize(("ref", "genres", "source", "note"), [
    (SongRef("Mt. Joy", "Silver Lining"), ("indie folk", "folk rock"), SOURCE_TABLE, "Spotify does not know Mt. Joy"),
    (SongRef("Nobody Knows Me", "Some Song"), (), SOURCE_UNKNOWN, "Spotify does not know Nobody Knows Me"),
    # Spotify knows her but lists no genres; the featured artist's genres are the next best
    (SongRef("Delilah Montagu", "Delilah (pull me out of this)", ("NERVO",)), ("edm",), SOURCE_TABLE,
     "Spotify lists no genres for Delilah Montagu"),
    (SongRef("Bicep", "Opal", ("Fred again..",)), tuple(DEFAULT_CATALOGUE["Fred again.."]["genres"]),
     SOURCE_SPOTIFY, "Spotify does not know Bicep"),
])
def test_what_spotify_lacks_falls_through_with_a_note(tmp_path, store, make_spotify, ref, genres, source, note):
    found = GenreResolver(settings_with_table(tmp_path), store, make_spotify()).resolve(ref)
    assert (found.genres, found.source) == (genres, source)
    assert note in found.note


@pytest.mark.parametrize(("faults", "config", "message"), [
    ([Fault.server_error(500)] * 4, {"retries": 3}, "Spotify failed (Spotify failed with HTTP 500 4 times in a row"),
    ([Fault.server_error(503)] * 2, {"retries": 1}, "HTTP 503 2 times in a row"),
    ([Fault.rate_limit(120)], {}, "Spotify is rate limiting; retry in 120 s"),
    ([Fault.slow(1.5)], {"read_timeout": 0.3}, "Spotify did not answer within 0.3 s"),
    ([Fault.malformed_json()], {}, "Spotify failed"),
])
def test_spotify_failures_fall_back_to_the_table_with_a_note(tmp_path, standin, store, make_spotify, faults, config,
                                                             message):
    standin.inject("/v1/search", *faults)
    found = GenreResolver(settings_with_table(tmp_path), store, make_spotify(**config)).resolve(
        SongRef("M83", "Midnight City"))
    assert (found.genres, found.source) == (("offline shoegaze", "synthpop"), SOURCE_TABLE)
    assert message in found.note and "used the fallback genres" in found.note


def test_a_rate_limit_then_success_is_retried_and_reads_spotify(tmp_path, standin, store, make_spotify):
    standin.inject("/v1/search", Fault.rate_limit(1))
    found = GenreResolver(settings_with_table(tmp_path), store, make_spotify()).resolve(SongRef("M83", "Midnight City"))
    assert found.source == SOURCE_SPOTIFY and found.note is None
    assert len(standin.requests_to("/v1/search")) == 2


def test_spotify_down_entirely(tmp_path, store):
    config = SpotifyConfig(api_base="http://127.0.0.1:9/v1/", token_url="http://127.0.0.1:9/api/token",
                           connect_timeout=0.5)
    spotify = SpotifyGenres(config, store, "id", "secret", sleep=lambda seconds: None)
    try:
        found = GenreResolver(settings_with_table(tmp_path), store, spotify).resolve(SongRef("M83", "Midnight City"))
    finally:
        spotify.close()
    assert found.source == SOURCE_TABLE and "Spotify failed" in found.note


def test_bad_credentials_fall_back_too(tmp_path, standin, store):
    spotify = SpotifyGenres(standin.spotify_config(), store, standin.client_id, "wrong", sleep=lambda s: None)
    try:
        found = GenreResolver(settings_with_table(tmp_path), store, spotify).resolve(SongRef("M83", "Midnight City"))
    finally:
        spotify.close()
    assert found.source == SOURCE_TABLE and "client credentials" in found.note


def test_offline_the_cache_comes_before_the_table(tmp_path, store):
    store.cache_genres("m83", "M83", ["cached shoegaze"], SOURCE_SPOTIFY, "2020-01-01T00:00:00+00:00")  # stale is fine
    resolver = GenreResolver(settings_with_table(tmp_path), store, None)
    found = resolver.resolve(SongRef("M83", "Midnight City"))
    assert (found.genres, found.source, found.note) == (("cached shoegaze",), SOURCE_CACHE, None)
    assert resolver.resolve(SongRef("Mt. Joy", "Silver Lining")).source == SOURCE_TABLE


def test_spotify_results_fill_the_cache_for_offline_use(tmp_path, store, make_spotify):
    GenreResolver(settings_with_table(tmp_path), store, make_spotify()).resolve(SongRef("Bon Iver", "Holocene"))
    found = GenreResolver(settings_with_table(tmp_path), store, None).resolve(SongRef("bon iver", "Holocene"))
    assert (found.source, found.genres) == (SOURCE_CACHE, tuple(DEFAULT_CATALOGUE["Bon Iver"]["genres"]))


@pytest.mark.parametrize(("table", "note"), [
    (None, "no offline artist table at"),
    ("name,tags\nM83,x\n", "the offline artist table is unusable"),
])
def test_a_missing_or_broken_table_means_unknown_with_a_note(tmp_path, table, note):
    found = GenreResolver(settings_with_table(tmp_path, table), None, None).resolve(SongRef("M83", "Midnight City"))
    assert (found.genres, found.source) == ((), SOURCE_UNKNOWN)
    assert note in found.note and "no genres known for M83" in found.note


@pytest.mark.parametrize(("typed", "genres", "source"), [
    (["Indie Folk", " dream  pop ", "indie folk"], ("indie folk", "dream pop"), SOURCE_GIVEN),
    (["", "  "], (), SOURCE_UNKNOWN),
    ([], (), SOURCE_UNKNOWN),
])
def test_given_genres(typed, genres, source):
    found = GenreResolver.given(typed)
    assert (found.genres, found.source) == (genres, source)
