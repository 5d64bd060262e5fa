"""One request end to end, as `/hype <artist> - <song>` and `deephype hype` make it: find the song in the
argument (or a tweet's text), resolve its genres, write ranked candidates, and say what went wrong on the way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from deephype.candidate_filters import post_overhead
from deephype.errors import DeephypeError, InputError
from deephype.generate import Candidate, Generation, GenerationRequest, Generator
from deephype.song_genres import GenreResolver, SongGenres
from deephype.songs import SongRef, detect_song

EXAMPLE = '"M83 - Midnight City"'
MAX_ARGUMENT_CHARS = 300  # the longest real "artist feat. guests - title (remix)" is well under this


class SongRequestError(InputError):
    """The argument names no song deephype can write about."""


@dataclass(frozen=True)
class HypeResult:
    artist: str
    song: str  # the title as detected, without version or credits
    genres: tuple[str, ...]
    genre_source: str  # "spotify", "cache", "offline_table", "given" or "unknown"
    candidates: list[Candidate]  # best first
    notes: list[str] = field(default_factory=list)  # for the person asking: fallbacks taken, filters that bit
    featuring: tuple[str, ...] = ()
    version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "artist": self.artist, "song": self.song, "featuring": list(self.featuring), "version": self.version,
            "genres": list(self.genres), "genre_source": self.genre_source, "notes": list(self.notes),
            "candidates": [{"text": c.text, "score": c.score, **c.details} for c in self.candidates],
        }


def read_song(argument: str) -> SongRef:
    """The song an argument names, or a SongRequestError whose message shows an argument that works."""
    if not isinstance(argument, str) or not argument.strip():
        raise SongRequestError(f"tell me which song: an artist and a title, for example {EXAMPLE}")
    text = " ".join(argument.split())
    if len(text) > MAX_ARGUMENT_CHARS:
        raise SongRequestError(f"that is {len(text):,} characters; give just an artist and a title "
                               f"(at most {MAX_ARGUMENT_CHARS}), for example {EXAMPLE}")
    ref = detect_song(text)
    if ref is None:
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise SongRequestError(f'no artist and title found in "{shown}": write it as "Artist - Title", '
                               f"for example {EXAMPLE}")
    return ref


def hype(argument: str, generator: Generator, resolver: GenreResolver, n: int,
         genres_override: Sequence[str] | str | None = None, reserved_chars: int | None = None,
         seed: int | None = None) -> HypeResult:
    """Candidates for the song in `argument`. `genres_override` replaces the genre lookup; `reserved_chars`
    (default: what a post in the configured x.post_mode adds, hashtag included) is kept free in every text."""
    ref = read_song(argument)
    genres = _genres(ref, resolver, genres_override)
    request = _request(ref, genres, generator, n, reserved_chars, seed)
    return _result(ref, genres, generator.sample_candidates_many([request])[0])


def hype_many(arguments: Sequence[str], generator: Generator, resolver: GenreResolver,
              n: int) -> list[HypeResult | DeephypeError]:
    """`hype` for several arguments with one batched generation, in order. An argument that names no song (or
    whose request cannot be made) is its own error in the list; the others are still written."""
    prepared: list[tuple[SongRef, SongGenres, GenerationRequest] | DeephypeError] = []
    for argument in arguments:
        try:
            ref = read_song(argument)
            genres = _genres(ref, resolver, None)
            prepared.append((ref, genres, _request(ref, genres, generator, n, None, None)))
        except DeephypeError as error:
            prepared.append(error)
    ready = [item for item in prepared if not isinstance(item, DeephypeError)]
    generations = iter(generator.sample_candidates_many([request for _, _, request in ready]))
    return [item if isinstance(item, DeephypeError) else _result(item[0], item[1], next(generations))
            for item in prepared]


def _request(ref: SongRef, genres: SongGenres, generator: Generator, n: int, reserved_chars: int | None,
             seed: int | None) -> GenerationRequest:
    settings = generator.settings
    if reserved_chars is None:
        reserved_chars = post_overhead(settings.x.post_mode, settings.generation.hashtag)
    title = f"{ref.song} ({ref.version})" if ref.version else ref.song
    return GenerationRequest(ref.artist, title, genres.genres, n, ref.featuring, reserved_chars, seed)


def _result(ref: SongRef, genres: SongGenres, generation: Generation) -> HypeResult:
    notes = [genres.note] if genres.note else []
    if not generation.candidates:
        reasons = ", ".join(f"{reason.replace('_', ' ')} {count}" for reason, count in
                            generation.rejected.most_common())
        notes.append(f"none of the {generation.samples} samples passed the filters ({reasons}); try again for a "
                     "fresh batch")
    return HypeResult(ref.artist, ref.song, genres.genres, genres.source, generation.candidates, notes,
                      ref.featuring, ref.version)


def _genres(ref: SongRef, resolver: GenreResolver, override: Sequence[str] | str | None) -> SongGenres:
    if isinstance(override, str):
        override = override.split(",")
    given = GenreResolver.given(override or ())
    return given if given.genres else resolver.resolve(ref)
