"""Schedules as the scheduler sees them: rules for adding one, its trigger, and claiming due slots.

The rows live in ``store/schedules.py``; this module decides what to write (the first slot,
missed and coalesced slots, the next plan) and decodes each row's trigger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from moneyprinter.errors import Conflict, UsageError
from moneyprinter.scheduler.jobs import get_kind, target_account_id
from moneyprinter.scheduler.triggers import DuePlan, Trigger, jittered, plan_due, shortest_gap_s
from moneyprinter.store import schedules as store
from moneyprinter.store.db import Database
from moneyprinter.store.states import RunOutcome, RunSource, ScheduleManager

MIN_REAL_INTERVAL_S = 60
now_utc, iso, parse_iso = store.now_utc, store.iso, store.parse_iso


@dataclass
class Schedule(store.ScheduleRecord):
    @cached_property
    def trigger(self) -> Trigger:
        return Trigger.from_json(self.trigger_json)

    @classmethod
    def of(cls, record: store.ScheduleRecord) -> Schedule:
        return cls(**vars(record))

    @property
    def job_key(self) -> tuple[str, str]:
        return (self.kind, self.target)

    def to_json(self) -> dict:
        return {
            "id": self.id, "kind": self.kind, "target": self.target, "trigger": self.trigger.describe(),
            "jitter_minutes": self.jitter_minutes, "enabled": self.enabled,
            "next_run_at": iso(self.next_run_at), "last_run_at": iso(self.last_run_at), "last_outcome": self.last_outcome,
            "managed_by": self.managed_by,
        }


def _first_slot(trigger: Trigger, jitter: int, now: datetime) -> tuple[datetime, datetime]:
    planned = trigger.next_after(now)
    return planned, jittered(planned, jitter)


def add_schedule(db: Database, kind: str, target: str, trigger: Trigger, *, jitter_minutes: int = 0,
                 enabled: bool = True, now: datetime | None = None, allow_duplicate: bool = False) -> Schedule:
    """``target`` is the account nickname for account jobs (stored as its id), else the job's own argument."""
    job = get_kind(kind)
    target = target.strip()
    if not target:
        raise UsageError(f"a {kind} schedule needs a {job.target}", hint=f"pass --{job.target} NAME")
    if jitter_minutes < 0 or jitter_minutes > 24 * 60:
        raise UsageError(f"invalid jitter {jitter_minutes}", hint="use 0 to 1440 minutes")
    if trigger.is_interval and trigger.every_seconds < MIN_REAL_INTERVAL_S and not job.testing:
        raise UsageError("the interval must be at least 1 minute", hint="e.g. --every 30m or --every 2h")
    if jitter_minutes and jitter_minutes * 60 >= shortest_gap_s(trigger):
        raise UsageError(f"jitter of {jitter_minutes} min is not shorter than the time between runs ({trigger.describe()})",
                         hint="use a jitter shorter than the gap between runs, or fewer times")
    account_id = target_account_id(db, job, target)
    if not allow_duplicate:
        same = store.find_same(db, kind=kind, target=target, account_id=account_id, trigger_json=trigger.to_json())
        if same is not None:
            raise Conflict(f"schedule {same} already runs {kind} for {target} {trigger.describe()}",
                             hint="pass --allow-duplicate to add another one anyway")
    now = now or now_utc()
    planned, run_at = _first_slot(trigger, jitter_minutes, now) if enabled else (None, None)
    schedule_id = store.insert_schedule(
        db, kind=kind, target=target, account_id=account_id, trigger_json=trigger.to_json(),
        jitter_minutes=jitter_minutes, enabled=enabled, next_planned_at=planned, next_run_at=run_at, now=now,
    )
    return get_schedule(db, schedule_id)


def ensure_publish_due(db: Database, every_minutes: int) -> Schedule | None:
    """Create the schedule that retries deferred publications, unless one exists (even disabled) or it is off."""
    if every_minutes <= 0 or store.kind_exists(db, "publish.due"):
        return None
    return add_schedule(db, "publish.due", "all", Trigger(every_seconds=every_minutes * 60))


def get_schedule(db: Database, schedule_id: int) -> Schedule:
    return Schedule.of(store.get_schedule(db, schedule_id))


def list_schedules(db: Database, *, enabled_only: bool = False, managed_by: str | None = None) -> list[Schedule]:
    return [Schedule.of(r) for r in store.list_schedules(db, enabled_only=enabled_only, managed_by=managed_by)]


def set_managed_by(db: Database, schedule_ids: list[int], manager: ScheduleManager) -> None:
    """Hand schedules to cron (the daemon skips them) or back to the daemon."""
    for schedule_id in schedule_ids:
        store.get_schedule(db, schedule_id)
    store.set_managed_by(db, schedule_ids, manager, now=now_utc())


def upcoming(db: Database, limit: int = 10) -> list[Schedule]:
    return [Schedule.of(r) for r in store.upcoming(db, limit)]


MAX_UPCOMING = 1000


def upcoming_fires(schedule: Schedule, *, start: datetime | None = None, count: int = 10,
                   now: datetime | None = None) -> list[datetime]:
    """The next ``count`` planned fire times (before jitter), in UTC.

    Without ``start`` the list begins with the slot the daemon has planned (if enabled), so it shows
    what will actually run. An interval keeps its phase: its slots stay on the grid through its plan.
    """
    if not 1 <= count <= MAX_UPCOMING:
        raise UsageError(f"invalid count {count}", hint=f"use 1 to {MAX_UPCOMING}")
    trigger = schedule.trigger
    planned = schedule.next_planned_at if schedule.enabled else None
    if start is None:
        start = now or now_utc()
        if planned is not None and planned > start:
            start = planned - timedelta(microseconds=1)
    if trigger.every_seconds is not None and planned is not None:
        step = timedelta(seconds=trigger.every_seconds)
        first = planned + step * ((start - planned) // step + 1)
        return [first + step * k for k in range(count)]
    fires, at = [], start
    for _ in range(count):
        at = trigger.next_after(at)
        fires.append(at)
    return fires


def remove_schedule(db: Database, schedule_id: int) -> None:
    store.get_schedule(db, schedule_id)
    store.delete_schedule(db, schedule_id)


def set_enabled(db: Database, schedule_id: int, enabled: bool, *, now: datetime | None = None) -> Schedule:
    """Enabling plans from now on: slots that passed while disabled are not caught up."""
    schedule = get_schedule(db, schedule_id)
    now = now or now_utc()
    planned, run_at = _first_slot(schedule.trigger, schedule.jitter_minutes, now) if enabled else (None, None)
    store.set_enabled(db, schedule_id, enabled, next_planned_at=planned, next_run_at=run_at, now=now)
    return get_schedule(db, schedule_id)


# --- Claiming due slots (done by the daemon) ------------------------------------------------


@dataclass
class Claim:
    schedule: Schedule
    plan: DuePlan
    run_id: int | None  # the run row to start, None if nothing is to run now


def claim_due(db: Database, schedule: Schedule, *, now: datetime, grace: timedelta,
              cron_pid: int | None = None, log_path: str | None = None) -> Claim | None:
    """Record missed slots, create the run row for the slot to run now and plan the next slot.

    With ``cron_pid`` the run is the cron job running in that process: it is recorded even when
    no slot is due (cron started it early), as a ``cli`` run linked to the schedule.
    Returns None if the row changed since ``schedule`` was read (someone else claimed or edited it).
    """
    base = schedule.next_planned_at or schedule.next_run_at or now
    plan = plan_due(schedule.trigger, base, now, grace + timedelta(minutes=schedule.jitter_minutes))
    next_run = jittered(plan.next_planned, schedule.jitter_minutes)
    missed = RunOutcome.MISSED if plan.missed else schedule.last_outcome
    slot = store.SlotClaim(
        next_planned_at=plan.next_planned, next_run_at=next_run,
        last_run_at=iso(now) if plan.run_slot else iso(schedule.last_run_at),
        last_outcome=RunOutcome.RUNNING if plan.run_slot else missed,
        run_slot=plan.run_slot,
        run_note=f"catch-up, {plan.coalesced + 1} slots coalesced" if plan.coalesced else "",
    )
    if cron_pid is not None:
        slot.source, slot.pid, slot.log_path, slot.run_unplanned = RunSource.CLI, cron_pid, log_path, True
        slot.last_run_at, slot.last_outcome = iso(now), RunOutcome.RUNNING
    if plan.missed:
        span = f"{iso(plan.first_missed)} to {iso(plan.last_missed or plan.first_missed)}"
        slot.missed_at = plan.first_missed
        slot.missed_message = f"{plan.missed} run(s) missed ({span}): older than the grace window"
    claimed, run_id = store.claim_slot(db, schedule, slot, now=now)
    if not claimed:
        return None
    schedule.next_planned_at, schedule.next_run_at = plan.next_planned, next_run
    return Claim(schedule, plan, run_id)


def claim_cron_run(db: Database, schedule_id: int, kind: str, target: str, *, pid: int, grace: timedelta,
                   log_path: str | None = None) -> int:
    """The run row of a cron job started for ``schedule_id``; slots it missed (machine off) are recorded as missed."""
    for _ in range(5):  # an edit in between moves next_run_at: read again
        schedule = get_schedule(db, schedule_id)
        if not schedule.enabled:
            raise UsageError(f"schedule {schedule_id} is disabled",
                             hint=f"enable it ('moneyprinter schedule enable {schedule_id}') or remove its crontab line")
        if schedule.kind != kind or schedule.target.casefold() != target.casefold():
            raise UsageError(f"schedule {schedule_id} runs {schedule.kind} for {schedule.target}, not {kind} for {target}",
                             hint="write the crontab lines again with 'moneyprinter scheduler install --cron'")
        claim = claim_due(db, schedule, now=now_utc(), grace=grace, cron_pid=pid, log_path=log_path)
        if claim is not None:
            return claim.run_id
    raise UsageError(f"schedule {schedule_id} keeps changing", hint="try again")
