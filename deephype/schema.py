"""The database schema as numbered migrations. Append new ones; never edit one that has shipped."""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


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


def _curation_tables(db: sqlite_utils.Database) -> None:
    # A request asks for candidates about one song: from /hype, a timeline tweet, or Regenerate.
    db["requests"].create({
        "id": int, "kind": str, "artist": str, "song": str, "featuring": str, "genres": str, "genre_source": str,
        "source_tweet_id": str, "source_tweet_url": str, "requested_by": str, "channel": str, "header_ts": str,
        "status": str, "error": str, "created_at": str,
    }, pk="id")
    # status: pending -> approved | rejected; approved -> posting -> posted | failed | needs_review
    db["candidates"].create({
        "id": int, "request_id": int, "rank": int, "text": str, "original_text": str, "score": float,
        "details": str, "status": str, "channel": str, "message_ts": str, "decided_by": str, "decided_at": str,
        "planned_for": str, "posted_tweet_id": str, "posted_at": str, "post_attempts": int, "error": str,
        "created_at": str,
    }, pk="id", foreign_keys=[("request_id", "requests", "id")], defaults={"post_attempts": 0})
    db["candidates"].create_index(["status"])
    db["candidates"].create_index(["channel", "message_ts"], unique=True)
    # Every decision attempt, accepted or not, so the record shows who tried what and when.
    db["decisions"].create({
        "id": int, "candidate_id": int, "user_id": str, "action": str, "via": str, "text_before": str,
        "text_after": str, "accepted": int, "note": str, "at": str,
    }, pk="id", foreign_keys=[("candidate_id", "candidates", "id")])
    # Slack event ids and interaction keys already handled, so retries are not acted on twice.
    db["seen_events"].create({"key": str, "at": str}, pk="key")


def _timeline_tables(db: sqlite_utils.Database) -> None:
    db["tweets"].create({
        "id": str, "author": str, "text": str, "created_at": str, "status": str, "error": str, "request_id": int,
        "processed_at": str,
    }, pk="id")
    db["cursors"].create({"name": str, "value": str, "updated_at": str}, pk="name")


def _posting_columns(db: sqlite_utils.Database) -> None:
    # Which process claimed a candidate for posting, and when: a claim left by a process that is gone means the
    # post may or may not have reached X, so a person checks it instead of the bot trying again.
    db["candidates"].add_column("claimed_by", str)
    db["candidates"].add_column("claimed_at", str)
    # How many scans have tried a timeline tweet: a failing tweet is retried a few times, then recorded as failed.
    db["tweets"].add_column("attempts", int, not_null_default=0)
    # A tweet already written about (its request has a Slack header) is never written about again.
    db["requests"].create_index(["source_tweet_id"])


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _corpus_tables, _genre_cache, _curation_tables, _timeline_tables, _posting_columns,
]


