"""Sentences that ask the reader to do something instead of describing the music.

Calls to listen, stream, buy or watch ("Listen below."), to follow the artist on social media ("Drop Mt. Joy a
like on Instagram"), and the blog's own appeals (subscribe, donate). boilerplate drops whole lines made of
them; strip_inline_noise drops such a sentence from a line of commentary.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"<artist>|<song>|[^\W_]+(?:[-'.][^\W_]+)*")
_CALL_MAX_WORDS = 20
_SOCIAL_MAX_WORDS = 25
_PROMO_MAX_WORDS = 30

_CALL = re.compile(
    r"(?i)^(?:(?:you can|go ahead and|be sure to|make sure to|feel free to|so|now|and|meanwhile,?)\s+){0,2}"
    r"(?:listen|stream|check|watch|hear|download|buy|purchase|pre-?order|grab|get|take|have|find|tune in"
    r"|hit play|press play|dive|click|head|cop|peep|support|visit|discover|explore|tickets|read)\b"
)
_CALL_TARGET = re.compile(
    r"(?i)\b(?:below|above|here|now|link|links|via|tickets?|today|download|spotify|bandcamp|itunes"
    r"|soundcloud|apple music|youtube|player|stream|in full|dates)\b|\ba (?:listen|spin|play|watch)\b"
)
# The same call inside a longer clause: "If you like it, be sure to check out more of their work here."
_CALL_ANYWHERE = re.compile(
    r"(?i)\b(?:check (?:it |them |this |him |her )?out|listen to|listen|stream|pre-?order|download|grab|buy"
    r"|watch|hear|find|read|click)\b[^.!?]{0,60}?\b(?:here|below|above)\b"
)
_LISTEN_PHRASE = re.compile(
    r"(?i)^(?:give (?:it|this|them|her|him) a (?:listen|spin|play|go|watch)|(?:have|take) a listen"
    r"|check (?:it|this|them) out|enjoy)\b"
)

PLATFORMS = (
    r"(?:facebook|twitter|instagram|insta|intsta|soundcloud|spotify|youtube|bandcamp|tumblr|snapchat|tiktok"
    r"|apple music|itunes|google play|google\+|deezer|tidal|vimeo|myspace|vero|reddit|pinterest|website|web"
    r"|fb|ig)"
)
_SOCIAL_CALL = re.compile(
    r"(?i)\b(?:follow|find|connect|keep (?:it |things )?(?:up|fresh|locked)|socialize|subscribe|check|join"
    r"|like (?:us|them|him|her|it)|add (?:us|them|him|her)|hit (?:us|them|him|her) up|visiting"
    r"|drop\b.{0,40}?\ba like)\b"
    rf".{{0,60}}?\b(?:on|via|at|through|with|over)\b.{{0,25}}?\b{PLATFORMS}(?!\w)"
)
_FOLLOW_LINE = re.compile(
    r"(?i)^(?:follow|keep up with|connect with|stay connected|socialize with|find)\b.{0,60}?"
    r"(?:\bhere|\bonline|\bsocial media|\bbelow|:)\W*$"
)
_PROMO = re.compile(
    r"(?i)\b(?:subscribe|newsletter|mailing list|sign up|donat(?:e|ion)|paypal|sponsored(?: by)?|promoted by"
    r"|advertisement|our (?:top \d+\w*(?: of the \w+)?|weekly|monthly|daily|spotify) playlist|follow us"
    r"|like us on|join us on|support us|get the app|google play|app store|giveaway|free music"
    r"|daily dose|buy \w+ magazine|first time here|we(?:'re| are) hosting|/subscribe)\b"
)


def _count(text: str) -> int:
    return len(_WORD.findall(text))


def is_call_to_action(text: str) -> bool:
    """An imperative to go and listen, stream, buy or watch ("Listen below.", "Stream it here")."""
    words = _count(text)
    if _LISTEN_PHRASE.match(text) and words <= 10:
        return True
    if words <= _CALL_MAX_WORDS and _CALL.match(text) and _CALL_TARGET.search(text):
        return True
    # "check ... below" is a call whatever comes around it, so longer sentences qualify too.
    return words <= 2 * _CALL_MAX_WORDS and bool(_CALL_ANYWHERE.search(text))


def is_social_call(text: str) -> bool:
    """An appeal to follow, like or find the artist somewhere online ("Follow the duo on Twitter")."""
    words = _count(text)
    if words > _SOCIAL_MAX_WORDS:
        return False
    return bool(_SOCIAL_CALL.search(text) or (words <= 12 and _FOLLOW_LINE.search(text)))


def is_promo(text: str) -> bool:
    """The blog's own appeal: subscribe, donate, our playlist, our app."""
    return _count(text) <= _PROMO_MAX_WORDS and bool(_PROMO.search(text))
