"""Schedules, runs, leases and the heartbeat in SQLite (tables from migration m005).

Every change a person makes to a schedule bumps ``scheduler_state.revision`` in the same
transaction; the daemon polls that one number to notice changes without a restart.
A due slot is claimed by moving ``next_run_at`` forward in the same transaction that records
the run, guarded by the old value, so one slot can never be run twice.
"""

from __future__ import annotations

import os
import socket
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from moneyprinter.errors import NotFound, UsageError
from moneyprinter.scheduler.jobs import get_kind
from moneyprinter.scheduler.triggers import DuePlan, Trigger, jittered, plan_due
from moneyprinter.store.db import Database

OUTCOMES = ("running", "success", "failed", "deferred", "timed_out", "skipped_overlap", "missed")
DAEMON_LEASE = "daemon"
MIN_REAL_INTERVAL_S = 60


def now_utc() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime | None) -> str | None:
    return dt.astimezone(UTC).isoformat(timespec="seconds") if dt else None


def parse_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def hostname() -> str:
    return socket.gethostname()


@dataclass
class Schedule:
    id: int
    kind: str
    target: str
    trigger: Trigger
    jitter_minutes: int
    enabled: bool
    next_planned_at: datetime | None
    next_run_at: datetime | None
    last_run_at: datetime | None
    last_outcome: str | None
    created_at: str
    updated_at: str

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Schedule:
        return cls(
            id=row["id"], kind=row["kind"], target=row["target"], trigger=Trigger.from_json(row["trigger"]),
            jitter_minutes=row["jitter_minutes"], enabled=bool(row["enabled"]),
            next_planned_at=parse_iso(row["next_planned_at"]), next_run_at=parse_iso(row["next_run_at"]),
            last_run_at=parse_iso(row["last_run_at"]), last_outcome=row["last_outcome"],
            created_at=row["created_at"], updated_at=row["updated_at"],
        )

    @property
    def job_key(self) -> tuple[str, str]:
        return (self.kind, self.target)

    def to_json(self) -> dict:
        return {
            "id": self.id, "kind": self.kind, "target": self.target, "trigger": self.trigger.describe(),
            "jitter_minutes": self.jitter_minutes, "enabled": self.enabled,
            "next_run_at": iso(self.next_run_at), "last_run_at": iso(self.last_run_at), "last_outcome": self.last_outcome,
        }


# --- Schedules (changed by people: bump the revision) ---------------------------------------


def _bump(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE scheduler_state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")


def revision(db: Database) -> int:
    row = db.query_one("SELECT value FROM scheduler_state WHERE key = 'revision'")
    return int(row["value"]) if row else 0


def _first_slot(trigger: Trigger, jitter: int, now: datetime) -> tuple[datetime, datetime]:
    planned = trigger.next_after(now)
    return planned, jittered(planned, jitter)


def add_schedule(db: Database, kind: str, target: str, trigger: Trigger, *, jitter_minutes: int = 0,
                 enabled: bool = True, now: datetime | None = None) -> Schedule:
    job = get_kind(kind)
    target = target.strip()
    if not target:
        raise UsageError(f"a {kind} schedule needs a {job.target}", hint=f"pass --{job.target} NAME")
    if jitter_minutes < 0 or jitter_minutes > 24 * 60:
        raise UsageError(f"invalid jitter {jitter_minutes}", hint="use 0 to 1440 minutes")
    if trigger.is_interval and trigger.every_seconds < MIN_REAL_INTERVAL_S and not job.testing:
        raise UsageError("the interval must be at least 1 minute", hint="e.g. --every 30m or --every 2h")
    now = now or now_utc()
    planned, run_at = _first_slot(trigger, jitter_minutes, now) if enabled else (None, None)
    stamp = iso(now)
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO schedules (kind, target, trigger, jitter_minutes, enabled, next_planned_at, next_run_at,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (kind, target, trigger.to_json(), jitter_minutes, int(enabled), iso(planned), iso(run_at), stamp, stamp),
        )
        _bump(conn)
    return get_schedule(db, cur.lastrowid)


def ensure_publish_due(db: Database, every_minutes: int) -> Schedule | None:
    """Create the schedule that retries deferred publications, unless one exists (even disabled) or it is off."""
    if every_minutes <= 0 or db.query_one("SELECT 1 FROM schedules WHERE kind = 'publish.due'"):
        return None
    return add_schedule(db, "publish.due", "all", Trigger(every_seconds=every_minutes * 60))


def get_schedule(db: Database, schedule_id: int) -> Schedule:
    row = db.query_one("SELECT * FROM schedules WHERE id = ?", (schedule_id,))
    if row is None:
        raise NotFound(f"no schedule with id {schedule_id}", hint="see 'moneyprinter schedule list'")
    return Schedule.from_row(row)


def list_schedules(db: Database, *, enabled_only: bool = False) -> list[Schedule]:
    where = "WHERE enabled = 1" if enabled_only else ""
    return [Schedule.from_row(r) for r in db.query(f"SELECT * FROM schedules {where} ORDER BY id")]


def remove_schedule(db: Database, schedule_id: int) -> None:
    get_schedule(db, schedule_id)
    with db.transaction() as conn:
        conn.execute("DELETE FROM schedules WHERE id = ?", (schedule_id,))
        _bump(conn)


def follow_account(conn: sqlite3.Connection, platform: str, old: str, new: str | None) -> int:
    """Keep an account's schedules in step: retarget them on a rename, remove them with the account.

    Runs inside the caller's transaction; returns how many schedules changed.
    """
    from moneyprinter.scheduler.jobs import KINDS

    kinds = [k.name for k in KINDS.values() if k.platform == platform]
    marks = ",".join("?" * len(kinds))
    where = f"kind IN ({marks}) AND target = ? COLLATE NOCASE"
    if new is None:
        cur = conn.execute(f"DELETE FROM schedules WHERE {where}", (*kinds, old))
    else:
        cur = conn.execute(f"UPDATE schedules SET target = ?, updated_at = ? WHERE {where}",
                           (new, iso(now_utc()), *kinds, old))
    if cur.rowcount:
        _bump(conn)
    return cur.rowcount


def set_enabled(db: Database, schedule_id: int, enabled: bool, *, now: datetime | None = None) -> Schedule:
    """Enabling plans from now on: slots that passed while disabled are not caught up."""
    schedule = get_schedule(db, schedule_id)
    now = now or now_utc()
    planned, run_at = _first_slot(schedule.trigger, schedule.jitter_minutes, now) if enabled else (None, None)
    with db.transaction() as conn:
        conn.execute(
            "UPDATE schedules SET enabled = ?, next_planned_at = ?, next_run_at = ?, updated_at = ? WHERE id = ?",
            (int(enabled), iso(planned), iso(run_at), iso(now), schedule_id),
        )
        _bump(conn)
    return get_schedule(db, schedule_id)


def upcoming(db: Database, limit: int = 10) -> list[Schedule]:
    rows = db.query("SELECT * FROM schedules WHERE enabled = 1 ORDER BY next_run_at LIMIT ?", (limit,))
    return [Schedule.from_row(r) for r in rows]


# --- Claiming due slots (done by the daemon: no revision bump) ------------------------------


@dataclass
class Claim:
    schedule: Schedule
    plan: DuePlan
    run_id: int | None  # the run row to start, None if nothing is to run now


def claim_due(db: Database, schedule: Schedule, *, now: datetime, grace: timedelta, log_dir=None) -> Claim | None:
    """Record missed slots, create the run row for the slot to run now and plan the next slot.

    Returns None if the row changed since ``schedule`` was read (someone else claimed or edited it).
    """
    base = schedule.next_planned_at or schedule.next_run_at or now
    plan = plan_due(schedule.trigger, base, now, grace + timedelta(minutes=schedule.jitter_minutes))
    next_run = jittered(plan.next_planned, schedule.jitter_minutes)
    stamp = iso(now)
    last_run = stamp if plan.run_slot else iso(schedule.last_run_at)
    last_outcome = "running" if plan.run_slot else ("missed" if plan.missed else schedule.last_outcome)
    with db.transaction() as conn:
        cur = conn.execute(
            "UPDATE schedules SET next_planned_at = ?, next_run_at = ?, last_run_at = ?, last_outcome = ?"
            " WHERE id = ? AND enabled = 1 AND next_run_at IS ?",
            (iso(plan.next_planned), iso(next_run), last_run, last_outcome, schedule.id, iso(schedule.next_run_at)),
        )
        if cur.rowcount != 1:
            return None
        if plan.missed:
            span = f"{iso(plan.first_missed)} to {iso(plan.last_missed or plan.first_missed)}"
            conn.execute(
                "INSERT INTO schedule_runs (schedule_id, kind, target, source, planned_at, started_at, ended_at, outcome,"
                " message) VALUES (?, ?, ?, 'daemon', ?, ?, ?, 'missed', ?)",
                (schedule.id, schedule.kind, schedule.target, iso(plan.first_missed), stamp, stamp,
                 f"{plan.missed} run(s) missed ({span}): older than the grace window"),
            )
        run_id = None
        if plan.run_slot:
            note = f"catch-up, {plan.coalesced + 1} slots coalesced" if plan.coalesced else ""
            run_id = conn.execute(
                "INSERT INTO schedule_runs (schedule_id, kind, target, source, planned_at, started_at, outcome, message)"
                " VALUES (?, ?, ?, 'daemon', ?, ?, 'running', ?)",
                (schedule.id, schedule.kind, schedule.target, iso(plan.run_slot), stamp, note),
            ).lastrowid
    schedule.next_planned_at, schedule.next_run_at = plan.next_planned, next_run
    return Claim(schedule, plan, run_id)


# --- Runs --------------------------------------------------------------------------------


@dataclass
class Run:
    id: int
    schedule_id: int | None
    kind: str
    target: str
    source: str
    planned_at: str | None
    started_at: str
    ended_at: str | None
    outcome: str
    exit_code: int | None
    pid: int | None
    message: str
    output_tail: str
    log_path: str | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Run:
        return cls(**dict(row))


def start_cli_run(db: Database, kind: str, target: str, *, log_path: str | None) -> int:
    with db.transaction() as conn:
        return conn.execute(
            "INSERT INTO schedule_runs (kind, target, source, started_at, outcome, pid, log_path)"
            " VALUES (?, ?, 'cli', ?, 'running', ?, ?)",
            (kind, target, iso(now_utc()), os.getpid(), log_path),
        ).lastrowid


def set_run_process(db: Database, run_id: int, *, pid: int, log_path: str) -> None:
    with db.transaction() as conn:
        conn.execute("UPDATE schedule_runs SET pid = ?, log_path = ? WHERE id = ?", (pid, log_path, run_id))


def finish_run(db: Database, run_id: int, outcome: str, *, exit_code: int | None, message: str = "",
               close: bool = True) -> None:
    """Called by the job process itself: the outcome it knows best.

    With ``close=False`` (a daemon run) ``ended_at`` stays empty until the daemon has added the
    exit code and output, so a run with ``ended_at`` set is complete.
    """
    with db.transaction() as conn:
        conn.execute(
            "UPDATE schedule_runs SET outcome = ?, exit_code = ?,"
            " message = CASE WHEN message != '' THEN message || '; ' || ? ELSE ? END,"  # keeps the daemon's note
            " ended_at = CASE WHEN ? THEN ? ELSE ended_at END WHERE id = ?",
            (outcome, exit_code, message[:1000], message[:1000], int(close), iso(now_utc()), run_id),
        )
        _set_last_outcome(conn, run_id, outcome)


def close_run(db: Database, run_id: int, *, outcome_if_open: str, exit_code: int | None, output_tail: str,
              message: str = "", force_outcome: str | None = None) -> None:
    """Called by the daemon after the child exited: keeps the child's own outcome unless forced."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE schedule_runs SET"
            " outcome = COALESCE(?, CASE WHEN outcome = 'running' THEN ? ELSE outcome END),"
            " exit_code = COALESCE(exit_code, ?), output_tail = ?, ended_at = COALESCE(ended_at, ?),"
            " message = CASE WHEN ? != '' THEN ? ELSE message END WHERE id = ?",
            (force_outcome, outcome_if_open, exit_code, output_tail[-4000:], iso(now_utc()), message, message, run_id),
        )
        outcome = conn.execute("SELECT outcome FROM schedule_runs WHERE id = ?", (run_id,)).fetchone()["outcome"]
        _set_last_outcome(conn, run_id, outcome)


def record_skipped(db: Database, *, schedule_id: int | None, kind: str, target: str, source: str,
                   planned_at: str | None, message: str, run_id: int | None = None) -> int:
    """A run that did not start because the same job was already running."""
    stamp = iso(now_utc())
    with db.transaction() as conn:
        if run_id is None:
            run_id = conn.execute(
                "INSERT INTO schedule_runs (schedule_id, kind, target, source, planned_at, started_at, outcome)"
                " VALUES (?, ?, ?, ?, ?, ?, 'running')",
                (schedule_id, kind, target, source, planned_at, stamp),
            ).lastrowid
        conn.execute(
            "UPDATE schedule_runs SET outcome = 'skipped_overlap', ended_at = ?, message = ?, exit_code = 75 WHERE id = ?",
            (stamp, message, run_id),
        )
        _set_last_outcome(conn, run_id, "skipped_overlap")
    return run_id


def _set_last_outcome(conn: sqlite3.Connection, run_id: int, outcome: str) -> None:
    conn.execute(
        "UPDATE schedules SET last_outcome = ? WHERE id = (SELECT schedule_id FROM schedule_runs WHERE id = ?)",
        (outcome, run_id),
    )


def get_run(db: Database, run_id: int) -> Run:
    row = db.query_one("SELECT * FROM schedule_runs WHERE id = ?", (run_id,))
    if row is None:
        raise NotFound(f"no run with id {run_id}")
    return Run.from_row(row)


def recent_runs(db: Database, limit: int = 20, *, schedule_id: int | None = None) -> list[Run]:
    if schedule_id is None:
        rows = db.query("SELECT * FROM schedule_runs ORDER BY id DESC LIMIT ?", (limit,))
    else:
        rows = db.query("SELECT * FROM schedule_runs WHERE schedule_id = ? ORDER BY id DESC LIMIT ?", (schedule_id, limit))
    return [Run.from_row(r) for r in rows]


def open_runs(db: Database) -> list[Run]:
    return [Run.from_row(r) for r in db.query("SELECT * FROM schedule_runs WHERE outcome = 'running' ORDER BY id")]


# --- Leases and heartbeat -------------------------------------------------------------------


@dataclass
class Lease:
    name: str
    pid: int
    host: str
    run_id: int | None
    acquired_at: str
    heartbeat_at: str

    @property
    def heartbeat_age_s(self) -> float:
        return (now_utc() - datetime.fromisoformat(self.heartbeat_at)).total_seconds()


def take_lease(db: Database, name: str, *, run_id: int | None = None) -> Lease | None:
    """Write our lease row. Returns the other holder's lease if a live process on this host holds it.

    Call only while holding the matching file lock: then any existing row belongs to a dead holder,
    unless the lock file itself was removed, which the live-PID check still catches.
    """
    from moneyprinter.scheduler.locks import is_moneyprinter_process

    stamp = iso(now_utc())
    with db.transaction() as conn:
        row = conn.execute("SELECT * FROM scheduler_leases WHERE name = ?", (name,)).fetchone()
        if row and row["pid"] != os.getpid() and row["host"] == hostname() and is_moneyprinter_process(row["pid"]):
            return Lease(**dict(row))
        conn.execute(
            "INSERT OR REPLACE INTO scheduler_leases (name, pid, host, run_id, acquired_at, heartbeat_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (name, os.getpid(), hostname(), run_id, stamp, stamp),
        )
    return None


def release_lease(db: Database, name: str) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM scheduler_leases WHERE name = ? AND pid = ?", (name, os.getpid()))


def heartbeat(db: Database, name: str = DAEMON_LEASE) -> None:
    with db.transaction() as conn:
        conn.execute(
            "UPDATE scheduler_leases SET heartbeat_at = ? WHERE name = ? AND pid = ?", (iso(now_utc()), name, os.getpid())
        )


def get_lease(db: Database, name: str) -> Lease | None:
    row = db.query_one("SELECT * FROM scheduler_leases WHERE name = ?", (name,))
    return Lease(**dict(row)) if row else None


def list_leases(db: Database) -> list[Lease]:
    return [Lease(**dict(r)) for r in db.query("SELECT * FROM scheduler_leases ORDER BY name")]
