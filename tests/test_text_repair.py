"""repair_text and content_lines on snippets from the shared blog posts (and the Unicode forms of the same faults)."""

import pytest

from deephype.text import content_lines, repair_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # ASCII transliteration of cp1252 mojibake, which ftfy cannot undo
        (
            "debuted their new song aEURoeSilver Lining,aEUR an attempt",
            'debuted their new song "Silver Lining," an attempt',
        ),
        ("ItaEUR(tm)s a compellingly open-hearted piece", "It's a compellingly open-hearted piece"),
        ('after tragedy aEUR" in this case', "after tragedy - in this case"),
        ('Autograf aEUR" Simple ft. Victoria Zaro', "Autograf - Simple ft. Victoria Zaro"),
        ("and so onaEUR| right", "and so on... right"),
        # the same faults in Unicode, which ftfy fixes
        ("Itâ€™s a compellingly open-hearted piece", "It's a compellingly open-hearted piece"),
        ("their new song â€œSilver Liningâ€\x9d is out", 'their new song "Silver Lining" is out'),
        ("a cafÃ© in Paris", "a café in Paris"),
        ("a CafA(c) in Paris", "a Cafe in Paris"),
    ],
)
def test_mojibake_is_repaired(raw, expected):
    assert repair_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Mumford &amp; Sons", "Mumford & Sons"),
        ("R&amp;amp;B", "R&B"),
        ("&ldquo;Half Love&rdquo; &#8212; a banger", '"Half Love" - a banger'),
        ("It&#8217;s out", "It's out"),
        ("<p>A <b>soaring</b> chorus</p>", "A soaring chorus"),
        ("<iframe src='x'></iframe>Stream it", "Stream it"),
        ("<artist> shares <song> today", "<artist> shares <song> today"),
        ("Happy hump day everyone <3", "Happy hump day everyone <3"),
    ],
)
def test_html_entities_and_tags(raw, expected):
    assert repair_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Check [their Bandcamp](https://x.bandcamp.com) now", "Check their Bandcamp now"),
        ("![cover art](https://x.com/a.jpg) A dreamy track", "A dreamy track"),
        ("**Middle Kids** consist of Hannah Joy", "Middle Kids consist of Hannah Joy"),
        ("_Edge Of Town_ is brilliant", "Edge Of Town is brilliant"),
        ('_" _Edge Of Town_ "_ is, to put it simply,', '"Edge Of Town" is, to put it simply,'),
        ('titled " **Something** ". Listen below.', 'titled "Something". Listen below.'),
        ("**' Four Winds'**, ahead of their EP", "' Four Winds', ahead of their EP"),
        ("  * __Home\n  * __Genre", "Home\nGenre"),
        ('## Kunzite - "Vapors"', 'Kunzite - "Vapors"'),
        (">  _This video is pieces from our scrapbook._", "This video is pieces from our scrapbook."),
        ("---|---|---|---  \n  \nX", "X"),
        ("~~Junip - Line of Fire~~", "Junip - Line of Fire"),
        (
            "The singer has also announced that 'Childqueen' \\- being released",
            "The singer has also announced that 'Childqueen' - being released",
        ),
        ("1\\. Sultan Pepper 2\\. Even Though", "1. Sultan Pepper 2. Even Though"),
        ("by  Adrien * Published 19 February, 2018", "by Adrien | Published 19 February, 2018"),
        ("Home >> Gigs >> HER'S share details", "Home | Gigs | HER'S share details"),
        ("| posted by: David |", "posted by: David"),
        ("FACEBOOK // TWITTER \\\\\\ INSTAGRAM", "FACEBOOK // TWITTER INSTAGRAM"),
        ("a my_snake_case handle and f**k", "a my_snake_case handle and f**k"),
        ('the not so subtle, "F**K U," this tune', 'the not so subtle, "F**K U," this tune'),
        ("### Comments**Post a comment", "CommentsPost a comment"),
        ("we're hosting *ANOTHER* a cool showcase", "we're hosting ANOTHER a cool showcase"),
    ],
)
def test_markdown_residue_is_removed(raw, expected):
    assert repair_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u201cSilver Lining\u201d is a \u2018gem\u2019", "\"Silver Lining\" is a 'gem'"),
        ('the idea of"growing up" lately', 'the idea of "growing up" lately'),
        ("Birds Don 't Fly, which", "Birds Don't Fly, which"),
        ("There 's a Bollywood-esque backbeat", "There's a Bollywood-esque backbeat"),
        ("In honor of D 'Angelo's record", "In honor of D'Angelo's record"),
        ("''Come Inside'' is a banger", '"Come Inside" is a banger'),
        (",,The song is an ode to death.''", '"The song is an ode to death."'),
        ("one,, two", "one,, two"),
        ("guitars in the first chorus--especially", "guitars in the first chorus - especially"),
        ("Nov 16 -- Washington DC", "Nov 16 - Washington DC"),
        ("from 2015\u20132018 \u2014 a long time", "from 2015-2018 - a long time"),
        ("a hip-hop-informed, self-produced EP", "a hip-hop-informed, self-produced EP"),
        ("Elohim_ , we are", "Elohim, we are"),
        ("( Photo by X )", "(Photo by X)"),
        ('a limited edition 7 " pink vinyl and a 12"-vinyl', "a limited edition 7-inch pink vinyl and a 12-inch-vinyl"),
        ('the song "Summer Of 12" is great', 'the song "Summer Of 12" is great'),
    ],
)
def test_quotes_and_dashes_are_normalised(raw, expected):
    assert repair_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("A gorgeous track \U0001f525\U0001f525 for sure", "A gorgeous track for sure"),
        ("zero\u200bwidth and soft\u00adhyphen", "zerowidth and softhyphen"),
        ("\u2500\u2500\u2500 boxed \u2502 text", "boxed text"),
        ("Live \u2022 Tickets \u2022 Merch", "Live | Tickets | Merch"),
        ("non\u00a0breaking\tspaces   here", "non breaking spaces here"),
        ("trailing  \nline  ", "trailing\nline"),
        ("one\n\n\n\ntwo", "one\n\ntwo"),
        ("\u2665 love \u00a9 2018 \u2122", "love 2018"),
        ("\uff37\uff49\uff44\uff45 letters", "Wide letters"),
        ("", ""),
    ],
)
def test_stray_symbols_and_whitespace(raw, expected):
    assert repair_text(raw) == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, []),
        ("", []),
        (
            'Mt. Joy reached out to us with the powerful sentiment of their alt-folk\nanthem, "Silver Lining."\n\n'
            "Drop Mt. Joy a like on Instagram while you're at it.\n\n",
            [
                'Mt. Joy reached out to us with the powerful sentiment of their alt-folk anthem, "Silver Lining."',
                "Drop Mt. Joy a like on Instagram while you're at it.",
            ],
        ),
        # html2text wraps at 78 columns: a compound wrapped at its hyphen is joined back, a dash at a line start
        # is not part of a compound
        (
            "they've really surpassed themselves on **Four Winds**. There 's a Bollywood-\n"
            "esque backbeat, their usual brand of indie-pop guitar, strings in the middle-\n"
            "eight, and all the vocal harmonies. The band also threw a lot in here, I'd say\n"
            "- a sample of a cat and a radio announcement in Korean.",
            [
                "they've really surpassed themselves on Four Winds. There's a Bollywood-esque backbeat, their usual "
                "brand of indie-pop guitar, strings in the middle-eight, and all the vocal harmonies. "
                "The band also threw a lot in here, I'd say - a sample of a cat and a radio announcement in Korean."
            ],
        ),
        # a line break where the next word would have fitted is a real one: one sentence per line stays apart
        (
            "Four Winds is the kind of dreamy indie pop that drifts in slowly.\nListen below.\n"
            "I have had this one on repeat all week and it still sounds fresh every single time.\nEnjoy.",
            [
                "Four Winds is the kind of dreamy indie pop that drifts in slowly.",
                "Listen below.",
                "I have had this one on repeat all week and it still sounds fresh every single time.",
                "Enjoy.",
            ],
        ),
        # html2text hard breaks ("  \n") and list items end a paragraph
        (
            "the basis of their upcoming record.  \nHaving produced a series of singles",
            ["the basis of their upcoming record.", "Having produced a series of singles"],
        ),
        ("  * __Home\n  * __Genre\n  * __Articles", ["Home", "Genre", "Articles"]),
        # a blockquote is its own paragraph, and its unmarked wrapped lines stay with it
        (
            "She tells us about the song:\n> _\" I wrote 'Time To Regulate' as kind of a nod to boy bands while "
            'lyrically\ntrying to get at the feelings of difficulty in everyday life."_\n',
            [
                "She tells us about the song:",
                "\"I wrote 'Time To Regulate' as kind of a nod to boy bands while lyrically trying to get at the "
                'feelings of difficulty in everyday life."',
            ],
        ),
        ("---|---  \n  \n|  |  \n---", []),
        (
            "Windows line endings.\r\n\r\nAnd old Mac ones.\rDone.\r\n",
            ["Windows line endings.", "And old Mac ones.", "Done."],
        ),
    ],
)
def test_content_lines(content, expected):
    assert content_lines(content) == expected
