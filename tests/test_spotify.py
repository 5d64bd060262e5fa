"""The Spotify genre client, driven through real spotipy against the local Spotify stand-in."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
import requests

from deephype.config import SpotifyConfig
from deephype.errors import ConfigError, ServiceError
from deephype.songs import normalise_name
from deephype.spotify import SOURCE, SpotifyGenres
from deephype.standins.spotify import Fault, SpotifyStandIn
from deephype.standins.spotify_catalogue import DEFAULT_CATALOGUE
from deephype.store import Store


def genres_of(name: str) -> tuple[str, ...]:
    return tuple(DEFAULT_CATALOGUE[name]["genres"])


def bearer(standin: SpotifyStandIn) -> dict[str, str]:
    answer = requests.post(standin.token_url, data={"grant_type": "client_credentials"},
                           auth=(standin.client_id, standin.client_secret), timeout=5)
    assert answer.json()["token_type"] == "Bearer"
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def search(standin: SpotifyStandIn, q: str) -> list[tuple[str, list[str]]]:
    """(track, artists) of the stand-in's answer to a search, in its order."""
    answer = requests.get(standin.base_url + "search", params={"q": q, "type": "track", "limit": 10},
                          headers=bearer(standin), timeout=5)
    return [(t["name"], [a["name"] for a in t["artists"]]) for t in answer.json()["tracks"]["items"]]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def shared_standin():
    with SpotifyStandIn() as standin:
        yield standin


@pytest.fixture
def standin(shared_standin: SpotifyStandIn) -> SpotifyStandIn:
    shared_standin.reset()
    return shared_standin


@pytest.fixture
def store():
    store = Store.open(":memory:")
    yield store
    store.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(standin, store, clock, sleeps):
    """A client on the stand-in whose waits are recorded rather than slept (unless real_sleep=True)."""
    made: list[SpotifyGenres] = []

    def make(on: SpotifyStandIn | None = None, secret: str | None = None, real_sleep: bool = False, **settings):
        target = on or standin
        config = target.spotify_config(SpotifyConfig(**settings))
        client = SpotifyGenres(
            config, store, target.client_id, secret or target.client_secret, now=clock,
            sleep=time.sleep if real_sleep else sleeps.append,
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(make_client) -> SpotifyGenres:
    return make_client()


# -- finding tracks and genres ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("artist", "song", "spotify_song", "credited"),
    [
        ("M83", "Midnight City", "Midnight City", ["M83"]),
        ("Jamie xx", "I Know There's Gonna Be (Good Times)", "I Know There's Gonna Be (Good Times)",
         ["Jamie xx", "Young Thug", "Popcaan"]),
        ("Kaytranada", "10%", "10%", ["KAYTRANADA", "Kali Uchis"]),
        ("tyler the creator", "Earfquake", "EARFQUAKE", ["Tyler, The Creator"]),
        ("Fred again..", "Delilah (pull me out of this)", "Delilah (pull me out of this)",
         ["Fred again..", "Delilah Montagu"]),
        ("Disclosure", "Latch", "Latch", ["Disclosure", "Sam Smith"]),
        ("Kaytranada", "10% (feat. Kali Uchis)", "10%", ["KAYTRANADA", "Kali Uchis"]),
    ],
)
def test_find_track_reads_every_credited_artists_genres(client, standin, artist, song, spotify_song, credited):
    match = client.find_track(artist, song)
    assert match is not None
    assert (match.artist, match.song) == (credited[0], spotify_song)
    assert [a.artist for a in match.artists] == credited
    assert [a.genres for a in match.artists] == [genres_of(name) for name in credited]
    assert [a.spotify_id for a in match.artists] == [standin.artist_id(name) for name in credited]
    assert match.score >= 0.95


def test_genres_are_read_one_artist_at_a_time(client, standin):
    client.find_track("Jamie xx", "I Know There's Gonna Be (Good Times)")
    reads = standin.requests_to("/v1/artists/*")
    assert sorted(r.path.rsplit("/", 1)[1] for r in reads) == sorted(
        standin.artist_id(name) for name in ("Jamie xx", "Young Thug", "Popcaan")
    )
    assert standin.requests_to("/v1/artists") == []  # the removed batch endpoint is never asked


def test_search_uses_field_filters_and_a_bearer_token(client, standin):
    client.find_track("Tyler, The Creator", 'EARFQUAKE: "Live"')
    (search,) = standin.requests_to("/v1/search")
    assert search.query["q"] == "track:EARFQUAKE Live artist:Tyler, The Creator"
    assert (search.query["type"], search.query["limit"]) == ("track", "10")
    assert search.headers["authorization"].startswith("Bearer ")


DECOYS = {
    "M83": {"genres": ["french shoegaze", "indietronica"],
            "tracks": [{"name": "Midnight City", "popularity": 60},
                       {"name": "Midnight City Dreams", "popularity": 90},
                       {"name": "Midnight City - Eric Prydz Private Remix", "popularity": 80, "with": ["Eric Prydz"]}]},
    "Eric Prydz": {"genres": ["progressive house"], "tracks": []},
    "M83 Tribute Orchestra": {"genres": ["orchestral"], "tracks": [{"name": "Midnight City", "popularity": 99}]},
    "Arcade Fire": {"genres": ["canadian indie"], "tracks": [{"name": "Wake Up - Remastered 2014"}]},
}


@pytest.fixture(scope="module")
def decoy_standin():
    with SpotifyStandIn(DECOYS) as standin:
        yield standin


def test_a_similar_first_hit_loses_to_the_exact_match(make_client, decoy_standin):
    hits = search(decoy_standin, "track:Midnight City artist:M83")
    assert [artists[0] for _, artists in hits[:3]] == ["M83 Tribute Orchestra", "M83", "M83"]  # by popularity
    match = make_client(on=decoy_standin).find_track("M83", "Midnight City")
    assert match is not None
    assert (match.artist, match.song, match.score) == ("M83", "Midnight City", 1.0)
    assert match.artists[0].genres == ("french shoegaze", "indietronica")


@pytest.mark.parametrize(
    ("artist", "song", "expected"),
    [
        ("M83", "Midnight City (Eric Prydz Remix)", ("Midnight City - Eric Prydz Private Remix", "M83", "Eric Prydz")),
        ("Arcade Fire", "Wake Up", ("Wake Up - Remastered 2014", "Arcade Fire")),  # the only version there is
        ("M83", "Midnight", None),  # only near misses: "Midnight City", "Midnight City Dreams"
        ("The Tribute", "Midnight City", None),
    ],
)
def test_versions_and_near_misses(make_client, decoy_standin, artist, song, expected):
    match = make_client(on=decoy_standin).find_track(artist, song)
    found = (match.song, *(a.artist for a in match.artists)) if match else None
    assert found == expected


@pytest.mark.parametrize(
    ("artist", "song", "expected"),
    [
        ("tame impala", None, "Tame Impala"),
        ("Popcaan", None, "Popcaan"),  # only ever a featured credit
        ("Young Thug", "I Know There's Gonna Be (Good Times)", "Young Thug"),
        ("Kendrick Lamar", "A Song Spotify Does Not Have", "Kendrick Lamar"),  # falls back to the artist search
        ("Delilah Montagu", None, "Delilah Montagu"),  # Spotify has no genres for her
    ],
)
def test_artist_genres(client, artist, song, expected):
    found = client.artist_genres(artist, song)
    assert found is not None
    assert (found.artist, found.genres) == (expected, genres_of(expected))


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("find_track", ("Nobody Real", "Nothing Song")),
        ("find_track", ("M83", "Nothing Song")),
        ("artist_genres", ("Nobody Real",)),
        ("artist_genres", ("Nobody Real", "Midnight City")),
        ("artist_genres", ("  ",)),
    ],
)
def test_unknown_artist_or_song_is_none(client, call, args):
    assert getattr(client, call)(*args) is None


# -- the cache -----------------------------------------------------------------------------------


def test_genres_are_cached_in_the_store(client, store):
    client.find_track("Fred again..", "Delilah (pull me out of this)")
    rows = {r["artist"]: r for r in store.db["genre_cache"].rows}
    assert set(rows) == {"Fred again..", "Delilah Montagu"}
    assert rows["Delilah Montagu"]["genres"] == "[]"  # empty genres are cached too: no asking again
    assert {r["source"] for r in rows.values()} == {SOURCE}
    assert store.cached_genres(normalise_name("Fred again.."))["genres"] == list(genres_of("Fred again.."))


def test_a_cache_hit_asks_spotify_nothing_until_it_expires(client, standin, clock):
    first = client.artist_genres("M83", "Midnight City")
    standin.reset()
    clock.now += timedelta(days=29)
    cached = client.artist_genres("m83")
    assert standin.requests == []
    assert (cached.artist, cached.genres, cached.spotify_id) == ("M83", first.genres, None)

    clock.now += timedelta(days=2)  # past cache_days = 30
    refreshed = client.artist_genres("M83")
    assert refreshed.spotify_id == standin.artist_id("M83")
    assert len(standin.requests_to("/v1/artists/*")) == 1


def test_a_second_track_lookup_searches_but_reads_no_artist_again(client, standin):
    client.find_track("KAYTRANADA", "10%")
    client.find_track("KAYTRANADA", "10%")
    assert len(standin.requests_to("/v1/search")) == 2
    assert len(standin.requests_to("/v1/artists/*")) == 2  # KAYTRANADA and Kali Uchis, once each


# -- failures ------------------------------------------------------------------------------------


def test_rate_limit_then_success_waits_as_told(client, standin, sleeps):
    standin.inject("/v1/search", Fault.rate_limit(retry_after=2))
    assert client.find_track("M83", "Midnight City") is not None
    assert sleeps == [2.0]
    assert len(standin.requests_to("/v1/search")) == 2


def test_rate_limit_wait_is_real(make_client, standin):
    standin.inject("/v1/artists/*", Fault.rate_limit(retry_after=1))
    started = time.monotonic()
    assert make_client(real_sleep=True).artist_genres("Bon Iver", "Holocene") is not None
    assert 1.0 <= time.monotonic() - started < 3.0


def test_a_long_retry_after_fails_at_once(client, standin, sleeps):
    standin.inject("/v1/search", Fault.rate_limit(retry_after=3600))
    with pytest.raises(ServiceError, match=r"Spotify is rate limiting; retry in 3600 s"):
        client.find_track("M83", "Midnight City")
    assert sleeps == []
    assert len(standin.requests_to("/v1/search")) == 1


def test_rate_limit_until_retries_run_out(make_client, standin, sleeps):
    standin.inject("/v1/search", *[Fault.rate_limit(retry_after=1)] * 3)
    with pytest.raises(ServiceError, match=r"rate limiting; retry in 1 s"):
        make_client(retries=2).find_track("M83", "Midnight City")
    assert sleeps == [1.0, 1.0]


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_until_failure(client, standin, sleeps, status):
    standin.inject("/v1/search", *[Fault.server_error(status)] * 4)
    with pytest.raises(ServiceError, match=rf"HTTP {status} 4 times in a row .*try again later"):
        client.find_track("M83", "Midnight City")
    assert sleeps == [0.5, 1.0, 2.0]  # exponential backoff over retries = 3


def test_server_errors_then_success(client, standin, sleeps):
    standin.inject("/v1/artists/*", Fault.server_error(503), Fault.server_error(502))
    found = client.artist_genres("Caribou", "Can't Do Without You")
    assert found.genres == genres_of("Caribou")
    assert sleeps == [0.5, 1.0]


@pytest.mark.parametrize("path", ["/v1/search", "/v1/artists/*", "/api/token"])
def test_a_slow_answer_times_out_within_the_configured_bound(make_client, standin, path):
    standin.inject(path, Fault.slow(5))
    started = time.monotonic()
    with pytest.raises(ServiceError, match=r"Spotify did not answer within 0.3 s"):
        make_client(read_timeout=0.3).find_track("Beach House", "Space Song")
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize(
    ("path", "fault", "message"),
    [
        ("/v1/search", Fault.malformed_json(), "the body is not JSON"),
        ("/v1/search", Fault.wrong_shape(), "no tracks.items list"),
        ("/v1/search", Fault.wrong_shape({"tracks": {"items": [{"id": 7, "name": "x"}]}}), "a track without"),
        ("/v1/artists/*", Fault.malformed_json(), "the body is not JSON"),
        ("/v1/artists/*", Fault.wrong_shape({"name": "M83"}), "no genres list"),
        ("/v1/artists/*", Fault.wrong_shape({"genres": "house"}), "no genres list"),
        ("/api/token", Fault.malformed_json(), "not a token"),
        ("/api/token", Fault.wrong_shape({"access_token": "abc"}), "not a token"),
        ("/api/token", Fault.server_error(503), "token endpoint failed"),
    ],
)
def test_unreadable_answers_are_service_errors(client, standin, path, fault, message):
    standin.inject(path, fault)
    with pytest.raises(ServiceError, match=message):
        client.find_track("M83", "Midnight City")


def test_bad_credentials_name_the_variables(make_client):
    with pytest.raises(ConfigError, match=r"invalid_client.*SPOTIPY_CLIENT_ID and SPOTIPY_CLIENT_SECRET"):
        make_client(secret="not-the-secret").find_track("M83", "Midnight City")


def test_an_unreachable_spotify_is_a_service_error(make_client):
    gone = SpotifyStandIn(DECOYS).start()
    client = make_client(on=gone)
    gone.stop()
    with pytest.raises(ServiceError, match="cannot reach Spotify"):
        client.find_track("M83", "Midnight City")


# -- configuration -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "outcome"),
    [({}, None), ({"SPOTIPY_CLIENT_ID": "id", "SPOTIPY_CLIENT_SECRET": "secret"}, SpotifyGenres),
     ({"SPOTIPY_CLIENT_ID": "id"}, "SPOTIPY_CLIENT_SECRET is not set"),
     ({"SPOTIPY_CLIENT_SECRET": "secret", "SPOTIPY_CLIENT_ID": "  "}, "SPOTIPY_CLIENT_ID is not set")],
)
def test_from_environment(monkeypatch, store, variables, outcome):
    for name in ("SPOTIPY_CLIENT_ID", "SPOTIPY_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    if isinstance(outcome, str):
        with pytest.raises(ConfigError, match=outcome):
            SpotifyGenres.from_environment(SpotifyConfig(), store)
    elif outcome is None:
        assert SpotifyGenres.from_environment(SpotifyConfig(), store) is None
    else:
        assert isinstance(SpotifyGenres.from_environment(SpotifyConfig(), store), outcome)


# -- the stand-in itself -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "status", "message"),
    [
        ("artists", {"ids": "x"}, 410, "removed in February 2026"),
        ("artists/0000000000000000000000", {}, 404, "Resource not found"),
        ("artists/not-an-id", {}, 400, "Invalid base62 id"),
        ("search", {"q": "artist:M83", "type": "track", "limit": 11}, 400, "Invalid limit"),
        ("search", {"type": "track"}, 400, "No search query"),
        ("browse/new-releases", {}, 404, "Service not found"),
    ],
)
def test_standin_errors_are_shaped_like_spotifys(standin, path, params, status, message):
    answer = requests.get(standin.base_url + path, params=params, headers=bearer(standin), timeout=5)
    assert answer.status_code == status
    assert answer.json()["error"]["status"] == status
    assert message in answer.json()["error"]["message"]


@pytest.mark.parametrize(
    ("auth", "data", "error"),
    [(("standin-client-id", "wrong"), {"grant_type": "client_credentials"}, "invalid_client"),
     (None, {"grant_type": "client_credentials"}, "invalid_client"),
     (("standin-client-id", "standin-client-secret"), {"grant_type": "password"}, "unsupported_grant_type")],
)
def test_standin_token_endpoint_rejects(standin, auth, data, error):
    answer = requests.post(standin.token_url, data=data, auth=auth, timeout=5)
    assert (answer.status_code, answer.json()["error"]) == (400, error)


def test_standin_needs_a_token_it_issued(standin):
    for headers, message in [({}, "No token provided"), ({"Authorization": "Bearer forged"}, "Invalid access token")]:
        answer = requests.get(standin.base_url + "search", params={"q": "M83", "type": "track"}, headers=headers,
                              timeout=5)
        assert (answer.status_code, answer.json()["error"]["message"]) == (401, message)


def test_standin_search_pages_like_spotify(standin):
    answer = requests.get(standin.base_url + "search", params={"q": "artist:Kendrick Lamar", "type": "track",
                          "limit": 1, "offset": 0}, headers=bearer(standin), timeout=5)
    page = answer.json()["tracks"]
    assert (page["total"], page["limit"], page["offset"], page["previous"]) == (2, 1, 0, None)
    assert "offset=1" in page["next"]
    item = page["items"][0]
    assert item["name"] == "HUMBLE."  # the more popular of the two
    assert item["uri"] == f"spotify:track:{item['id']}" and item["album"]["name"] == "DAMN."
    assert item["artists"][0]["id"] == standin.artist_id("Kendrick Lamar")
