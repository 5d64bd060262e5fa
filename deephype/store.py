"""The SQLite store (sqlite-utils): one schema, grown by numbered migrations, opened in WAL mode.

`PRAGMA user_version` records how many migrations a database has had; opening a database runs the rest.
Later features add a migration at the end of MIGRATIONS, never edit an old one.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from deephype.errors import StoreError
from deephype.schema import MIGRATIONS


class Store:
    """A deephype database. Use `Store.open(path)`; `":memory:"` works for tests."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        # One connection is shared by the bot's threads; the lock keeps their transactions from interleaving.
        self.lock = threading.RLock()

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """BEGIN IMMEDIATE ... COMMIT under the lock: atomic against other threads and other processes."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

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
