"""Find artist and song in blog headlines, tweets and "/hype <artist> - <song>" arguments, and mask them in text.

The reading lives in songs_headline (formats), songs_sentence (headlines as sentences), songs_credits (feat.,
remix and prod. credits), songs_plausible (is it a name?) and songs_slug (the URL as a second witness);
songs_mask replaces mentions in sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deephype.songs_credits import clean_artist, split_song, tidy
from deephype.songs_headline import Draft, read_headline
from deephype.songs_mask import mask_mentions
from deephype.songs_plausible import looks_like_name, looks_like_song
from deephype.songs_slug import complete_from_slug, domain_of
from deephype.songs_text import clean_text, normalise_name

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
    return _finish(complete_from_slug(draft, url, clean_text(title[:1000])), strict=False)


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


def _finish(draft: Draft, strict: bool) -> SongRef | None:
    if not draft.artist or not draft.song:
        return None
    artist, artist_featuring = clean_artist(draft.artist)
    song, song_featuring, version = split_song(draft.song, draft.tail)
    artist, song = tidy(artist), tidy(song)
    if not looks_like_name(artist, strict, False):
        return None
    if not song or not looks_like_song(song, strict):
        return None
    featuring = tuple(f for f in dict.fromkeys((*draft.featuring, *artist_featuring, *song_featuring))
                      if f and normalise_name(f) != normalise_name(artist))
    return SongRef(artist, song, featuring, draft.version or version)
