"""Find artist and song in blog headlines, tweets and "/hype <artist> - <song>" arguments, and mask them in text.

The reading itself lives in songs_headline (formats), songs_sentence (headlines as sentences), songs_credits
(feat./remix/prod. credits) and songs_slug (the URL as a fallback); songs_mask replaces mentions in sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deephype.songs_credits import clean_artist, split_song, tidy
from deephype.songs_headline import Draft, read_headline
from deephype.songs_mask import mask_mentions
from deephype.songs_plausible import looks_like_name, looks_like_song
from deephype.songs_slug import (
    align,
    artist_before_song,
    artist_in_slug,
    domain_of,
    is_prose_slug,
    phrase_roles,
    slug_tokens,
    song_after_artist,
    spelled_in,
)
from deephype.songs_text import clean_text, fold_tokens, normalise_name
from deephype.songs_words import SENTENCE_VERBS, SLUG_STOPWORDS

__all__ = ["SongRef", "detect_song", "mask_mentions", "normalise_name", "parse_title", "split_song_title"]


@dataclass(frozen=True)
class SongRef:
    artist: str  # main artist(s) as credited, tidy ("Mt. Joy", "Sofi Tukker")
    song: str  # title without quotes, credits or version ("Best Friend", "Opal")
    featuring: tuple[str, ...] = ()  # featured artists ("NERVO", "The Knocks", "Alisa Ueno")
    version: str | None = None  # "Four Tet Remix", "Edit", "VIP", "Radio Edit" ...

    def to_dict(self) -> dict:
        return {"artist": self.artist, "song": self.song, "featuring": list(self.featuring), "version": self.version}

    def names(self) -> tuple[str, ...]:
        """Every artist credited: the main artist(s) first, then those featured."""
        return (self.artist, *self.featuring)

    def key(self) -> tuple[str, str]:
        """(artist, song) as comparison keys: two spellings of one song give the same key."""
        return normalise_name(self.artist), normalise_name(self.song)


def parse_title(title: str, url: str | None = None) -> SongRef | None:
    """Artist and song of a blog post from its headline; the URL slug fills in what the headline leaves out.
    None for round-ups, mixes and headlines that name no song."""
    if not isinstance(title, str):
        return None
    draft = read_headline(title[:1000], domain_of(url))
    if draft.roundup:
        return None
    slug = slug_tokens(url)
    if slug:
        draft = _with_slug(draft, slug, clean_text(title[:1000]), is_prose_slug(url))
    return _finish(draft, strict=False)


def detect_song(text: str) -> SongRef | None:
    """Artist and song named in a tweet or a /hype argument ("Bicep - Opal", "'Opal' by Bicep",
    "NEW MUSIC: Bicep – Opal (Four Tet Remix) 🔥 https://..."). None when the text names no song."""
    if not isinstance(text, str):
        return None
    draft = read_headline(_clean_tweet(text[:2000]), strict=True)
    return None if draft.roundup else _finish(draft, strict=True)


def split_song_title(title: str) -> tuple[str, tuple[str, ...], str | None]:
    """A song title as charts list it -> (song, featuring, version): "Opal (Four Tet Remix)" -> Opal."""
    return split_song(clean_text(title))


_URL = re.compile(r"\b(?:https?://|www\.)\S+|\bpic\.twitter\.com/\S+", re.IGNORECASE)
_RETWEET = re.compile(r"^(?:RT\s+)?(?:@\w+[:,]?\s+)+", re.IGNORECASE)
_COMMAND = re.compile(r"^/\w+\s*")
_TAG_WORDS = re.compile(r"#(?:now ?playing|np|newmusic\w*|music\w*|nowlistening|listen\w*|songoftheday|"
                        r"trackoftheday|ontheblog|hypem|spotify|soundcloud|\w*friday|\w*monday)\b", re.IGNORECASE)
_MENTION_TAIL = re.compile(r"(?:\s*(?:via|by|on|h/t|cc)?\s*@\w+)+\s*[.!]*$", re.IGNORECASE)
_VIA_SITE = re.compile(r"\s+(?:via|on|at)\s+@?\w[\w.]*\s*$", re.IGNORECASE)


def _clean_tweet(text: str) -> str:
    text = _URL.sub(" ", clean_text(text))
    text = _COMMAND.sub("", _RETWEET.sub("", text.strip()))
    text = _TAG_WORDS.sub(" ", text)
    text = _MENTION_TAIL.sub("", text.strip())
    text = _VIA_SITE.sub("", text) if re.search(r"\s(?:via|on|at)\s+@", text) else text
    text = re.sub(r"(?:\s+#\w+)+\s*$", "", text)
    text = re.sub(r"[#@](\w)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip(" -|:")


def _with_slug(draft: Draft, slug: list[str], title: str, prose: bool) -> Draft:
    """Complete or correct a draft from the URL slug."""
    if draft.phrase and not (draft.artist or draft.song):
        roles = phrase_roles(slug, draft.phrase, prose, draft.labelled)
        return Draft(*roles) if roles else draft
    if draft.artist and not draft.song:
        song = None if prose and not artist_in_slug(slug[:3], draft.artist) else \
            song_after_artist(slug, draft.artist, title)
        return Draft(draft.artist, song, featuring=draft.featuring, version=draft.version) if song else draft
    if draft.song and not draft.artist:
        song_name = split_song(draft.song)[0]
        artist = artist_before_song(slug, song_name, title)
        return Draft(artist, draft.song, draft.tail, draft.featuring, draft.version) if artist else draft
    if draft.artist and draft.song and draft.guessed:
        return _settled_artist(draft, slug, title)
    return draft


def _settled_artist(draft: Draft, slug: list[str], title: str) -> Draft:
    """When the slug spells the artist differently from our reading, trust the slug's words if the
    headline contains them ("Copenhagen's MATTIS" -> "MATTIS")."""
    artist = clean_artist(draft.artist or "")[0]
    song_name = split_song(draft.song or "")[0]
    before = artist_before_song(slug, song_name, title)
    if before and _extends(artist, before):
        spelled = spelled_in(title, fold_tokens(before))
        if spelled:  # "Ross" cut short at "From": the slug's "ross-from-friends" is the whole name
            return Draft(spelled, draft.song, draft.tail, draft.featuring, draft.version)
    if not artist or artist_in_slug(slug, artist):
        return draft
    for candidate in draft.candidates:
        if artist_in_slug(slug, candidate):
            return Draft(candidate, draft.song, draft.tail, draft.featuring, draft.version)
    if before and spelled_in(title, fold_tokens(before)) and not _only_stopwords_apart(artist, before):
        return Draft(before, draft.song, draft.tail, draft.featuring, draft.version)
    return draft


def _extends(artist: str, slug_artist: str) -> bool:
    """The slug's name starts with ours and goes on with more name, not with a verb ("ric-wilson-drops")."""
    ours, theirs = fold_tokens(artist), fold_tokens(slug_artist)
    span = align(ours, theirs)
    return bool(span) and span[0] == 0 and len(theirs) > span[1] and not any(
        t in SENTENCE_VERBS for t in theirs[span[1]:])


def _only_stopwords_apart(artist: str, slug_artist: str) -> bool:
    # "The Shacks" against the slug's "shacks", "Me Not You" against "not": the same name, slug-trimmed.
    extra = set(fold_tokens(artist)) - set(fold_tokens(slug_artist))
    return bool(align(fold_tokens(slug_artist), fold_tokens(artist))) and extra <= SLUG_STOPWORDS


def _finish(draft: Draft, strict: bool) -> SongRef | None:
    if not draft.artist or not draft.song:
        return None
    artist, artist_featuring = clean_artist(draft.artist)
    song, song_featuring, version = split_song(draft.song, draft.tail)
    artist, song = tidy(artist), tidy(song)
    if not looks_like_name(artist, strict, False):
        return None
    if not song or not looks_like_song(song, strict) or normalise_name(song) in ("", normalise_name(artist) + " ep"):
        return None
    featuring = tuple(f for f in dict.fromkeys((*draft.featuring, *artist_featuring, *song_featuring))
                      if f and normalise_name(f) != normalise_name(artist))
    return SongRef(artist, song, featuring, draft.version or version)
