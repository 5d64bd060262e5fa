"""The corpus built from the real shared posts meets the data targets (skipped when the shared data is absent)."""

from __future__ import annotations

import json
import re

import pytest

from deephype.config import load_settings
from deephype.corpus_build import build_corpus
from deephype.store import Store
from tests.conftest import SHARED_POSTS, needs_shared_posts

pytestmark = [needs_shared_posts, pytest.mark.slow, pytest.mark.shared_data]

# Written independently of the cleaning rules, so the test checks them rather than repeating them.
FORBIDDEN = {
    "mojibake": re.compile(r"aEUR|â€|Ã[\x80-\xbf]|Â|\ufffd|&[a-z]+;|&#\d+;"),
    "url": re.compile(r"https?://|www\.|\b\w+\.(?:com|net|org|co\.uk|io|ly|fm)/", re.IGNORECASE),
    "email": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b"),
    "handle": re.compile(r"(?<![\w])@\w{2,}"),
    "markdown": re.compile(r"!\[|\]\(|\[[^\]]*\]\(|^\s*[*#>-]\s|__|\*\*"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    db = tmp_path_factory.mktemp("corpus") / "corpus.db"
    card = build_corpus(load_settings(), SHARED_POSTS, db, progress=False)
    store = Store.open(db)
    rows = list(store.db["sentences"].rows)
    return card, rows


def test_enough_clean_sentences(built):
    card, rows = built
    assert card["posts"] == 1398
    assert card["sentences"] == len(rows) >= 5000


@pytest.mark.parametrize("kind", sorted(FORBIDDEN))
def test_no_residue_in_kept_sentences(built, kind):
    _, rows = built
    offenders = [r["text"] for r in rows if FORBIDDEN[kind].search(r["text"])]
    assert offenders == [], f"{len(offenders)} sentences with {kind}, e.g. {offenders[:3]}"


def test_genre_coverage(built):
    card, rows = built
    with_genre = sum(1 for r in rows if json.loads(r["genres"]))
    assert with_genre == card["sentences_with_genre"]
    assert with_genre / len(rows) >= 0.60
    assert set(card["coverage_by_source"]) <= {"cache", "offline_table", "post_mention", "unknown"}


def test_placeholders_replace_the_names(built):
    _, rows = built
    masked = sum(1 for r in rows if "<artist>" in r["text"] or "<song>" in r["text"])
    assert masked / len(rows) > 0.25
    leaked = [r for r in rows if r["artist"] and len(r["artist"]) > 5 and r["artist"] in r["text"]]
    assert len(leaked) / len(rows) < 0.01, leaked[:3]


def test_split_by_song(built):
    _, rows = built
    splits: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        splits.setdefault((row["artist"], row["song"]), set()).add(row["split"])
    assert all(len(s) == 1 for s in splits.values())
    val = sum(1 for r in rows if r["split"] == "val") / len(rows)
    assert 0.04 < val < 0.2
