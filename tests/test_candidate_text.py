"""Generated tokens -> tweet text: placeholders filled the way people write names, casing, punctuation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deephype.candidate_text import (
    Names,
    featuring_credit,
    learn_casing,
    names_mentioned,
    possessive,
    quoted_title,
    render,
    strip_outer_quotes,
    tidy_tokens,
)
from deephype.tokens import tokenize

MT_JOY = Names("Mt. Joy", "Silver Lining")
SOFI = Names("Sofi Tukker", "Best Friend", ("NERVO", "The Knocks", "Alisa Ueno"))
CASING = {"spotify": "Spotify", "london": "London", "u.k": "U.K", "dj": "DJ", "ep": "EP", "lp": "LP"}


@pytest.mark.parametrize(("model_text", "names", "expected"), [
    ("<artist> 's new single <song> is a warm folk stomper", MT_JOY,
     'Mt. Joy\'s new single "Silver Lining" is a warm folk stomper.'),
    ("the chorus of <song> swells like a sunrise .", MT_JOY, 'The chorus of "Silver Lining" swells like a sunrise.'),
    ("<song> by <artist> is gorgeous !", MT_JOY, '"Silver Lining" by Mt. Joy is gorgeous!'),
    ("<song> 's hook never lets go", MT_JOY, '"Silver Lining"\'s hook never lets go.'),
    ("i have had <song> on repeat , and i ca n't stop", MT_JOY,
     'I have had "Silver Lining" on repeat, and I can\'t stop.'),
    ("the london dj put it on spotify in the u.k .", MT_JOY, "The London DJ put it on Spotify in the U.K."),
    ("<artist> returns with <song> , a hazy anthem ,", MT_JOY, 'Mt. Joy returns with "Silver Lining", a hazy anthem.'),
    (", and then <artist> sings -", MT_JOY, "And then Mt. Joy sings."),
    ("is it love ? it is .", MT_JOY, "Is it love? It is."),
    # the model's own quotes: kept when they pair up, dropped when not, never doubled around the title
    ('she sings " hold on " over the synths', MT_JOY, 'She sings "hold on" over the synths.'),
    ('she sings " hold on over the synths', MT_JOY, "She sings hold on over the synths."),
    ('the single " <song> " is out', MT_JOY, 'The single "Silver Lining" is out.'),
    ('the album " , " is out', MT_JOY, "The album, is out."),  # quotes around nothing are dropped
    ("a hazy song ( with a choir", MT_JOY, "A hazy song with a choir."),
    ("a hazy song ( with a choir ) .", MT_JOY, "A hazy song (with a choir)."),
    # featured artists: after the first bare title, or after the artist in "<song> by <artist>"
    ("<artist> 's <song> is a bouncing anthem", SOFI,
     'Sofi Tukker\'s "Best Friend" (feat. NERVO, The Knocks & Alisa Ueno) is a bouncing anthem.'),
    ("<song> by <artist> is a bouncing anthem", SOFI,
     '"Best Friend" by Sofi Tukker (feat. NERVO, The Knocks & Alisa Ueno) is a bouncing anthem.'),
    ("<song> 's hook is silly and <song> is joyful", SOFI,
     '"Best Friend"\'s hook is silly and "Best Friend" (feat. NERVO, The Knocks & Alisa Ueno) is joyful.'),
    ("<artist> is back with a bouncing anthem", SOFI, "Sofi Tukker is back with a bouncing anthem."),
    # names keep their own casing at the start of a sentence
    ("<artist> 's voice floats", Names("dvsn", "Hallucinations"), "dvsn's voice floats."),
    ("<artist> 's chorus is huge", Names("The Knocks", "Classic"), "The Knocks' chorus is huge."),
])
def test_render_fills_names_and_fixes_the_sentence(model_text, names, expected):
    assert render(tokenize(model_text), names, CASING) == expected


@pytest.mark.parametrize(("model_text", "tidy"), [
    ("a mix of us , .", "a mix of us ."),
    ("a mix of us ; !", "a mix of us !"),
    ("from the album ' is out", "from the album is out ."),
    ("<artist> ' 's new album", "<artist> 's new album ."),
    ('first single from " from our pair', "first single from from our pair ."),  # the filters then see "from from"
    ('he said " go . "', 'he said " go . "'),
    ("", ""),
])
def test_tidy_tokens_is_what_gets_shown_and_is_stable(model_text, tidy):
    tidied = tidy_tokens(tokenize(model_text))
    assert " ".join(tidied) == tidy
    assert tidy_tokens(tidied) == tidied


@pytest.mark.parametrize(("model_text", "names", "expected"), [
    ("it is an newest ep", MT_JOY, "It is a newest EP."),
    ("a lp , a dj set and a unique hook", MT_JOY, "An LP, a DJ set and a unique hook."),
    ("an hour of a 80s synth and a 18 minute jam", MT_JOY, "An hour of an 80s synth and an 18 minute jam."),
    ("a <artist> song", Names("Opia", "Four Winds"), "An Opia song."),
    ("an <song> remix", Names("Bicep", "Four Winds"), 'A "Four Winds" remix.'),
    ("a amazing one-off", MT_JOY, "An amazing one-off."),
    ("what a , what an ... song", MT_JOY, "What a, what an... Song."),  # no word after: left as written
])
def test_articles_follow_the_next_sound(model_text, names, expected):
    assert render(tokenize(model_text), names, CASING) == expected


def test_render_leaves_out_the_credit_when_asked():
    assert render(tokenize("<song> is an anthem"), SOFI, credit=False) == '"Best Friend" is an anthem.'


def test_render_of_nothing_but_punctuation_is_empty():
    assert render([",", "-", "("], MT_JOY) == ""


@pytest.mark.parametrize(("name", "expected"), [
    ("Mt. Joy", "Mt. Joy's"), ("Bicep", "Bicep's"), ("The Knocks", "The Knocks'"), ("ODESZA", "ODESZA's"),
    ("HAIM", "HAIM's"), ("Years & Years", "Years & Years'"), ("Fred again..", "Fred again..'s"),
])
def test_possessive(name, expected):
    assert possessive(name) == expected


@pytest.mark.parametrize(("title", "expected"), [
    ("Silver Lining", '"Silver Lining"'), ('"Opal"', '"Opal"'), ("“Opal”", '"Opal"'), ("'Opal'", '"Opal"'),
    ('The "Real" Thing', "\"The 'Real' Thing\""), ("Opal (Four Tet Remix)", '"Opal (Four Tet Remix)"'),
])
def test_titles_are_double_quoted_once(title, expected):
    assert quoted_title(strip_outer_quotes(title)) == expected
    assert quoted_title(Names("x", title).song) == expected


@pytest.mark.parametrize(("guests", "expected"), [
    ((), ""), (("NERVO",), "(feat. NERVO)"), (("NERVO", "The Knocks"), "(feat. NERVO & The Knocks)"),
    (("A", "B", "C"), "(feat. A, B & C)"),
])
def test_featuring_credit(guests, expected):
    assert featuring_credit(guests) == expected


def test_names_are_tidied():
    names = Names("  Sofi   Tukker ", " “Best  Friend” ", ("NERVO ", " "))
    assert (names.artist, names.song, names.featuring) == ("Sofi Tukker", "Best Friend", ("NERVO",))


@pytest.mark.parametrize(("tokens", "named"), [
    (["<artist>", "returns"], True), (["a", "song", "<song>"], True), (["no", "names", "here"], False), ([], False),
])
def test_names_mentioned(tokens, named):
    assert names_mentioned(tokens) is named


def test_learn_casing_reads_mid_sentence_forms_only():
    texts = [
        "We heard it on Spotify first.", "It is streaming on Spotify now.", "Stream it on spotify today.",
        "Later it went to the U.K. charts.", "Dreamy synths float above.", "Songs like this are rare.",
        "<artist>'s Spotify page says so.",
        # everyday words need five uses, nearly all capitalised: band names alone do not make "forest" a name
        *[f"They met in London in {year}." for year in range(2010, 2015)],
        "Forest Swords and Forest Fire opened.", "A Forest Swords remix.", "A forest of synths.",
        "Later the Pale Waves set.", "Then Pale Waves played.",
    ]
    vocabulary = ["spotify", "u.k", "london", "dreamy", "songs", "the", "artist", "forest", "pale"]
    assert learn_casing(texts, vocabulary) == {"spotify": "Spotify", "u.k": "U.K", "london": "London"}
    assert "london" not in learn_casing(texts[:-6], vocabulary)  # four uses: too few for an everyday word


TOKENS = ["<artist>", "<song>", "'s", "n't", "'", '"', "(", ")", ",", ".", "!", "?", "...", ";", ":", "-", "&", "a",
          "an", "i", "hour", "ep", "unique", "the", "song", "is", "8", "spotify", "u.k", "", " "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=25), st.sampled_from([MT_JOY, SOFI, Names("The Knocks", "a")]))
def test_any_token_sequence_renders_to_a_clean_sentence(tokens, names):
    tidied = tidy_tokens(tokens)
    assert tidy_tokens(tidied) == tidied
    text = render(tokens, names, CASING)
    assert "<artist>" not in text and "<song>" not in text and "  " not in text
    assert text == "" or text.endswith((".", "!", "?", '"', ")")) or text.endswith("...")
    assert text.count('"') % 2 == 0 and text.count("(") == text.count(")")
