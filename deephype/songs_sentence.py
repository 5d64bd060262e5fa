"""Headlines written as sentences: who is the artist in "Spanish songwriter Odina unveils ... 'I'm Not Asking'"?

The artist is the subject before the first verb, trimmed of descriptions ("Spanish songwriter"), or the owner in
"Bicep's 'Opal'", or the name after "by" ("'Delphine' by Kadhja Bonet"). Collaboration verbs ("taps X",
"teams up with X", "X joins Y on") give featured artists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deephype.songs_credits import split_names, tidy
from deephype.songs_plausible import CONNECTORS, is_reduplicated
from deephype.songs_text import normalise_name
from deephype.songs_words import (
    DESCRIPTORS,
    EVENT_WORDS,
    FIELD_WORDS,
    IMPERATIVE_OPENINGS,
    MUSIC_NOUNS,
    SENTENCE_VERBS,
    SONG_INTRODUCTIONS,
    SUBJECT_BOUNDARIES,
    VERY_COMMON,
)

_FEATURING_VERBS = {"tap", "taps", "tapped", "enlist", "enlists", "recruit", "recruits"}
_WITH_VERBS = {"link", "links", "linked", "team", "teams", "teamed", "connect", "connects", "collaborate",
               "collaborates", "pair", "pairs", "joins", "join"}
_RELEASE_VERBS = {"unveils", "unveil", "shares", "share", "releases", "release", "drops", "drop", "premieres",
                  "debuts", "presents", "revisits", "delivers", "returns"}
_REMIX = re.compile(
    r"^(?P<remixer>.+?)(?:'s|s'|')?\s+(?:re-?mix(?:es|ed)?|rework(?:s|ed)?|edit(?:s|ed)?|flip(?:s|ped)?)"
    r"(?:\s+of)?\s+(?P<artist>.+?)(?:'s|')?\s*$",
    re.IGNORECASE,
)
_BY = re.compile(r"(?:^|\s)(?:by|(?:track|single|song|cut|tune)\s+(?:of|from))\s+(\S.*)$", re.IGNORECASE)
_BY_END = re.compile(r"\s+[-|\u2013\u2014]+\s+|\s*//\s*|:\s|\s+\(?(?:listen|stream|watch|via|par)\b", re.IGNORECASE)
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]")
_LATIN_RUN = re.compile(r"[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f .'&-]*")
_TITLED = re.compile(r"\b(?:titled|called|entitled)\s+(\S.*)$", re.IGNORECASE)
_NEW_TRACK = re.compile(r"\b(?:new|latest|debut) (?:single|track|song|tune|cut)\s+(\S.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Subject:
    artist: str | None = None
    featuring: tuple[str, ...] = ()
    version: str | None = None
    candidates: tuple[str, ...] = ()  # other readings, for a URL slug to choose between


def owner_before(text: str) -> str | None:
    """'Watch the video to Saltwater Sun's new track' -> 'Saltwater Sun'."""
    return _tail_possessive(strip_imperative(text).split())


def artist_before_quote(before: str) -> Subject:
    """The artist in the words before a quoted title."""
    before = _before_open_bracket(before).strip(" ,:;-\u2013\u2014")
    before = strip_imperative(re.sub(r"\"[^\"]*\"|(?<!\w)'[^']*'(?!\w)", " ... ", before))
    remix = _REMIX.match(before)
    if remix and len(remix.group("artist").split()) <= 5 and len(remix.group("remixer").split()) <= 5:
        remixer = strip_imperative(remix.group("remixer"))
        return Subject(tidy(remix.group("artist")), version=f"{tidy(remixer)} Remix")
    owner = _tail_possessive(before.split())
    if owner:
        return Subject(owner)
    return subject_of(before)


def _before_open_bracket(text: str) -> str:
    # 'Cut Copy's Ben Browning releasing new LP (stream' -> the quote sat inside a bracket; read what precedes it.
    depth_at = [i for i, ch in enumerate(text) if ch in "(["]
    closes = text.count(")") + text.count("]")
    return text[:depth_at[closes]] if len(depth_at) > closes else text


def _tail_possessive(tokens: list[str]) -> str | None:
    """'Listen to Odina's melancholic single' -> 'Odina': an owner followed only by lowercase description."""
    for k in range(len(tokens) - 1, -1, -1):
        base = _possessor(tokens[k])
        if base is None:
            if not _descriptive(tokens[k]):
                return None
            continue
        if len(tokens) - k - 1 > 8 or k + 1 < len(tokens) and tokens[k + 1].lower() in SENTENCE_VERBS:
            return None  # "Her's announce ..." is a subject, not an owner
        run = _name_run_before([*tokens[:k], base])
        return run or None
    return None


def _possessor(token: str) -> str | None:
    token = token.rstrip(",")
    for suffix in ("'s", "s'"):
        if token.endswith(suffix) and len(token) > 2:
            return token[:-2] if suffix == "'s" else token[:-1]
    if token.endswith("'") and len(token) > 1 and token[-2].isalpha():
        return token[:-1]
    return None


def _descriptive(token: str) -> bool:
    letters = [ch for ch in token.split("-")[-1] if ch.isalpha()]
    return not letters or letters[0].islower()


def _name_like(token: str) -> bool:
    letters = [ch for ch in token if ch.isalnum()]
    return bool(letters) and (letters[0].isupper() or letters[0].isdigit() or any(c.isupper() for c in letters))


def _name_run_before(tokens: list[str]) -> str:
    run: list[str] = []
    for token in reversed(tokens):
        # A connector joins names only inside a short run: "Gang of Youths", not "The Making of Post Malone".
        if token.lower() in SUBJECT_BOUNDARIES | SENTENCE_VERBS and token.lower() not in CONNECTORS:
            break
        if _name_like(token) or (token.lower() in CONNECTORS and 0 < len(run) <= 3):
            run.insert(0, token)
        else:
            break
    while run and run[0].lower() in CONNECTORS - {"the"}:
        run.pop(0)
    return " ".join(run)


def introduces_song(before: str) -> bool:
    """'... and listen to' right before a quoted title: the title comes without its artist."""
    tail = " " + re.sub(r"[^\w' ]+", " ", _before_open_bracket(before)).lower().strip()
    return any(tail.endswith(" " + phrase) for phrase in SONG_INTRODUCTIONS)


def strip_imperative(text: str) -> str:
    """Drop an opening like "Listen to", "Meet" or "Get To Know"."""
    lowered = text.lower()
    for opening in IMPERATIVE_OPENINGS:
        if lowered.startswith(opening + " ") or lowered == opening:
            return text[len(opening):].strip(" :")
    return text


def subject_of(text: str) -> Subject:
    """The artist as the subject of a sentence: words before the first verb, trimmed of descriptions."""
    tokens = strip_imperative(text).split()
    if tokens and tokens[0].lower() in SENTENCE_VERBS and not tokens[0].lower().endswith("s"):
        return Subject()  # an imperative ("Hit play and enjoy ...", "Sink into ...") has no subject
    opener = tokens[0].lower().rstrip(",") if tokens else ""
    if tokens and tokens[0].endswith(",") and (opener.endswith("ly") or opener in FIELD_WORDS):
        return Subject()  # "Ultimately, ...", "Overall, ...": an opening adverb, not an artist
    # In sentence case a capitalised "Talk" or "From" belongs to a name ("There's Talk craft ...").
    lowercase_only = _sentence_case(tokens)
    cut = next((i for i, t in enumerate(tokens) if i and _ends_subject(t) and not (lowercase_only and t[:1].isupper())),
               len(tokens))
    subject_tokens = tokens[:cut]
    verb = tokens[cut].lower() if cut < len(tokens) else ""
    rest = tokens[cut + 1:]
    subject = _first_clause(" ".join(_shorter_subject(_drop_descriptions(" ".join(subject_tokens)).split())))
    if verb in ("join", "joins") and rest and rest[0].lower() != "forces":
        host = _name_run_after(rest)
        if host:
            return Subject(clean_name(host), tuple(split_names(clean_name(subject))))
    if verb in ("remix", "remixes", "reworks", "rework") and rest:
        remixed = _name_run_after(rest)
        return Subject(clean_name(remixed) or None, version=f"{clean_name(subject)} Remix") if remixed else Subject()
    featuring = _featured_in(verb, rest)
    name, candidates = _trim_subject(subject)
    if name and normalise_name(name) in VERY_COMMON | {"an", "open", "stay", "this", "these"}:
        return Subject()  # "An interview with ...", "Open your eyes to ...": no subject named
    return Subject(name, featuring, candidates=candidates)


def _shorter_subject(tokens: list[str]) -> list[str]:
    """A subject that opens with a name stops at its first lowercase word ("SOFI TUKKER twist up their
    formula", "Francis regroup and") and loses a trailing adverb ("Oddnesse Blindly")."""
    if tokens and _name_like(tokens[0]):
        cut = next((i for i, t in enumerate(tokens) if i and not _name_like(t) and t.lower() not in CONNECTORS),
                   len(tokens))
        tokens = tokens[:cut]
        while len(tokens) > 1 and tokens[-1].lower() in CONNECTORS:
            tokens = tokens[:-1]
    if len(tokens) > 1 and len(tokens[-1]) >= 6 and tokens[-1].lower().endswith("ly"):
        tokens = tokens[:-1]
    return tokens


def last_name_run(text: str) -> str | None:
    """In a sentence-case headline with no clear subject, the last capitalised run names the artist
    ("Open your eyes to Galimatias with his new work,")."""
    tokens = text.split()
    if not any(t[:1].islower() for t in tokens):
        return None
    runs, run = [], []
    for i, token in enumerate(tokens):
        if i and _name_like(token):
            run.append(token.strip(",.:;"))
        else:
            runs.append(run)
            run = []
    runs.append(run)
    named = [" ".join(r) for r in runs if r]
    return named[-1] if named and len(named[-1].split()) <= 4 else None


def _sentence_case(tokens: list[str]) -> bool:
    words = [t for t in tokens[1:] if t[:1].isalpha()]
    return bool(words) and sum(t[:1].islower() for t in words) * 2 >= len(words)


def _ends_subject(token: str) -> bool:
    word = token.lower().strip(",.:;!?")
    return word in SENTENCE_VERBS or word in SUBJECT_BOUNDARIES


def _first_clause(subject: str) -> str:
    # "Amanda Tenfjord, the Norwegian" -> "Amanda Tenfjord"; "Common, Robert Glasper & Karriem Riggins" and
    # "Now, Now" stay.
    head, _, tail = subject.partition(", ")
    if tail and (" & " in tail or " and " in tail) and len(subject.split()) <= 9 and tail[:1].isupper():
        return subject
    if tail and is_reduplicated(normalise_name(subject).split()):
        return subject
    return head


def _featured_in(verb: str, rest: list[str]) -> tuple[str, ...]:
    if verb in _FEATURING_VERBS:
        run = _name_run_after(rest)
    elif verb in _WITH_VERBS and "with" in [t.lower() for t in rest[:3]]:
        start = [t.lower() for t in rest].index("with") + 1
        run = _name_run_after(rest[start:])
    else:
        return ()
    return tuple(clean_name(n) for n in split_names(_drop_descriptions(run)) if clean_name(n))


def _name_run_after(tokens: list[str]) -> str:
    run: list[str] = []
    for token in tokens:
        if token.lower() in ("on", "for", "to", "in", "with") or token.startswith(('"', "'")):
            break
        if not (_name_like(token) or token.lower() in CONNECTORS or token.endswith(",")):
            break
        run.append(token)
    return " ".join(run).strip(" ,")


def _trim_subject(subject: str) -> tuple[str | None, tuple[str, ...]]:
    name = _drop_descriptions(subject)
    tokens = name.split()
    for k, token in enumerate(tokens[:-1]):
        base = _possessor(token)
        if base is None:
            continue
        owner, owned = " ".join([*tokens[:k], base]), _strip_trailing_description(tokens[k + 1:])
        if not owned:
            return clean_name(owner) or None, ()
        whole = clean_name(" ".join([*tokens[:k + 1], *owned]))
        if len(owned) >= 2:
            return clean_name(" ".join(owned)), (whole,)
        return whole, (clean_name(" ".join(owned)),)
    return clean_name(name) or None, ()


def _drop_descriptions(text: str) -> str:
    """'Spanish songwriter Odina' -> 'Odina'; 'Kamaal Williams project' -> 'Kamaal Williams'."""
    text = re.sub(r"\s*[\(\[][^\)\]]*[\)\]]", " ", text)
    tokens = text.split()
    for k in range(len(tokens) - 1, -1, -1):
        parts = re.split(r"[-/]", tokens[k].lower().strip(",."))
        if any(p in DESCRIPTORS for p in parts):
            if k < len(tokens) - 1:
                return " ".join(tokens[k + 1:])
            if tokens[k][:1].islower() and k:
                return " ".join(tokens[:k])
    return " ".join(tokens)


def _strip_trailing_description(tokens: list[str]) -> list[str]:
    while tokens and (_descriptive(tokens[-1]) or tokens[-1].lower() in MUSIC_NOUNS | {"new", "latest"}):
        tokens = tokens[:-1]
    return tokens


def clean_name(text: str) -> str:
    text = tidy(re.sub(r"\s*[\(\[][^\)\]]*[\)\]]", " ", text))
    if _CJK.search(text):  # "UKソロアーティスト Yellow Days、" -> the Latin name in a Japanese headline
        latin = _LATIN_RUN.findall(text)
        text = latin[-1].strip() if latin else text
    return text[:-1] if text.endswith("'") else text


def artist_after_by(after: str) -> str | None:
    """'... by Knox White is funky AF' -> 'Knox White' (credits such as "feat. X" are left for the caller)."""
    match = _BY.search(after)
    if not match or not (_name_like(match.group(1).split()[0]) or after.islower()):
        return None  # "accompanied by a colorful video" names no artist
    if re.search(r"\b(?:produced|directed|mixed|mastered|written|shot|remixed|photographed)\s+by\s+\S+\s*$",
                 after[:match.end(1) - len(match.group(1))], re.IGNORECASE):
        return None  # "produced by Nicholas Jaar" credits someone else
    rest = _BY_END.split(match.group(1))[0]
    tokens = rest.split()
    cut = next((i for i, t in enumerate(tokens) if i and t.lower() in SENTENCE_VERBS | SUBJECT_BOUNDARIES
                and t.lower() not in ("feat", "feat.", "ft", "ft.", "featuring")), len(tokens))
    name = tidy(_drop_descriptions(" ".join(tokens[:cut])))
    return name if 0 < len(name.split()) <= 8 else None


def unquoted_song(text: str) -> tuple[str, str] | None:
    """(artist, song) from sentences that name the song without quotes: "... new track titled Patterns",
    "HELENA DELAND UNVEILS TAKE IT ALL", "Thutmose revisits Karma alongside Alex Mali"."""
    song_match = _TITLED.search(text) or _NEW_TRACK.search(text)
    if song_match:
        song = re.split(r"\s+(?:alongside|with|feat\.?|ft\.?|featuring|ahead|from|via)\s+", song_match.group(1))[0]
        artist = subject_of(text[:song_match.start()]).artist
        return (artist, song) if artist and _titled_words(song) else None
    tokens = strip_imperative(text).split()
    cut = next((i for i, t in enumerate(tokens) if i and _ends_subject(t)), None)
    if cut is None or tokens[cut].lower() not in _RELEASE_VERBS:
        return None
    rest = " ".join(tokens[cut + 1:])
    rest = re.sub(r"^(?:(?:her|his|their|the|a|new|latest|debut)\s+)*(?:single|track|song|tune)?\s*", "", rest,
                  flags=re.IGNORECASE)
    song = re.split(r"\s+(?:alongside|with|feat\.?|ft\.?|featuring|ahead|from|via|on)\s+", rest,
                    flags=re.IGNORECASE)[0]
    artist = subject_of(" ".join(tokens[:cut + 1])).artist
    return (artist, song) if artist and _titled_words(song) else None


def _titled_words(song: str) -> bool:
    words = song.split()
    return (0 < len(words) <= 6 and all(_name_like(w) or w.lower() in CONNECTORS for w in words)
            and not any(w.lower().strip(".,") in MUSIC_NOUNS | EVENT_WORDS for w in words))
