"""The cleaning rules on the real shared posts (skipped when the shared data is absent)."""

from __future__ import annotations

import json
import re

import pytest

from deephype.text import boilerplate_reason, content_lines, residue_reason, split_sentences, strip_inline_noise
from tests.conftest import SHARED_POSTS, needs_shared_posts

pytestmark = [needs_shared_posts, pytest.mark.shared_data]

# Written apart from the rules: what must never be left in a line after repair. Stars in a censored word
# ("F**K U") are the writer's, not markdown.
_UNREPAIRED = re.compile(r"aEUR|â€|Ã[\x80-\xbf]|(?<!\b[A-Za-z])\*\*|__|\]\(|!\[|&[a-z]+;|&#\d+;|\\[-.*_]")


@pytest.fixture(scope="module")
def posts() -> list[dict]:
    return json.loads(SHARED_POSTS.read_text(encoding="utf-8"))


def _cleaned(posts: list[dict], url_part: str) -> list[tuple[str, str | None]]:
    (post,) = [p for p in posts if url_part in (p.get("url") or "")]
    return [(line, boilerplate_reason(line)) for line in content_lines(post["content"])]


def test_repaired_lines_keep_no_mojibake_entities_or_markdown(posts):
    offenders = [line for post in posts for line in content_lines(post["content"]) if _UNREPAIRED.search(line)]
    assert offenders == []


def test_buffablog_post(posts):
    lines = _cleaned(posts, "buffablog.com/mt-joy-silver-lining")
    assert lines[0] == ("New Music", "too_short")
    assert lines[1][0].startswith("Mt. Joy reached out to us with the powerful sentiment of their alt-folk anthem")
    assert lines[1][1] is None
    assert lines[2] == ("Drop Mt. Joy a like on Instagram while you're at it.", "social")


def test_discobelle_post_with_ascii_mojibake(posts):
    (commentary, reason), (live, live_reason) = _cleaned(posts, "discobelle.net/2017/11/16/mt-joy-silver-lining")
    assert commentary.startswith('Folk rockers Mt. Joy have debuted their new song "Silver Lining," an attempt')
    assert "tragedy - in this case" in commentary and "It's a compellingly open-hearted piece" in commentary
    assert reason is None
    assert (live, live_reason) == ("See Mt. Joy live in LA on December 8th at the Lodge Room.", "tour_dates")


def test_brooklynvegan_post_keeps_commentary_and_drops_the_rest(posts):
    lines = _cleaned(posts, "brooklynvegan.com/hop-along-share-how-simple")
    reasons = [reason for _, reason in lines]
    assert reasons == ["caption", "credits", None, "tour_dates", "caption", "tour_dates", "tour_dates", "navigation"]
    commentary = lines[2][0]
    sentences = [strip_inline_noise(s) for s in split_sentences(commentary)]
    assert "Listen below." not in " ".join(sentences)
    assert (
        "It's another dose of Hop Along's trademark songwriting style, and here's what singer Frances Quinlan"
        " says about it:" in " ".join(sentences)
    )


def test_menu_only_post_is_all_boilerplate(posts):
    assert all(reason for _, reason in _cleaned(posts, "wearegoingsolo.com/tracks/opia-four-winds"))


def test_insomniaradio_post(posts):
    lines = _cleaned(posts, "insomniaradio.net/2018/04/25/the-vryll-society-andrei-rublev")
    first = strip_inline_noise(lines[0][0])
    assert "subscribe" not in first and "http" not in first
    assert first.startswith("Hey music junkie! Enjoy your time here, and keep it loud!")
    assert [reason for _, reason in lines[3:]] == ["social", "call_to_action", "caption", "promo"]
    assert all(residue_reason(s) is None for s in split_sentences(lines[1][0]))
