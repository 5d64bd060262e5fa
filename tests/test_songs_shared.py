"""The song finder on every shared post: the figures benchmarks/title_parsing.py prints, held as floors."""

import importlib.util
import json

import pytest

from deephype.config import PROJECT_ROOT, SHARED_DATA
from deephype.songs import parse_title

POSTS = SHARED_DATA / "hypem-sample" / "posts.json"
CHART_TITLES = SHARED_DATA / "hypem-sample" / "song_titles_5yrs.json"

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not POSTS.exists() or not CHART_TITLES.exists(),
                       reason=f"shared posts not found at {POSTS} (real data lives beside the project)"),
]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _load("title_parsing")


@pytest.fixture(scope="module")
def posts(bench):
    return bench.load_posts(POSTS)


def test_artist_and_song_found_for_posts_whose_title_names_them(bench, posts):
    figures = bench.coverage(posts)
    assert figures["posts"] == 1398
    assert figures["found_share"] >= 0.95, figures["missed"]


def test_hand_labelled_titles_are_read_as_a_careful_reader_reads_them(bench, posts):
    figures = bench.dev_accuracy(posts)
    assert figures["labelled"] == 120
    assert figures["accuracy"] >= 0.90, figures["wrong"]


def test_titles_that_name_no_song_give_none_without_the_url(bench):
    labels = _load("title_labels")
    guessed = {t: parse_title(t) for t in labels.NO_SONG_TITLES}
    assert {t: r for t, r in guessed.items() if r is not None} == {}


def test_parsed_songs_mostly_agree_with_chart_titles(bench, posts):
    figures = bench.chart_agreement(posts, json.loads(CHART_TITLES.read_text(encoding="utf-8")))
    assert figures["parsed"] >= 1250
    assert figures["share"] >= 0.8  # a sanity floor: the charts list nearly every song the blogs wrote about
