"""What can go wrong talking to X, as exceptions a caller can act on, and the one place where tweepy's and
requests' errors become them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import requests
import tweepy
from urllib3.exceptions import ConnectTimeoutError

from deephype.errors import ServiceError

CREDENTIALS_HINT = "check X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and X_ACCESS_TOKEN_SECRET"
UNKNOWN_HINT = "; the tweet may have been created: check the account before posting it again"


class XError(ServiceError):
    """Base class. `outcome_unknown` is True when a post may have been created without us hearing so:
    a caller must never blindly retry such a post."""

    def __init__(self, message: str, *, outcome_unknown: bool = False) -> None:
        super().__init__(message + (UNKNOWN_HINT if outcome_unknown else ""))
        self.outcome_unknown = outcome_unknown


class DuplicatePost(XError):
    """X refused a post because the account already posted the same text (403 "duplicate content")."""


class RateLimited(XError):
    """429: try again after `reset_at` (UTC; None when X did not say)."""

    def __init__(self, message: str, *, reset_at: datetime | None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class XUnavailable(XError):
    """X answered 5xx, did not answer in time, or could not be reached. `status` is the 5xx code, if any."""

    def __init__(self, message: str, *, status: int | None = None, outcome_unknown: bool = False) -> None:
        super().__init__(message, outcome_unknown=outcome_unknown)
        self.status = status


class XAuthError(XError):
    """401, or a 403 other than a duplicate: wrong keys, a read-only app, or a token for another account."""


class XRejected(XError):
    """X refused the request itself (400, 404, ...): retrying the same request will not help."""


class XResponseError(XError):
    """X answered with a body that is not JSON or not the shape of its documented response."""


class UnexpectedShape(Exception):
    """Raised by response parsers; `translated` turns it into XResponseError."""


@contextmanager
def translated(action: str, *, posting: bool) -> Iterator[None]:
    """Turn errors raised while `action` into XError subclasses. When `posting`, anything after the request may
    have reached X is marked outcome_unknown."""
    try:
        yield
    except tweepy.HTTPException as error:
        raise from_http_error(error, action, posting=posting) from error
    except requests.exceptions.ConnectTimeout as error:
        raise XUnavailable(f"cannot connect to X while {action}: connection timed out") from error
    except requests.exceptions.Timeout as error:
        raise XUnavailable(f"X did not answer in time while {action} ({root_cause(error)})",
                           outcome_unknown=posting) from error
    except requests.exceptions.ConnectionError as error:
        reached = request_may_have_reached_x(error)
        where = "the connection to X broke" if reached else "cannot connect to X"
        raise XUnavailable(f"{where} while {action} ({root_cause(error)})",
                           outcome_unknown=posting and reached) from error
    except requests.exceptions.JSONDecodeError as error:
        raise XResponseError(f"X sent a response that is not JSON while {action} ({error})",
                             outcome_unknown=posting) from error
    except requests.exceptions.RequestException as error:
        raise XUnavailable(f"talking to X failed while {action} ({error})", outcome_unknown=posting) from error
    except UnexpectedShape as error:
        raise XResponseError(f"X sent a response of an unexpected shape while {action}: {error}",
                             outcome_unknown=posting) from error


def from_http_error(error: tweepy.HTTPException, action: str, *, posting: bool) -> XError:
    response = error.response
    status = response.status_code
    detail = "; ".join(str(m) for m in error.api_messages) or f"{status} {response.reason}"
    if isinstance(error, tweepy.TooManyRequests):
        return rate_limited(error, action)
    if status == 403 and "duplicate content" in detail.lower():
        return DuplicatePost(f"X refused the post as duplicate content: the account already posted this text "
                             f"({detail})")
    if status == 401:
        return XAuthError(f"X rejected the credentials while {action} ({detail}): {CREDENTIALS_HINT}")
    if status == 403:
        return XAuthError(f"X forbade {action} ({detail}): the app needs Read and Write permission and the access "
                          f"token must belong to the bot's account; {CREDENTIALS_HINT}")
    if status >= 500:
        return XUnavailable(f"X is unavailable while {action} ({status} {response.reason})", status=status,
                            outcome_unknown=posting)
    return XRejected(f"X refused the request while {action} ({status}: {detail})")


def rate_limited(error: tweepy.TooManyRequests, action: str) -> RateLimited:
    reset_at = datetime.fromtimestamp(error.reset_time, UTC) if error.reset_time else None
    when = f"it resets at {reset_at:%Y-%m-%d %H:%M:%S} UTC" if reset_at else "X did not say when it resets"
    return RateLimited(f"X rate limit reached while {action}; {when}", reset_at=reset_at)


def request_may_have_reached_x(error: requests.exceptions.ConnectionError) -> bool:
    """False only when no connection was made (refused, name not resolved): then X never saw the request."""
    cause = error.args[0] if error.args else None
    return not isinstance(getattr(cause, "reason", cause), ConnectTimeoutError)


def root_cause(error: BaseException) -> str:
    """The innermost reason, e.g. "[Errno 111] Connection refused", without urllib3's pool and URL prefix."""
    cause: BaseException = error
    while True:
        inner = getattr(cause, "reason", None)
        if not isinstance(inner, BaseException):
            inner = next((a for a in cause.args if isinstance(a, BaseException)), None)
        if inner is None:
            return str(cause).split("): ", 1)[-1] or type(cause).__name__
        cause = inner
