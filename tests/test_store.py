"""The SQLite store: migrations, WAL, the genre cache, and refusing databases it cannot use."""

import sqlite3

import pytest

from deephype.errors import StoreError
from deephype.store import MIGRATIONS, Store


def test_migrations_run_once_and_record_the_version(tmp_path):
    path = tmp_path / "state.db"
    store = Store.open(path)
    assert store.version == len(MIGRATIONS)
    assert {"posts", "sentences", "funnel", "card", "genre_cache"} <= set(store.db.table_names())
    store.cache_genres("opia", "Opia", ["indie pop"], "spotify", "2026-01-01T00:00:00")
    store.close()
    reopened = Store.open(path)  # a second open must not re-run migrations or lose data
    assert reopened.cached_genres("opia")["genres"] == ["indie pop"]
    assert reopened.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_database_is_refused(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this deephype"):
        Store.open(path)


def test_not_a_database_is_refused(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a usable deephype database"):
        Store.open(path)


def test_card_round_trip():
    store = Store.open(":memory:")
    store.put_card({"sentences": 3, "top": [["pop", 2]]})
    assert store.card() == {"sentences": 3, "top": [["pop", 2]]}
    assert store.cached_genres("nobody") is None
