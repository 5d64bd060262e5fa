"""Shared fixtures: a small set of realistic posts we wrote ourselves, and a config pointing at temp files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deephype.config import SHARED_DATA
from deephype.standins.slack import SlackStandin

SHARED_POSTS = SHARED_DATA / "hypem-sample" / "posts.json"
needs_shared_posts = pytest.mark.skipif(
    not SHARED_POSTS.exists(), reason=f"shared posts not found at {SHARED_POSTS} (real data lives beside the project)"
)

SMALL_POSTS = [
    {
        "title": 'Mt. Joy - "Silver Lining"',
        "url": "https://blog.example/mt-joy-silver-lining",
        "content": (
            "Mt. Joy return with Silver Lining, a warm folk rock stomper built on brushed drums and bright guitars.\n"
            "The band recorded the song in a cabin outside Philadelphia over one long winter weekend.\n"
            "Its chorus swells like a sunrise over the hills, and the harmonies are gorgeous.\n"
            "See Mt. Joy live this summer at a city near you.\n"
            "Drop Mt. Joy a like on Instagram @mtjoyband\n"
        ),
    },
    {
        "title": "Opia \u2013 \u2018Four Winds\u2019",
        "url": "https://blog.example/opia-four-winds",
        "content": (
            "Four Winds is the kind of dreamy indie pop that drifts in slowly and stays for hours.\n"
            "Opia layers hazy synths over a patient beat while her voice floats above everything.\n"
            "Listen below.\n"
            "I have had this one on repeat all week and it still sounds fresh every time.\n"
        ),
    },
    {
        "title": "Sofi Tukker \u2013 Best Friend feat. NERVO, The Knocks & Alisa Ueno",
        "url": "https://blog.example/sofi-tukker-best-friend",
        "content": (
            "Sofi Tukker team up with NERVO and The Knocks on Best Friend, a bouncing electropop anthem.\n"
            "The hook is silly and joyful, and the bassline never lets the energy drop for a second.\n"
            "Stream it on Spotify: https://open.spotify.com/track/123\n"
        ),
    },
    {
        "title": "Weekly roundup: ten songs we loved",
        "url": "https://blog.example/roundup",
        "content": "A - B\nC - D\nE - F\nAll of these songs are wonderful in their own peculiar ways.\n",
    },
]


@pytest.fixture
def small_posts(tmp_path: Path) -> Path:
    path = tmp_path / "posts.json"
    path.write_text(json.dumps(SMALL_POSTS), encoding="utf-8")
    return path


@pytest.fixture
def temp_config(tmp_path: Path) -> Path:
    """A config.yaml whose writable paths are all inside tmp_path (shared genre sources kept)."""
    path = tmp_path / "config.yaml"
    path.write_text(
        "paths:\n"
        f"  state_db: {tmp_path / 'state.db'}\n"
        f"  corpus_db: {tmp_path / 'corpus.db'}\n"
        f"  runs_dir: {tmp_path / 'runs'}\n"
        f"  plots_dir: {tmp_path / 'plots'}\n"
        f"  artist_genres_csv: {SHARED_DATA / 'genres' / 'artist_genres.csv'}\n"
        f"  genre_vocabulary: {SHARED_DATA / 'genres' / 'genre_counts_5yrs.json'}\n"
        "data:\n"
        "  val_fraction: 0.34\n"
        "  condition_min_songs: 1\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def slack():
    """A Slack stand-in (Web API and signed requests) for one test."""
    with SlackStandin() as standin:
        yield standin
