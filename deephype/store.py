"""The SQLite store (sqlite-utils): one schema, grown by numbered migrations, opened in WAL mode.

`PRAGMA user_version` records how many migrations a database has had; opening a database runs the rest.
Later features add a migration at the end of MIGRATIONS, never edit an old one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlite_utils

from deephype.errors import StoreError


def _corpus_tables(db: sqlite_utils.Database) -> None:
    db["posts"].create(
        {
            "id": int,
            "url": str,
            "domain": str,
            "title": str,
            "artist": str,
            "song": str,
            "featuring": str,  # JSON list
            "kept": int,
            "drop_reason": str,
            "sentences": int,
        },
        pk="id",
    )
    db["sentences"].create(
        {
            "id": int,
            "post_id": int,
            "text": str,  # cleaned, placeholders in place
            "artist": str,
            "song": str,
            "genres": str,  # JSON list of Spotify genre names
            "genre_sources": str,  # JSON list, one source per genre
            "condition_labels": str,  # JSON list of condition label names
            "split": str,
            "n_words": int,
        },
        pk="id",
        foreign_keys=[("post_id", "posts", "id")],
    )
    db["sentences"].create_index(["split"])
    db["funnel"].create({"position": int, "step": str, "kept": int, "dropped": int, "unit": str}, pk="position")
    db["card"].create({"key": str, "value": str}, pk="key")  # JSON values


def _genre_cache(db: sqlite_utils.Database) -> None:
    # Filled by Spotify lookups at run time; read by the data pipeline before the offline table.
    db["genre_cache"].create(
        {"artist_key": str, "artist": str, "genres": str, "source": str, "fetched_at": str},
        pk="artist_key",
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_corpus_tables, _genre_cache]


class Store:
    """A deephype database. Use `Store.open(path)`; `":memory:"` works for tests."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    @classmethod
    def open(cls, path: str | Path) -> Store:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
            db = sqlite_utils.Database(conn)
            if str(path) != ":memory:":
                db.enable_wal()
            db.execute("PRAGMA foreign_keys = ON")
            store = cls(db)
            store.migrate()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{path} is not a usable deephype database ({error})") from None
        return store

    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        current = self.version
        if current > len(MIGRATIONS):
            raise StoreError(
                f"database schema version {current} is newer than this deephype ({len(MIGRATIONS)}): upgrade deephype"
            )
        for number, migration in enumerate(MIGRATIONS[current:], start=current + 1):
            with self.db.conn:
                self.db.execute("BEGIN")
                migration(self.db)
                self.db.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        self.db.close()

    # -- corpus card -------------------------------------------------------------------------------

    def put_card(self, values: dict[str, Any]) -> None:
        self.db["card"].upsert_all(({"key": k, "value": json.dumps(v)} for k, v in values.items()), pk="key")

    def card(self) -> dict[str, Any]:
        return {row["key"]: json.loads(row["value"]) for row in self.db["card"].rows}

    # -- genre cache -------------------------------------------------------------------------------

    def cached_genres(self, artist_key: str) -> dict[str, Any] | None:
        rows = list(self.db["genre_cache"].rows_where("artist_key = ?", [artist_key]))
        if not rows:
            return None
        row = rows[0]
        return {**row, "genres": json.loads(row["genres"])}

    def cache_genres(self, artist_key: str, artist: str, genres: list[str], source: str, fetched_at: str) -> None:
        self.db["genre_cache"].upsert(
            {
                "artist_key": artist_key,
                "artist": artist,
                "genres": json.dumps(genres),
                "source": source,
                "fetched_at": fetched_at,
            },
            pk="artist_key",
        )
