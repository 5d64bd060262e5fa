"""Read a headline or tweet into a draft (artist, song as written, credits), before credits are split off.

Order of reading: drop round-ups; strip blog labels ("NEW MUSIC:", "[Streaming]:", dates) and site names
("| Stereofox Music Blog", "– glamglare"); then either two segments ("Artist – Song", '"Song" - Artist'), a
quoted title inside a sentence, "Song by Artist", "Artist, Song", or a sentence that names only the artist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from deephype.songs_credits import clean_artist, split_song, tidy
from deephype.songs_plausible import (
    MONTH,
    can_own_number_title,
    is_reduplicated,
    looks_like_name,
    looks_like_song,
)
from deephype.songs_sentence import (
    Subject,
    artist_after_by,
    artist_before_quote,
    introduces_song,
    last_name_run,
    owner_before,
    strip_imperative,
    subject_of,
    unquoted_song,
)
from deephype.songs_text import (
    COMMA,
    Quote,
    clean_text,
    find_quotes,
    normalise_name,
    split_top_level,
    strip_quotes,
)
from deephype.songs_words import (
    GENRE_WORDS,
    LABEL_CORE,
    LABEL_WORDS,
    MUSIC_NOUNS,
    RELEASE_AFTER,
    RELEASE_WORDS,
    ROUNDUP_PATTERN,
    SONG_CUES,
    STRONG_LABEL_ENDINGS,
)

_ROUNDUP = re.compile(ROUNDUP_PATTERN, re.IGNORECASE)
_DATE = re.compile(
    rf"^(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{MONTH}\s+\d{{4}}|\d{{1,4}}[./-]\d{{1,2}}"
    rf"[./-]\d{{1,4}})\s*(?:[-:|\u2013\u2014]\s*)?",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"^\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?\b")
_BRACKET_LABEL = re.compile(r"^\[[^\]]{1,40}\]\s*[:\-|\u2013\u2014]*\s*")
_LABEL_END = re.compile(r"\s*(?:::|:|//+(?=\s)|\s//+|\||\?|!|\s[-\u2013\u2014]+)\s*")
_UNTERMINATED_LABEL = re.compile(
    r"^(?:(?:song|track|tune|jam|video|pick|record)s? of the (?:day|week|month)|now playing|new music|"
    r"single review|new single)\s+(?=\S)",
    re.IGNORECASE,
)
_LIST_NUMBER = re.compile(r"^(?:\d{1,3}[.)]|#\d{1,3})\s+")
_HASHTAG_TAIL = re.compile(r"(?:\s+#[\w-]+)+\s*$")
_TRAILING_NOISE = re.compile(
    r"(?:\s*(?:\.\.\.|\u2026)|\s+[-:|]+|\s+(?:(?:out\s+)?now\s+)?(?:on|via|at)\s+"
    r"(?:spotify|soundcloud|youtube|apple music|bandcamp|tidal|deezer|itunes))\s*$",
    re.IGNORECASE,
)
_TUMBLR_NOTES = re.compile(r"^\d+ notes?$", re.IGNORECASE)
# Segments that are a site, a section or a format, not a name ("New Music Resource", "A Song Review", "Art").
_SITE_SEGMENTS = {
    "blog", "music blog", "new music", "music", "features", "features, new music", "a song review", "audio",
    "art", "video", "music video", "stream", "listen", "premiere", "first transmission", "new music resource",
    "one for the people", "hbf", "speak into my good eye", "we love that", "review", "song review", "mp3",
    "official video", "lyric video", "free download", "out now", "indie shuffle", "stereofox", "the burning ear",
    "glamglare", "buffablog", "highclouds", "pitchfork", "stereogum", "the line of best fit", "consequence of sound",
    "hype machine", "hypem", "xxl", "diy", "clash", "the fader", "earmilk", "indie music filter",
}
_SITE_ENDING = re.compile(
    r"(?:\bblog|\bmagazine|\bmag|\bzine|\bradio|\.(?:com|net|org|la|co\.uk|de|fm|be|io|blog)|\bon wordpress\.com"
    r"|\bmusic blog)$",
    re.IGNORECASE,
)
# Sites whose headlines put the song first without quotes ("Stream: Dirty Love - Mt. Joy").
_SONG_FIRST_SITES = {"blackplastic.co.uk"}


@dataclass(frozen=True)
class Draft:
    artist: str | None = None
    song: str | None = None  # as written, may still carry "(feat. X)" or "(Y Remix)"
    tail: str = ""  # text after a quoted title, for its credits only
    featuring: tuple[str, ...] = ()
    version: str | None = None
    candidates: tuple[str, ...] = ()  # other readings of the artist, for the slug to choose between
    phrase: str | None = None  # a lone name whose role (artist or song) only the URL slug can tell
    roundup: bool = False  # a mix, set or several songs: no single song to find
    guessed: bool = False  # the artist was read out of a sentence, so the URL slug may correct it
    labelled: bool = False  # a blog label came first ("Premiere: Cautious Clay"), so a lone name is the act


def read_headline(text: str, domain: str | None = None, strict: bool = False) -> Draft:
    """Draft of artist and song from one headline (or a cleaned tweet, with `strict`)."""
    text = _strip_edges(clean_text(text))
    if _ROUNDUP.search(text):
        return Draft(roundup=True)
    if _NUMERIC_DATE.match(text) and not find_quotes(text):
        return Draft()  # "31.05.2018 Badehaus | Berlin - DE", "6/23/18 - Viroqua, WI": a tour date
    if text.count("|") >= 3 and not find_quotes(text):
        return Draft()  # "Facebook | Twitter | SoundCloud | Instagram", "Chillwave | Downtempo | ...": a list
    unlabelled = strip_labels(text)
    has_capitals = any(ch.isupper() for ch in unlabelled)
    segments = _content_segments(split_top_level(unlabelled), domain)
    if not segments:
        return Draft()
    if len(segments) >= 2:
        draft = _from_segments(segments, domain, strict, has_capitals)
        if draft:
            return draft
    draft = _from_single(segments[0], strict, has_capitals)
    return replace(draft, labelled=True) if draft.phrase and unlabelled != text else draft


def _strip_edges(text: str) -> str:
    text = _LIST_NUMBER.sub("", text.lstrip("\u2014\u2013-*> ").strip())
    text = _HASHTAG_TAIL.sub("", text)
    return _TRAILING_NOISE.sub("", text).strip()


def strip_labels(text: str) -> str:
    """Remove blog labels at the start, however many: "[Streaming]:", "NEW MUSIC:", "Song of the Day |", dates."""
    for _ in range(4):
        before = text
        text = _BRACKET_LABEL.sub("", text)
        text = _DATE.sub("", text)
        text = _strip_label_phrase(text)
        text = _UNTERMINATED_LABEL.sub("", text)
        if text == before:
            break
    return text.strip()


def _strip_label_phrase(text: str) -> str:
    for match in _LABEL_END.finditer(text[:60]):
        if match.start() == 0:
            continue
        branded = match.group(0).strip() in (":", "::") or "/" in match.group(0)
        if is_label(text[:match.start()], branded=branded):
            return text[match.end():]
        break
    return text


def is_label(phrase: str, core: bool = False, branded: bool = False) -> bool:
    """A blog's label or genre tag ("New Music", "(Nu) Disco"), not a name. With `core`, only words that are
    never a name's whole ("Official Video", not "Cool" or "Dream"); with `branded`, also a short phrase ending
    in a feature word before a colon ("SoulBounce Exclusive:", "D//E Premiere:")."""
    words = [w.strip("()'") for w in re.split(r"[\s/]+", phrase.lower().strip(" ()")) if w.strip("()'")]
    if not words or len(words) > 7 or is_reduplicated([w.strip(",") for w in words]):
        return False
    if core:
        return all(w in LABEL_CORE for w in words)
    vocabulary = LABEL_WORDS | GENRE_WORDS
    if all(w in vocabulary or "-" in w and all(p in vocabulary for p in w.split("-")) for w in words):
        return any(w not in {"a", "the", "of", "to", "in", "for", "this", "have", "your", "our", "on"} for w in words)
    return branded and len(words) <= 3 and words[-1] in STRONG_LABEL_ENDINGS


def _content_segments(segments: list[str], domain: str | None) -> list[str]:
    segments = [s for s in segments if not _TUMBLR_NOTES.match(s)]
    while segments and (_is_site(segments[-1], domain) or is_label(segments[-1], core=True)) and len(segments) > 1:
        segments.pop()
    if len(segments) == 1 and _is_site(segments[0], domain):
        return []
    while len(segments) > 1 and (is_label(segments[0]) or _DATE.fullmatch(segments[0] + " ")):
        segments.pop(0)
    return [s for s in segments if not re.match(r"^art\b", s, re.IGNORECASE)] or segments[:1]


def _is_site(segment: str, domain: str | None) -> bool:
    lowered = segment.lower().strip(" .")
    if lowered in _SITE_SEGMENTS or _SITE_ENDING.search(lowered):
        return True
    if not domain:
        return False
    squeezed = re.sub(r"[^a-z0-9]", "", lowered)
    site = re.sub(r"[^a-z0-9]", "", domain.split(".")[0] if not domain.startswith("www.") else domain.split(".")[1])
    if len(squeezed) < 3 or len(site) < 3 or len(segment.split()) > 5:
        return False
    return squeezed.startswith(site) or site.startswith(squeezed) or (len(site) >= 5 and site in squeezed) or (
        len(squeezed) >= 6 and squeezed in site)


def _from_segments(segments: list[str], domain: str | None, strict: bool, has_capitals: bool) -> Draft | None:
    first, second = segments[0], segments[1]
    version = segments[2] if len(segments) > 2 and _is_version(segments[2]) else None
    first_quote = _whole_quote(first)
    if first_quote and not _whole_quote(second):
        artist = re.sub(r"^by\s+", "", second, flags=re.IGNORECASE)
        return _checked(Draft(artist, first_quote.inner, first[first_quote.end:], version=version), strict,
                        has_capitals, quoted=True)
    if find_quotes(first) and not first_quote:
        return None  # a sentence with its own quoted title; read it whole
    song, tail, quoted = _song_segment(second)
    if domain and domain.removeprefix("www.") in _SONG_FIRST_SITES:
        first, song = song, first
    draft = _checked(Draft(first, song, tail, version=version), strict, has_capitals, quoted)
    owner = owner_before(first) if draft is None and len(first.split()) >= 3 else None
    if owner:
        draft = _checked(Draft(owner, song, tail, version=version, guessed=True), strict, has_capitals, quoted)
    return draft


def _whole_quote(segment: str) -> Quote | None:
    """The quote when a segment is only a quoted title and its credits ('"Lie" (ft. Riah)')."""
    quotes = find_quotes(segment)
    if quotes and quotes[0].start == 0 and not re.search(r"\w", _credits_free(segment[quotes[0].end:])):
        return quotes[0]
    return None


def _credits_free(text: str) -> str:
    return re.sub(r"[\(\[][^\)\]]*[\)\]]|\b(?:feat|ft|featuring)\b.*$", "", text, flags=re.IGNORECASE)


def _song_segment(segment: str) -> tuple[str, str, bool]:
    """(song, text after it, quoted): the segment's first quoted title when it opens the segment
    ('"Dirty Love" + Vinyl Giveaway'), else the whole segment."""
    quotes = _song_quotes(segment)
    if quotes and len(segment[:quotes[0].start].split()) <= 1:
        return quotes[0].inner, segment[quotes[0].end:], True
    return segment, "", False


def _is_version(segment: str) -> bool:
    return bool(re.search(r"\b(?:remix|edit|rework|vip|bootleg|version|mix)$", segment, re.IGNORECASE))


def _checked(draft: Draft, strict: bool, has_capitals: bool, quoted: bool = False) -> Draft | None:
    artist, song = strip_quotes(draft.artist or ""), strip_quotes(draft.song or "")
    if not looks_like_name(clean_artist(artist)[0], strict, has_capitals, max_words=6):
        return None
    bare_song = split_song(song)[0]
    if not looks_like_song(bare_song, strict, any(ch.isupper() for ch in artist), quoted):
        return None
    if not quoted and bare_song.isdigit() and not can_own_number_title(clean_artist(artist)[0]):
        return None
    return Draft(artist, song, draft.tail, draft.featuring, draft.version, guessed=draft.guessed)


def _song_quotes(text: str) -> list[Quote]:
    """Quoted spans that can be the song: not an album ("new album 'Childqueen'", "'Care For Me' Album")."""
    kept = []
    for quote in find_quotes(text):
        before = re.findall(r"[\w']+", text[:quote.start].lower())[-3:]
        after = re.findall(r"[\w']+", text[quote.end:].lower())[:1]
        cue = next((w for w in reversed(before) if w in SONG_CUES | RELEASE_WORDS), None)
        if cue in RELEASE_WORDS or any(w in RELEASE_AFTER for w in after):
            continue
        if quote.inner.lower() in MUSIC_NOUNS:
            continue
        kept.append(quote)
    return kept


def _from_single(text: str, strict: bool, has_capitals: bool) -> Draft:
    quotes = _song_quotes(text)
    if quotes:
        return _from_quote(text, quotes[0], strict, has_capitals)
    if find_quotes(text):
        return Draft(artist=subject_of(text).artist, guessed=True)
    for reader in (_song_by_artist, _comma_pair):
        draft = reader(text, strict, has_capitals)
        if draft:
            return draft
    named = unquoted_song(text)
    if named:
        draft = _checked(Draft(*named), strict, has_capitals)
        if draft:
            return draft
    return _artist_only(text, strict, has_capitals)


def _from_quote(text: str, quote: Quote, strict: bool, has_capitals: bool) -> Draft:
    before, after = text[:quote.start], text[quote.end:]
    credited = artist_after_by(after)  # an explicit "by X" beats any reading of the words before
    if credited and not looks_like_name(credited, strict, has_capitals):
        credited = None
    if credited or not re.search(r"\w", strip_imperative(before.strip())) or introduces_song(before):
        return Draft(credited, quote.inner, _credits_part(after)) if credited else Draft(song=quote.inner)
    subject: Subject = artist_before_quote(before)
    artist = subject.artist
    if artist and not looks_like_name(artist, strict, has_capitals, max_words=6):
        artist = None
    if artist is None and not strict:
        artist = last_name_run(before)
    return Draft(artist, quote.inner, _credits_part(after), subject.featuring, subject.version,
                 candidates=subject.candidates, guessed=True)


def _credits_part(after: str) -> str:
    # Only what directly follows the title can credit it: '"Sinner" feat. X', '"Opal" (Four Tet Remix)'.
    return re.split(r"\s+by\s+|\s+[-|\u2013\u2014]+\s+|\s*//", after, maxsplit=1, flags=re.IGNORECASE)[0]


def _song_by_artist(text: str, strict: bool, has_capitals: bool) -> Draft | None:
    """'Rockstar (feat. 21 Savage) by Post Malone' (no quotes)."""
    parts = split_top_level(text, re.compile(r"\s+by\s+", re.IGNORECASE))
    if len(parts) != 2 or len(parts[0].split()) > 8:
        return None
    return _checked(Draft(parts[1], parts[0]), strict, has_capitals)


def _comma_pair(text: str, strict: bool, has_capitals: bool) -> Draft | None:
    """'Abalone, Avery' and 'Beach House, Lemon Glow': two short names and nothing else."""
    parts = split_top_level(text, COMMA)
    if len(parts) != 2 or any(len(p.split()) > 6 for p in parts) or normalise_name(parts[0]) == normalise_name(
            parts[1]):
        return None
    draft = _checked(Draft(parts[0], parts[1]), True, has_capitals) if has_capitals else None
    return draft or (_checked(Draft(parts[0], parts[1]), strict, False) if not has_capitals else None)


def _artist_only(text: str, strict: bool, has_capitals: bool) -> Draft:
    """A sentence that names only the artist, or a lone name whose role the slug may tell."""
    tokens = text.split()
    if len(tokens) <= 6 and not any(t.lower().strip(",.") in MUSIC_NOUNS for t in tokens):
        return Draft(phrase=tidy(text))
    if any(t.lower().strip(",.") in {"ep", "album", "lp", "mixtape"} for t in tokens):
        return Draft()  # about a record, not one song
    subject = subject_of(text)
    if subject.artist and looks_like_name(subject.artist, strict, has_capitals, max_words=5):
        return Draft(artist=subject.artist, featuring=subject.featuring, version=subject.version,
                     candidates=subject.candidates, guessed=True)
    return Draft()
