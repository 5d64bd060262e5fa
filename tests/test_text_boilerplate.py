"""boilerplate_reason: one table per rule of real lines from the shared posts, with commentary that must survive."""

import pytest

from deephype.boilerplate import RULE_NAMES
from deephype.text import boilerplate_reason

# Commentary that every rule must leave alone, including lines that mention dates, platforms, tours and links.
COMMENTARY = [
    "I can't stop listening to this one, it's gorgeous.",
    "The track was recorded live in Berlin.",
    "The song is about coping with the feelings of loss after losing friends to addiction.",
    "It's another colorful electro-rock fusion that is tailor-made for some late night summer listening.",
    "Literally had this track on repeat for about two hours.",
    "Ahead of their June 6th show, the band have shared a song that sounds like a summer evening.",
    'After going viral with his breakout hit "Location" last year, Khalid has popped up on a string of '
    "high-profile collaborations.",
    "The band filmed the video on a phone and posted it to Instagram, and it's as charming as the song.",
    "She wrote the song on a plane and had to keep singing the melody so it wouldn't slip her mind.",
    "By the end of the track I was completely won over.",
    "Listen to this new track, and tell me you feel nothing, because it's just not possible!",
    "Have you ever heard a beginning to a song so delicate and beautiful?",
    "Produced by Mike WiLL Made-It and Teddy Walton, the banging track includes a thumping bassline.",
    "Art pop at its finest, and a fine way to start the week.",
    "Lyrics are what I live for, so I usually try and write hard and clear about what hurts.",
    "The comparisons with Collins are valid in my opinion, and she can sing and drum at once.",
    "Kadhja Bonet's voice doesn't just land in your ears; it sinks, resting in your heart.",
]


@pytest.mark.parametrize("line", COMMENTARY)
def test_commentary_survives(line):
    assert boilerplate_reason(line) is None


def _check(line: str, reason: str | None) -> None:
    assert reason is None or reason in RULE_NAMES
    assert boilerplate_reason(line) == reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Drop Mt. Joy a like on Instagram while you're at it.", "social"),
        ("Artist Connect: Facebook | Soundcloud | Twitter | Spotify | Instagram", "social"),
        ("Follow Luces on social media: FACEBOOK // TWITTER // INSTAGRAM", "social"),
        ("Find Odina on Facebook and Twitter.", "social"),
        ("Keep up with Bronze Whale here.", "social"),
        ("Socialize with Alina Baraz via the following: Facebook / Twitter", "social"),
        ("Follow @madmackerel", "social"),
        ("Soundcloud", "social"),
        ("Join Emerging Indie Bands on Google+ for more release news.", "social"),
        ("I first heard this one on a Spotify playlist and it hasn't left my head since.", None),
        ("It has racked up over 150k streams on Spotify, and it deserves every one of them.", None),
    ],
)
def test_social(line, reason):
    _check(line, reason)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Nov 16 - Washington DC @ 9:30 Club (w/The Revivalists)", "tour_dates"),
        ("Jun 7 // Manchester, TN @ Bonnaroo", "tour_dates"),
        ("5/22 Detroit, MI Fox Theatre", "tour_dates"),
        ("18 Oct. Oslo Hackney. London, UK", "tour_dates"),
        ("Saturday 3rd February - LEEDS - Brudenell Social Club tickets", "tour_dates"),
        ("15th - LONDON, Citadel Festival 22nd - SHEFFIELD, Tramlines Festival", "tour_dates"),
        ("21/9 - Maze, Berlin 24/9 - Tivoli, Utrecht 25/9 - La Boule Noire, Paris 28/9 - Omeara, London", "tour_dates"),
        ("Mt. Joy Tour Dates", "tour_dates"),
        ("Dates/info below:", "tour_dates"),
        ("See Mt. Joy live in LA on December 8th at the Lodge Room.", "tour_dates"),
        (
            "Saltwater Sun are set to play Are You Listening? Festival on 28 April and at The Great Escape on 18 May.",
            "tour_dates",
        ),
        ("The track was recorded live in Berlin.", None),
        ("May 11th sees the release of their album, and it's a stunner from start to finish.", None),
        ("On 14th April the band released the single, creating further anticipation for the album.", None),
        ("She spent the summer touring and wrote most of the record in hotel rooms along the way.", None),
    ],
)
def test_tour_dates(line, reason):
    _check(line, reason)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Listen below.", "call_to_action"),
        ("Listen to 'Delphine' below.", "call_to_action"),
        ("You can check out the track below:", "call_to_action"),
        ("Give it a listen.", "call_to_action"),
        ("Enjoy.", "call_to_action"),
        ("Stream it below.", "call_to_action"),
        ("Get/stream by clicking HERE", "call_to_action"),
        ("If you like what you hear, you can pre-order Pink Cloud via Launder's Bandcamp here.", "call_to_action"),
        ("Listen below + pre-order the record on vinyl and/or cassette here.", "call_to_action"),
        # prose before the call keeps the line; strip_inline_noise removes the call itself
        ("Dope new track by Bluestaeb from one of our favourite record labels! Have a listen to it below!", None),
        ("I can't stop listening to this one, it's gorgeous.", None),
        ("Take a look at how far they've come since their debut, it is remarkable.", None),
    ],
)
def test_call_to_action(line, reason):
    _check(line, reason)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Home", "navigation"),
        ("Posted by AZLTRON on Monday, April 14, 2014 | Leave a Comment", "navigation"),
        ("Share on Facebook Share on Twitter", "navigation"),
        ("LOADING...", "navigation"),
        ("Enter your password Forgot your password?", "navigation"),
        (
            "This entry was posted in Videos and tagged 2017, ANTASMA, art, chill, Dance. Bookmark the permalink.",
            "navigation",
        ),
        ("(Visited 75 times, 3 visits today)", "navigation"),
        ("Posted on May 11, 2018, in stream and tagged Josin, Kiasmos, remix. Bookmark the permalink.", "navigation"),
        ("Thank you for your request.", "navigation"),
        ("The comments on the video are full of people who cried the first time they heard it.", None),
    ],
)
def test_navigation(line, reason):
    _check(line, reason)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Photo by Catie Laffoon", "credits"),
        ("Words: Sam Geary", "credits"),
        ("Words of Karla Harris", "credits"),
        ("Reviewed by Gabe Kahan", "credits"),
        ("Image via Unsplash.", "credits"),
        ("Posted by AZLTRON on Monday, April 14, 2014", "credits"),
        ("by Adrien | Published 19 February, 2018 | Updated 20 February, 2018", "credits"),
        ("Ben Browning (Photo by Angel Ceballos)", "credits"),
        ("Writer/Photographer at Imperfect Fifth", "credits"),
        ("Originally premiered on LA Weekly.", "credits"),
        ("-Dan", "credits"),
        ("By the end of the track I was completely won over.", None),
        ("Written last year in the wake of the celebrations, the song asks us to remember our dark corners.", None),
    ],
)
def test_credits(line, reason):
    _check(line, reason)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Free Music, Every Day. Subscribe to the Daily Dose.", "promo"),
        ("Our editorial newsletter is your ticket to upcoming shows and free stuff.", "promo"),
        ("Stream the best new songs in emerging music with our Top 12 of the Week playlist", "promo"),
        ("Join us on Vero, as we get under the skin of global cultural happenings.", "promo"),
        ("It's been on my playlist for weeks, and people like us need a song like this.", None),
    ],
)
def test_promo(line, reason):
    _check(line, reason)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Website: http://www.mtjoyband.com/", "url"),
        ("f: www.facebook.com/middlekidsmusic", "url"),
        ("rfshannonmusic.com", "url"),
        ("Follow Mark on Twitter: @markontheweb Email: mark@xsnoize.com", "social"),
        ("The band's website, which they built themselves, is a work of art in its own right.", None),
    ],
)
def test_url(line, reason):
    _check(line, reason)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("18 JAN 2018", "dateline"),
        ("May 15, 2018", "dateline"),
        ("13:13:00", "dateline"),
        ("March 7, 2018 by morningaftershow", "dateline"),
        ("January 15, 2018January 15, 2018by Blue Bardot Music", "dateline"),
        ("On March 7, 2018 the band played their last show together, and it was a night to remember.", None),
    ],
)
def test_dateline(line, reason):
    _check(line, reason)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Tracklist:", "tracklist"),
        ("Tracklist 1. Sultan Pepper 2. Even Though 3. Sunshine Baby 4. Veronica's Backwards", "tracklist"),
        ("01. Club der Ewigkeiten 02. Bonfire 03. Moving in a liquid 04. Colors of autumn", "tracklist"),
        ('"Love and Light""Hunted""Bulletproof""Distribution of Care""The Warp and the Weft"', "tracklist"),
        ("The album has 12 tracks, and the closing track is the best thing they have ever done.", None),
    ],
)
def test_tracklist(line, reason):
    _check(line, reason)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Tags: HOUSE, poolside, yuksek", "tags"),
        ("Childqueen, Fat Possum, Kadhja Bonet, Mother Maybe", "tags"),
        ("avant, electronic, pop, ssw, synth, Westerman", "tags"),
        ("Source: SoundCloud / BURGER RECORDS Tags: bjm brian jonestown massacre spacemen 3 food for clouds", "tags"),
        (
            "another light art chill composition electronic form henry green indie indie music inspiration mood board",
            "tags",
        ),
        ("Jazzy future beats, chopped and pitched vocals, spacey synthesizers and emotive percussion.", None),
    ],
)
def test_tags(line, reason):
    _check(line, reason)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("[Hook] You're a million miles away You're a million miles away How'd you get so far from here?", "lyrics"),
        ("Lyrics:", "lyrics"),
        ("Wear it out like a sweater that you love / Cause I can't get enough when you / Say my name", "lyrics"),
        ("Lyrics are intelligent and often insightful, and the hook is huge.", None),
    ],
)
def test_lyrics(line, reason):
    _check(line, reason)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('"All Or Nothing" is out now via Counter Records.', "release_info"),
        ("The Aphelion EP is out 4/6 via Brainfeeder.", "release_info"),
        ("Her debut LP On Hold will be released on April 6th.", "release_info"),
        ("The album was written over a long winter, and you can hear the cold in every note.", None),
    ],
)
def test_release_info(line, reason):
    _check(line, reason)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Brilliant.", "too_short"),
        ("Quite beautiful.", "too_short"),
        ("Mt. Joy - Silver Lining", "caption"),
        ('"Silver Lining" by Mt. Joy', "caption"),
        ("Went to War -Amason.", "caption"),
        ("Track of the day.", "caption"),
        ("Speaking about the track, Henry says,", "caption"),
        ("UPDATE:BROOKLYNVEGAN PRESALE PASSWORD FOR NYC SHOW HERE.", "caption"),
        ("BEACH HOUSE SHARE 'BLACK CAR' FROM THE STUNNING '7'", "caption"),
        ("The new LP from MGMT and the new EP from HAIM are both out in May, and both are great.", None),
        ("Audio Stream", "too_short"),
        ("It's a belter of a new offering.", None),
        ("This boy is going places, and so is his band.", None),
    ],
)
def test_too_short_and_caption(line, reason):
    _check(line, reason)
