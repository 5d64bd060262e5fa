"""Which generated sentences may become candidates: finished, long enough, every word known, no stutter, no blocked
word, not copied from the corpus, and short enough for X once the post adds its hashtag.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from deephype.corpus_index import CorpusIndex
from deephype.errors import ConfigError
from deephype.sample_metrics import has_immediate_repeat
from deephype.tokens import PLACEHOLDERS
from deephype.vocab import UNK, Vocabulary

TCO_URL_LENGTH = 23  # X counts every link as a t.co link of this length, however long it is
# X's weighted length (twitter-text v3): code points in these ranges count 1, every other one counts 2.
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)

# Why a sample was turned away, as the details and the logs name it.
UNFINISHED = "unfinished"
TOO_SHORT = "too_short"
UNKNOWN_WORD = "unknown_word"
DOUBLED_WORD = "doubled_word"
MALFORMED = "malformed"  # a clitic with no word to attach to: "it 's n't", ", 's"
BLOCKED_WORD = "blocked_word"
COPIED = "copied"
TOO_LONG = "too_long"


def tweet_length(text: str) -> int:
    """The length X counts: NFC code points weighted 1 or 2 (CJK and emoji count 2), each link 23."""
    text = unicodedata.normalize("NFC", text)
    links = _URL.findall(text)
    text = _URL.sub("", text)
    weight = sum(1 if any(low <= ord(ch) <= high for low, high in _LIGHT_RANGES) else 2 for ch in text)
    return weight + TCO_URL_LENGTH * len(links)


def hashtag_suffix(hashtag: str) -> str:
    """What a post appends for a configured hashtag: " #tag", or nothing."""
    tag = hashtag.strip().lstrip("#")
    return f" #{tag}" if tag else ""


# What each post mode adds to the text X counts. create_tweet's quote_tweet_id attaches the quoted tweet outside
# the text, and a reply by in_reply_to_tweet_id names no one in it; X has counted neither an attached quote nor the
# @names of a reply since 2017, so only a link typed into the text would count, and the bot types none.
MODE_OVERHEAD = {"quote": 0, "reply": 0, "standalone": 0}


def post_overhead(post_mode: str, hashtag: str = "") -> int:
    """Characters a post in `post_mode` adds to a candidate as X counts them: the hashtag (see MODE_OVERHEAD)."""
    if post_mode not in MODE_OVERHEAD:
        raise ConfigError(f"post mode must be one of {', '.join(MODE_OVERHEAD)}, got {post_mode!r}")
    return MODE_OVERHEAD[post_mode] + tweet_length(hashtag_suffix(hashtag))


class Blocklist:
    """Words and phrases never to post, matched case-insensitively on whole tokens; "word*" matches any
    word starting with "word"."""

    def __init__(self, entries: Sequence[str]):
        self.entries = [tuple(entry.lower().split()) for entry in entries if entry.strip()]

    def hit(self, tokens: Sequence[str]) -> str | None:
        """The first blocked entry in the tokens, or None."""
        words = [token.lower() for token in tokens]
        for entry in self.entries:
            for start in range(len(words) - len(entry) + 1):
                if all(_matches(words[start + k], part) for k, part in enumerate(entry)):
                    return " ".join(entry)
        return None


def _matches(word: str, pattern: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") and len(pattern) > 1 else word == pattern


@dataclass(frozen=True)
class SampleFilter:
    """The token-level rules every sample must pass before it is written out as text."""

    vocab: Vocabulary
    index: CorpusIndex
    blocklist: Blocklist
    min_words: int  # the corpus keeps sentences of at least this many words; shorter samples are fragments

    def rejection(self, tokens: Sequence[str], finished: bool) -> str | None:
        """Why the sample cannot be a candidate (one of the reason constants), or None when it can."""
        if not finished:
            return UNFINISHED
        if sum(any(ch.isalnum() for ch in t) or t in PLACEHOLDERS for t in tokens) < self.min_words:
            return TOO_SHORT
        if any(token == UNK or token not in self.vocab.index for token in tokens):
            return UNKNOWN_WORD
        if has_immediate_repeat(tokens) or _repeated_name(tokens) or _adjacent_articles(tokens):
            return DOUBLED_WORD
        if _misplaced_clitic(tokens):
            return MALFORMED
        if self.blocklist.hit([t for t in tokens if t not in PLACEHOLDERS]):
            return BLOCKED_WORD
        if not self.index.is_novel(tokens):
            return COPIED
        return None


_CLITICS = frozenset({"'s", "n't", "'re", "'ve", "'ll", "'d", "'m"})  # as deephype.tokens splits them off


def _misplaced_clitic(tokens: Sequence[str]) -> bool:
    """A clitic after another clitic or after punctuation, or any but a possessive "'s" after a name."""
    for previous, token in zip(tokens, tokens[1:], strict=False):
        if token not in _CLITICS:
            continue
        if previous in PLACEHOLDERS:
            if token != "'s":
                return True
        elif previous in _CLITICS or not any(ch.isalnum() for ch in previous):
            return True
    return False


def _adjacent_articles(tokens: Sequence[str]) -> bool:
    # "a an": once the article is fixed to the next word's sound it reads "an an".
    return any(a in ("a", "an") and b in ("a", "an") for a, b in zip(tokens, tokens[1:], strict=False))


def _repeated_name(tokens: Sequence[str]) -> bool:
    # "<artist> and <artist>" reads as a stutter once the names are in; twice is the most a tweet needs.
    return any(tokens.count(placeholder) > 2 for placeholder in PLACEHOLDERS) or _name_echo(tokens)


def _name_echo(tokens: Sequence[str]) -> bool:
    """A placeholder repeated with only punctuation or one short word between ("<song>, <song>")."""
    places = [i for i, t in enumerate(tokens) if t in PLACEHOLDERS]
    return any(tokens[a] == tokens[b] and b - a <= 2 for a, b in zip(places, places[1:], strict=False))


def fits(text: str, reserved_chars: int, max_chars: int) -> bool:
    """True when the text plus what the post adds stays within X's limit."""
    return tweet_length(text) + reserved_chars <= max_chars
