"""The X client, real tweepy against the local X stand-in: timeline cursor and pagination, posting, every error."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import UTC, datetime
from urllib.parse import quote, unquote, urlsplit

import pytest
import requests
from oauthlib.oauth1.rfc5849 import signature
from requests_oauthlib import OAuth1

from deephype.errors import ConfigError
from deephype.standins.x import ME, OAUTH_PARAM, TIMELINE, TWEETS, Fault, XStandIn
from deephype.twitter import CREDENTIAL_VARIABLES, XClient, XConfig
from deephype.twitter_errors import (
    DuplicatePost,
    RateLimited,
    XAuthError,
    XRejected,
    XResponseError,
    XUnavailable,
)

READ_TIMEOUT = 0.25


@pytest.fixture
def standin():
    with XStandIn() as server:
        yield server


@pytest.fixture
def make_client(standin, monkeypatch):
    """XClient.from_environment against the stand-in, with the stand-in's four X variables set."""
    for name, value in standin.environment().items():
        monkeypatch.setenv(name, value)

    def make(**overrides) -> XClient:
        settings = {"api_base": standin.base_url, "read_timeout": READ_TIMEOUT, "retry_backoff": 0.01, **overrides}
        return XClient.from_environment(XConfig(**settings))

    return make


def add_tweets(standin: XStandIn, count: int) -> list[str]:
    return [standin.add_tweet(f"song of the day number {i}", f"feed{i % 4}") for i in range(count)]


def test_me_is_the_accounts_id_and_username_asked_once(standin, make_client):
    client = make_client()
    assert client.me() == (standin.user_id, "deephype")
    assert client.me() == (standin.user_id, "deephype")
    assert len(standin.requests_to(ME)) == 1


def test_first_scan_without_cursor_returns_the_newest_oldest_first(standin, make_client):
    ids = add_tweets(standin, 250)
    tweets = make_client().home_timeline(since_id=None, max_tweets=200)
    assert [t.id for t in tweets] == ids[50:]
    assert [r.query["max_results"] for r in standin.requests_to(TIMELINE)] == ["100", "100"]


def test_with_a_cursor_the_oldest_come_first_and_nothing_is_skipped(standin, make_client):
    cursor = standin.add_tweet("already processed", "feed0")
    ids = add_tweets(standin, 250)
    client = make_client()
    first = client.home_timeline(since_id=cursor, max_tweets=200)
    assert [t.id for t in first] == ids[:200]  # the oldest 200: advancing the cursor to the last skips nothing
    pages = standin.requests_to(TIMELINE)
    assert len(pages) == 3 and all(r.query["since_id"] == cursor for r in pages)
    assert "pagination_token" not in pages[0].query and all("pagination_token" in r.query for r in pages[1:])
    second = client.home_timeline(since_id=first[-1].id, max_tweets=200)
    assert [t.id for t in second] == ids[200:]
    assert client.home_timeline(since_id=second[-1].id, max_tweets=200) == []


def test_timeline_tweets_carry_author_username_time_and_link(standin, make_client):
    tweet_id = standin.add_tweet("M83 - Midnight City still sounds like the future", "synthfeed")
    [tweet] = make_client().home_timeline(since_id=None, max_tweets=10)
    assert (tweet.id, tweet.author_username) == (tweet_id, "synthfeed")
    assert tweet.text == "M83 - Midnight City still sounds like the future"
    assert tweet.url == f"https://x.com/synthfeed/status/{tweet_id}"
    assert datetime.strptime(tweet.created_at, "%Y-%m-%dT%H:%M:%S.%fZ").year >= 2024


def test_timeline_page_has_the_real_v2_shape(standin):
    add_tweets(standin, 3)
    env = standin.environment()
    auth = OAuth1(env["X_API_KEY"], env["X_API_SECRET"], env["X_ACCESS_TOKEN"], env["X_ACCESS_TOKEN_SECRET"])
    url = f"{standin.base_url}/2/users/{standin.user_id}/timelines/reverse_chronological"
    body = requests.get(url, params={"max_results": 2, "expansions": "author_id"}, auth=auth, timeout=5).json()
    assert set(body) == {"data", "includes", "meta"}
    assert set(body["data"][0]) == {"id", "text", "edit_history_tweet_ids"}  # fields beyond these only on request
    assert {u["username"] for u in body["includes"]["users"]} == {"feed1", "feed2"}
    assert set(body["meta"]) == {"result_count", "newest_id", "oldest_id", "next_token"}
    assert body["meta"]["result_count"] == 2 and int(body["meta"]["newest_id"]) > int(body["meta"]["oldest_id"])
    assert requests.get(url, timeout=5).status_code == 401  # no OAuth header


def hmac_sha1_signature(method: str, url: str, header: str, consumer_secret: str, token_secret: str) -> str:
    """The OAuth 1.0a signature (RFC 5849, 3.4) a server at `url` would expect for this request."""
    params = signature.collect_parameters(headers={"Authorization": header}, uri_query=urlsplit(url).query)
    base = signature.signature_base_string(method, signature.base_string_uri(url),
                                           signature.normalize_parameters(params))
    key = f"{quote(consumer_secret, safe='')}&{quote(token_secret, safe='')}"
    return base64.b64encode(hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()).decode()


def test_the_oauth_signature_covers_the_host_actually_contacted(standin, make_client):
    make_client().me()
    [received] = standin.requests_to(ME)
    header, env = received.headers["Authorization"], standin.environment()
    secrets = env["X_API_SECRET"], env["X_ACCESS_TOKEN_SECRET"]
    sent = unquote(dict(OAUTH_PARAM.findall(header))["oauth_signature"])
    assert sent == hmac_sha1_signature("GET", standin.base_url + received.path, header, *secrets)
    assert sent != hmac_sha1_signature("GET", "https://api.twitter.com" + received.path, header, *secrets)


@pytest.mark.parametrize(("mode", "with_source", "quote_of", "reply_to"), [
    ("quote", True, "source", None),
    ("reply", True, None, "source"),
    ("standalone", True, None, None),
    ("quote", False, None, None),  # a /hype candidate has no source tweet: standalone whatever the mode
])
def test_post_modes_reach_x_as_quote_reply_or_standalone(standin, make_client, mode, with_source, quote_of,
                                                         reply_to):
    source = standin.add_tweet("Phoenix - 1901 live is a riot", "indiefeed")
    client = make_client()
    text = f"a {mode} about 1901, all fizz and sunlight"
    tweet_id = client.post(text, source if with_source else None, mode)
    expected = {"quote_tweet_id": source if quote_of else None, "in_reply_to_tweet_id": source if reply_to else None}
    assert standin.posted == [{"id": tweet_id, "text": text, **expected}]
    own = [t for t in client.home_timeline(since_id=source, max_tweets=10)]
    assert [(t.id, t.author_id) for t in own] == [(tweet_id, standin.user_id)]  # the scan sees the bot's own posts


def test_the_same_text_twice_is_a_duplicate_post(standin, make_client):
    client = make_client()
    client.post("Bon Iver's Holocene, a cathedral of frost", None, "standalone")
    with pytest.raises(DuplicatePost, match="duplicate content") as caught:
        client.post("Bon Iver's Holocene, a cathedral of frost", None, "standalone")
    assert not caught.value.outcome_unknown
    assert len(standin.posted) == 1


def test_rate_limit_carries_the_reset_time(standin, make_client):
    standin.inject(TIMELINE, Fault.rate_limit(reset_in=120))
    with pytest.raises(RateLimited, match="resets at") as caught:
        make_client().home_timeline(since_id=None, max_tweets=10)
    expected = datetime.now(UTC).timestamp() + 120
    assert caught.value.reset_at is not None and abs(caught.value.reset_at.timestamp() - expected) < 3
    assert len(standin.requests_to(TIMELINE)) == 1  # a 429 is for the caller to reschedule, not to retry here


def test_a_read_is_retried_through_server_errors(standin, make_client):
    tweet_id = standin.add_tweet("Tame Impala - Let It Happen", "psychfeed")
    standin.inject(TIMELINE, Fault.error(503), Fault.error(502))
    tweets = make_client(max_retries=3).home_timeline(since_id=None, max_tweets=10)
    assert [t.id for t in tweets] == [tweet_id]
    assert len(standin.requests_to(TIMELINE)) == 3


def test_a_read_gives_up_after_max_retries(standin, make_client):
    standin.inject(ME, *[Fault.error(503)] * 3)
    with pytest.raises(XUnavailable, match="after 3 attempts") as caught:
        make_client(max_retries=2).me()
    assert caught.value.status == 503 and not caught.value.outcome_unknown
    assert len(standin.requests_to(ME)) == 3


ERROR_CASES = [  # route, fault, the call, the error, whether a post may have been created anyway
    (TWEETS, Fault.error(503), "post", XUnavailable, True),
    (TWEETS, Fault.drop(), "post", XUnavailable, True),
    (TWEETS, Fault.malformed(), "post", XResponseError, True),
    (TWEETS, Fault.wrong_shape(), "post", XResponseError, True),
    (TWEETS, Fault.error(401), "post", XAuthError, False),
    (ME, Fault.malformed(), "me", XResponseError, False),
    (TIMELINE, Fault.wrong_shape(), "timeline", XResponseError, False),
    (ME, Fault.error(401), "me", XAuthError, False),
]


@pytest.mark.parametrize(("route", "fault", "call", "error", "outcome_unknown"), ERROR_CASES)
def test_faults_become_our_errors_and_posts_are_never_retried(standin, make_client, route, fault, call, error,
                                                               outcome_unknown):
    standin.inject(route, fault)
    client = make_client(max_retries=3)  # retries allowed, yet none of these may be retried
    calls = {"post": lambda: client.post("Beach House - Space Song, a slow-motion comet", None, "standalone"),
             "me": client.me, "timeline": lambda: client.home_timeline(since_id=None, max_tweets=5)}
    with pytest.raises(error) as caught:
        calls[call]()
    assert caught.value.outcome_unknown is outcome_unknown
    assert len(standin.requests_to(route)) == 1


def test_a_post_timing_out_is_outcome_unknown_within_the_read_timeout(standin, make_client):
    standin.inject(TWEETS, Fault.delay(1.0))
    started = time.monotonic()
    with pytest.raises(XUnavailable, match="may have been created") as caught:
        make_client().post("The xx - Intro, all space and heartbeat", None, "standalone")
    assert time.monotonic() - started < READ_TIMEOUT + 0.5
    assert caught.value.outcome_unknown
    deadline = time.monotonic() + 3
    while not standin.posted and time.monotonic() < deadline:  # X carried the post out after we stopped listening
        time.sleep(0.05)
    assert len(standin.posted) == 1 and len(standin.requests_to(TWEETS)) == 1


def test_a_read_timing_out_is_retried_then_unavailable_within_the_bound(standin, make_client):
    standin.inject(ME, Fault.delay(2.0), Fault.delay(2.0))
    started = time.monotonic()
    with pytest.raises(XUnavailable, match="did not answer in time"):
        make_client(max_retries=1).me()
    assert time.monotonic() - started < 2 * READ_TIMEOUT + 0.5


def test_connection_refused_means_the_post_never_reached_x(standin, make_client):
    client = make_client(max_retries=1)
    standin.stop()
    with pytest.raises(XUnavailable, match="cannot connect") as caught:
        client.post("Arcade Fire - Wake Up", None, "standalone")
    assert not caught.value.outcome_unknown
    with pytest.raises(XUnavailable, match="after 2 attempts"):
        client.me()


def test_a_token_for_another_account_is_an_auth_error(standin, make_client, monkeypatch):
    monkeypatch.setenv("X_ACCESS_TOKEN", "12345-someone-else")
    with pytest.raises(XAuthError, match="X_ACCESS_TOKEN"):
        make_client().home_timeline(since_id=None, max_tweets=5)


def test_quoting_a_tweet_that_does_not_exist_is_rejected(standin, make_client):
    with pytest.raises(XRejected, match="400"):
        make_client().post("a quote of nothing", "123456789", "quote")
    assert standin.posted == []


@pytest.mark.parametrize("missing", CREDENTIAL_VARIABLES)
def test_a_missing_variable_is_a_config_error_naming_it(standin, make_client, monkeypatch, missing):
    monkeypatch.delenv(missing)
    with pytest.raises(ConfigError, match=f"^{missing} is not set"):
        make_client()


@pytest.mark.parametrize(("settings", "key"), [
    ({"post_mode": "thread"}, "x.post_mode"),
    ({"timeline_page_size": 0}, "x.timeline_page_size"),
    ({"timeline_page_size": 101}, "x.timeline_page_size"),
    ({"read_timeout": 0.0}, "x.read_timeout"),
    ({"max_retries": -1}, "x.max_retries"),
])
def test_bad_settings_are_config_errors_naming_the_key(settings, key):
    with pytest.raises(ConfigError, match=key):
        XConfig(**settings)


def test_an_unknown_post_mode_is_a_config_error(make_client):
    with pytest.raises(ConfigError, match="quote, reply, standalone"):
        make_client().post("text", "1", "thread")
