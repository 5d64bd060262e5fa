"""`deephype hype` end to end on a tiny model (offline, and with real spotipy against the Spotify stand-in),
`deephype detect`, and the bad arguments a person can type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from tiny_bundle import train_tiny_bundle

from deephype.cli import main
from deephype.config import Settings
from deephype.generate import Generator
from deephype.hype import SongRequestError, hype, read_song
from deephype.song_genres import GenreResolver
from deephype.standins.spotify import Fault, SpotifyStandIn
from deephype.standins.spotify_catalogue import DEFAULT_CATALOGUE

EXAMPLE = 'for example "M83 - Midnight City"'
TABLE = "artist,genres\nMt. Joy,indie folk|folk rock\nM83,offline shoegaze\n"


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    settings = train_tiny_bundle(tmp_path_factory.mktemp("hype"))
    settings.path("artist_genres_csv").write_text(TABLE, encoding="utf-8")
    return settings


@pytest.fixture(scope="module")
def spotify():
    with SpotifyStandIn() as standin:
        yield standin


def write_config(settings: Settings, folder: Path, spotify: SpotifyStandIn | None = None, extra: str = "") -> Path:
    # A fresh state database per test: its genre cache would otherwise answer before Spotify is asked.
    lines = ["paths:", f"  state_db: {folder / 'state.db'}"] + [
        f"  {key}: {settings.path(key)}" for key in ("model_dir", "corpus_db", "artist_genres_csv")]
    if spotify is not None:
        lines += ["spotify:", f"  api_base: {spotify.base_url}", f"  token_url: {spotify.token_url}",
                  "  read_timeout: 1.0"]
    path = folder / "config.yaml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


@pytest.fixture
def offline(settings, tmp_path, monkeypatch) -> Path:
    for name in ("SPOTIPY_CLIENT_ID", "SPOTIPY_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    return write_config(settings, tmp_path)


@pytest.fixture
def online(settings, tmp_path, monkeypatch, spotify) -> Path:
    spotify.reset()
    monkeypatch.setenv("SPOTIPY_CLIENT_ID", spotify.client_id)
    monkeypatch.setenv("SPOTIPY_CLIENT_SECRET", spotify.client_secret)
    return write_config(settings, tmp_path, spotify)


def run(config: Path, *args: str):
    return CliRunner().invoke(main, ["--config", str(config), *args])


def hype_json(config: Path, *args: str) -> dict:
    result = run(config, "hype", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_hype_json_offline_uses_the_artist_table(offline):
    found = hype_json(offline, 'Mt. Joy - "Silver Lining"', "--seed", "1")
    assert (found["artist"], found["song"]) == ("Mt. Joy", "Silver Lining")
    assert (found["genres"], found["genre_source"]) == (["indie folk", "folk rock"], "offline_table")
    candidates = found["candidates"]
    assert 1 <= len(candidates) <= Settings().generation.candidates
    assert [c["score"] for c in candidates] == sorted((c["score"] for c in candidates), reverse=True)
    for candidate in candidates:
        assert isinstance(candidate["text"], str) and len(candidate["text"]) <= 280 - 24  # quote mode's link
        assert {"fluency", "novelty", "names_song"} <= set(candidate)


def test_hype_is_repeatable_with_a_seed_and_takes_n(offline):
    first = hype_json(offline, "Bicep - Opal", "--seed", "4", "-n", "2")
    assert len(first["candidates"]) <= 2
    assert first == hype_json(offline, "Bicep - Opal", "--seed", "4", "-n", "2")


@pytest.mark.parametrize(("argument", "artist", "song", "featuring", "version"), [
    ("Sofi Tukker – Best Friend feat. NERVO", "Sofi Tukker", "Best Friend", ["NERVO"], None),
    ("Bicep - Opal (Four Tet Remix)", "Bicep", "Opal", [], "Four Tet Remix"),
    ("米津玄師 - Lemon", "米津玄師", "Lemon", [], None),  # non-Latin names are written as given
    ("Мумий Тролль - Владивосток 2000", "Мумий Тролль", "Владивосток 2000", [], None),
])
def test_hype_reads_credits_versions_and_any_script(offline, argument, artist, song, featuring, version):
    found = hype_json(offline, argument, "--seed", "2")
    assert (found["artist"], found["song"], found["featuring"], found["version"]) == (artist, song, featuring, version)
    assert found["genre_source"] == "unknown" and "no genres known" in found["notes"][0]
    named = [c["text"] for c in found["candidates"] if c["names_song"]]
    assert all(artist in text or song in text for text in named)


def test_given_genres_replace_the_lookup(offline):
    found = hype_json(offline, "Mt. Joy - Silver Lining", "--genres", "Dream Pop, indie pop,", "--seed", "1")
    assert (found["genres"], found["genre_source"]) == (["dream pop", "indie pop"], "given")


def test_hype_prints_genres_their_source_and_numbered_candidates(offline):
    result = run(offline, "hype", "Mt. Joy - Silver Lining", "--seed", "1")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["Mt. Joy - Silver Lining", "Genres: indie folk, folk rock (source: offline_table)"]
    assert lines[2].startswith(" 1. [")


@pytest.mark.parametrize(("argument", "message"), [
    ("", "tell me which song"),
    ("   \t ", "tell me which song"),
    ("M83 - " + "la " * 3400, "that is 10,205 characters"),
    ("🔥🔥🔥", "no artist and title found in"),
    ("just some words", "no artist and title found in"),
])
def test_bad_arguments_are_errors_with_an_example(offline, argument, message):
    result = run(offline, "hype", argument)
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and message in result.output and EXAMPLE in result.output


def test_hype_with_spotify_reads_its_genres(online):
    found = hype_json(online, "M83 - Midnight City", "--seed", "1")
    assert (found["genres"], found["genre_source"]) == (DEFAULT_CATALOGUE["M83"]["genres"], "spotify")
    assert found["notes"] == [] and found["candidates"]


@pytest.mark.parametrize(("faults", "note"), [
    ([Fault.server_error(500)] * 4, "Spotify failed with HTTP 500 4 times in a row"),
    ([Fault.rate_limit(60)], "Spotify is rate limiting; retry in 60 s"),
    ([Fault.slow(2.5)], "Spotify did not answer within 1 s"),
])
def test_hype_when_spotify_fails_falls_back_with_a_note(online, spotify, faults, note):
    spotify.inject("/v1/search", *faults)
    found = hype_json(online, "M83 - Midnight City", "--seed", "1")
    assert (found["genres"], found["genre_source"]) == (["offline shoegaze"], "offline_table")
    assert note in found["notes"][0] and found["candidates"]


def test_hype_for_an_artist_spotify_does_not_know(online):
    found = hype_json(online, "Nobody Knows Me - Some Song", "--seed", "1")
    assert found["genre_source"] == "unknown"
    assert "Spotify does not know Nobody Knows Me" in found["notes"][0] and found["candidates"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Bicep - Opal", {"artist": "Bicep", "song": "Opal", "featuring": [], "version": None}),
    ("NEW MUSIC: Bicep – Opal (Four Tet Remix) 🔥 https://t.co/abc #nowplaying",
     {"artist": "Bicep", "song": "Opal", "featuring": [], "version": "Four Tet Remix"}),
    ("'Best Friend' by Sofi Tukker ft. NERVO",
     {"artist": "Sofi Tukker", "song": "Best Friend", "featuring": ["NERVO"], "version": None}),
    ("what a lovely day", None),
    ("", None),
])
def test_detect_json(text, expected):
    result = CliRunner().invoke(main, ["detect", text, "--json"])
    assert result.exit_code == 0 and json.loads(result.output) == expected


def test_detect_prints_fields_or_says_no_song():
    shown = CliRunner().invoke(main, ["detect", "Sofi Tukker - Best Friend feat. NERVO (VIP)"]).output
    assert shown.splitlines() == ["Artist: Sofi Tukker", "Song: Best Friend", "Featuring: NERVO", "Version: VIP"]
    assert CliRunner().invoke(main, ["detect", "🔥🔥🔥"]).output == "No song found.\n"


@pytest.mark.parametrize("argument", ["", " ", "🔥", "x" * 10_000, "no song in here at all"])
def test_read_song_errors_are_input_errors_with_an_example(argument):
    with pytest.raises(SongRequestError, match=EXAMPLE):
        read_song(argument)


def test_hype_library_call_reserves_the_post_overhead(settings):
    generator = Generator.load(settings)
    resolver = GenreResolver(settings, None, None)
    result = hype("Mt. Joy - Silver Lining", generator, resolver, 3, "indie folk", reserved_chars=230, seed=1)
    assert result.genre_source == "given" and all(len(c.text) <= 50 for c in result.candidates)
    assert result.to_dict()["candidates"] == [{"text": c.text, "score": c.score, **c.details}
                                              for c in result.candidates]


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_read_song_returns_a_song_or_an_input_error_for_any_text(text):
    try:
        ref = read_song(text)
    except SongRequestError as error:
        assert EXAMPLE in str(error)
    else:
        assert ref.artist.strip() and ref.song.strip()
