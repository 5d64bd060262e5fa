"""Credits around a name: "(feat. X)", "ft. X & Y", "(Four Tet Remix)", "[Prod. X]", "(2018)", "(NO)"."""

from __future__ import annotations

import re

from deephype.songs_text import COMMA, strip_quotes

FEAT = r"(?:featuring\b|feat\b\.?|ft\b\.?|f/|w/|with\b)"
_FEAT_START = re.compile(rf"^{FEAT}\s*(?=\S)", re.IGNORECASE)
_BARE_FEAT = re.compile(r"\s+\(?(?:featuring\b|feat\b\.?|ft\b\.?|w/)\s*(?=\S)(.+)$", re.IGNORECASE)
# Featured artists written after a quoted title run to the next separator or preposition.
_TAIL_FEAT = re.compile(r"^[\s,]*(?:featuring\b|feat\b\.?|ft\b\.?|w/)\s*(\S.*)$", re.IGNORECASE)
_TAIL_END = re.compile(r"\s+[-|/\u2013\u2014]+\s+|\s+(?:on|for|in|to|from)\s+|:", re.IGNORECASE)
_PROD = re.compile(r"^(?:prod\b\.?|produced\b)", re.IGNORECASE)
_VERSION = re.compile(
    r"\b(?:re-?mix(?:es)?|rmx|edit|re-edit|rework|mix|version|vip|bootleg|flip|cover|remake|dub|refix|reprise|"
    r"acoustic|live|demo|instrumental|remaster(?:ed)?|session|stripped|unplugged|extended)\b",
    re.IGNORECASE,
)
_NOISE = re.compile(
    r"^\d{4}$|\b(?:video|audio|premiere|stream|listen|out now|download|ep|lp|album|tour|announcement|official|"
    r"lyrics?|visuali[sz]er|single|b3sci|records|interview|giveaway|music|exclusive|teaser|trailer|"
    r"alt|indie|us|uk)\b",
    re.IGNORECASE,
)
_GROUP = re.compile(r"\s*[\(\[]([^\(\)\[\]]*)[\)\]]")
# Versions a tweet writes without brackets ("Opal VIP", "Glue Radio Edit").
_BARE_VERSION = re.compile(
    r"\s+-?\s*((?:radio|extended|club|original|dub|vip|festival)?\s*(?:edit|mix|vip|remix|rework|bootleg))$",
    re.IGNORECASE,
)
_RELEASE_SUFFIX = re.compile(r"\s+(?:EP|LP|E\.P\.)$")
_SECOND_SONG = re.compile(r"\s+(?:/|\+)\s+|\s+[&+]\s+(?=(?:tour|video|remixes|vinyl|giveaway|new album)\b)",
                          re.IGNORECASE)


def split_song(raw: str, tail: str = "") -> tuple[str, tuple[str, ...], str | None]:
    """(song, featuring, version) from a song as written. `tail` is text after a quoted title: only its
    credits count ("(feat. X)", "[Y Remix]"); other brackets there are commentary ("(Night Time Stories)")."""
    featuring: list[str] = []
    versions: list[str] = []
    song = _GROUP.sub(lambda m: _take_group(m, featuring, versions, keep_title=True), strip_quotes(raw))
    _GROUP.sub(lambda m: _take_group(m, featuring, versions, keep_title=False), tail)
    tail_feat = _TAIL_FEAT.match(_GROUP.sub(" ", tail))
    if tail_feat:
        featuring.extend(split_names(_TAIL_END.split(tail_feat.group(1))[0]))
    song = _SECOND_SONG.split(tidy(song))[0]
    bare = _BARE_FEAT.search(song)
    if bare and bare.start() > 0:
        featuring.extend(split_names(bare.group(1)))
        song = song[:bare.start()]
    song, version = _bare_version(tidy(song), versions[0] if versions else None)
    song = _RELEASE_SUFFIX.sub("", strip_quotes(song))
    return tidy(song), tuple(dict.fromkeys(f for f in featuring if f)), version


def _take_group(match: re.Match[str], featuring: list[str], versions: list[str], keep_title: bool) -> str:
    group = match.group(1).strip(" \"'")
    role = _group_role(group)
    if role == "feat":
        featuring.extend(split_names(_FEAT_START.sub("", group)))
    elif role == "version":
        versions.append(tidy(group))
    elif role == "title" and keep_title and match.group(0).lstrip().startswith("("):
        return " " + match.group(0).strip()
    return " "


def _group_role(group: str) -> str:
    if not group:
        return "noise"
    if _FEAT_START.match(group):
        return "feat"
    if _PROD.match(group):
        return "noise"
    if _VERSION.search(group):
        return "version"
    if _NOISE.search(group) or len(group) <= 3 and group.isupper():
        return "noise"
    return "title"


def _bare_version(song: str, version: str | None) -> tuple[str, str | None]:
    match = _BARE_VERSION.search(song)
    if version is None and match and len(song[:match.start()].split()) >= 1:
        return song[:match.start()], tidy(match.group(1))
    return song, version


def clean_artist(raw: str) -> tuple[str, tuple[str, ...]]:
    """(artist, featuring) from an artist as written: "Tom Misch (feat. Loyle Carner)", "Sigrid (NO)"."""
    featuring: list[str] = []
    text = strip_quotes(raw)
    text = re.sub(r"^by\s+|^(?:\w+\s+)?(?:new\s+)?(?:tracks|songs|remixes)\s+by\s+", "", text, flags=re.IGNORECASE)

    def group(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        if _FEAT_START.match(inner):
            featuring.extend(split_names(_FEAT_START.sub("", inner)))
        return " "

    text = _GROUP.sub(group, text)
    bare = _BARE_FEAT.search(text)
    if bare and bare.start() > 0:
        featuring.extend(split_names(bare.group(1)))
        text = text[:bare.start()]
    text = tidy(text).rstrip("'").strip()
    return text, tuple(dict.fromkeys(f for f in featuring if f))


def split_names(text: str) -> list[str]:
    """Names in a credit list: "NERVO, The Knocks & Alisa Ueno" -> three names. "and" splits only in a
    comma list, so "Tegan and Sara" stays one act."""
    text = tidy(_GROUP.sub(" ", text)).strip(" ,")
    if not text:
        return []
    parts = COMMA.split(text)
    names: list[str] = []
    for part in parts:
        part = re.sub(r"^(?:and|&)\s+", "", part.strip(), flags=re.IGNORECASE)
        pieces = re.split(r"\s+(?:&|\+|x)\s+" + (r"|\s+and\s+" if len(parts) > 1 else ""), part)
        names.extend(tidy(strip_quotes(p)) for p in pieces)
    return [n for n in names if n and len(n) <= 60]


def tidy(text: str) -> str:
    """Collapse spaces and trim punctuation that only ever decorates a name's edges."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.!?:;])(?=\s|$)", r"\1", text)
    text = text.strip(" -,:;|/\u2013\u2014")
    if text.count("(") < text.count(")"):
        text = text.replace(")", "")
    if text.count("(") > text.count(")"):
        text = text.replace("(", "")
    return text.strip()
