"""Connection setup and transactions.

Every writer uses ``BEGIN IMMEDIATE`` so that it takes the write lock up front and waits
(``busy_timeout``) instead of failing half-way with "database is locked" when the daemon
and the CLI write at the same time. Connections are per thread; open one where you need one.
"""

from __future__ import annotations

import random
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from moneyprinter import paths
from moneyprinter.errors import StoreError

BUSY_TIMEOUT_MS = 30_000


def utcnow() -> str:
    """Timestamps are stored as ISO 8601 UTC text: sortable and readable in the sqlite3 shell."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch a new database to WAL (the mode is stored in the file, so later opens just read it).

    The switch needs an exclusive lock and SQLite reports "database is locked" at once, without
    waiting for busy_timeout, when another process opens the fresh file at the same moment (the
    daemon and the CLI on first start), so wait and try again here.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01 + random.random() * 0.04)


class Database:
    """One SQLite connection with the project's pragmas. Not shared between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._owner = threading.get_ident()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _enable_wal(self.conn)
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
        except (sqlite3.Error, OSError) as exc:
            damaged = isinstance(exc, sqlite3.DatabaseError) and "not a database" in str(exc)
            hint = (
                "the file is damaged or not moneyprinter's: restore it from a backup, or move it away to start afresh"
                if damaged
                else "check that the data directory is writable"
            )
            raise StoreError(f"{path}: cannot open the database ({exc})", hint=hint) from exc
        self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction taken with BEGIN IMMEDIATE. Nested use joins the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def integrity_problem(self) -> str | None:
        """What a quick structural check of the file finds wrong, or None if nothing."""
        result = self.conn.execute("PRAGMA quick_check").fetchone()[0]
        return None if result == "ok" else result

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_database(path: Path | None = None, *, migrate: bool = True) -> Database:
    """Open the project database (default: in the data directory) and bring its schema up to date."""
    db = Database(path or paths.db_path())
    if migrate:
        from moneyprinter.store.migrations import apply_migrations

        apply_migrations(db)
    return db


def update_columns(conn: sqlite3.Connection, table: str, row_id: int, changes: dict, allowed: frozenset[str], *,
                   touch: bool = True) -> None:
    """``UPDATE table SET <changes> WHERE id = ?`` for the columns in ``allowed`` only.

    Column names cannot be bound as parameters, so they are checked against the table's allowlist:
    a caller passing a user-chosen key can never write a column it should not.
    """
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"{table}: cannot update column(s) {', '.join(sorted(unknown))}")
    if not changes:
        return
    columns = list(changes)
    values = [changes[c] for c in columns]
    if touch:
        columns.append("updated_at")
        values.append(utcnow())
    assignments = ", ".join(f"{c} = ?" for c in columns)
    conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*values, row_id))


_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def _names(*groups) -> None:
    """Table and column names are code, never input; check anyway, as they cannot be bound."""
    for name in (n for group in groups for n in ([group] if isinstance(group, str) else group)):
        if not _IDENT.match(name):
            raise ValueError(f"not a plain SQL name: {name!r}")


def upsert(conn: sqlite3.Connection, table: str, *, key: tuple[str, ...], values: dict,
           keep: tuple[str, ...] = (), add: tuple[str, ...] = ()) -> None:
    """Insert ``values``, or update the row with the same ``key``: columns in ``keep`` keep their
    stored value, columns in ``add`` are added to it, the rest are overwritten.

    ``INSERT ... ON CONFLICT (key) DO UPDATE`` reads the same in SQLite (3.24+) and PostgreSQL.
    """
    _names(table, key, values, keep, add)
    columns = list(values)
    sets = [f"{c} = {c} + excluded.{c}" if c in add else f"{c} = excluded.{c}"
            for c in columns if c not in key and c not in keep]
    conn.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {', '.join(sets)}",
        tuple(values.values()),
    )


def insert_ignore(conn: sqlite3.Connection, table: str, values: dict) -> bool:
    """Insert unless a unique constraint already holds such a row; True if inserted.

    ``ON CONFLICT DO NOTHING`` rather than SQLite's ``INSERT OR IGNORE``: PostgreSQL reads it too,
    and it ignores only uniqueness conflicts, not NOT NULL or CHECK failures.
    """
    _names(table, values)
    columns = list(values)
    cur = conn.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) ON CONFLICT DO NOTHING",
        tuple(values.values()),
    )
    return cur.rowcount == 1
