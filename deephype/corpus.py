"""The labelled sentence corpus as later stages read it: sentences with their genre condition labels."""

from __future__ import annotations

import json
from dataclasses import dataclass

from deephype.errors import EmptyCorpusError
from deephype.store import Store


@dataclass(frozen=True)
class CorpusSentence:
    text: str  # cleaned, with <artist> / <song> placeholders
    artist: str
    song: str
    genres: tuple[str, ...]
    condition_labels: tuple[str, ...]  # always at least one; ("unknown",) when no genre is known
    split: str  # "train" or "val"


def read_sentences(store: Store, split: str | None = None) -> list[CorpusSentence]:
    """Kept sentences in build order, optionally only one split."""
    where, args = ("split = ?", [split]) if split else (None, [])
    rows = store.db["sentences"].rows_where(where, args, order_by="id")
    return [
        CorpusSentence(
            text=row["text"],
            artist=row["artist"],
            song=row["song"],
            genres=tuple(json.loads(row["genres"])),
            condition_labels=tuple(json.loads(row["condition_labels"])),
            split=row["split"],
        )
        for row in rows
    ]


def condition_vocabulary(store: Store) -> list[str]:
    """The corpus's condition labels in a fixed order ("unknown" first); the model's genre vector follows it."""
    labels = store.card().get("condition_labels")
    if not labels:
        raise EmptyCorpusError(f"{store.db.conn} has no corpus: run `deephype data build` first")
    return list(labels)
