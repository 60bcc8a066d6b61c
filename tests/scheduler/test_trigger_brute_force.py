"""``Trigger.next_after`` against a brute-force evaluation of every minute of a year.

The brute force knows nothing of ``next_after``: for each UTC minute it asks ``zoneinfo`` for the
wall clock, and a listed time fires at the first minute that shows it. A listed time that the
wall clock skips (the spring gap) fires where PEP 495's fold=0 puts it: the time read with the
offset from before the gap (02:30 -> 03:30 after a one-hour jump). Offsets are found by sampling
every 15 minutes and refined to the minute, then spread over numpy arrays, so a year takes
milliseconds per zone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from moneyprinter.scheduler.triggers import Trigger, parse_times, parse_weekdays

YEAR = 2026
PAD_MIN = 3 * 1440  # walls near the year's ends need the neighbouring days
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _offset_min(tz: ZoneInfo, minute: int) -> int:
    return int((EPOCH + timedelta(minutes=minute)).astimezone(tz).utcoffset().total_seconds() // 60)


def minute_offsets(tz: ZoneInfo, start: int, end: int) -> np.ndarray:
    """The zone's UTC offset (minutes) at every minute in [start, end)."""
    offsets = np.empty(end - start, dtype=np.int64)
    step, at = 15, start
    current = _offset_min(tz, start)
    while at < end:
        nxt = min(at + step, end)
        after = _offset_min(tz, nxt) if nxt < end else current
        if after == current:
            offsets[at - start:nxt - start] = current
        else:  # a change inside this quarter hour: evaluate each minute
            for minute in range(at, nxt):
                offsets[minute - start] = _offset_min(tz, minute)
        at, current = nxt, after
    return offsets


def brute_force_fires(timezone: str, times: str, days: str | None) -> list[datetime]:
    tz = ZoneInfo(timezone)
    slot_minutes = np.array([t.hour * 60 + t.minute for t in parse_times(times)])
    weekdays = np.array(sorted(parse_weekdays(days)))
    year_start = int((datetime(YEAR, 1, 1, tzinfo=UTC) - EPOCH).total_seconds() // 60)
    year_end = int((datetime(YEAR + 1, 1, 1, tzinfo=UTC) - EPOCH).total_seconds() // 60)
    utc_min = np.arange(year_start - PAD_MIN, year_end + PAD_MIN, dtype=np.int64)
    offsets = minute_offsets(tz, int(utc_min[0]), int(utc_min[-1]) + 1)
    wall = utc_min + offsets

    def is_slot(walls: np.ndarray) -> np.ndarray:
        weekday = (walls // 1440 + 3) % 7  # 1970-01-01 was a Thursday (3)
        return np.isin(walls % 1440, slot_minutes) & np.isin(weekday, weekdays)

    first_seen = np.zeros(len(wall), dtype=bool)
    first_seen[np.unique(wall, return_index=True)[1]] = True  # a repeated wall time counts once
    fires = set(utc_min[is_slot(wall) & first_seen].tolist())
    for i in np.nonzero(np.diff(offsets) > 0)[0] + 1:  # clocks jump forward at utc_min[i]
        before = offsets[i - 1]
        skipped = np.arange(utc_min[i] + before, utc_min[i] + offsets[i])
        fires.update((skipped[is_slot(skipped)] - before).tolist())
    return [EPOCH + timedelta(minutes=m) for m in sorted(fires) if year_start <= m < year_end]


def walked_fires(timezone: str, times: str, days: str | None) -> list[datetime]:
    trigger = Trigger(times=parse_times(times), weekdays=parse_weekdays(days), timezone=timezone)
    at, end, fires = datetime(YEAR, 1, 1, tzinfo=UTC) - timedelta(seconds=1), datetime(YEAR + 1, 1, 1, tzinfo=UTC), []
    while (at := trigger.next_after(at)) < end:
        fires.append(at)
    return fires


CASES = [
    ("America/New_York", "02:30,03:15", None),  # the reported case: 03:15 lost on the spring-forward day
    ("America/New_York", "01:00,01:30,01:59,02:00,02:59,03:00", "mon-fri"),
    ("Europe/Berlin", "00:15,02:00,02:30,02:59,03:00,23:45", "sat,sun"),
    ("Australia/Lord_Howe", "01:30,01:45,02:00,02:15,02:30", None),  # clocks move by 30 minutes
    ("America/Havana", "00:00,00:30,01:00,23:30", None),  # changes at midnight
    ("America/Santiago", "23:00,23:30,00:00,00:30", "sat,sun"),  # southern; falls back into Saturday
    ("Asia/Kolkata", "10:00,22:30", "weekdays"),
]


@pytest.mark.parametrize(("timezone", "times", "days"), CASES)
def test_next_after_matches_minute_by_minute_brute_force(timezone, times, days):
    expected = brute_force_fires(timezone, times, days)
    assert expected, "the brute force found no fire times"
    assert walked_fires(timezone, times, days) == expected


def test_spring_forward_day_runs_both_listed_times_in_time_order():
    # 2026-03-08, New York: 02:00 EST -> 03:00 EDT. 02:30 lands at 03:30, after 03:15.
    trigger = Trigger(times=parse_times("02:30,03:15"), timezone="America/New_York")
    first = trigger.next_after(datetime(2026, 3, 8, 5, 0, tzinfo=UTC))  # midnight EST
    second = trigger.next_after(first)
    assert (first, second) == (datetime(2026, 3, 8, 7, 15, tzinfo=UTC), datetime(2026, 3, 8, 7, 30, tzinfo=UTC))
