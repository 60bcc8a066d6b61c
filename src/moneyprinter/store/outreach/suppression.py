"""The suppression list (``outreach_suppressions``): addresses and whole domains never to be mailed."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from moneyprinter.store.db import Database, insert_ignore, utcnow
from moneyprinter.store.states import SuppressionKind


@dataclass
class Suppression:
    kind: SuppressionKind
    value: str
    reason: str
    created_at: str


def add_many(db: Database, entries: list[tuple[SuppressionKind, str]], reason: str) -> int:
    """Suppress every (kind, value) in one transaction; returns how many were new."""
    added = 0
    with db.transaction() as conn:
        for kind, value in entries:
            values = {"kind": SuppressionKind(kind), "value": value, "reason": reason, "created_at": utcnow()}
            added += insert_ignore(conn, "outreach_suppressions", values)
    return added


def matches(conn: sqlite3.Connection, address: str, domains: list[str]) -> bool:
    """Is ``address``, or one of ``domains``, on the list? Runs inside the caller's transaction."""
    marks = ",".join("?" * len(domains))
    row = conn.execute(
        f"SELECT 1 FROM outreach_suppressions"
        f" WHERE (kind = ? AND value = ?) OR (kind = ? AND value IN ({marks})) LIMIT 1",
        (SuppressionKind.ADDRESS, address, SuppressionKind.DOMAIN, *domains),
    ).fetchone()
    return row is not None


def list_all(db: Database) -> list[Suppression]:
    rows = db.query("SELECT kind, value, reason, created_at FROM outreach_suppressions ORDER BY id")
    return [Suppression(SuppressionKind(r["kind"]), r["value"], r["reason"], r["created_at"]) for r in rows]


def remove(db: Database, kind: SuppressionKind, value: str) -> bool:
    """Take one entry off the list; returns False if it was not on it."""
    with db.transaction() as conn:
        cur = conn.execute("DELETE FROM outreach_suppressions WHERE kind = ? AND value = ?", (SuppressionKind(kind), value))
    return cur.rowcount == 1
