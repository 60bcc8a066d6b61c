"""Trigger arithmetic with frozen time: presets, weekdays, DST changes, catch-up planning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from moneyprinter.errors import UsageError
from moneyprinter.scheduler import schedules as sched
from moneyprinter.scheduler.triggers import (
    PRESETS,
    Trigger,
    jittered,
    parse_every,
    parse_times,
    parse_weekdays,
    plan_due,
)

BERLIN = "Europe/Berlin"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def daily(times, tz=BERLIN, days=None) -> Trigger:
    return Trigger(times=parse_times(times), weekdays=parse_weekdays(days), timezone=tz)


def test_twice_a_day_preset_in_berlin_winter():
    trigger = daily(PRESETS["twice"])
    # 2026-01-15 11:00 CET = 10:00 UTC: next is 16:00 CET = 15:00 UTC, then 10:00 CET next day.
    first = trigger.next_after(utc(2026, 1, 15, 10, 0))
    assert first == utc(2026, 1, 15, 15, 0)
    assert trigger.next_after(first) == utc(2026, 1, 16, 9, 0)


def test_three_times_a_day_preset_walks_all_slots():
    trigger = daily(PRESETS["thrice"], tz="UTC")
    slots, at = [], utc(2026, 5, 1, 0, 0)
    for _ in range(4):
        at = trigger.next_after(at)
        slots.append(at.strftime("%d %H:%M"))
    assert slots == ["01 08:00", "01 12:00", "01 18:00", "02 08:00"]


def test_wall_clock_time_kept_across_spring_forward():
    # Europe/Berlin springs forward on 2026-03-29 at 02:00 -> 03:00 (UTC+1 -> UTC+2).
    trigger = daily(["10:00"])
    before = trigger.next_after(utc(2026, 3, 28, 0, 0))
    after = trigger.next_after(before)
    assert before == utc(2026, 3, 28, 9, 0)  # 10:00 CET
    assert after == utc(2026, 3, 29, 8, 0)  # 10:00 CEST
    assert after - before == timedelta(hours=23)


def test_time_in_the_spring_gap_runs_after_the_gap():
    trigger = daily(["02:30"])
    fired = trigger.next_after(utc(2026, 3, 28, 12, 0))
    assert fired == utc(2026, 3, 29, 1, 30)  # 03:30 CEST: 02:30 does not exist that day
    assert trigger.next_after(fired) == utc(2026, 3, 30, 0, 30)


def test_repeated_fall_back_time_runs_once():
    # 2026-10-25 03:00 CEST -> 02:00 CET: 02:30 happens at 00:30 UTC and again at 01:30 UTC.
    trigger = daily(["02:30"])
    first = trigger.next_after(utc(2026, 10, 24, 12, 0))
    assert first == utc(2026, 10, 25, 0, 30)
    assert trigger.next_after(first) == utc(2026, 10, 26, 1, 30)


def test_weekdays_skip_the_weekend():
    trigger = daily(["10:00"], tz="America/New_York", days="mon-fri")
    friday_evening = utc(2026, 6, 5, 22, 0)  # Friday 18:00 EDT
    monday = trigger.next_after(friday_evening)
    assert monday == utc(2026, 6, 8, 14, 0)  # Monday 10:00 EDT
    assert monday.astimezone(store_zone("America/New_York")).weekday() == 0


def store_zone(name):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def test_weekday_ranges_wrap_and_name_errors():
    assert parse_weekdays("fri-mon") == frozenset({4, 5, 6, 0})
    assert parse_weekdays("sat,sun") == frozenset({5, 6})
    assert parse_weekdays("weekdays") == frozenset(range(5))
    with pytest.raises(UsageError, match="unknown weekday 'funday'"):
        parse_weekdays("mon,funday")


def test_bad_input_is_one_clear_error():
    with pytest.raises(UsageError, match="invalid time of day '25:00'"):
        parse_times("10:00,25:00")
    with pytest.raises(UsageError, match="unknown timezone 'Mars/Base'"):
        Trigger(times=parse_times("10:00"), timezone="Mars/Base")
    with pytest.raises(UsageError, match="invalid interval"):
        parse_every("soon")
    assert parse_every("90m") == 5400 and parse_every("2h") == 7200 and parse_every("45s") == 45


def test_interval_counts_elapsed_time_across_dst():
    trigger = Trigger(every_seconds=2 * 3600)
    assert trigger.next_after(utc(2026, 3, 29, 0, 30)) == utc(2026, 3, 29, 2, 30)


def test_jitter_never_runs_early_and_stays_within_bound():
    import random

    planned = utc(2026, 1, 1, 10, 0)
    rng = random.Random(7)
    delays = {(jittered(planned, 15, rng) - planned).total_seconds() for _ in range(200)}
    assert min(delays) >= 0 and max(delays) <= 15 * 60 and len(delays) > 50


def test_trigger_roundtrips_through_json():
    trigger = daily(["18:00", "08:00"], days="sat,sun")
    assert Trigger.from_json(trigger.to_json()) == trigger
    assert trigger.describe() == "08:00, 18:00 Sat-Sun (Europe/Berlin)"


def test_next_run_of_a_new_schedule_uses_frozen_now(db):
    with time_machine.travel(utc(2026, 3, 29, 0, 15), tick=False):  # Sunday 01:15 CET, before the change
        s = sched.add_schedule(db, "test.echo", "bob", daily(PRESETS["once"]))
    assert s.next_run_at == utc(2026, 3, 29, 8, 0)  # 10:00 CEST


def test_plan_due_coalesces_recent_slots_and_counts_old_ones_as_missed():
    trigger = Trigger(every_seconds=600)
    now = utc(2026, 1, 1, 12, 5)
    plan = plan_due(trigger, utc(2026, 1, 1, 10, 0), now, timedelta(minutes=30))
    # Slots 10:00 ... 12:00 (13 of them): 11:40, 11:50, 12:00 are within 30 minutes.
    assert plan.run_slot == utc(2026, 1, 1, 12, 0)
    assert plan.coalesced == 2
    assert plan.missed == 10
    assert plan.next_planned == utc(2026, 1, 1, 12, 10)


def test_plan_due_all_too_old_runs_nothing():
    trigger = daily(["10:00"], tz="UTC")
    now = utc(2026, 1, 5, 12, 0)
    plan = plan_due(trigger, utc(2026, 1, 2, 10, 0), now, timedelta(minutes=30))
    assert plan.run_slot is None and plan.missed == 4
    assert plan.next_planned == utc(2026, 1, 6, 10, 0)


def test_plan_due_long_interval_outage_is_counted_without_walking():
    trigger = Trigger(every_seconds=60)
    plan = plan_due(trigger, utc(2025, 1, 1), utc(2026, 1, 1, 0, 0, 30), timedelta(minutes=5))
    assert plan.missed == 365 * 24 * 60 + 1 - 5
    assert plan.run_slot == utc(2026, 1, 1)


def test_new_schedule_with_jitter_runs_within_the_window(db):
    with time_machine.travel(utc(2026, 6, 1, 6, 0), tick=False):
        s = sched.add_schedule(db, "test.echo", "bob", daily(["09:00"], tz="UTC"), jitter_minutes=20)
    assert s.next_planned_at == utc(2026, 6, 1, 9, 0)
    assert timedelta(0) <= s.next_run_at - s.next_planned_at <= timedelta(minutes=20)
