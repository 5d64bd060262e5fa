"""Named values the autonomous loop keeps in the store between runs and restarts: the home timeline's cursor
(the newest tweet every older one of which is done) and the moment posting may resume after X said to wait.
"""

from __future__ import annotations

from datetime import UTC, datetime

from deephype.store import Store

TIMELINE = "home_timeline"
POSTING_PAUSE = "posting_paused_until"


def read_cursor(store: Store, name: str) -> str | None:
    with store.lock:
        row = store.db.execute("SELECT value FROM cursors WHERE name = ?", [name]).fetchone()
    return row[0] if row and row[0] else None


def write_cursor(store: Store, name: str, value: str | None) -> None:
    with store.transaction() as db:
        db.execute("INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE"
                   " SET value = excluded.value, updated_at = excluded.updated_at",
                   [name, value, datetime.now(UTC).isoformat(timespec="seconds")])
