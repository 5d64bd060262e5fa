"""Export the corpus: its sentences as JSON Lines, or the raw posts of one split's songs."""

from __future__ import annotations

import dataclasses
import json
from typing import TextIO

from deephype.posts import PostsFile
from deephype.songs import normalise_name, parse_title
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


def split_song_keys(store: Store, split: str) -> set[str]:
    """The song keys (as the split assigns them) of one split's sentences."""
    rows = store.db.execute("SELECT DISTINCT artist, song FROM sentences WHERE split = ?", [split]).fetchall()
    return {song_key(artist, song) for artist, song in rows}


def song_key(artist: str, song: str) -> str:
    return f"{normalise_name(artist)}|{normalise_name(song)}"


def export_split_posts(store: Store, posts: PostsFile, handle: TextIO, split: str = "val") -> int:
    """Write, as one JSON list, the raw posts whose song (read from the title, as the pipeline reads it) is in
    `split`: for the validation split, posts the models never trained on, ready for `deephype eval --posts`."""
    keys = split_song_keys(store, split)
    chosen = []
    for post in posts.posts:
        ref = parse_title(post.title, post.url or None)
        if ref is not None and song_key(ref.artist, ref.song) in keys:
            chosen.append(dataclasses.asdict(post))
    json.dump(chosen, handle, ensure_ascii=False, indent=1)
    handle.write("\n")
    return len(chosen)
