"""The Spotify stand-in's catalogue: a default of real indie, electronic and hip-hop artists with plausible genres,
and the step that gives every artist and track a Spotify-like id.

Each artist maps to its genres, popularity, follower count and the tracks it leads; `with` lists the other
credited artists of a track, who must be in the catalogue too. Some artists have no genres, as on Spotify.
"""

from __future__ import annotations

import hashlib
from typing import Any

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

DEFAULT_CATALOGUE: dict[str, dict[str, Any]] = {
    "M83": {
        "genres": ["french shoegaze", "indietronica", "synthpop", "shoegaze"],
        "popularity": 66, "followers": 2_870_000,
        "tracks": [{"name": "Midnight City", "album": "Hurry Up, We're Dreaming", "released": "2011-10-14",
                    "popularity": 74, "duration_ms": 243_960}],
    },
    "Phoenix": {
        "genres": ["french indie pop", "indie rock", "modern rock"],
        "popularity": 62, "followers": 1_650_000,
        "tracks": [
            {"name": "1901", "album": "Wolfgang Amadeus Phoenix", "released": "2009-05-25", "popularity": 67},
            {"name": "Lisztomania", "album": "Wolfgang Amadeus Phoenix", "released": "2009-05-25", "popularity": 63},
        ],
    },
    "Tame Impala": {
        "genres": ["australian psych", "neo-psychedelic", "psychedelic rock"],
        "popularity": 78, "followers": 8_900_000,
        "tracks": [
            {"name": "The Less I Know The Better", "album": "Currents", "released": "2015-07-17", "popularity": 84},
            {"name": "Let It Happen", "album": "Currents", "released": "2015-07-17", "popularity": 72},
        ],
    },
    "Arcade Fire": {
        "genres": ["canadian indie", "indie rock", "baroque pop", "chamber pop"],
        "popularity": 60, "followers": 2_300_000,
        "tracks": [{"name": "Wake Up", "album": "Funeral", "released": "2004-09-14", "popularity": 62}],
    },
    "Beach House": {
        "genres": ["dream pop", "baltimore indie", "indie rock"],
        "popularity": 71, "followers": 2_900_000,
        "tracks": [{"name": "Space Song", "album": "Depression Cherry", "released": "2015-08-28", "popularity": 82}],
    },
    "Bon Iver": {
        "genres": ["eau claire indie", "indie folk", "chamber pop", "melancholia"],
        "popularity": 72, "followers": 4_200_000,
        "tracks": [{"name": "Holocene", "album": "Bon Iver, Bon Iver", "released": "2011-06-17", "popularity": 70}],
    },
    "The xx": {
        "genres": ["indietronica", "indie rock", "downtempo"],
        "popularity": 63, "followers": 2_600_000,
        "tracks": [{"name": "Intro", "album": "xx", "released": "2009-08-14", "popularity": 71}],
    },
    "Jamie xx": {
        "genres": ["indietronica", "uk dance", "electronica"],
        "popularity": 61, "followers": 1_100_000,
        "tracks": [{"name": "I Know There's Gonna Be (Good Times)", "album": "In Colour", "released": "2015-05-29",
                    "popularity": 64, "explicit": True, "with": ["Young Thug", "Popcaan"]}],
    },
    "Young Thug": {
        "genres": ["atl hip hop", "melodic rap", "rap", "trap"],
        "popularity": 77, "followers": 7_800_000, "tracks": [],
    },
    "Popcaan": {
        "genres": ["dancehall", "jamaican dancehall"],
        "popularity": 60, "followers": 1_400_000, "tracks": [],
    },
    "Caribou": {
        "genres": ["canadian electronic", "electronica", "indietronica", "microhouse"],
        "popularity": 58, "followers": 760_000,
        "tracks": [{"name": "Can't Do Without You", "album": "Our Love", "released": "2014-10-03", "popularity": 57}],
    },
    "Four Tet": {
        "genres": ["electronica", "float house", "intelligent dance music", "microhouse"],
        "popularity": 59, "followers": 890_000,
        "tracks": [{"name": "Two Thousand and Seventeen", "album": "New Energy", "released": "2017-09-29",
                    "popularity": 55}],
    },
    "Fred again..": {
        "genres": ["edm", "house", "stutter house"],
        "popularity": 75, "followers": 2_500_000,
        "tracks": [{"name": "Delilah (pull me out of this)", "album": "Actual Life 3 (January 1 - September 9 2022)",
                    "released": "2022-10-28", "popularity": 70, "with": ["Delilah Montagu"]}],
    },
    "Delilah Montagu": {"genres": [], "popularity": 41, "followers": 38_000, "tracks": []},
    "Kendrick Lamar": {
        "genres": ["conscious hip hop", "hip hop", "rap", "west coast rap"],
        "popularity": 91, "followers": 33_000_000,
        "tracks": [
            {"name": "Alright", "album": "To Pimp A Butterfly", "released": "2015-03-15", "popularity": 76,
             "explicit": True},
            {"name": "HUMBLE.", "album": "DAMN.", "released": "2017-04-14", "popularity": 83, "explicit": True},
        ],
    },
    "Tyler, The Creator": {
        "genres": ["hip hop", "rap"],
        "popularity": 87, "followers": 16_000_000,
        "tracks": [{"name": "EARFQUAKE", "album": "IGOR", "released": "2019-05-17", "popularity": 84,
                    "explicit": True}],
    },
    "Frank Ocean": {
        "genres": ["lgbtq+ hip hop", "neo soul", "hip hop", "pop"],
        "popularity": 82, "followers": 13_000_000,
        "tracks": [{"name": "Nights", "album": "Blonde", "released": "2016-08-20", "popularity": 86,
                    "explicit": True}],
    },
    "KAYTRANADA": {
        "genres": ["alternative r&b", "electronic trap", "escape room", "indie soul"],
        "popularity": 68, "followers": 1_900_000,
        "tracks": [{"name": "10%", "album": "BUBBA", "released": "2019-12-13", "popularity": 66, "explicit": True,
                    "with": ["Kali Uchis"]}],
    },
    "Kali Uchis": {
        "genres": ["colombian pop", "latin pop", "pop", "r&b"],
        "popularity": 84, "followers": 9_100_000, "tracks": [],
    },
    "Run The Jewels": {
        "genres": ["alternative hip hop", "escape room", "hip hop", "rap"],
        "popularity": 58, "followers": 1_200_000,
        "tracks": [{"name": "Legend Has It", "album": "Run the Jewels 3", "released": "2016-12-24", "popularity": 61,
                    "explicit": True}],
    },
    "Little Simz": {
        "genres": ["uk alternative hip hop", "uk hip hop"],
        "popularity": 62, "followers": 980_000,
        "tracks": [{"name": "Introvert", "album": "Sometimes I Might Be Introvert", "released": "2021-09-03",
                    "popularity": 55, "explicit": True}],
    },
    "Mac DeMarco": {
        "genres": ["edmonton indie", "indie rock", "slacker rock"],
        "popularity": 67, "followers": 3_100_000,
        "tracks": [{"name": "Chamber Of Reflection", "album": "Salad Days", "released": "2014-04-01",
                    "popularity": 77}],
    },
    "Disclosure": {
        "genres": ["house", "uk dance", "edm"],
        "popularity": 67, "followers": 2_700_000,
        "tracks": [{"name": "Latch", "album": "Settle", "released": "2013-05-31", "popularity": 73,
                    "with": ["Sam Smith"]}],
    },
    "Sam Smith": {"genres": ["pop", "uk pop"], "popularity": 82, "followers": 24_000_000, "tracks": []},
}


def spotify_id(kind: str, name: str) -> str:
    """A stable 22-character base62 id, like Spotify's, derived from the kind and name."""
    number = int.from_bytes(hashlib.sha256(f"{kind}:{name}".encode()).digest()[:17], "big")
    digits = []
    for _ in range(22):
        number, rest = divmod(number, 62)
        digits.append(_BASE62[rest])
    return "".join(digits)


def build_catalogue(raw: dict[str, dict[str, Any]]) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Artists by name and tracks, with ids and the defaults Spotify would fill in."""
    artists = {
        name: {"id": spotify_id("artist", name), "name": name, "genres": tuple(entry.get("genres", ())),
               "popularity": entry.get("popularity", 50), "followers": entry.get("followers", 10_000)}
        for name, entry in raw.items()
    }
    tracks = []
    for name, entry in raw.items():
        for track in entry.get("tracks", ()):
            missing = [other for other in track.get("with", ()) if other not in artists]
            if missing:
                raise ValueError(f"track {track['name']!r} credits {missing}, who are not in the catalogue")
            credited = [name, *track.get("with", ())]
            tracks.append({
                "id": spotify_id("track", f"{name}/{track['name']}/{track.get('album', '')}"),
                "name": track["name"], "artist_ids": [artists[a]["id"] for a in credited],
                "album": track.get("album", track["name"]), "released": track.get("released", "2020-01-01"),
                "popularity": track.get("popularity", 50), "duration_ms": track.get("duration_ms", 215_000),
                "explicit": track.get("explicit", False),
            })
    for track in tracks:
        album = [t["id"] for t in tracks if t["album"] == track["album"]]
        track["album_tracks"], track["track_number"] = len(album), album.index(track["id"]) + 1
    return artists, tracks
