"""When a schedule fires: times of day on chosen weekdays in an IANA timezone, or every N minutes.

All arithmetic is done on aware datetimes and every result is in UTC. Times of day are wall-clock
times in the schedule's timezone, so 10:00 stays 10:00 across a DST change. A time that does not
exist on the day clocks spring forward (02:30 in Europe/Berlin) runs after the gap (03:30); a time
that happens twice when clocks fall back runs once, at the first occurrence.
Interval triggers count elapsed time and ignore the timezone.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from moneyprinter.errors import UsageError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = frozenset(range(7))
PRESETS: dict[str, tuple[str, ...]] = {
    "once": ("10:00",),
    "twice": ("10:00", "16:00"),
    "thrice": ("08:00", "12:00", "18:00"),
}
PRESET_LABELS = {
    "once": "Once a day (10:00)",
    "twice": "Twice a day (10:00, 16:00)",
    "thrice": "Three times a day (08:00, 12:00, 18:00)",
}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_EVERY = re.compile(r"^\s*(\d+)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}


@dataclass(frozen=True)
class Trigger:
    """Either ``times`` (with ``weekdays`` and ``timezone``) or ``every_seconds``."""

    times: tuple[time, ...] = ()
    weekdays: frozenset[int] = field(default=EVERY_DAY)
    timezone: str = "UTC"
    every_seconds: int | None = None

    def __post_init__(self) -> None:
        if self.every_seconds is None and not self.times:
            raise UsageError("a schedule needs times of day or an interval", hint="use --preset, --at HH:MM or --every 2h")
        if self.every_seconds is not None and not 1 <= self.every_seconds <= MAX_INTERVAL_S:
            raise UsageError("the interval must be between 1 second and 366 days")
        if not self.weekdays:
            raise UsageError("a schedule needs at least one weekday", hint="e.g. --days mon-fri")
        zone(self.timezone)

    @property
    def is_interval(self) -> bool:
        return self.every_seconds is not None

    def next_after(self, after: datetime) -> datetime:
        """The first firing time strictly after ``after`` (aware), in UTC."""
        if self.every_seconds is not None:
            return (after + timedelta(seconds=self.every_seconds)).astimezone(UTC)
        tz = zone(self.timezone)
        local = after.astimezone(tz)
        best: datetime | None = None
        best_day = 0
        for day_offset in range(9):
            if best is not None and day_offset > best_day + 1:
                break  # only a gap that spans midnight can put a later day's time first
            day = local.date() + timedelta(days=day_offset)
            if day.weekday() not in self.weekdays:
                continue
            for at in self.times:
                # fold=0: a gap time maps to after the gap, a repeated time to its first occurrence.
                # A gap can reorder the day's times (02:30 lands at 03:30, after 03:15), so the
                # earliest candidate wins, never the first in list order.
                candidate = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
                if candidate > after and (best is None or candidate < best):
                    best, best_day = candidate, day_offset
        if best is None:
            raise AssertionError("a weekly trigger always fires within 8 days")
        return best

    def describe(self) -> str:
        if self.every_seconds is not None:
            return "every " + format_interval(self.every_seconds)
        times = ", ".join(t.strftime("%H:%M") for t in self.times)
        return f"{times} {describe_weekdays(self.weekdays)} ({self.timezone})"

    def to_json(self) -> str:
        if self.every_seconds is not None:
            return json.dumps({"every_seconds": self.every_seconds})
        return json.dumps({
            "times": [t.strftime("%H:%M") for t in self.times],
            "weekdays": sorted(self.weekdays),
            "timezone": self.timezone,
        })

    @classmethod
    def from_json(cls, text: str) -> Trigger:
        data = json.loads(text)
        if "every_seconds" in data:
            return cls(every_seconds=int(data["every_seconds"]))
        return cls(
            times=parse_times(data["times"]),
            weekdays=frozenset(int(d) for d in data["weekdays"]),
            timezone=data["timezone"],
        )


def build_trigger(preset: str | None, at: tuple[str, ...] | list[str], every: str | None, days: str | None,
                  timezone: str | None, *, default_timezone: str) -> Trigger:
    """A trigger from exactly one of a preset, times of day or an interval (the CLI's, the API's and MCP's input)."""
    if timezone is not None and not timezone.strip():
        raise UsageError("--tz is empty", hint="give an IANA name such as Europe/Berlin, or leave --tz out for [general] timezone")
    if every and timezone:  # an interval has no time of day to place in a zone; say so rather than ignore it
        raise UsageError("--tz only applies to --preset and --at schedules")
    chosen = [name for name, given in (("--preset", preset), ("--at", at), ("--every", every)) if given]
    if len(chosen) != 1:
        raise UsageError("give exactly one of --preset, --at or --every",
                         hint="e.g. --preset twice, --at 09:30 --at 18:00, or --every 2h")
    if every:
        if days:
            raise UsageError("--days only applies to --preset and --at schedules")
        return Trigger(every_seconds=parse_every(every))
    if preset is not None and preset not in PRESETS:
        raise UsageError(f"unknown preset '{preset}'", hint="use " + ", ".join(PRESETS))
    times = parse_times(PRESETS[preset] if preset else at)
    return Trigger(times=times, weekdays=parse_weekdays(days), timezone=timezone or default_timezone)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown timezone '{name}'", hint="use an IANA name such as Europe/Berlin or America/New_York") from None


def parse_times(values) -> tuple[time, ...]:
    """``["16:00", "9:30"]`` or ``"9:30,16:00"`` -> sorted unique times."""
    if isinstance(values, str):
        values = values.split(",")
    found = set()
    for raw in values:
        for part in str(raw).split(","):
            match = _TIME.match(part.strip())
            if not match:
                raise UsageError(f"invalid time of day '{part.strip()}'", hint="use 24-hour HH:MM, e.g. 09:30 or 18:00")
            found.add(time(int(match.group(1)), int(match.group(2))))
    if not found:
        raise UsageError("no time of day given", hint="use 24-hour HH:MM, e.g. 09:30")
    return tuple(sorted(found))


def parse_weekdays(text: str | None) -> frozenset[int]:
    """``mon-fri``, ``sat,sun``, ``daily``/``every``/empty -> weekday numbers (Monday is 0)."""
    if text is None or text.strip().lower() in ("", "daily", "every", "all", "everyday"):
        return EVERY_DAY
    if text.strip().lower() in ("weekdays",):
        return frozenset(range(5))
    if text.strip().lower() in ("weekends", "weekend"):
        return frozenset({5, 6})
    days: set[int] = set()
    for part in text.lower().split(","):
        part = part.strip()
        if "-" in part:
            start, _, end = part.partition("-")
            first, last = _weekday(start), _weekday(end)
            span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
            days.update(span)
        else:
            days.add(_weekday(part))
    return frozenset(days)


def _weekday(name: str) -> int:
    key = name.strip().lower()[:3]
    if key not in WEEKDAYS:
        raise UsageError(f"unknown weekday '{name.strip()}'", hint="use mon, tue, wed, thu, fri, sat, sun or a range like mon-fri")
    return WEEKDAYS.index(key)


def describe_weekdays(days: frozenset[int]) -> str:
    if days == EVERY_DAY:
        return "daily"
    if days == frozenset(range(5)):
        return "Mon-Fri"
    if days == frozenset({5, 6}):
        return "Sat-Sun"
    return ",".join(WEEKDAYS[d].capitalize() for d in sorted(days))


MAX_INTERVAL_S = 366 * 86400  # longer would overflow date arithmetic soon, and never fire in practice


def parse_every(text: str) -> int:
    """``90m``, ``2h``, ``30 minutes``, ``45s`` -> seconds."""
    match = _EVERY.match(text or "")
    if not match or int(match.group(1)) == 0:
        raise UsageError(f"invalid interval '{text}'", hint="use a number with a unit, e.g. 30m, 2h or 45s")
    seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)[0].lower()]
    if seconds > MAX_INTERVAL_S:
        raise UsageError(f"interval '{text.strip()}' is too long", hint="use at most 366 days, e.g. --every 24h")
    return seconds


def shortest_gap_s(trigger: Trigger) -> int:
    """The shortest planned time between two runs: the interval, or the closest two times of day."""
    if trigger.every_seconds is not None:
        return trigger.every_seconds
    minutes = [t.hour * 60 + t.minute for t in trigger.times]
    gaps = [b - a for a, b in pairwise(minutes)]
    if trigger.weekdays == EVERY_DAY:
        gaps.append(minutes[0] + 1440 - minutes[-1])
    return min(gaps, default=1440) * 60


def format_interval(seconds: int) -> str:
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    if seconds % 60 == 0:
        return f"{seconds // 60}m"
    return f"{seconds}s"


def jittered(planned: datetime, jitter_minutes: int, rng: random.Random | None = None) -> datetime:
    """A run time up to ``jitter_minutes`` after ``planned``: never earlier, so nothing runs before its slot."""
    if jitter_minutes <= 0:
        return planned
    seconds = (rng or random).randint(0, jitter_minutes * 60)
    return planned + timedelta(seconds=seconds)


@dataclass(frozen=True)
class DuePlan:
    """What to do with the slots that came due while nobody was looking."""

    run_slot: datetime | None  # the one slot to run now (the latest within the grace window)
    coalesced: int  # other slots within the grace window folded into that run
    missed: int  # slots too old to run
    first_missed: datetime | None
    last_missed: datetime | None
    next_planned: datetime  # the first slot after ``now``


MAX_SLOTS_WALKED = 10_000


def plan_due(trigger: Trigger, next_planned: datetime, now: datetime, grace: timedelta) -> DuePlan:
    """Sort the slots from ``next_planned`` up to ``now`` into one run (within ``grace``) and missed ones."""
    slots = _slots_until(trigger, next_planned, now)
    recent = [s for s in slots if now - s <= grace]
    old = [s for s in slots if now - s > grace]
    missed_count = len(old)
    if trigger.every_seconds is not None and slots:
        # Interval slots are counted arithmetically, so a long outage costs no loop.
        total = int((now - next_planned).total_seconds() // trigger.every_seconds) + 1
        missed_count = total - len(recent)
    following = trigger.next_after(slots[-1]) if slots else next_planned
    if following <= now:
        following = trigger.next_after(now)
    return DuePlan(
        run_slot=recent[-1] if recent else None,
        coalesced=max(len(recent) - 1, 0),
        missed=missed_count,
        first_missed=next_planned if missed_count else None,
        last_missed=old[-1] if old else None,
        next_planned=following,
    )


def _slots_until(trigger: Trigger, start: datetime, now: datetime) -> list[datetime]:
    if start > now:
        return []
    if trigger.every_seconds is not None:
        step = timedelta(seconds=trigger.every_seconds)
        count = int((now - start) / step)
        first_kept = max(count - MAX_SLOTS_WALKED + 1, 0)
        return [start + step * k for k in range(first_kept, count + 1)]
    slots = [start]
    while len(slots) < MAX_SLOTS_WALKED:
        nxt = trigger.next_after(slots[-1])
        if nxt > now:
            break
        slots.append(nxt)
    return slots
