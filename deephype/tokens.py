"""Word tokens for the model: tokenise cleaned sentences and turn generated tokens back into readable text.

The artist and song placeholders are single tokens, so the model learns "<artist>'s new single <song>" and
generation fills in the real names later.
"""

from __future__ import annotations

import re

ARTIST = "<artist>"
SONG = "<song>"
PLACEHOLDERS = (ARTIST, SONG)

# Placeholders, words with inner apostrophes/hyphens/periods (don't, synth-pop, r&b, u.k.), numbers, then any
# other single non-space character (punctuation).
_TOKEN = re.compile(
    r"<artist>|<song>"
    r"|'(?:s|re|ve|ll|d|m)\b"
    r"|[^\W_](?:[\w&]|[-'.](?=[^\W_]))*"
    r"|\S",
    re.UNICODE,
)
_CLITICS = ("n't", "'s", "'re", "'ve", "'ll", "'d", "'m")
_NO_SPACE_BEFORE = {".", ",", "!", "?", ";", ":", ")", "%", "...", "n't", "'s", "'re", "'ve", "'ll", "'d", "'m"}
_NO_SPACE_AFTER = {"(", "$", "#"}


def tokenize(text: str) -> list[str]:
    """Lower-cased word and punctuation tokens; clitics ("'s", "n't") split off; placeholders kept whole."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token not in PLACEHOLDERS:
            token = token.lower()
        tokens.extend(_split_clitic(token))
    return tokens


def _split_clitic(token: str) -> list[str]:
    for clitic in _CLITICS:
        if token.endswith(clitic) and len(token) > len(clitic):
            return [token[: -len(clitic)], clitic]
    return [token]


def detokenize(tokens: list[str]) -> str:
    """Join tokens with human spacing: no space before punctuation or clitics, quotes hug their words."""
    out = ""
    open_quote = False
    for token in tokens:
        if token == '"':
            out += (" " if out and not open_quote else "") + token if not open_quote else token
            open_quote = not open_quote
            continue
        glue = not out or token in _NO_SPACE_BEFORE or out[-1] in _NO_SPACE_AFTER or out.endswith(' "') and open_quote
        out += token if glue else " " + token
    return out
