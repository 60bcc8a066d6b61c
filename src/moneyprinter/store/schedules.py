"""Schedules, runs, leases and the scheduler's revision counter (tables from migrations m005, m009).

Every change a person makes to a schedule bumps ``scheduler_state.revision`` in the same
transaction; the daemon polls that one number to notice changes without a restart.
A due slot is claimed by moving ``next_run_at`` forward in the same transaction that records
the run, guarded by the old value, so one slot can never be run twice.

A schedule of an account job names the account by ``account_id``; its ``target`` is the
account's current nickname, read through a join, so renaming the account changes one row.
Other jobs keep their own target text (a campaign name, ``all``, a test argument).
"""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from moneyprinter.errors import NotFound
from moneyprinter.store.db import Database, update_columns
from moneyprinter.store.states import RUN_OUTCOMES, RunOutcome, RunSource, ScheduleManager

DAEMON_LEASE = "daemon"
_EDITABLE = frozenset({"enabled", "next_planned_at", "next_run_at", "updated_at", "managed_by", "trigger", "jitter_minutes"})
_SELECT = (
    "SELECT s.id, s.kind, COALESCE(a.nickname, s.target) AS target, s.account_id, s.trigger, s.jitter_minutes,"
    " s.enabled, s.next_planned_at, s.next_run_at, s.last_run_at, s.last_outcome, s.created_at, s.updated_at,"
    " s.managed_by"
    " FROM schedules s LEFT JOIN accounts a ON a.id = s.account_id"
)


def now_utc() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime | None) -> str | None:
    return dt.astimezone(UTC).isoformat(timespec="seconds") if dt else None


def parse_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def hostname() -> str:
    return socket.gethostname()


@dataclass
class ScheduleRecord:
    """A schedule row; ``trigger_json`` is decoded by the scheduler (``scheduler/schedules.py``)."""

    id: int
    kind: str
    target: str
    account_id: int | None
    trigger_json: str
    jitter_minutes: int
    enabled: bool
    next_planned_at: datetime | None
    next_run_at: datetime | None
    last_run_at: datetime | None
    last_outcome: str | None
    created_at: str
    updated_at: str
    managed_by: str = ScheduleManager.DAEMON

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> ScheduleRecord:
        return cls(
            id=row["id"], kind=row["kind"], target=row["target"], account_id=row["account_id"],
            trigger_json=row["trigger"], jitter_minutes=row["jitter_minutes"], enabled=bool(row["enabled"]),
            next_planned_at=parse_iso(row["next_planned_at"]), next_run_at=parse_iso(row["next_run_at"]),
            last_run_at=parse_iso(row["last_run_at"]), last_outcome=row["last_outcome"],
            created_at=row["created_at"], updated_at=row["updated_at"], managed_by=row["managed_by"],
        )


# --- Schedules (changed by people: bump the revision) ---------------------------------------


def bump_revision(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE scheduler_state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")


def revision(db: Database) -> int:
    row = db.query_one("SELECT value FROM scheduler_state WHERE key = 'revision'")
    return int(row["value"]) if row else 0


def insert_schedule(db: Database, *, kind: str, target: str, account_id: int | None, trigger_json: str,
                    jitter_minutes: int, enabled: bool, next_planned_at: datetime | None,
                    next_run_at: datetime | None, now: datetime) -> int:
    """A new schedule row; an account job stores ``account_id`` and no target text."""
    stamp = iso(now)
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO schedules (kind, target, account_id, trigger, jitter_minutes, enabled, next_planned_at,"
            " next_run_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (kind, "" if account_id else target, account_id, trigger_json, jitter_minutes, int(enabled),
             iso(next_planned_at), iso(next_run_at), stamp, stamp),
        )
        bump_revision(conn)
    return cur.lastrowid


def find_same(db: Database, *, kind: str, target: str, account_id: int | None, trigger_json: str) -> int | None:
    """The id of a schedule with this kind, account (or target) and trigger, if one exists."""
    row = db.query_one(
        "SELECT id FROM schedules WHERE kind = ? AND trigger = ? AND"
        " (account_id = ? OR (account_id IS NULL AND ? IS NULL AND target = ?)) ORDER BY id LIMIT 1",
        (kind, trigger_json, account_id, account_id, target),
    )
    return row["id"] if row else None


def kind_exists(db: Database, kind: str) -> bool:
    """Any schedule of ``kind``, enabled or not."""
    return db.query_one("SELECT 1 FROM schedules WHERE kind = ?", (kind,)) is not None


def get_schedule(db: Database, schedule_id: int) -> ScheduleRecord:
    row = db.query_one(f"{_SELECT} WHERE s.id = ?", (schedule_id,))
    if row is None:
        raise NotFound(f"no schedule with id {schedule_id}", hint="see 'moneyprinter schedule list'")
    return ScheduleRecord.from_row(row)


def list_schedules(db: Database, *, enabled_only: bool = False, managed_by: str | None = None,
                   limit: int = -1, offset: int = 0) -> list[ScheduleRecord]:
    """By id; ``limit`` and ``offset`` take one page (-1: all)."""
    where, params = ["1"], []
    if enabled_only:
        where.append("s.enabled = 1")
    if managed_by:
        where.append("s.managed_by = ?")
        params.append(managed_by)
    rows = db.query(f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY s.id LIMIT ? OFFSET ?", (*params, limit, offset))
    return [ScheduleRecord.from_row(r) for r in rows]


def upcoming(db: Database, limit: int = 10) -> list[ScheduleRecord]:
    rows = db.query(f"{_SELECT} WHERE s.enabled = 1 ORDER BY s.next_run_at LIMIT ?", (limit,))
    return [ScheduleRecord.from_row(r) for r in rows]


def count_schedules(db: Database) -> int:
    return db.query_one("SELECT COUNT(*) FROM schedules")[0]


def count_enabled(db: Database, managed_by: str | None = None) -> int:
    if managed_by is None:
        return db.query_one("SELECT COUNT(*) FROM schedules WHERE enabled = 1")[0]
    return db.query_one("SELECT COUNT(*) FROM schedules WHERE enabled = 1 AND managed_by = ?", (managed_by,))[0]


def set_managed_by(db: Database, schedule_ids: list[int], manager: str, *, now: datetime) -> None:
    with db.transaction() as conn:
        for schedule_id in schedule_ids:
            update_columns(conn, "schedules", schedule_id, {"managed_by": str(manager), "updated_at": iso(now)},
                           _EDITABLE, touch=False)
        bump_revision(conn)


def delete_schedule(db: Database, schedule_id: int) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM schedules WHERE id = ?", (schedule_id,))
        bump_revision(conn)


def set_enabled(db: Database, schedule_id: int, enabled: bool, *, next_planned_at: datetime | None,
                next_run_at: datetime | None, now: datetime) -> None:
    with db.transaction() as conn:
        update_columns(conn, "schedules", schedule_id, {
            "enabled": int(enabled), "next_planned_at": iso(next_planned_at), "next_run_at": iso(next_run_at),
            "updated_at": iso(now),
        }, _EDITABLE, touch=False)  # the caller's clock, not the wall clock: tests plan from a fixed time
        bump_revision(conn)



def set_trigger(db: Database, schedule_id: int, *, trigger_json: str, jitter_minutes: int,
                next_planned_at: datetime | None, next_run_at: datetime | None, now: datetime) -> None:
    """New times (and jitter) for a schedule, with the next slot planned from them."""
    with db.transaction() as conn:
        update_columns(conn, "schedules", schedule_id, {
            "trigger": trigger_json, "jitter_minutes": jitter_minutes, "next_planned_at": iso(next_planned_at),
            "next_run_at": iso(next_run_at), "updated_at": iso(now),
        }, _EDITABLE, touch=False)
        bump_revision(conn)

# --- Claiming due slots (done by the daemon: no revision bump) ------------------------------


@dataclass
class SlotClaim:
    """What ``claim_slot`` writes: the schedule's new plan and the runs to record."""

    next_planned_at: datetime
    next_run_at: datetime
    last_run_at: str | None
    last_outcome: str | None
    missed_at: datetime | None = None  # record one 'missed' run for this slot ...
    missed_message: str = ""  # ... saying this
    run_slot: datetime | None = None  # start a run for this slot ...
    run_note: str = ""  # ... with this note
    run_unplanned: bool = False  # start a run even without a slot (cron ran before the planned time)
    source: str = RunSource.DAEMON
    pid: int | None = None  # the process that runs it, if it is already running (cron)
    log_path: str | None = None


def claim_slot(db: Database, schedule: ScheduleRecord, claim: SlotClaim, *, now: datetime) -> tuple[bool, int | None]:
    """Write ``claim`` if the row still has the ``next_run_at`` that ``schedule`` was read with.

    Returns (False, None) if it changed (someone else claimed or edited it), else (True, the new run's id or None).
    """
    stamp = iso(now)
    with db.transaction() as conn:
        cur = conn.execute(
            "UPDATE schedules SET next_planned_at = ?, next_run_at = ?, last_run_at = ?, last_outcome = ?"
            " WHERE id = ? AND enabled = 1 AND next_run_at IS ?",
            (iso(claim.next_planned_at), iso(claim.next_run_at), claim.last_run_at, claim.last_outcome,
             schedule.id, iso(schedule.next_run_at)),
        )
        if cur.rowcount != 1:
            return False, None
        if claim.missed_at is not None:
            conn.execute(
                "INSERT INTO schedule_runs (schedule_id, kind, target, source, planned_at, started_at, ended_at, outcome,"
                " message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (schedule.id, schedule.kind, schedule.target, claim.source, iso(claim.missed_at), stamp, stamp,
                 RunOutcome.MISSED, claim.missed_message),
            )
        if claim.run_slot is None and not claim.run_unplanned:
            return True, None
        return True, conn.execute(
            "INSERT INTO schedule_runs (schedule_id, kind, target, source, planned_at, started_at, outcome, message,"
            " pid, log_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (schedule.id, schedule.kind, schedule.target, claim.source, iso(claim.run_slot), stamp,
             RunOutcome.RUNNING, claim.run_note, claim.pid, claim.log_path),
        ).lastrowid


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
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kind, target, RunSource.CLI, iso(now_utc()), RunOutcome.RUNNING, os.getpid(), log_path),
        ).lastrowid


def set_run_process(db: Database, run_id: int, *, pid: int, log_path: str,
                    replace_note: tuple[str, str] | None = None) -> None:
    """The run's process started; ``replace_note`` swaps a note in its message (waiting -> waited)."""
    old, new = replace_note or ("", "")
    with db.transaction() as conn:
        conn.execute(
            "UPDATE schedule_runs SET pid = ?, log_path = ?,"
            " message = CASE WHEN ? != '' THEN REPLACE(message, ?, ?) ELSE message END WHERE id = ?",
            (pid, log_path, old, old, new, run_id),
        )


def note_run(db: Database, run_id: int, note: str) -> None:
    """Add a note to a run's message (after the catch-up note it may have)."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE schedule_runs SET message = CASE WHEN message = '' THEN ? ELSE message || '; ' || ? END"
            " WHERE id = ?", (note, note, run_id),
        )


def _outcome(conn: sqlite3.Connection, run_id: int) -> str | None:
    row = conn.execute("SELECT outcome FROM schedule_runs WHERE id = ?", (run_id,)).fetchone()
    return row["outcome"] if row else None


def finish_run(db: Database, run_id: int, outcome: str, *, exit_code: int | None, message: str = "",
               close: bool = True) -> None:
    """Called by the job process itself: the outcome it knows best.

    With ``close=False`` (a daemon run) ``ended_at`` stays empty until the daemon has added the
    exit code and output, so a run with ``ended_at`` set is complete.
    """
    with db.transaction() as conn:
        current = _outcome(conn, run_id)
        if current is None:
            return
        new = RUN_OUTCOMES.check(current, outcome)
        conn.execute(
            "UPDATE schedule_runs SET outcome = ?, exit_code = ?,"
            " message = CASE WHEN message != '' THEN message || '; ' || ? ELSE ? END,"  # keeps the daemon's note
            " ended_at = CASE WHEN ? THEN ? ELSE ended_at END WHERE id = ?",
            (new, exit_code, message[:1000], message[:1000], int(close), iso(now_utc()), run_id),
        )
        _set_last_outcome(conn, run_id, new)


def close_run(db: Database, run_id: int, *, outcome_if_open: str, exit_code: int | None, output_tail: str,
              message: str = "", force_outcome: str | None = None) -> None:
    """Called by the daemon after the child exited: keeps the child's own outcome unless forced."""
    with db.transaction() as conn:
        current = _outcome(conn, run_id)
        if current is None:
            return
        new = force_outcome or (outcome_if_open if current == RunOutcome.RUNNING else current)
        new = RUN_OUTCOMES.check(current, new)
        conn.execute(
            "UPDATE schedule_runs SET outcome = ?, exit_code = COALESCE(exit_code, ?), output_tail = ?,"
            " ended_at = COALESCE(ended_at, ?), message = CASE WHEN ? != '' THEN ? ELSE message END WHERE id = ?",
            (new, exit_code, output_tail[-4000:], iso(now_utc()), message, message, run_id),
        )
        _set_last_outcome(conn, run_id, new)


def record_skipped(db: Database, *, schedule_id: int | None, kind: str, target: str, source: str,
                   planned_at: str | None, message: str, run_id: int | None = None) -> int:
    """A run that did not start because the same job was already running."""
    stamp = iso(now_utc())
    with db.transaction() as conn:
        if run_id is None:
            run_id = conn.execute(
                "INSERT INTO schedule_runs (schedule_id, kind, target, source, planned_at, started_at, outcome)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (schedule_id, kind, target, source, planned_at, stamp, RunOutcome.RUNNING),
            ).lastrowid
        new = RUN_OUTCOMES.check(_outcome(conn, run_id), RunOutcome.SKIPPED_OVERLAP)
        conn.execute(
            "UPDATE schedule_runs SET outcome = ?, ended_at = ?, message = ?, exit_code = 75 WHERE id = ?",
            (new, stamp, message, run_id),
        )
        _set_last_outcome(conn, run_id, new)
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


def recent_runs(db: Database, limit: int = 20, *, schedule_id: int | None = None, offset: int = 0) -> list[Run]:
    if schedule_id is None:
        rows = db.query("SELECT * FROM schedule_runs ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset))
    else:
        rows = db.query("SELECT * FROM schedule_runs WHERE schedule_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
                        (schedule_id, limit, offset))
    return [Run.from_row(r) for r in rows]


def open_runs(db: Database) -> list[Run]:
    """Runs not closed yet. A daemon job writes its outcome but leaves ``ended_at`` to its daemon,
    so a run whose daemon died after that is open with an outcome other than running."""
    rows = db.query("SELECT * FROM schedule_runs WHERE ended_at IS NULL ORDER BY id")
    return [Run.from_row(r) for r in rows]


def failed_of_last(db: Database, count: int) -> int:
    """How many of the last ``count`` runs (daemon or cron) failed, timed out or were missed."""
    return db.query_one(
        "SELECT COUNT(*) FROM (SELECT outcome FROM schedule_runs ORDER BY id DESC LIMIT ?) WHERE outcome IN (?, ?, ?)",
        (count, RunOutcome.FAILED, RunOutcome.TIMED_OUT, RunOutcome.MISSED),
    )[0]


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


def take_lease(db: Database, name: str, *, holder_alive: Callable[[int], bool], run_id: int | None = None) -> Lease | None:
    """Write our lease row. Returns the other holder's lease if a live process on this host holds it.

    Call only while holding the matching file lock: then any existing row belongs to a dead holder,
    unless the lock file itself was removed, which ``holder_alive(pid)`` (the live-PID check) still catches.
    """
    stamp = iso(now_utc())
    with db.transaction() as conn:
        row = conn.execute("SELECT * FROM scheduler_leases WHERE name = ?", (name,)).fetchone()
        if (row and row["pid"] != os.getpid() and row["host"] == hostname()
                and holder_alive(row["pid"])):
            return Lease(**dict(row))
        conn.execute(
            "INSERT INTO scheduler_leases (name, pid, host, run_id, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET pid = excluded.pid, host = excluded.host, run_id = excluded.run_id,"
            " acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at",
            (name, os.getpid(), hostname(), run_id, stamp, stamp),
        )
    return None


def release_lease(db: Database, name: str, pid: int | None = None) -> None:
    """Drop the lease ``name`` held by ``pid`` (default: this process)."""
    with db.transaction() as conn:
        conn.execute("DELETE FROM scheduler_leases WHERE name = ? AND pid = ?", (name, pid or os.getpid()))


def heartbeat(db: Database, name: str = DAEMON_LEASE, *, now: datetime | None = None) -> None:
    with db.transaction() as conn:
        conn.execute(
            "UPDATE scheduler_leases SET heartbeat_at = ? WHERE name = ? AND pid = ?",
            (iso(now or now_utc()), name, os.getpid()),
        )


def get_lease(db: Database, name: str) -> Lease | None:
    row = db.query_one("SELECT * FROM scheduler_leases WHERE name = ?", (name,))
    return Lease(**dict(row)) if row else None


def list_leases(db: Database) -> list[Lease]:
    return [Lease(**dict(r)) for r in db.query("SELECT * FROM scheduler_leases ORDER BY name")]
