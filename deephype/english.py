"""How English a text is: the share of its words found in a list of common English words.

A word list rather than a language detector: it is deterministic, needs no seed, and is fast enough to run
on every line of every post.
"""

from __future__ import annotations

import re

from deephype.english_words import COMMON_ENGLISH_WORDS, FOREIGN_FUNCTION_WORDS

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_PLACEHOLDER = re.compile(r"<artist>|<song>")


def english_ratio(text: str) -> float:
    """Share of word tokens that are common English words; 0.0 for text with no words.

    A capitalised word that is not a common word is taken for a name ("Kadhja Bonet", "Childqueen") and left
    out of the count, so commentary full of names still scores as English. German nouns are capitalised too,
    but the lower-case words around them, and foreign function words in any case ("Die", "Le"), decide.
    """
    hits = counted = 0
    for word in _WORD.findall(_PLACEHOLDER.sub(" ", str(text))):
        lower = word.lower()
        english = _is_english(lower)
        if english or not word[0].isupper() or lower in FOREIGN_FUNCTION_WORDS:
            counted += 1
            hits += english
    return hits / counted if counted else 0.0


def _is_english(word: str) -> bool:
    if word in COMMON_ENGLISH_WORDS:
        return True
    # Possessives of common words ("band's", "year's") are as English as the word.
    return word.endswith("'s") and word[:-2] in COMMON_ENGLISH_WORDS
