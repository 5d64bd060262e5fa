"""Word lists the song finder reads headlines with: blog labels, release verbs, descriptors and common English.

Kept apart from the parsing code so a new blog habit ("Monday Moods:", "Pipin' hot!") is a one-word change here.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that make up a blog's label before the song ("NEW MUSIC:", "Song of the Day |", "Downtempo:", "What's New?").
LABEL_WORDS = _words(
    """new music song songs track tracks single singles listen listening stream streaming premiere premieres
    exclusive video videos watch now playing pick picks of the day week month weekend for your today review
    reviews just tunes tune mp3 hot fresh first news monday tuesday wednesday thursday friday saturday sunday
    moods mood jam sound morceau du jour what's whats introducing currently to follow-up follow up post featured
    spotlight discovery discoveries band explains diggin digging this have a remix remixes q&a pipin pipin'
    d//e women in free download alert on repeat daily gem feature features out weekly hear heard check best
    serving audio official lyric premiere: new: our favourite favorite recommended rec recs b3sci records
    feeling selection selects playlist love loving tip tips sounds artist artists go-to fresh-cut morning
    evening late youtube soundcloud spotify bandcamp interview we serving"""
)

# The words of labels that are never a song's or artist's whole name ("New Music", "Official Video").
LABEL_CORE = _words(
    """new music song songs track tracks single listen listening stream streaming premiere exclusive video
    videos watch now playing pick of the day week review mp3 tunes official audio lyric free download out
    today daily weekly news"""
)

# Genre tags some blogs put first ("Downtempo: Abalone – Avery", "(Nu) Disco: ...").
GENRE_WORDS = _words(
    """downtempo hip-hop hip hop rap trap ambient disco nu pop chill chillout chillwave electro electronic
    electronica indie indie-electro indie-pop indie-rock rock folk soul r&b rnb jazz funk house deep techno dance
    edm synth synthpop synth-pop dream dream-pop lo-fi lofi alt alternative punk garage grime drill bass future
    experimental psych psychedelic country blues metal emo shoegaze acoustic instrumental tropical k-pop"""
)

# The last word of a short label that names a feature, however the blog brands it ("SoulBounce Exclusive:").
STRONG_LABEL_ENDINGS = _words(
    """exclusive premiere review pick listen stream streaming video alert tunes mp3 explains serving
    discovery spotlight playing selects"""
)

# Verbs that end the subject of a headline sentence ("Elohim shares ...", "Molina is back with ...").
SENTENCE_VERBS = _words(
    """share shares shared sharing unveil unveils unveiled unveiling release releases released releasing drop
    drops dropped dropping return returns returned returning is are was were has have had announce announces
    announced announcing debut debuts debuted debuting team teams teamed tap taps tapped link links linked join
    joins joined go goes gets get got channel channels present presents presenting offer offers offering bring
    brings make makes made keep keeps sing sings recall recalls lives deal deals escape escapes reflect reflects
    contemplate contemplates tell tells traverse traverses impress impresses serve serves suspend suspends stand
    stands follow follows give gives gave transport transports kick kicks craft crafts deliver delivers enchant
    enchants face faces invite invites illuminate illuminates achieve achieves unspool unspools encourage
    encourages turn turns survey surveys assert asserts issue issues create creates spin spins reach reaches
    play plays playing sign signs soar soars lead leads wander wanders perfect perfects maintain maintains air
    airs explore explores celebrate celebrates premieres revisit revisits tease teases find finds take takes
    showcase showcases show shows reveal reveals detail details pair pairs pay pays put puts hit hits dive dives
    enlist enlists recruit recruits connect connects collaborate collaborates work works remix remixes rework
    reworks cover covers continue continues prove proves call calls ask asks paint paints emerge emerges step
    steps look looks mark marks embrace embraces capture captures captivate captivates want wants say says talk
    talks discuss discusses glow glows produce produces killing unleash unleashes grow grows recalls ushers
    usher strives strive begs preview previews shine shines stun stuns tackles tackle confronts confront
    examines examine explodes explore gets delivered puts lets let rides ride returns drifts drift twist
    twists change changes wanders entice entices teams unfurl unfurls imagine imagines spits spit test tests
    perform performs"""
)

# Words after which the rest of a sentence cannot be the artist ("Jean Deaux with Her First 2017 Release").
SUBJECT_BOUNDARIES = _words("with w/ on in for to from feat feat. ft ft. featuring alongside about via ahead after")

# Imperatives a headline may open with before the artist ("Meet Amanda Tenfjord, ...", "Listen to ...").
IMPERATIVE_OPENINGS = (
    "get to know", "get an intro to", "listen to", "check out", "say hello to", "announcing", "meet", "watch",
    "hear", "stream", "discover", "introducing", "presenting", "listen", "revisit", "enjoy",
)
# Words just before a quoted title that introduce it without naming its artist ("... and listen to 'X' below").
SONG_INTRODUCTIONS = ("listen to", "listening to", "check out", "hear", "enjoy", "stream", "watch", "play",
                      "press play on", "hit play on", "give", "try")

# Nouns that describe an act rather than name it ("Spanish songwriter Odina", "Vallejo Rap Group SOB x RBE").
DESCRIPTORS = _words(
    """producer producers songwriter songwriters singer singers singer-songwriter singer/songwriter duo trio
    quartet quintet band bands group artist artists rapper rappers songstress newcomer newcomers outfit
    collective composer musician musicians act talent crooner multi-instrumentalist beatmaker project
    collaborator collaborators sensation engineer veteran veterans auteur vocalist frontman frontwoman brother
    sister bro native"""
)

# Words that mark a phrase as talk about music rather than a name ("This song is ...", "a new song from ...").
MUSIC_NOUNS = _words(
    """song songs track tracks single singles album albums lp lps ep eps record records tune tunes video videos
    music mixtape playlist release releases cut cuts jam ballad anthem banger number debut remix remixes"""
)

# Quoted names right after these words are a release, not the song ("new album 'Childqueen'").
RELEASE_WORDS = _words("album albums lp ep record mixtape from forthcoming upcoming sophomore about")
# ... unless a word nearer the quote says it is a song ("new LP (stream 'Sunshine Baby')").
SONG_CUES = _words("single track song cut tune jam stream listen hear shares share called titled named video release")
RELEASE_AFTER = _words("album lp ep record mixtape single project")

# A post about a mix, set, playlist or several tracks names no single song.
ROUNDUP_PATTERN = (
    r"\b(?:hump day|daytime|guest|essential|mini|live|dj|weekend|summer|monthly|weekly) (?:mix|set)\b"
    r"|\(\s*[^()]*\b(?:set|mix)\s*\)|^\s*mix(?:tape)?\s*[:|]|\bplaylist\b|\bround-?up\b|\btop \d+\b"
    r"|\b\d+ (?:best |new |favou?rite )?(?:songs|tracks|albums|records)\b"
    r"|\b(?:songs|tracks|albums) of the (?:week|month|year)\b|\bpodcast\b|\bclassics\b|\breworks of\b"
)

# Link bars and platforms: "Facebook | Twitter | SoundCloud" is no artist and song.
SOCIAL_WORDS = _words(
    """facebook twitter instagram insta soundcloud spotify youtube bandcamp tumblr snapchat tiktok itunes deezer
    tidal mixcloud beatport vimeo website"""
)

# Field names of post metadata ("Year: 2018", "Words by Nick Bewes", "Photo by Emma Svensson") and sentence
# openers ("Below, watch ...", "Finally, ..."), written as their letters only: neither is ever an artist or song.
FIELD_WORDS = frozenset(
    line.strip() for line in """year
    words
    who
    what
    where
    when
    label
    genre
    genres
    stream buy
    get stream
    buy
    download
    release date
    released
    location
    from
    tags
    tagged as
    category
    photo
    photos
    photograph
    photo credit
    cover photo
    credit
    credits
    written
    reviewed
    review
    post
    posted
    contributed
    filed under
    source
    hometown
    for fans of
    sounds like
    riyl
    feature
    promoted
    artist connect
    connect
    follow
    more info
    info
    links
    contact
    management
    booking
    press
    artwork
    illustration
    directed
    director
    produced
    mixed
    mastered
    shot
    edited
    curated
    image
    header image
    home
    gigs
    about
    menu
    search
    tweet
    related
    previously
    below
    above
    finally
    meanwhile
    plus
    also
    currently
    elsewhere
    lastly
    yes
    ok
    okay
    copyright
    published
    updated
    author
    tagged
    disclaimer
    overall
    ultimately
    probably
    bonus""".splitlines()
)

# Lowercase words that show a phrase is a sentence, not an artist ("Tour dates announced", "happy friday").
SENTENCE_WORDS = _words(
    """i we you our my your us me they he she it its is are was were be been am has have had do does did can
    will would should could this that these those here there today tonight tomorrow yesterday everyone
    everybody announced announces out check playlist album albums tour tickets dates happy thanks thank top
    week weekend year best favourite favorite just new listen watch stream video via please what why how when
    who not if so very really about all some any more most our's ours let's lets gonna wanna got get i'm i've
    i'll i'd you're we're they're it's that's what's don't can't won't isn't"""
)

# Event words that never belong to an artist, whatever the case ("Tour Dates Announced - See You Soon").
EVENT_WORDS = _words(
    """tour tickets dates announced announces announce playlist giveaway festival lineup line-up albums
    interview presale livestream podcast episode tracklist roundup round-up"""
)

# Stop-words a URL slug often drops ("mating-ritual-light-fire" for "Light Myself On Fire").
SLUG_STOPWORDS = _words(
    "a an the of and in on to for my me you your it is with at by from or but its this that be are so up out"
)

# Slug words that introduce a post rather than name the song ("premiere-...", "new-track-...").
SLUG_LABELS = LABEL_WORDS | _words("streaming mp3 premiere premieres single stream watch listen track day new")
# Slug words skipped between the artist and the song ("kadhja-bonet-new-track-delphine").
SLUG_LEADING = _words("new single track song video premiere official latest debut mp3 stream listen watch")
# Slug words that end the song part of a slug ("...-delphine-listen", "...-sinner-feat-kweku-collins").
SLUG_STOPS = _words(
    """feat ft featuring prod produced video listen stream premiere review official audio lyric lyrics mp3
    download free out now via new song track single music art interview tour album lp ep dates announces
    announce shares share remix remixes html"""
)
# A slug that reaches one of these after the artist is about a release or an event, not a song.
SLUG_NOT_SONG = _words("album lp ep interview tour mix mixtape playlist dates live")

# Very common English words. A song or artist made only of these ("Home", "It", "Love You Better") is masked
# only where its capitals show it is the name; see deephype.songs_mask.
VERY_COMMON = _words(
    """a about after again all also always am an and any are around as at away back be because been before being
    best better big both but by can come could day did do does done down each even ever every feel few find first
    for from get give go going gone good got great had has have he her here him his home how i if in into is it
    its just keep know last leave let life like little long look love made make man many may me more most much
    must my need never new next no not nothing now of off oh old on once one only or other our out over own
    people place put really right said same say see she should so some something still such take tell than that
    the their them then there these they thing things think this those through time to today together too two
    up us very want was way we well were what when where which while who why will with without world would yeah
    year yes you young your baby night girl boy heart mind eyes light dream dreams home sun money fire alone
    again away everything forever tonight stay run wild free high low hold hope call move ride trust lie mine
    easy close cool warm numb raw sky smile spark soul gold blue red black white green real true fool go
    there's here's it's that's what's i'm i've i'll you're we're they're"""
)
