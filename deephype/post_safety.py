"""What a post may contain on the account's behalf: no @mentions of other accounts and no links unless config
allows them, whatever a generated candidate or a curator's edit says."""

from __future__ import annotations

import re
import unicodedata

from deephype.config import XConfig

# X links a mention written with the ASCII @ or the full-width ＠ (U+FF20); an address like a@b.com is not one.
_MENTION = re.compile(r"(?<![\w@＠])[@＠]([A-Za-z0-9_]{1,15})(?![\w@＠])")
# X turns a scheme, a www. host, or a bare host under a top-level domain it knows into a link.
_SCHEME_LINK = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+", re.IGNORECASE)
_BARE_HOST = re.compile(
    r"\b[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|ly|me|fm|be|gl|gd|ai|app|dev|"
    r"xyz|info|biz|us|uk|de|fr|tv|to|gg|link|site|online|live|music|news|shop|store|club|lol|page|bit)\b(?:/\S*)?",
    re.IGNORECASE)


def mentions(text: str) -> list[str]:
    """The account names `text` would mention, in order (folded so look-alike characters count too)."""
    return _MENTION.findall(_fold(text))


def links(text: str) -> list[str]:
    """Everything in `text` X would turn into a link."""
    folded = _fold(text)
    return _SCHEME_LINK.findall(folded) + [m.group(0) for m in _BARE_HOST.finditer(_SCHEME_LINK.sub(" ", folded))]


def post_problem(text: str, config: XConfig) -> str | None:
    """Why `text` may not be posted under `config` (a sentence a curator can act on), or None when it may."""
    named = [] if config.allow_mentions else mentions(text)
    if named:
        return (f"It mentions @{named[0]}, and posts may not mention other accounts (x.allow_mentions is off); "
                "take the @ out.")
    found = [] if config.allow_links else links(text)
    if found:
        return f"It contains the link {found[0][:60]}, and posts may not carry links (x.allow_links is off)."
    return None


def _fold(text: str) -> str:
    # NFKC maps full-width letters and the small @ (U+FE6B) to what X reads them as; zero-width characters would
    # otherwise hide a mention or a link from the patterns while X still links it.
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if unicodedata.category(c) != "Cf")
