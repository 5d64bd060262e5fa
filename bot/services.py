"""What the Slack handlers share: settings, the store, the loaded generator and genre resolver, the curators, and
a bounded pool that writes candidates off Bolt's threads (a handler acks at once and hands the slow work here)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.curators import Curators
from deephype.config import Settings
from deephype.errors import DeephypeError, ServiceError
from deephype.store import Store

if TYPE_CHECKING:  # torch loads with these; the bot imports them when it starts, the CLI's --help never does
    from deephype.generate import Generator
    from deephype.hype import HypeResult
    from deephype.song_genres import GenreResolver

log = logging.getLogger(__name__)


class Busy(ServiceError):
    """Every worker is writing and the queue behind them is full."""


class WorkPool:
    """A thread pool that refuses work beyond `workers + queue_size` jobs instead of queueing without end, and
    runs at most one job per `key` at a time (two Regenerate clicks on one song write once)."""

    def __init__(self, workers: int, queue_size: int, name: str = "deephype-writer") -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._free = workers + queue_size
        self._keys: set[str] = set()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._jobs = 0

    def submit(self, job: Callable[[], Any], key: str | None = None) -> bool:
        """Queue `job`; False when a job with the same key is still waiting or running. Raises Busy when full."""
        with self._lock:
            if key is not None and key in self._keys:
                return False
            if self._jobs >= self._free:
                raise Busy("I'm busy writing about other songs right now; try again in a minute.")
            self._jobs += 1
            if key is not None:
                self._keys.add(key)
        self._executor.submit(self._run, job, key)
        return True

    def _run(self, job: Callable[[], Any], key: str | None) -> None:
        try:
            job()
        except Exception:  # a job reports its own errors to the person; anything left is a bug to see in the log
            log.exception("a background job failed")
        finally:
            with self._lock:
                self._jobs -= 1
                self._keys.discard(key)
                self._idle.notify_all()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no job is waiting or running; False on timeout."""
        with self._lock:
            return self._idle.wait_for(lambda: self._jobs == 0, timeout)

    def shutdown(self, wait: bool = True) -> None:
        """Finish the running jobs (and, with `wait`, the queued ones) and stop the threads."""
        self._executor.shutdown(wait=wait, cancel_futures=not wait)


@dataclass
class Services:
    settings: Settings
    store: Store
    generator: Generator
    resolver: GenreResolver
    curators: Curators
    pool: WorkPool

    @classmethod
    def load(cls, settings: Settings, store: Store | None = None) -> Services:
        """Open the store, load the model bundle and the genre chain (Spotify when its variables are set)."""
        from deephype.generate import Generator
        from deephype.song_genres import GenreResolver
        from deephype.spotify import SpotifyGenres

        store = store or Store.open(settings.path("state_db"))
        generator = Generator.load(settings)
        resolver = GenreResolver(settings, store, SpotifyGenres.from_environment(settings.spotify, store))
        return cls(settings, store, generator, resolver, Curators.from_config(settings.bot),
                   WorkPool(settings.bot.workers, settings.bot.queue_size))

    def write(self, argument: str, genres_override: Sequence[str] | None = None) -> HypeResult:
        """Candidates for the song named in `argument`, as many as `generation.candidates` asks for."""
        from deephype.hype import hype

        genres = list(genres_override) if genres_override is not None else None
        return hype(argument, self.generator, self.resolver, self.settings.generation.candidates, genres)

    def write_many(self, arguments: Sequence[str]) -> list[HypeResult | DeephypeError]:
        """`write` for several arguments with one batched generation (the timeline scan's songs); an argument
        that names no song is its own error, the others are still written."""
        from deephype.hype import hype_many

        return hype_many(arguments, self.generator, self.resolver, self.settings.generation.candidates)

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        if self.resolver is not None and self.resolver.spotify is not None:
            self.resolver.spotify.close()
        self.store.close()
