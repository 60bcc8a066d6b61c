"""Background tasks and their events: where a Short started from the web app, the API or MCP stands.

Every status write is checked against ``states.TASK_STATES`` inside the transaction that makes it,
so a late reader can never turn a finished task into an interrupted one.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from moneyprinter.errors import NotFound
from moneyprinter.store.db import Database, update_columns, utcnow
from moneyprinter.store.states import TaskStatus, advance_task

ACTIVE = (TaskStatus.QUEUED, TaskStatus.RUNNING)
_UPDATABLE = frozenset({"status", "stage", "progress", "message", "item_id", "error", "hint", "pid",
                        "started_at", "finished_at"})


@dataclass
class Task:
    id: int
    kind: str
    status: TaskStatus
    lock_name: str
    account_id: int | None = None
    params: dict[str, Any] = field(default_factory=dict)
    stage: str = ""
    progress: float = 0.0
    message: str = ""
    item_id: int | None = None
    error: str | None = None
    hint: str | None = None
    pid: int | None = None
    created_at: str = ""
    started_at: str | None = None
    finished_at: str | None = None
    updated_at: str = ""

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def topic(self) -> str | None:
        """The topic asked for (None: the model's choice)."""
        return self.params.get("topic")

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Task:
        data = dict(row)
        data["params"] = json.loads(data["params"] or "{}")
        data["status"] = TaskStatus(data["status"])
        return cls(**data)


@dataclass
class Event:
    seq: int
    stage: str
    message: str
    at: str


def create_task(db: Database, kind: str, *, lock_name: str, account_id: int | None, params: dict[str, Any]) -> Task:
    now = utcnow()
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO tasks (kind, account_id, params, lock_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            (kind, account_id, json.dumps(params), lock_name, now, now))
        task_id = cur.lastrowid
        _add_event(conn, task_id, "", "queued")
    return get_task(db, task_id)


def get_task(db: Database, task_id: int) -> Task:
    row = db.query_one("SELECT * FROM tasks WHERE id = ?", (task_id,))
    if row is None:
        raise NotFound(f"no task with id {task_id}", hint="list the tasks: GET /api/v1/tasks")
    return Task.from_row(row)


def list_tasks(db: Database, *, status: str | None = None, account_id: int | None = None, limit: int = 50,
               offset: int = 0) -> tuple[list[Task], int]:
    """Newest first, and how many match in all."""
    where, params = _filters(status=status, account_id=account_id)
    total = db.query_one(f"SELECT count(*) FROM tasks{where}", params)[0]
    rows = db.query(f"SELECT * FROM tasks{where} ORDER BY id DESC LIMIT ? OFFSET ?", (*params, limit, offset))
    return [Task.from_row(r) for r in rows], total


def active_tasks(db: Database) -> list[Task]:
    return [Task.from_row(r) for r in db.query("SELECT * FROM tasks WHERE status IN ('queued', 'running')")]


def _filters(**values: Any) -> tuple[str, tuple]:
    where = [(f"{column} = ?", value) for column, value in values.items() if value is not None]
    if not where:
        return "", ()
    return " WHERE " + " AND ".join(w for w, _ in where), tuple(v for _, v in where)


def update_task(db: Database, task_id: int, *, event: tuple[str, str] | None = None, **changes: Any) -> Task:
    """Change the task (a status change is checked) and, with ``event`` (stage, message), record it."""
    with db.transaction() as conn:
        _write(conn, task_id, changes)
        if event is not None:
            _add_event(conn, task_id, *event)
    return get_task(db, task_id)


def end_if_active(db: Database, task_id: int, status: TaskStatus, *, message: str, error: str | None = None,
                  hint: str | None = None) -> bool:
    """End a task that is still queued or running (a reader found its process gone); False if it had ended."""
    with db.transaction() as conn:
        row = conn.execute("SELECT status FROM tasks WHERE id = ?", (task_id,)).fetchone()
        if row is None or TaskStatus(row["status"]) not in ACTIVE:
            return False
        _write(conn, task_id, {"status": status, "message": message, "error": error, "hint": hint,
                               "finished_at": utcnow()})
        _add_event(conn, task_id, "", message)
    return True


def _write(conn: sqlite3.Connection, task_id: int, changes: dict[str, Any]) -> None:
    if "status" in changes:
        row = conn.execute("SELECT status FROM tasks WHERE id = ?", (task_id,)).fetchone()
        if row is None:
            raise NotFound(f"no task with id {task_id}")
        changes = {**changes, "status": advance_task(row["status"], changes["status"])}
    update_columns(conn, "tasks", task_id, changes, _UPDATABLE)


def _add_event(conn: sqlite3.Connection, task_id: int, stage: str, message: str) -> None:
    seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM task_events WHERE task_id = ?", (task_id,)).fetchone()[0]
    conn.execute("INSERT INTO task_events (task_id, seq, stage, message, at) VALUES (?, ?, ?, ?, ?)",
                 (task_id, seq, stage, message[:500], utcnow()))


def events(db: Database, task_id: int, after_seq: int = 0, limit: int = 500) -> list[Event]:
    rows = db.query("SELECT seq, stage, message, at FROM task_events WHERE task_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                    (task_id, after_seq, limit))
    return [Event(**dict(r)) for r in rows]
