"""Inline noise, sentence splitting, residue checks, word counts and the English ratio."""

import pytest

from deephype.text import english_ratio, residue_reason, split_sentences, strip_inline_noise, word_count


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Check their site at www.mtjoyband.com for more.", "Check their site for more."),
        ("The band explains at http://x.net/about/ how it came together.", "The band explains how it came together."),
        ("Hey music junkie! Click over to http://insomniaradio.net/subscribe/ for free music.", "Hey music junkie!"),
        ("A gorgeous single. Follow the duo on Instagram, Twitter, and FB.", "A gorgeous single."),
        ("Write to mark@xsnoize.com with your demos.", "Write with your demos."),
        (
            "For all the Great Escape tweets and action follow me @BMWavesBlog",
            "For all the Great Escape tweets and action follow me",
        ),
        ("Andrea Benini - El Guerrero #electronic #downtempo", "Andrea Benini - El Guerrero"),
        ("This is the band at number #1 this week.", "This is the band at number #1 this week."),
        (
            "Crunching bass lines and hypnotic guitar solos. [via Super Cat PR]",
            "Crunching bass lines and hypnotic guitar solos.",
        ),
        (
            "Cut Copy bassist Ben Browning (Photo by Angel Ceballos) shares a single.",
            "Cut Copy bassist Ben Browning shares a single.",
        ),
        ("Released on Domino (via Pitchfork) today.", "Released on Domino today."),
        ("The band says [...] it was a long time coming.", "The band says it was a long time coming."),
        (
            '"[It] needs an injection of some new young blood," he said.',
            '"It needs an injection of some new young blood," he said.',
        ),
        (
            "Hop Along's new single is out today. Listen below. The album was self-produced.",
            "Hop Along's new single is out today. The album was self-produced.",
        ),
        (
            "It's a smooth slice of R&B influenced pop. Check it out below.",
            "It's a smooth slice of R&B influenced pop.",
        ),
        ("The single is lovely (Buy).", "The single is lovely."),
        (
            "In any case, you should hear this track and feel the same:)",
            "In any case, you should hear this track and feel the same",
        ),
        (
            "3. Despite that bloke from The National being involved, Lauren sings the best bits.",
            "Despite that bloke from The National being involved, Lauren sings the best bits.",
        ),
        ("I can't stop listening to this one, it's gorgeous.", "I can't stop listening to this one, it's gorgeous."),
        ("<artist> returns with <song>, a slow burner.", "<artist> returns with <song>, a slow burner."),
        ("", ""),
    ],
)
def test_strip_inline_noise(line, expected):
    assert strip_inline_noise(line) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("", []),
        ("Just one sentence without a stop", ["Just one sentence without a stop"]),
        (
            "Mt. Joy reached out to us. The U.S. has plenty of lawyers - too many. St. Paul is cold.",
            ["Mt. Joy reached out to us.", "The U.S. has plenty of lawyers - too many.", "St. Paul is cold."],
        ),
        (
            "It's about a biker, in their words: \"a lone wolf. He's alienated by the gangs.\" It rocks.",
            ["It's about a biker, in their words: \"a lone wolf. He's alienated by the gangs.\"", "It rocks."],
        ),
        ("Wow. Is it good? Yes! It is.", ["Wow.", "Is it good?", "Yes!", "It is."]),
        (
            "It features Roisin Murphy (feat. on two tracks). The LP is out soon.",
            ["It features Roisin Murphy (feat. on two tracks).", "The LP is out soon."],
        ),
        ("<artist> is back. <song> is the proof.", ["<artist> is back.", "<song> is the proof."]),
    ],
)
def test_split_sentences(paragraph, expected):
    assert split_sentences(paragraph) == expected


def test_split_sentences_handles_very_long_run_on_input():
    paragraph = " ".join(f"Sentence number {i} is here." for i in range(1200))
    sentences = split_sentences(paragraph)
    assert len(sentences) == 1200
    assert sentences[-1] == "Sentence number 1199 is here."


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("It's a compellingly aEURoeopen-heartedaEUR piece.", "mojibake"),
        ("Itâ€™s a compellingly open-hearted piece.", "mojibake"),
        ("Find them at https://soundcloud.com/x today.", "url"),
        ("More at www.mtjoyband.com today.", "url"),
        ("Their site xsnoize.com is great.", "url"),
        ("Send demos to mark@xsnoize.com please.", "email"),
        ("Shout out to @johannvdnest for this one.", "handle"),
        ("This is a proper #tbt moment for sure.", "hashtag"),
        ("This is the **best** track of the week.", "markdown"),
        ("Read [the interview](http) here now please.", "markdown"),
        ("A great track | more news below here.", "markdown"),
        ("# Heading made it through to here", "markdown"),
        ("A <b>bold</b> choice of single here.", "html"),
        ("Tom &amp; Jerry made a record together.", "html"),
        ("The title means \u5149 in their language.", "non_latin"),
        ('He said "it was all a dream and left.', "unbalanced"),
        ("The (first single is out now.", "unbalanced"),
        ("voted in Pitchfork's top ten albums of the 70s.", "fragment"),
        ("5/1: 5/2: 5/3: 5/5: 5/6: NY.", "symbols"),
        ("About the track, the Bristol-based electronic musician reveals:", "unterminated"),
        ("The band is made up of Robbie Kingsley, Dylan McCue,", "unterminated"),
        ("Nah, it was just a great record and the", "unterminated"),
        ("This boy is going places", None),
        ("<artist> is back with <song>, a gorgeous slow burner.", None),
        ("I can't stop listening to this one, it's gorgeous.", None),
        ("Café culture and Björk-like vocals make this one sing.", None),
        ('"Delphine" is an ethereal, out of this world track (and a long one).', None),
        ("The U.S. has plenty of lawyers - too many.", None),
        ("The track sounds like 1999 at 3 a.m. in the best way.", None),
        ("A singer/songwriter/producer from Bristol made this.", None),
    ],
)
def test_residue_reason(sentence, reason):
    assert residue_reason(sentence) == reason


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("", 0),
        ("Listen below.", 2),
        ("I can't stop listening to this one, it's gorgeous.", 9),
        ("<artist> returns with <song>.", 4),
        ("A hip-hop-informed track from the U.S. in 2018!", 8),
        ("-- ... !!", 0),
    ],
)
def test_word_count(sentence, count):
    assert word_count(sentence) == count


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("I can't stop listening to this one, it's gorgeous.", 0.9, 1.0),
        ("Kadhja Bonet releases her sophomore album Childqueen on June 8 via Fat Possum.", 0.8, 1.0),
        ("Der junge Songwriter versucht mit seiner Musik euch aus eurem Alltag etwas zu entfuhren.", 0.0, 0.3),
        ("Un mec qui cite Mary Poppins dans un texte est forcement classe, merci Bakar.", 0.0, 0.3),
        ("Die neue Single lebt von dieser Melodie und je ofter man sich den neuen Song anhort.", 0.0, 0.3),
        ("It's a vibrant tune engulfed in a chugging rhythm escorted by a cheery keyboard line.", 0.6, 1.0),
        ("Crisp percussion underpins a gang of feral melodies, with warped basslines and sinewy guitars.", 0.6, 1.0),
        (
            "e stato prodotto dallo stesso Sheldrake insieme a Matthew Herbert e registrato sia agli Soup Studios di "
            "Londra.",
            0.0,
            0.4,
        ),
        ("", 0.0, 0.0),
        ("1234 !!!", 0.0, 0.0),
        ("<artist> is great", 1.0, 1.0),
    ],
)
def test_english_ratio(text, low, high):
    assert low <= english_ratio(text) <= high
