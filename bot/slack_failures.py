"""What a Slack Web API call can raise, and how to say it: Slack's refusal (SlackApiError), or no usable answer at
all (a timeout, a refused or cut connection, a body that is not JSON)."""

from __future__ import annotations

from http.client import HTTPException

from slack_sdk.errors import SlackApiError

# A timeout or refused connection is an OSError (URLError, TimeoutError), a cut-off JSON body a ValueError
# (JSONDecodeError), a half-read answer an HTTPException (IncompleteRead); slack_sdk lets all of them through.
NO_ANSWER = (OSError, ValueError, HTTPException)
SLACK_FAILURES = (SlackApiError, *NO_ANSWER)


def reason(error: BaseException) -> str:
    """Slack's error code, or what went wrong on the way there, in a few words."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error"))
    if isinstance(error, TimeoutError) or "timed out" in str(error):
        return "no answer in time"
    if isinstance(error, ValueError):
        return "an answer that was not valid JSON"
    return f"could not connect: {error}"
