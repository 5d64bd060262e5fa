"""A post's URL slug as a second witness: it fills in a song or artist the headline leaves out
("Currently Listening To: Thunder Jackson" + ".../thunder-jackson-colours") and settles which of two readings of
an artist the blog meant. It corrects only an artist read out of a sentence, and only with the headline's own words.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from deephype.songs_credits import clean_artist, split_song
from deephype.songs_headline import Draft
from deephype.songs_text import fold_tokens, fold_with_index
from deephype.songs_words import (
    GENRE_WORDS,
    SENTENCE_VERBS,
    SLUG_LABELS,
    SLUG_LEADING,
    SLUG_NOT_SONG,
    SLUG_STOPS,
    SLUG_STOPWORDS,
)

Span = tuple[int, int]


def domain_of(url: str | None) -> str | None:
    """The site's host, looking through web.archive.org wrappers ("www.buffablog.com")."""
    if not url:
        return None
    inner = url[url.rfind("http"):] if url.count("http") > 1 else url
    host = urlsplit(inner if "//" in inner else "//" + inner).hostname
    return host.lower() if host else None


def slug_tokens(url: str | None) -> list[str]:
    """Words of the path segment that reads most like a title ("/2018/05/opia-four-winds/" -> opia four winds)."""
    if not url:
        return []
    inner = url[url.rfind("http"):] if url.count("http") > 1 else url
    path = unquote(urlsplit(inner if "//" in inner else "//" + inner).path)
    segments = [re.sub(r"\.(?:html?|php|aspx?)$", "", s) for s in path.split("/") if s]
    if not segments:
        return []
    best = max(reversed(segments), key=lambda s: len(re.findall(r"[-_]", s)))
    tokens = fold_tokens(re.sub(r"[-_+]+", " ", best))
    while tokens and tokens[0].isdigit():
        tokens.pop(0)
    while tokens and tokens[-1].isdigit() and len(tokens[-1]) >= 3:
        tokens.pop()
    if len(tokens) > 1 and re.fullmatch(r"[2-9]", tokens[-1]) and not tokens[-2].isdigit():
        tokens.pop()  # WordPress's "-2" for a second post with the same title
    return tokens


def is_prose_slug(url: str | None) -> bool:
    """Tumblr-style slugs are the post's first words, so what follows a name there is prose, not a title."""
    return bool(url and re.search(r"/post/\d+/", url))


def align(phrase: list[str], slug: list[str], start: int = 0) -> Span | None:
    """Where the phrase's words sit in the slug, allowing the slug to drop stop-words and plural "s"."""
    if not any(w not in SLUG_STOPWORDS for w in phrase):
        return None
    for i in range(start, len(slug)):
        end = _match_from(phrase, slug, i)
        if end is not None:
            return i, end
    return None


def _match_from(phrase: list[str], slug: list[str], i: int) -> int | None:
    j = 0
    while j < len(phrase):
        if i < len(slug) and _same(phrase[j], slug[i]):
            i, j = i + 1, j + 1
        elif phrase[j] in SLUG_STOPWORDS:
            j += 1
        else:
            return None
    return i


def _same(a: str, b: str) -> bool:
    return a == b or a + "s" == b or a == b + "s"


def song_after_artist(slug: list[str], artist: str, title: str) -> str | None:
    """'thunder-jackson-colours' with artist 'Thunder Jackson' -> 'Colours'. A slug that goes on the way the
    headline does ("jean-deaux-drops-an-...") is the headline itself and names no song."""
    artist_tokens = fold_tokens(artist)
    span = align(artist_tokens, slug)
    if not span:
        return None
    title_tokens = fold_tokens(title)
    in_title = align(artist_tokens, title_tokens)
    if in_title and in_title[1] < len(title_tokens) and span[1] < len(slug) and \
            _same(title_tokens[in_title[1]], slug[span[1]]):
        return None
    return _title_from(slug[span[1]:])


def _title_from(tokens: list[str]) -> str | None:
    words: list[str] = []
    for token in tokens:
        if token in SLUG_NOT_SONG and not words:
            return None
        if token in SLUG_LEADING and not words:
            continue
        if token in SLUG_NOT_SONG:
            return None
        if token in SLUG_STOPS or token.isdigit() and len(token) >= 3:
            break
        words.append(token)
    return " ".join(w.capitalize() for w in words) if 0 < len(words) <= 5 else None


def artist_before_song(slug: list[str], song: str, title: str) -> str | None:
    """'joey-dosik-game-winner' with song 'Game Winner' -> 'Joey Dosik', spelled as the title spells it."""
    span = align(fold_tokens(song), slug, start=1)
    if not span:
        return None
    before = slug[:span[0]]
    while before and before[0] in SLUG_LABELS:
        before = before[1:]
    if not 0 < len(before) <= 4 or any(t in SLUG_STOPS or t.isdigit() for t in before):
        return None
    return spelled_in(title, before) or " ".join(t.capitalize() for t in before)


def spelled_in(title: str, tokens: list[str]) -> str | None:
    """The words of the title that fold to these slug tokens, with the title's own spelling (found even
    between non-Latin characters: "SSW、Westermanが新曲" holds "Westerman")."""
    if not tokens:
        return None
    folded, index = fold_with_index(title)
    words = [r"'?".join(re.escape(ch) for ch in token) for token in tokens]
    pattern = r"(?<![a-z0-9])" + r"(?:'s)?[^a-z0-9]{1,3}".join(words) + r"(?![a-z0-9])"
    match = re.search(pattern, folded)
    if not match:
        return None
    return title[index[match.start()]:index[match.end() - 1] + 1]


def phrase_roles(slug: list[str], phrase: str, prose: bool, announced: bool) -> tuple[str, str] | None:
    """(artist, song) for a lone name: the slug tells whether it is the song ('Hall of Horrors' +
    'teen-ravine-hall-of-horrors') or, after a label that announces an act ('Premiere: Cautious Clay'), the
    artist. A bare name at the start of the slug could be either ('Say My Name' + 'say-my-name-tove-styrke')."""
    song_part, featuring, version = split_song(phrase)
    tokens = fold_tokens(song_part)
    span = align(tokens, slug)
    if not span:
        return None
    before = [t for t in slug[:span[0]] if t not in SLUG_LABELS]
    if 0 < len(before) <= 4 and not any(t in SLUG_STOPS or t.isdigit() for t in before):
        return " ".join(t.capitalize() for t in before), phrase
    if before or prose or featuring or version or not announced or not _artist_like(phrase):
        return None
    song = _title_from(slug[span[1]:])
    return (phrase, song) if song and not all(t in GENRE_WORDS for t in fold_tokens(song)) else None


def _artist_like(phrase: str) -> bool:
    words = phrase.split()
    lowercase = [w for w in words if w[:1].islower() and w.lower() not in {"and", "&", "of", "the", "x"}]
    return len(words) <= 5 and (not lowercase or phrase.islower())


def artist_in_slug(slug: list[str], artist: str) -> bool:
    return align(fold_tokens(artist), slug) is not None


def complete_from_slug(draft: Draft, url: str | None, title: str) -> Draft:
    """Complete or correct a headline's draft from its URL slug (`title` is the cleaned headline)."""
    slug = slug_tokens(url)
    if not slug:
        return draft
    prose = is_prose_slug(url)
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
