"""When approved posts go out: posting windows in a timezone, a daily maximum and a minimum spacing, as pure
functions of the clock and the posts already out or planned (deephype/posting.py does the posting).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from deephype.config import ScheduleConfig
from deephype.errors import ConfigError

DAY_MINUTES = 24 * 60
_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
MAX_STEPS = 10_000  # every step moves the slot forward; this many means the settings leave no slot at all


@dataclass(frozen=True)
class Window:
    """Minutes after local midnight, start inclusive, end exclusive; end 1440 is midnight at the day's end."""

    start: int
    end: int


def parse_windows(texts: Sequence[str], key: str = "schedule.posting_windows") -> tuple[Window, ...]:
    """"09:00-22:00" style windows as sorted, merged minute ranges of one day; "22:00-02:00" crosses midnight
    and becomes 22:00-24:00 plus 00:00-02:00."""
    ranges: list[tuple[int, int]] = []
    for text in texts:
        match = _WINDOW.match(text) if isinstance(text, str) else None
        if not match:
            raise ConfigError(f"config key '{key}' takes windows like \"09:00-22:00\", got {text!r}")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or h2 == 24 and m2:
            raise ConfigError(f"config key '{key}': {text!r} is not a time of day (00:00 to 24:00)")
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if start == end:
            raise ConfigError(f"config key '{key}': {text!r} is empty; use \"00:00-24:00\" for the whole day")
        ranges += [(start, end)] if start < end else [(start, DAY_MINUTES), (0, end)]
    if not ranges:
        raise ConfigError(f"config key '{key}' is empty: give at least one window, e.g. \"09:00-22:00\"")
    merged: list[list[int]] = []
    for start, end in sorted(r for r in ranges if r[0] < r[1]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(Window(s, e) for s, e in merged)


def whole_second(moment: datetime) -> datetime:
    """`moment` without its fraction of a second, so planned times survive the store's second precision (and a
    slot planned "now" is due now)."""
    return moment.replace(microsecond=0)


# The lowest value each numeric key of the schedule section makes sense with.
MINIMUMS = {"max_posts_per_day": 1, "min_spacing_minutes": 0, "scan_interval_seconds": 1, "timeline_max_tweets": 1,
            "posting_interval_seconds": 1, "post_retries": 0, "post_retry_seconds": 0, "pause_minutes": 1,
            "tweet_attempts": 1, "scan_batch": 1}


def check_limits(config: ScheduleConfig) -> None:
    for key, minimum in MINIMUMS.items():
        if getattr(config, key) < minimum:
            raise ConfigError(f"config key 'schedule.{key}' must be at least {minimum}, got {getattr(config, key)}")


class Schedule:
    """Finds the earliest moment a post may go out."""

    def __init__(self, windows: Sequence[Window], zone: ZoneInfo, max_per_day: int, spacing: timedelta) -> None:
        self.windows, self.zone, self.max_per_day, self.spacing = tuple(windows), zone, max_per_day, spacing

    @classmethod
    def from_config(cls, config: ScheduleConfig) -> Schedule:
        """The schedule `config` describes; a ConfigError names the key that makes no sense."""
        try:
            zone = ZoneInfo(config.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"config key 'schedule.timezone' must be an IANA zone such as Europe/Berlin or UTC, "
                              f"got {config.timezone!r}") from None
        check_limits(config)
        return cls(parse_windows(config.posting_windows), zone, config.max_posts_per_day,
                   timedelta(minutes=config.min_spacing_minutes))

    def next_slot(self, earliest: datetime, taken: Sequence[datetime] = ()) -> datetime:
        """The first moment at or after `earliest` (timezone-aware) inside a window, on a local day with fewer
        than the daily maximum of `taken` posts, and at least the spacing away from each of them."""
        slot = whole_second(earliest.astimezone(UTC))
        for _ in range(MAX_STEPS):
            slot = self.in_window(slot)
            day = slot.astimezone(self.zone).date()
            if sum(1 for t in taken if t.astimezone(self.zone).date() == day) >= self.max_per_day:
                slot = self.local(day + timedelta(days=1), 0)
                continue
            clashes = [t for t in taken if abs(t - slot) < self.spacing]
            if not clashes:
                return slot
            slot = whole_second(max(clashes) + self.spacing)
        raise ConfigError("the posting schedule leaves no time to post: check schedule.posting_windows, "
                          "max_posts_per_day and min_spacing_minutes")

    def plan(self, count: int, earliest: datetime, taken: Sequence[datetime] = ()) -> list[datetime]:
        """Slots for `count` posts in queue order: each after the one before it."""
        slots: list[datetime] = []
        occupied = list(taken)
        for _ in range(count):
            slot = self.next_slot(max([earliest, *slots[-1:]]), occupied)
            slots.append(slot)
            occupied.append(slot)
        return slots

    def in_window(self, moment: datetime) -> datetime:
        """`moment` if it lies inside a window, else the start of the next window."""
        day = moment.astimezone(self.zone).date() - timedelta(days=1)  # a DST jump can shift the local date
        for offset in range(3):
            for window in self.windows:
                start, end = self.local(day + timedelta(days=offset), window.start), \
                    self.local(day + timedelta(days=offset), window.end)
                if moment < end:
                    return max(moment, start).astimezone(UTC)
        raise AssertionError("every day has a window")  # parse_windows guarantees one

    def local(self, day: date, minutes: int) -> datetime:
        """`minutes` after local midnight of `day`, in UTC (1440 is the next day's midnight)."""
        moment = datetime.combine(day + timedelta(days=minutes // DAY_MINUTES),
                                  time(minutes % DAY_MINUTES // 60, minutes % 60), tzinfo=self.zone)
        return moment.astimezone(UTC)

    def describe(self) -> str:
        """The schedule in words, for logs and the demo."""
        windows = ", ".join(f"{w.start // 60:02d}:{w.start % 60:02d}-{w.end // 60:02d}:{w.end % 60:02d}"
                            for w in self.windows)
        spacing = math.ceil(self.spacing.total_seconds() / 60)
        return (f"{windows} {self.zone.key}, at most {self.max_per_day} a day, {spacing} minutes apart")
