"""`deephype data build`: run the pipeline, split by song, fit condition labels, and write the corpus database.

The database is built in a temporary file next to the target and swapped in only when complete, so a failure
never leaves a half-written corpus.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from deephype.conditions import ConditionLabels
from deephype.config import DataConfig, Settings
from deephype.corpus import CorpusSentence
from deephype.corpus_export import song_key
from deephype.errors import EmptyCorpusError
from deephype.genres import GenreLookup, GenreMentionFinder, read_artist_table, read_genre_vocabulary
from deephype.pipeline import Funnel, PostOutcome, has_genre, label_genres, process_posts
from deephype.posts import read_posts
from deephype.store import Store

log = logging.getLogger(__name__)
LENGTH_BUCKETS = [(5, 9), (10, 14), (15, 19), (20, 24), (25, 29), (30, 34), (35, 40)]


def genre_lookup(settings: Settings) -> GenreLookup:
    """The offline genre sources that exist on this machine, plus the state store's Spotify cache."""
    table_path, vocab_path = settings.path("artist_genres_csv"), settings.path("genre_vocabulary")
    table = read_artist_table(table_path) if table_path.exists() else {}
    vocabulary = read_genre_vocabulary(vocab_path) if vocab_path.exists() else {}
    for path, present in ((table_path, table), (vocab_path, vocabulary)):
        if not present:
            log.warning("genre source %s is missing: labels will rely on the other sources", path)
    state_path = settings.path("state_db")
    cache = Store.open(state_path) if state_path.exists() else None
    return GenreLookup(table, GenreMentionFinder(vocabulary), cache)


def outcome_song_key(outcome: PostOutcome) -> str:
    assert outcome.ref is not None
    return song_key(outcome.ref.artist, outcome.ref.song)


def assign_splits(keys: set[str], config: DataConfig) -> dict[str, str]:
    """Validation songs by a seeded hash of each song key, so a song keeps its side however the rest of the corpus
    changes (a shuffle of all keys would move every song whenever one is added or dropped)."""
    if len(keys) < 2:
        return dict.fromkeys(keys, "train")  # a lone song is all a model could train on
    shares = {key: split_share(key, config.seed) for key in keys}
    splits = {key: ("val" if share < config.val_fraction else "train") for key, share in shares.items()}
    for side, pick in (("val", min), ("train", max)):  # both sides need a song, however few there are
        if side not in splits.values():
            splits[pick(shares, key=shares.__getitem__)] = side
    return splits


def split_share(key: str, seed: int) -> float:
    """A stable number in [0, 1) for a song key: the first 8 bytes of a SHA-256 of the seed and the key."""
    digest = hashlib.sha256(f"{seed}|{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def corpus_rows(outcomes: list[PostOutcome], settings: Settings) -> tuple[list[dict], list[dict], ConditionLabels]:
    labels = label_genres(outcomes, genre_lookup(settings))
    keyed = {i: outcome_song_key(outcomes[i]) for i in labels}
    splits = assign_splits(set(keyed.values()), settings.data)
    train_songs = {keyed[i]: labels[i][0] for i in labels if splits[keyed[i]] == "train"}
    conditions = ConditionLabels.fit(train_songs.values(), settings.data.condition_min_songs,
                                     settings.data.max_condition_labels)
    posts, sentences = [], []
    for index, outcome in enumerate(outcomes, start=1):
        ref = outcome.ref
        posts.append({
            "id": index, "url": outcome.post.url, "domain": outcome.post.domain, "title": outcome.post.title,
            "artist": ref.artist if ref else None, "song": ref.song if ref else None,
            "featuring": json.dumps(list(ref.featuring) if ref else []), "kept": int(not outcome.drop_reason),
            "drop_reason": outcome.drop_reason, "sentences": len(outcome.sentences),
        })
        if index - 1 not in labels:
            continue
        genres, source = labels[index - 1]
        for sentence in outcome.sentences:
            sentences.append({
                "post_id": index, "text": sentence, "artist": ref.artist, "song": ref.song,
                "genres": json.dumps(list(genres)), "genre_sources": json.dumps([source] * len(genres)),
                "condition_labels": json.dumps(list(conditions.map(genres))),
                "split": splits[outcome_song_key(outcome)], "n_words": len(sentence.split()),
            })
    return posts, sentences, conditions


def data_card(posts: list[dict], sentences: list[dict], funnel: Funnel, conditions: ConditionLabels,
              source: str, seconds: float) -> dict[str, Any]:
    sources = Counter((json.loads(s["genre_sources"]) or ["unknown"])[0] for s in sentences)
    genres = Counter(g for s in sentences for g in json.loads(s["genres"]))
    labels = Counter(c for s in sentences for c in json.loads(s["condition_labels"]))
    lengths = Counter(next((f"{lo}-{hi}" for lo, hi in LENGTH_BUCKETS if lo <= s["n_words"] <= hi), "other")
                      for s in sentences)
    with_genre = sum(n for src, n in sources.items() if has_genre(src))
    return {
        "posts": funnel.total_posts, "posts_kept": sum(p["kept"] for p in posts), "sentences": len(sentences),
        "sentences_with_genre": with_genre,
        "songs": len({(s["artist"], s["song"]) for s in sentences}),
        "artists": len({s["artist"] for s in sentences}),
        "train_sentences": sum(s["split"] == "train" for s in sentences),
        "val_sentences": sum(s["split"] == "val" for s in sentences),
        "train_songs": len({(s["artist"], s["song"]) for s in sentences if s["split"] == "train"}),
        "val_songs": len({(s["artist"], s["song"]) for s in sentences if s["split"] == "val"}),
        "genre_coverage": round(with_genre / len(sentences), 4) if sentences else 0.0,
        "coverage_by_source": dict(sources.most_common()),
        "top_genres": genres.most_common(20),
        "top_condition_labels": labels.most_common(20),
        "condition_labels": conditions.labels,
        "length_histogram": {f"{lo}-{hi}": lengths[f"{lo}-{hi}"] for lo, hi in LENGTH_BUCKETS},
        "drop_reasons": dict(funnel.reasons.most_common()),
        "funnel": funnel.steps,
        "source": source, "build_seconds": round(seconds, 1),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write_corpus(db_path: Path, posts: list[dict], sentences: list[dict], card: dict, funnel: Funnel) -> None:
    """Write into `<db>.building`, then atomically replace the target."""
    temp = db_path.with_name(db_path.name + ".building")
    for stale in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
        stale.unlink(missing_ok=True)
    store = Store.open(temp)
    try:
        with store.db.conn:
            store.db.execute("BEGIN")
            store.db["posts"].insert_all(posts)
            store.db["sentences"].insert_all(sentences)
            store.db["funnel"].insert_all({"position": i, **step} for i, step in enumerate(funnel.steps))
            store.put_card(card)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.db.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file to swap in
    finally:
        store.close()
    for stale in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        stale.unlink(missing_ok=True)
    os.replace(temp, db_path)


def _rows_from_posts(settings: Settings, posts_path: str | Path, progress: bool):
    posts_file = read_posts(posts_path)
    outcomes, funnel = process_posts(posts_file, settings.data, progress=progress)
    posts, sentences, conditions = corpus_rows(outcomes, settings)
    if not sentences:
        reasons = ", ".join(f"{k} {v}" for k, v in funnel.reasons.most_common(4)) or "no posts"
        raise EmptyCorpusError(f"no usable sentences in {posts_path} ({reasons}); the existing corpus is unchanged")
    return posts, sentences, conditions, funnel


def sentences_from_posts(settings: Settings, posts_path: str | Path, progress: bool = False) -> list[CorpusSentence]:
    """The pipeline in memory, for evaluation on posts the model never saw: nothing is written anywhere.

    Condition labels here are fitted on these posts alone; a caller evaluating a model re-maps `genres` with the
    model's own label list (`ConditionLabels(labels).map(sentence.genres)`).
    """
    _, rows, _, _ = _rows_from_posts(settings, posts_path, progress)
    return [
        CorpusSentence(text=r["text"], artist=r["artist"], song=r["song"], genres=tuple(json.loads(r["genres"])),
                       condition_labels=tuple(json.loads(r["condition_labels"])), split=r["split"])
        for r in rows
    ]


def build_corpus(settings: Settings, posts_path: str | Path, db_path: str | Path,
                 progress: bool = True) -> dict[str, Any]:
    """Build the corpus from a posts file into `db_path`; returns the data card (which holds the funnel)."""
    started = time.perf_counter()
    posts, sentences, conditions, funnel = _rows_from_posts(settings, posts_path, progress)
    card = data_card(posts, sentences, funnel, conditions, str(posts_path), time.perf_counter() - started)
    write_corpus(Path(db_path), posts, sentences, card, funnel)
    return card
