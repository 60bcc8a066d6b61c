"""Numbered schema migrations.

Each module ``mNNN_name.py`` in this package defines ``up(conn)`` (use ``run_script``,
not ``executescript``, which commits). They run in number order,
each inside its own ``BEGIN IMMEDIATE`` transaction, and are recorded in ``_migrations`` so
that every process sees the same schema and two processes never apply one twice.
Capabilities add tables by adding a module; never edit one that has shipped.

A migration that rebuilds a table (SQLite cannot add a CHECK or change a UNIQUE in place) sets
``REBUILDS_TABLES = True``: it then runs with foreign keys off, as SQLite's documented procedure
asks (dropping the old table would otherwise cascade into every table that references it), and
``PRAGMA foreign_key_check`` must find nothing before it commits.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
import sqlite3
from types import ModuleType

from moneyprinter.store.db import Database, utcnow

log = logging.getLogger(__name__)
_NAME = re.compile(r"^m(\d{3})_\w+$")


def widen_check(conn, table: str, old: str, new: str) -> None:
    """Replace a CHECK constraint's text with a wider one, in place.

    SQLite cannot alter a CHECK constraint, and rebuilding a parent table would cascade-delete its
    children. A wider CHECK changes no stored row, the case SQLite documents as safe for editing the
    schema text (https://www.sqlite.org/lang_altertable.html, "writable_schema").
    """
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    try:
        changed = conn.execute(
            "UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ? AND instr(sql, ?) > 0",
            (old, new, table, old),
        ).rowcount
        if changed != 1:
            raise RuntimeError(f"{table}: CHECK constraint {old!r} not found")
        conn.execute(f"PRAGMA schema_version = {version + 1}")  # other connections re-read the schema
    finally:
        conn.execute("PRAGMA writable_schema = OFF")


def run_script(conn, script: str) -> None:
    """Execute several statements inside the current transaction.

    ``sqlite3.Connection.executescript`` commits first, which would break the migration's
    transaction, so statements are split and run one by one.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement.strip()[:60]}")


def discover() -> list[tuple[int, str, ModuleType]]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        match = _NAME.match(info.name)
        if match:
            module = importlib.import_module(f"{__name__}.{info.name}")
            found.append((int(match.group(1)), info.name, module))
    numbers = [n for n, _, _ in found]
    if len(numbers) != len(set(numbers)):
        raise RuntimeError(f"two migrations share a number: {sorted(numbers)}")
    return sorted(found)


def applied(db: Database) -> set[str]:
    db.conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    return {row["name"] for row in db.query("SELECT name FROM _migrations")}


def pending(db: Database) -> list[str]:
    done = applied(db)
    return [name for _, name, _ in discover() if name not in done]


def apply_migrations(db: Database) -> list[str]:
    """Apply what is missing; returns the names applied by this call."""
    ran = []
    done = applied(db)
    for _, name, module in discover():
        if name in done:
            continue
        rebuilds = getattr(module, "REBUILDS_TABLES", False)
        if rebuilds:
            db.conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: set before BEGIN
        try:
            with db.transaction() as conn:
                # Another process may have applied it while we waited for the write lock.
                if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                    continue
                module.up(conn)
                if rebuilds:
                    _check_foreign_keys(conn, name)
                conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (name, utcnow()))
        finally:
            if rebuilds:
                db.conn.execute("PRAGMA foreign_keys = ON")
        log.info("database %s: applied migration %s", db.path, name)
        ran.append(name)
    return ran


def _check_foreign_keys(conn, name: str) -> None:
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration {name} would leave {len(broken)} broken reference(s), e.g. {tuple(broken[0])}")
