"""The two word lists the topic-weight rule reads: descriptive/sensory words and promotional/call-to-action words.

Written for music commentary: DESCRIPTIVE holds adjectives and participles that say how music sounds or feels,
and the nouns for what a listener hears (vocals, synths, harmonies, groove); PROMOTIONAL holds the vocabulary of
calls to action, platforms, tour dates and release logistics. Product nouns ("album", "single", "debut") are in
neither: descriptive sentences use them as often as announcements do.
"""

from __future__ import annotations

from collections.abc import Sequence

_DESCRIPTIVE = """
    airy ambient anthemic aching angelic angular atmospheric autumnal balmy bare beautiful beautifully bittersweet
    blissful blistering bold booming bouncy bouncing breathy breezy bright brilliant brooding bubbly buoyant buttery
    buzzing calm carefree cascading catchy celestial chaotic cheerful chilled chilling chilly chiming choppy
    cinematic clattering cloudy colorful colourful confident cool cosmic crackling creamy crisp crunchy crystalline
    dark dazzling deep delicate delicious delightful dense distorted dizzy dreamy dreamlike drenched drifting
    driving droning dusky dusty earthy eclectic eerie effervescent effortless elegant emotive emotional energetic
    epic ethereal euphoric evocative exquisite expansive explosive fiery fierce flowing floating fluid fragile
    frantic frenetic frenzied fresh funky fuzzy gentle ghostly gleaming glimmering glistening glitchy glittering
    gloomy glorious glossy glowing golden gorgeous graceful grainy grand gravelly gritty groovy grungy haunting
    haunted hazy heady heartfelt heavy honeyed hushed hypnotic icy infectious intense intimate intricate jagged
    jangly jaunty kaleidoscopic laid-back languid layered lazy lilting liquid lively lo-fi lonely longing lovely
    luminous lush luscious lustrous majestic meandering melancholic melancholy mellow melodic mesmerising
    mesmerizing misty moody moonlit mournful murky nocturnal nostalgic otherworldly pastel playful plaintive
    pillowy poignant polished pounding powerful propulsive psychedelic pulsating pulsing punchy radiant raspy raw
    relaxing resonant rich rippling rolling romantic rumbling rustic sensual serene shadowy sharp shimmering
    shimmery silky silken skittering sleek slick smoky smooth snappy soaring soft soothing somber sombre soulful
    spacious spacey spacy sparkling sparkly sparse spiky sprawling starry stark stirring stormy stunning sublime
    sultry summery sunny sun-drenched sun-soaked sweeping sweet swelling swirling syrupy tender tense textured
    thick thumping thunderous tranquil trippy twangy twinkling unhurried uplifting velvet velvety vibrant vivid
    vulnerable warm warped weightless whimsical whirling whispered whispery wistful woozy wonky yearning
"""

_PROMOTIONAL = """
    announce announced announcement announces apple available bandcamp below buy catch check deezer download
    dates downloads dropped drops follow forthcoming festival festivals gig gigs headline headlining
    itunes label link merch order platforms pre-order pre-save preorder premiere premiered premieres premiering
    purchase release released releases releasing signed slated soundcloud spotify stream streaming
    streams subscribe ticket tickets tidal tour touring tracklist upcoming via video vinyl
    watch youtube
"""
_SOUND = """
    bass bassline basslines beat beats brass chord chords chorus choruses drum drums echo falsetto groove grooves
    guitar guitars harmonies harmony hook hooks horns keys layers melodies melody percussion piano production
    reverb rhythm rhythms riff riffs sax saxophone strings synth synths tempo texture textures timbre tones vocal
    vocals voice voices
"""
DESCRIPTIVE = frozenset(_DESCRIPTIVE.split() + _SOUND.split())
PROMOTIONAL = frozenset(_PROMOTIONAL.split())

# Pairs of tokens that are promotional together though not apart ("out now", "listen here").
PROMOTIONAL_PAIRS = frozenset({
    ("out", "now"), ("out", "today"), ("out", "friday"), ("listen", "here"), ("listen", "below"),
    ("listen", "now"), ("all", "platforms"),
})


def lexicon_shares(tokens: Sequence[str]) -> tuple[float, float]:
    """(descriptive share, promotional share) of a tokenised sentence's words (tokens with a letter)."""
    words = [token for token in tokens if any(ch.isalpha() for ch in token)]
    if not words:
        return 0.0, 0.0
    descriptive = sum(word in DESCRIPTIVE for word in words)
    promotional = sum(word in PROMOTIONAL for word in words)
    promotional += sum(pair in PROMOTIONAL_PAIRS for pair in zip(words, words[1:], strict=False))
    return descriptive / len(words), min(promotional / len(words), 1.0)
