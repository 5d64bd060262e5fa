"""Properties on arbitrary text: the cleaning functions never raise, and repair_text is idempotent."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deephype.text import (
    NearDuplicateFilter,
    boilerplate_reason,
    content_lines,
    english_ratio,
    repair_text,
    residue_reason,
    split_sentences,
    strip_inline_noise,
    word_count,
)

# Arbitrary Unicode, plus text built from the pieces scraped posts are made of, which random text rarely hits.
_PIECES = [
    "a",
    "Mt.",
    " ",
    "\n",
    "\n\n",
    "  \n",
    "\t",
    "*",
    "**",
    "_",
    "__",
    "#",
    "## ",
    "> ",
    "|",
    "---",
    "-",
    "--",
    "[",
    "]",
    "(",
    ")",
    "![",
    "](",
    "<",
    ">",
    "<artist>",
    "<song>",
    '"',
    "'",
    " 's",
    "`",
    "~~",
    "\\",
    "&amp;",
    "&#8217;",
    "aEURoe",
    "aEUR(tm)",
    'aEUR"',
    "aEUR",
    "â€™",
    "Ã©",
    "\u2014",
    "\u2013",
    "\u2026",
    "\u2022",
    "\u200b",
    "\u00ad",
    "\U0001f525",
    "\u2500",
    "\u00a0",
    "http://x.co/a",
    "www.b.com",
    "@user",
    "#tag",
    "a@b.com",
    "5/1",
    "May 11",
    " @ ",
    "Listen below.",
    "U.S.",
    "...",
    "?",
    "!",
    ".",
    ",",
    ":)",
    "<3",
    "1\\. ",
    "  * ",
    "\u5149",
    "\r\n",
]
TEXT = st.one_of(st.text(max_size=300), st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXT)
def test_repair_text_never_raises_and_is_idempotent(text):
    repaired = repair_text(text)
    assert isinstance(repaired, str)
    assert repair_text(repaired) == repaired


@SETTINGS
@given(TEXT)
def test_content_lines_are_single_repaired_lines(text):
    for line in content_lines(text):
        assert line and "\n" not in line and line == line.strip()


@SETTINGS
@given(TEXT)
def test_line_and_sentence_functions_never_raise(text):
    reason = boilerplate_reason(text)
    assert reason is None or isinstance(reason, str)
    assert isinstance(strip_inline_noise(text), str)
    assert all(sentence.strip() for sentence in split_sentences(text))
    residue = residue_reason(text)
    assert residue is None or isinstance(residue, str)
    assert 0.0 <= english_ratio(text) <= 1.0
    assert word_count(text) >= 0


@SETTINGS
@given(st.lists(TEXT, max_size=20))
def test_near_duplicate_filter_flags_every_exact_repeat(sentences):
    seen = NearDuplicateFilter()
    for sentence in sentences:
        seen.is_duplicate(sentence)
    assert all(seen.is_duplicate(sentence) for sentence in sentences)
