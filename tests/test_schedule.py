"""The posting schedule: windows in a timezone (across midnight and DST), the daily maximum, the spacing, and slots
for a queue in order."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from deephype.config import ScheduleConfig
from deephype.errors import ConfigError
from deephype.schedule import Schedule, Window, parse_windows

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=BERLIN)


def schedule(windows=("09:00-22:00",), max_per_day=3, spacing=60, timezone="Europe/Berlin") -> Schedule:
    return Schedule.from_config(ScheduleConfig(posting_windows=tuple(windows), timezone=timezone,
                                               max_posts_per_day=max_per_day, min_spacing_minutes=spacing))


@pytest.mark.parametrize(("texts", "windows"), [
    (["09:00-22:00"], [(540, 1320)]),
    (["22:00-02:00"], [(0, 120), (1320, 1440)]),
    (["00:00-24:00"], [(0, 1440)]),
    ([" 7:30 - 9:00 ", "18:00-20:00"], [(450, 540), (1080, 1200)]),
    (["09:00-12:00", "11:00-14:00", "14:00-15:00"], [(540, 900)]),
    (["23:00-00:00"], [(1380, 1440)]),
])
def test_windows_are_minute_ranges_of_one_day(texts, windows):
    assert parse_windows(texts) == tuple(Window(s, e) for s, e in windows)


@pytest.mark.parametrize(("texts", "message"), [
    (["9-22"], 'windows like "09:00-22:00"'),
    (["25:00-26:00"], "not a time of day"),
    (["09:60-10:00"], "not a time of day"),
    (["24:30-01:00"], "not a time of day"),
    (["10:00-10:00"], "is empty"),
    ([], "is empty: give at least one window"),
])
def test_bad_windows_name_the_key(texts, message):
    with pytest.raises(ConfigError, match=message) as error:
        parse_windows(texts)
    assert "schedule.posting_windows" in str(error.value)


@pytest.mark.parametrize(("config", "key"), [
    (ScheduleConfig(timezone="Mars/Olympus"), "schedule.timezone"),
    (ScheduleConfig(max_posts_per_day=0), "schedule.max_posts_per_day' must be at least 1"),
    (ScheduleConfig(min_spacing_minutes=-5), "schedule.min_spacing_minutes' must be at least 0"),
    (ScheduleConfig(scan_interval_seconds=0), "schedule.scan_interval_seconds"),
    (ScheduleConfig(posting_interval_seconds=0), "schedule.posting_interval_seconds"),
    (ScheduleConfig(post_retries=-1), "schedule.post_retries"),
    (ScheduleConfig(tweet_attempts=0), "schedule.tweet_attempts"),
])
def test_bad_settings_name_the_key(config, key):
    with pytest.raises(ConfigError, match=key):
        Schedule.from_config(config)


# (earliest, posts already out or planned, expected slot), all in Berlin; 09:00-22:00, 3 a day, 60 minutes apart.
@pytest.mark.parametrize(("earliest", "taken", "expected"), [
    (("2024-05-02", "12:00:00"), [], ("2024-05-02", "12:00:00")),
    (("2024-05-02", "12:00:00.750"), [], ("2024-05-02", "12:00:00")),  # whole seconds
    (("2024-05-02", "07:10"), [], ("2024-05-02", "09:00")),
    (("2024-05-02", "22:00"), [], ("2024-05-03", "09:00")),  # the window's end is not in it
    (("2024-05-02", "21:59"), [], ("2024-05-02", "21:59")),
    (("2024-05-02", "12:00"), [("2024-05-02", "11:30")], ("2024-05-02", "12:30")),
    (("2024-05-02", "12:00"), [("2024-05-02", "12:20")], ("2024-05-02", "13:20")),  # not squeezed in before it
    (("2024-05-02", "12:00"), [("2024-05-02", "11:30"), ("2024-05-02", "13:00")], ("2024-05-02", "14:00")),
    (("2024-05-02", "12:00"), [("2024-05-02", "09:00"), ("2024-05-02", "10:00"), ("2024-05-02", "11:00")],
     ("2024-05-03", "09:00")),  # today is full
    (("2024-05-02", "21:30"), [("2024-05-02", "21:00")], ("2024-05-03", "09:00")),  # spacing runs past the window
    (("2024-05-02", "08:30"), [("2024-05-01", "21:45")], ("2024-05-02", "09:00")),  # yesterday's count is not today's
])
def test_next_slot(earliest, taken, expected):
    slot = schedule().next_slot(berlin(*earliest), [berlin(*t) for t in taken])
    assert slot == berlin(*expected) and slot.tzinfo == UTC


@pytest.mark.parametrize(("day", "utc_hour"), [("2024-03-30", 8), ("2024-03-31", 7), ("2024-10-27", 8)])
def test_windows_follow_local_time_across_daylight_saving(day, utc_hour):
    slot = schedule().next_slot(berlin(day, "03:30"))
    assert slot.astimezone(BERLIN).hour == 9 and slot.hour == utc_hour


@pytest.mark.parametrize(("earliest", "expected"), [
    (("2024-05-02", "01:30"), ("2024-05-02", "01:30")),
    (("2024-05-02", "03:00"), ("2024-05-02", "22:00")),
    (("2024-05-02", "23:59"), ("2024-05-02", "23:59")),
])
def test_a_window_across_midnight(earliest, expected):
    assert schedule(["22:00-02:00"]).next_slot(berlin(*earliest)) == berlin(*expected)


def test_a_window_across_midnight_counts_posts_by_local_day():
    late = schedule(["22:00-02:00"], max_per_day=1, spacing=0)
    taken = [berlin("2024-05-02", "22:30")]
    # 23:00 is the same local day as the post at 22:30; 00:00 starts the next one.
    assert late.next_slot(berlin("2024-05-02", "23:00"), taken) == berlin("2024-05-03", "00:00")


def test_plan_keeps_queue_order_spacing_and_the_daily_maximum():
    slots = schedule(max_per_day=2).plan(5, berlin("2024-05-02", "20:30"), [berlin("2024-05-02", "10:00")])
    assert [s.astimezone(BERLIN).strftime("%d %H:%M") for s in slots] == [
        "02 20:30", "03 09:00", "03 10:00", "04 09:00", "04 10:00"]
    assert slots == sorted(slots)


def test_utc_schedule_without_spacing_posts_everything_now():
    now = datetime(2024, 5, 2, 3, 4, 5, tzinfo=UTC)
    assert schedule(["00:00-24:00"], max_per_day=100, spacing=0, timezone="UTC").plan(3, now) == [now] * 3


def test_describe_says_when():
    assert schedule().describe() == "09:00-22:00 Europe/Berlin, at most 3 a day, 60 minutes apart"
