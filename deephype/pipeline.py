"""The data pipeline: raw blog posts -> cleaned, placeholder-masked sentences labelled with genres.

Every step counts what it drops (the funnel), so an operator can see where their posts went.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from tqdm import tqdm

from deephype import text as cleaning
from deephype.boilerplate import boilerplate_reason
from deephype.config import DataConfig
from deephype.genres import UNKNOWN, GenreLookup
from deephype.posts import PostsFile, RawPost
from deephype.songs import SongRef, mask_mentions, parse_title

_ROUNDUP_TITLE = re.compile(
    r"\b(round-?up|weekly|playlist|mixtape|best (?:songs|tracks|albums)|top \d+|\d+ (?:songs|tracks)|"
    r"new music (?:friday|monday|roundup)|tracks of the (?:week|month)|songs of the (?:week|month))\b",
    re.IGNORECASE,
)


@dataclass
class Funnel:
    """Ordered counts: each step's kept and dropped, and why things were dropped."""

    steps: list[dict] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)

    def add(self, step: str, kept: int, dropped: int, unit: str) -> None:
        self.steps.append({"step": step, "kept": kept, "dropped": dropped, "unit": unit})

    def drop(self, reason: str, n: int = 1) -> None:
        self.reasons[reason] += n


@dataclass
class PostOutcome:
    post: RawPost
    ref: SongRef | None = None
    sentences: list[str] = field(default_factory=list)
    drop_reason: str | None = None
    text: str = ""  # repaired commentary lines, for genre mentions


@dataclass
class SentenceCounts:
    lines: int = 0
    lines_kept: int = 0
    split: int = 0
    length_ok: int = 0
    clean: int = 0
    unique: int = 0


def is_roundup(post: RawPost, lines: list[str], ref: SongRef | None, config: DataConfig) -> bool:
    """A post covering several songs: a round-up title, or several lines that read as "Artist - Title"."""
    if _ROUNDUP_TITLE.search(post.title):
        return True
    songs = {(r.artist.lower(), r.song.lower()) for r in map(_song_line, lines) if r}
    if ref:
        songs.discard((ref.artist.lower(), ref.song.lower()))
    return len(songs) >= config.roundup_min_songs


def _song_line(line: str) -> SongRef | None:
    # Only short lines can be track-list entries; a long sentence that happens to contain a dash is commentary.
    return parse_title(line) if len(line) <= 120 and len(line.split()) <= 14 else None


# Line rules that also mark a single sentence as promotion rather than commentary ("out now via ...").
_PROMOTIONAL_REASONS = {"release_info", "tour_dates", "call_to_action", "social", "tags", "caption", "dateline"}


def _promotional(sentence: str) -> str | None:
    reason = boilerplate_reason(sentence)
    return reason if reason in _PROMOTIONAL_REASONS else None


def commentary_lines(post: RawPost, config: DataConfig, funnel: Funnel, counts: SentenceCounts) -> list[str]:
    """Repaired content lines that are neither boilerplate nor non-English."""
    kept = []
    lines = cleaning.content_lines(post.content)
    counts.lines += len(lines)
    for line in lines:
        reason = cleaning.boilerplate_reason(line)
        if reason is None and len(line.split()) >= 4 and cleaning.english_ratio(line) < config.min_english_ratio:
            reason = "non_english_line"
        if reason:
            funnel.drop(f"line:{reason}")
        else:
            kept.append(line)
    counts.lines_kept += len(kept)
    return kept


def sentences_of(lines: list[str], ref: SongRef, config: DataConfig, funnel: Funnel,
                 counts: SentenceCounts, duplicates: cleaning.NearDuplicateFilter) -> list[str]:
    """Split lines into sentences, mask artist and song, and keep clean, unique ones of a sensible length."""
    kept = []
    for line in lines:
        for raw in cleaning.split_sentences(line):
            counts.split += 1
            sentence = mask_mentions(cleaning.strip_inline_noise(raw).strip(), ref)
            n_words = cleaning.word_count(sentence)
            if not config.min_words <= n_words <= config.max_words:
                funnel.drop("sentence:too_short" if n_words < config.min_words else "sentence:too_long")
                continue
            counts.length_ok += 1
            reason = cleaning.residue_reason(sentence) or _promotional(sentence)
            if reason:
                funnel.drop(f"sentence:{reason}")
                continue
            counts.clean += 1
            if duplicates.is_duplicate(sentence):
                funnel.drop("sentence:duplicate")
                continue
            counts.unique += 1
            kept.append(sentence)
    return kept


def process_post(post: RawPost, config: DataConfig, funnel: Funnel, counts: SentenceCounts,
                 duplicates: cleaning.NearDuplicateFilter) -> PostOutcome:
    outcome = PostOutcome(post)
    whole = cleaning.repair_text(f"{post.title}\n{post.content}")
    if cleaning.english_ratio(whole) < config.min_english_ratio:
        outcome.drop_reason = "non_english"
        return outcome
    ref = parse_title(post.title, post.url or None)
    lines = cleaning.content_lines(post.content)
    if is_roundup(post, lines, ref, config):
        outcome.drop_reason = "roundup"
        return outcome
    if ref is None:
        outcome.drop_reason = "no_song"
        return outcome
    outcome.ref = ref
    kept_lines = commentary_lines(post, config, funnel, counts)
    outcome.text = "\n".join(kept_lines)
    outcome.sentences = sentences_of(kept_lines, ref, config, funnel, counts, duplicates)
    if not outcome.sentences:
        outcome.drop_reason = "no_commentary"
    return outcome


def process_posts(posts_file: PostsFile, config: DataConfig, progress: bool = True) -> tuple[list[PostOutcome], Funnel]:
    """Run every post through cleaning and splitting; return outcomes in input order and the funnel so far."""
    funnel, counts = Funnel(), SentenceCounts()
    duplicates = cleaning.NearDuplicateFilter(config.near_duplicate_threshold)
    outcomes = []
    for post in tqdm(posts_file.posts, desc="cleaning posts", unit="post", disable=None if progress else True):
        outcome = process_post(post, config, funnel, counts, duplicates)
        if outcome.drop_reason:
            funnel.drop(f"post:{outcome.drop_reason}")
        outcomes.append(outcome)
    _record_funnel(funnel, posts_file, outcomes, counts)
    return outcomes, funnel


def _record_funnel(funnel: Funnel, posts_file: PostsFile, outcomes: list[PostOutcome], counts: SentenceCounts) -> None:
    total = len(posts_file.posts) + posts_file.malformed
    reasons = Counter(o.drop_reason for o in outcomes)
    kept = len(posts_file.posts)
    funnel.add("read posts", kept, posts_file.malformed, "posts")
    for step, reason in [("English posts", "non_english"), ("single-song posts", "roundup"),
                         ("artist and song found", "no_song"), ("posts with commentary", "no_commentary")]:
        kept -= reasons[reason]
        funnel.add(step, kept, reasons[reason], "posts")
    funnel.add("commentary lines", counts.lines_kept, counts.lines - counts.lines_kept, "lines")
    funnel.add("sentences of sensible length", counts.length_ok, counts.split - counts.length_ok, "sentences")
    funnel.add("clean sentences", counts.clean, counts.length_ok - counts.clean, "sentences")
    funnel.add("unique sentences", counts.unique, counts.clean - counts.unique, "sentences")
    funnel.total_posts = total  # type: ignore[attr-defined]


def label_genres(outcomes: list[PostOutcome], lookup: GenreLookup) -> dict[int, tuple[tuple[str, ...], str]]:
    """Genres and their source for every kept post, by position."""
    labels = {}
    for index, outcome in enumerate(outcomes):
        if outcome.sentences and outcome.ref:
            artists = [outcome.ref.artist, *outcome.ref.featuring]
            label = lookup.label(artists, outcome.text)
            labels[index] = (label.genres, label.source)
    return labels


def has_genre(source: str) -> bool:
    return source != UNKNOWN
