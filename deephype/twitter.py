"""The X client: a thin layer over tweepy's v2 Client for the three things the bot does on X: know who it is,
read its home timeline since a cursor, and post.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests
import tweepy

from deephype.config import POST_MODES, XConfig, secret
from deephype.errors import ConfigError
from deephype.twitter_errors import UnexpectedShape, XResponseError, XUnavailable, translated

CREDENTIAL_VARIABLES = ("X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET")
TWEEPY_HOST = "https://api.twitter.com"  # tweepy builds every v2 URL on this host
TIMELINE_DEPTH = 3200  # X serves at most the last 3,200 tweets of a timeline: paging deeper means a broken server
WEB_BASE = "https://x.com"

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class XCredentials:
    """OAuth 1.0a user context of the bot's account: the app's consumer key pair and the account's access token."""

    api_key: str
    api_secret: str = field(repr=False)
    access_token: str = field(repr=False)
    access_token_secret: str = field(repr=False)

    @classmethod
    def from_environment(cls) -> XCredentials:
        purpose = "OAuth 1.0a keys of the bot's X account, from the app's Keys and tokens page"
        return cls(*(secret(name, purpose) for name in CREDENTIAL_VARIABLES))


@dataclass(frozen=True)
class Tweet:
    id: str
    text: str
    author_id: str
    author_username: str | None
    created_at: str | None  # X's ISO 8601 UTC form, e.g. 2024-05-01T12:00:00.000Z
    url: str


class RedirectedSession(requests.Session):
    """Sends tweepy's requests to `api_base` with the configured timeouts. The host is rewritten before the
    request is prepared, so the OAuth 1.0a signature covers the host actually contacted."""

    def __init__(self, config: XConfig) -> None:
        super().__init__()
        self.api_base = config.api_base.rstrip("/")
        self.timeout = (config.connect_timeout, config.read_timeout)

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)  # tweepy passes none: without one a stalled read blocks forever
        return super().request(method, url, *args, **kwargs)

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        if isinstance(request.url, str) and request.url.startswith(TWEEPY_HOST + "/"):
            request.url = self.api_base + request.url[len(TWEEPY_HOST):]
        return super().prepare_request(request)


class XClient:
    """Reads are retried with backoff on 5xx, timeouts and broken connections; posts are never retried here."""

    def __init__(self, config: XConfig, credentials: XCredentials) -> None:
        self.config = config
        self._client = tweepy.Client(
            consumer_key=credentials.api_key, consumer_secret=credentials.api_secret,
            access_token=credentials.access_token, access_token_secret=credentials.access_token_secret,
            return_type=dict,  # we check the shape ourselves and raise XResponseError, not a TypeError
        )
        self._client.session = RedirectedSession(config)
        self._me: tuple[str, str] | None = None

    @classmethod
    def from_environment(cls, config: XConfig) -> XClient:
        """A client from the four X variables; a ConfigError names the first one missing."""
        return cls(config, XCredentials.from_environment())

    def me(self) -> tuple[str, str]:
        """(user id, username) of the bot's account; asked once per client."""
        if self._me is None:
            self._me = self._call("reading the bot's own account", lambda: self._client.get_me(user_auth=True),
                                  parse_me)
        return self._me

    def home_timeline(self, since_id: str | None, max_tweets: int) -> list[Tweet]:
        """Tweets on the home timeline newer than `since_id`, oldest first, at most `max_tweets`.

        The cursor rule: with a `since_id`, this returns the *oldest* `max_tweets` tweets after it, so a caller
        that processes them in order and advances its cursor to the last one skips nothing: the rest come on the
        next call. X pages newest first, so this reads every page back to `since_id`. Without a cursor (a first
        scan) it returns the newest `max_tweets`: the bot starts from now, not from the timeline's history.
        """
        if max_tweets < 1:
            return []
        since_id = since_id or None  # an empty stored cursor means no cursor
        found: dict[str, Tweet] = {}
        token: str | None = None
        for _ in range(TIMELINE_DEPTH // self.config.timeline_page_size + 2):
            wanted = self.config.timeline_page_size if since_id else max_tweets - len(found)
            page, token = self._timeline_page(since_id, token, min(wanted, self.config.timeline_page_size))
            found.update((t.id, t) for t in page)
            if token is None or since_id is None and len(found) >= max_tweets:
                break
        else:
            raise XResponseError(f"X kept paginating the home timeline past {TIMELINE_DEPTH} tweets")
        tweets = sorted(found.values(), key=lambda t: int(t.id))
        if since_id is not None:
            tweets = [t for t in tweets if int(t.id) > int(since_id)]  # X guarantees it; the cursor depends on it
            return tweets[:max_tweets]
        return tweets[-max_tweets:]

    def post(self, text: str, source_tweet_id: str | None, mode: str) -> str:
        """Post `text` and return the new tweet's id. `mode` (quote, reply or standalone) says how the post
        relates to `source_tweet_id`; without a source tweet the post is standalone whatever the mode.

        Never retried: on XUnavailable or XResponseError with `outcome_unknown`, the tweet may exist.
        """
        arguments = post_arguments(text, source_tweet_id, mode)
        tweet_id = self._call("posting a tweet", lambda: self._client.create_tweet(user_auth=True, **arguments),
                              parse_created, posting=True)
        log.info("posted tweet %s (%s)", tweet_id, mode if len(arguments) > 1 else "standalone")
        return tweet_id

    def _timeline_page(self, since_id: str | None, token: str | None, max_results: int) -> tuple[list[Tweet],
                                                                                                  str | None]:
        def request() -> Any:
            return self._client.get_home_timeline(
                user_auth=True, since_id=since_id, max_results=max_results, pagination_token=token,
                expansions=["author_id"], tweet_fields=["created_at", "author_id"],
            )

        return self._call("reading the home timeline", request, parse_timeline_page)

    def _call(self, action: str, request: Callable[[], Any], parse: Callable[[Any], T], *,
              posting: bool = False) -> T:
        attempts = 1 if posting else 1 + self.config.max_retries
        for attempt in range(1, attempts):
            try:
                with translated(action, posting=posting):
                    return parse(request())
            except XUnavailable as error:
                delay = self.config.retry_backoff * 2 ** (attempt - 1)
                log.warning("%s; retrying in %.1f s (attempt %d of %d)", error, delay, attempt + 1, attempts)
                time.sleep(delay)
        try:
            with translated(action, posting=posting):
                return parse(request())
        except XUnavailable as error:
            if attempts == 1:
                raise
            raise XUnavailable(f"{error} (gave up after {attempts} attempts)", status=error.status) from error


def post_arguments(text: str, source_tweet_id: str | None, mode: str) -> dict[str, str]:
    """tweepy create_tweet arguments for a post in `mode`."""
    if mode not in POST_MODES:
        raise ConfigError(f"post mode must be one of {', '.join(POST_MODES)}, got {mode!r}")
    if source_tweet_id is None or mode == "standalone":
        return {"text": text}
    return {"text": text, ("quote_tweet_id" if mode == "quote" else "in_reply_to_tweet_id"): source_tweet_id}


def expect(condition: bool, problem: str) -> None:
    if not condition:
        raise UnexpectedShape(problem)


def is_id(value: Any) -> bool:
    return isinstance(value, str) and value.isdigit()


def parse_me(payload: Any) -> tuple[str, str]:
    data = payload.get("data") if isinstance(payload, dict) else None
    expect(isinstance(data, dict), "`data` is not a user object")
    expect(is_id(data.get("id")) and isinstance(data.get("username"), str), "the user has no id or username")
    return data["id"], data["username"]


def parse_created(payload: Any) -> str:
    data = payload.get("data") if isinstance(payload, dict) else None
    expect(isinstance(data, dict) and is_id(data.get("id")), "the created tweet has no id")
    return data["id"]


def parse_timeline_page(payload: Any) -> tuple[list[Tweet], str | None]:
    """The tweets of one page, with author usernames from `includes.users`, and the next page's token."""
    expect(isinstance(payload, dict), "the timeline is not a JSON object")
    data, includes, meta = payload.get("data", []), payload.get("includes", {}), payload.get("meta", {})
    expect(isinstance(data, list), "`data` is not a list of tweets")
    expect(isinstance(includes, dict) and isinstance(includes.get("users", []), list), "`includes.users` is not a list")
    expect(isinstance(meta, dict), "`meta` is not an object")
    token = meta.get("next_token")
    expect(token is None or isinstance(token, str) and token != "", "`meta.next_token` is not a string")
    usernames = {u.get("id"): u.get("username") for u in includes.get("users", []) if isinstance(u, dict)}
    return [parse_tweet(item, usernames) for item in data], token


def parse_tweet(item: Any, usernames: dict[Any, Any]) -> Tweet:
    expect(isinstance(item, dict), "a tweet is not an object")
    tweet_id, text, author_id = item.get("id"), item.get("text"), item.get("author_id")
    expect(is_id(tweet_id) and isinstance(text, str) and is_id(author_id), "a tweet lacks id, text or author_id")
    username = usernames.get(author_id)
    username = username if isinstance(username, str) else None
    created = item.get("created_at") if isinstance(item.get("created_at"), str) else None
    url = f"{WEB_BASE}/{username}/status/{tweet_id}" if username else f"{WEB_BASE}/i/web/status/{tweet_id}"
    return Tweet(tweet_id, text, author_id, username, created, url)
