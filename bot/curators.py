"""Who may decide: the Slack user IDs in config, plus the members of a configured user group (asked of Slack
through usergroups.users.list and trusted for a while)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from slack_sdk import WebClient

from bot.slack_failures import SLACK_FAILURES, reason
from deephype.config import BotConfig

log = logging.getLogger(__name__)


class Curators:
    """`allows(user, client)` is True for a curator. Thread-safe: Bolt calls handlers from several threads."""

    def __init__(self, user_ids: Iterable[str] = (), usergroup: str = "", cache_seconds: float = 300,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.user_ids = frozenset(user_ids)
        self.usergroup = usergroup
        self.cache_seconds = cache_seconds
        self.clock = clock
        self._members: frozenset[str] = frozenset()
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config: BotConfig) -> Curators:
        return cls(config.curators, config.curator_usergroup, config.curator_cache_seconds)

    @property
    def configured(self) -> bool:
        """False when nobody at all could decide: worth a warning at start-up."""
        return bool(self.user_ids or self.usergroup)

    def allows(self, user_id: str, client: WebClient | None) -> bool:
        if user_id in self.user_ids:
            return True
        if not self.usergroup or client is None:
            return False
        return user_id in self.group_members(client)

    def group_members(self, client: WebClient) -> frozenset[str]:
        """The user group's members, asked of Slack at most once per `cache_seconds`. When Slack cannot answer,
        the last known members stay in force (none before the first answer): a curator is never let in by an
        error, and a Slack hiccup does not lock the curators out."""
        with self._lock:
            now = self.clock()
            if self._fetched_at is not None and now - self._fetched_at < self.cache_seconds:
                return self._members
            try:
                users = client.usergroups_users_list(usergroup=self.usergroup)["users"]
            except SLACK_FAILURES as error:
                log.warning("could not read the members of user group %s (%s); using the %d known ones",
                            self.usergroup, reason(error), len(self._members))
                return self._members
            self._members, self._fetched_at = frozenset(users), now
            return self._members
