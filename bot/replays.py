"""HTTP mode's guard against replayed requests. Bolt checks each request's signature and refuses timestamps more
than five minutes old, but accepts the same signed request any number of times inside that window: whoever
captures one (a logging proxy, a leaked access log) could repeat a /hype or a click. The signature covers the
timestamp and the body, so a second delivery of one signature is a replay; it gets an empty 200 and no action."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from slack_bolt import BoltRequest, BoltResponse

from deephype.store import Store

log = logging.getLogger(__name__)

WINDOW = timedelta(minutes=5)  # Bolt's signature window: an older request is refused before it gets here
PREFIX = "signed:"  # seen_events keys of signed requests, beside the "event:" keys of Events API ids


def first_delivery(store: Store, signature: str, now: datetime | None = None) -> bool:
    """Record a request's signature; False when it was recorded before. Signatures older than twice the window
    are dropped on the way, since a request that old is refused as stale anyway."""
    now = now or datetime.now(UTC)
    cutoff = (now - 2 * WINDOW).isoformat(timespec="seconds")
    with store.transaction() as db:
        db.execute("DELETE FROM seen_events WHERE substr(key, 1, ?) = ? AND at < ?", [len(PREFIX), PREFIX, cutoff])
        return db.execute("INSERT OR IGNORE INTO seen_events (key, at) VALUES (?, ?)",
                          [PREFIX + signature, now.isoformat(timespec="seconds")]).rowcount == 1


def refuse_replays(store: Store) -> Callable[..., BoltResponse | None]:
    """A global Bolt middleware (it runs after Bolt's signature check): a signature seen before is answered with
    an empty 200. Socket Mode requests carry no signature; Slack's own retries of an event are signed anew."""

    def middleware(req: BoltRequest, next: Callable[[], None]) -> BoltResponse | None:  # noqa: A002 (Bolt's name)
        signature = first_value(req.headers.get("x-slack-signature"))
        if req.mode == "socket_mode" or not signature or first_delivery(store, signature):
            next()
            return None
        log.warning("ignored a replayed request (a signature already seen, timestamp %s)",
                    first_value(req.headers.get("x-slack-request-timestamp")))
        return BoltResponse(status=200, body="")

    return middleware


def first_value(values: list[str] | str | None) -> str | None:
    """The first value of a header as BoltRequest holds them (a list per lower-cased name)."""
    if isinstance(values, list):
        return values[0] if values else None
    return values
