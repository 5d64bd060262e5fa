"""Export the corpus as JSON Lines, one kept sentence per line."""

from __future__ import annotations

import json
from typing import TextIO

from deephype.store import Store


def export_sentences(store: Store, handle: TextIO, split: str | None = None) -> int:
    where, args = ("split = ?", [split]) if split else (None, [])
    count = 0
    for row in store.db["sentences"].rows_where(where, args, order_by="id"):
        record = {
            "text": row["text"], "artist": row["artist"], "song": row["song"],
            "genres": json.loads(row["genres"]), "genre_sources": json.loads(row["genre_sources"]),
            "condition_labels": json.loads(row["condition_labels"]), "split": row["split"],
        }
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
