"""Publications: the durable memory that makes publishing happen at most once.

Every change is committed before the side effect it announces (``publishing`` before a POST,
the upload session URI before the first byte), so a crash leaves enough behind to resume or
reconcile on the next run. Each attempt to publish is recorded in ``publication_attempts``.

An item has one publication per destination (``UNIQUE (item_id, destination)``). A destination
names where the item goes; the item's own publication goes to its account's platform, which is
the default wherever a destination is not given. Cross-posts add publications to other destinations,
each with its own status, attempts and exactly-once bookkeeping.

Statuses follow ``states.PUBLICATION_STATES``; every write checks the change against the status
read under the same write lock. Where the item's status changes with its publication's (an
outcome, a rejection, a manual upload), ``change`` writes both, and the attempt, in one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from moneyprinter.errors import NotFound
from moneyprinter.store.content import write_item
from moneyprinter.store.db import Database, update_columns, utcnow
from moneyprinter.store.states import (
    ATTEMPT_OUTCOMES,
    AttemptOutcome,
    ItemStatus,
    PublicationStatus,
    publication_transition,
)

STATUSES = tuple(s.value for s in PublicationStatus)
_JSON_FIELDS = {"request_ids": "[]", "state": "{}"}
_UPDATABLE = frozenset({
    "publisher", "status", "file_path", "file_hash", "file_size", "session_uri", "request_ids", "state",
    "remote_id", "remote_url", "location", "error", "not_before", "publishing_at", "published_at",
})


@dataclass
class Publication:
    id: int
    item_id: int
    destination: str
    account_id: int
    publisher: str
    status: PublicationStatus
    file_path: str | None = None
    file_hash: str | None = None
    file_size: int | None = None
    session_uri: str | None = None
    request_ids: list[str] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    remote_id: str | None = None
    remote_url: str | None = None
    location: str | None = None
    error: str | None = None
    not_before: str | None = None
    created_at: str = ""
    updated_at: str = ""
    publishing_at: str | None = None
    published_at: str | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Publication:
        data = dict(row)
        for name, empty in _JSON_FIELDS.items():
            data[name] = json.loads(data[name] or empty)
        data["status"] = PublicationStatus(data["status"])
        return cls(**data)


@dataclass
class Attempt:
    id: int
    publication_id: int
    publisher: str
    outcome: AttemptOutcome
    error: str | None
    started_at: str
    finished_at: str | None


# --- reading ---------------------------------------------------------------------------------


def get(db: Database, publication_id: int) -> Publication:
    row = db.query_one("SELECT * FROM publications WHERE id = ?", (publication_id,))
    if row is None:
        raise NotFound(f"no publication with id {publication_id}")
    return Publication.from_row(row)


def get_for_item(db: Database, item_id: int, destination: str | None = None) -> Publication | None:
    """The item's publication to ``destination`` (default: its own, to its account's platform)."""
    if destination is None:
        row = db.query_one(
            """SELECT p.* FROM publications p JOIN content_items i ON i.id = p.item_id
               JOIN accounts a ON a.id = i.account_id WHERE p.item_id = ? AND p.destination = a.platform""",
            (item_id,),
        )
    else:
        row = db.query_one("SELECT * FROM publications WHERE item_id = ? AND destination = ?", (item_id, destination))
    return Publication.from_row(row) if row else None


def for_item(db: Database, item_id: int) -> list[Publication]:
    """Every publication of the item, oldest first."""
    rows = db.query("SELECT * FROM publications WHERE item_id = ? ORDER BY id", (item_id,))
    return [Publication.from_row(r) for r in rows]


def list_publications(
    db: Database, *, account_id: int | None = None, status: str | None = None, limit: int = 100, offset: int = 0
) -> list[Publication]:
    """Newest first; ``offset`` skips that many (a page of a long list)."""
    where, params = [], []
    for column, value in (("account_id", account_id), ("status", status)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    sql = "SELECT * FROM publications" + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY id DESC LIMIT ? OFFSET ?"
    return [Publication.from_row(r) for r in db.query(sql, (*params, limit, offset))]


def due(db: Database, now: str, limit: int) -> list[Publication]:
    """``pending`` publications whose deferral (``not_before``) has passed, oldest first."""
    rows = db.query(
        "SELECT * FROM publications WHERE status = 'pending' AND (not_before IS NULL OR not_before <= ?) "
        "ORDER BY id LIMIT ?", (now, limit),
    )
    return [Publication.from_row(r) for r in rows]


def unfinished_twin(db: Database, account_id: int, kind: str, body: str, since: str) -> Publication | None:
    """The newest publication of an item of this account, kind and body created since ``since`` whose
    outcome is open (``publishing`` or ``needs_attention``): creating the same item again may post it twice."""
    row = db.query_one(
        """SELECT p.* FROM publications p JOIN content_items i ON i.id = p.item_id
           WHERE i.account_id = ? AND i.kind = ? AND i.body = ? AND i.created_at >= ?
             AND p.status IN ('publishing', 'needs_attention') ORDER BY i.id DESC LIMIT 1""",
        (account_id, kind, body, since),
    )
    return Publication.from_row(row) if row else None


def count_by_status(db: Database) -> dict[str, int]:
    return {r["status"]: r["n"] for r in db.query("SELECT status, COUNT(*) AS n FROM publications GROUP BY status")}


def count_publications(db: Database, *, account_id: int | None = None, status: str | None = None) -> int:
    """How many ``list_publications`` with the same filters gives without a limit (a page's total)."""
    where, params = [], []
    for column, value in (("account_id", account_id), ("status", status)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    return db.query_one("SELECT count(*) FROM publications" + (" WHERE " + " AND ".join(where) if where else ""),
                        tuple(params))[0]


# --- writing ---------------------------------------------------------------------------------


def ensure(db: Database, item_id: int, account_id: int, publisher: str, status: PublicationStatus | str, *,
           destination: str | None = None, item_follows: bool = False) -> Publication:
    """The item's publication to ``destination`` (default: the account's platform), created with
    ``status`` if there is none: one record per item and destination, ever.

    With ``item_follows`` (the publication is the item's own), an item whose publication waits in
    review is marked ``review`` in the same transaction.
    """
    now = utcnow()
    with db.transaction() as conn:
        if destination is None:
            row = conn.execute("SELECT platform FROM accounts WHERE id = ?", (account_id,)).fetchone()
            if row is None:
                raise NotFound(f"no account with id {account_id}")
            destination = row["platform"]
        conn.execute(
            """INSERT INTO publications (item_id, destination, account_id, publisher, status, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item_id, destination) DO NOTHING""",
            (item_id, destination, account_id, publisher, PublicationStatus(status), now, now),
        )
        pub = get_for_item(db, item_id, destination)
        if item_follows and pub.status == PublicationStatus.REVIEW:  # type: ignore[union-attr]
            write_item(conn, item_id, {"status": ItemStatus.REVIEW})
    return pub  # type: ignore[return-value]


def update(db: Database, publication_id: int, **changes: Any) -> Publication:
    """Commit ``changes`` now; JSON fields are serialised, a status change is checked."""
    with db.transaction() as conn:
        _write(conn, publication_id, changes)
    return get(db, publication_id)


def change(db: Database, publication_id: int, *, item: dict[str, Any] | None = None,
           attempt: tuple[int, AttemptOutcome | str, str | None] | None = None, **changes: Any) -> Publication:
    """One transaction: the publication's ``changes``, its item's (``item``: status, error, ...) and the
    end of an attempt (``attempt``: id, outcome, error), so that they never disagree after a crash."""
    with db.transaction() as conn:
        pub_row = conn.execute("SELECT item_id FROM publications WHERE id = ?", (publication_id,)).fetchone()
        if pub_row is None:
            raise NotFound(f"no publication with id {publication_id}")
        _write(conn, publication_id, changes)
        if item:
            write_item(conn, pub_row["item_id"], item)
        if attempt:
            _finish_attempt(conn, *attempt)
    return get(db, publication_id)


def _write(conn: sqlite3.Connection, publication_id: int, changes: dict[str, Any]) -> None:
    changes = dict(changes)
    for name in _JSON_FIELDS:
        if name in changes:
            changes[name] = json.dumps(changes[name])
    if "status" in changes:
        row = conn.execute("SELECT status FROM publications WHERE id = ?", (publication_id,)).fetchone()
        if row is None:
            raise NotFound(f"no publication with id {publication_id}")
        changes["status"] = publication_transition(row["status"], changes["status"])
    update_columns(conn, "publications", publication_id, changes, _UPDATABLE)


def add_request_id(db: Database, pub: Publication, request_id: str) -> Publication:
    if request_id in pub.request_ids:
        return pub
    return update(db, pub.id, request_ids=[*pub.request_ids, request_id])


def merge_state(db: Database, pub: Publication, **values: Any) -> Publication:
    return update(db, pub.id, state={**pub.state, **values})


# --- attempts --------------------------------------------------------------------------------


def start_attempt(db: Database, pub: Publication, publisher: str) -> int:
    now = utcnow()
    with db.transaction() as conn:
        # An attempt still 'running' belongs to a process that died: say so instead of leaving it open.
        conn.execute(
            "UPDATE publication_attempts SET outcome = 'interrupted', finished_at = ? "
            "WHERE publication_id = ? AND outcome = 'running'",
            (now, pub.id),
        )
        cur = conn.execute(
            "INSERT INTO publication_attempts (publication_id, publisher, started_at) VALUES (?, ?, ?)",
            (pub.id, publisher, now),
        )
    return cur.lastrowid  # type: ignore[return-value]


def finish_attempt(db: Database, attempt_id: int, outcome: str, error: str | None = None) -> None:
    with db.transaction() as conn:
        _finish_attempt(conn, attempt_id, outcome, error)


def _finish_attempt(conn: sqlite3.Connection, attempt_id: int, outcome: AttemptOutcome | str,
                    error: str | None) -> None:
    row = conn.execute("SELECT outcome FROM publication_attempts WHERE id = ?", (attempt_id,)).fetchone()
    if row is None:
        raise NotFound(f"no publication attempt with id {attempt_id}")
    outcome = ATTEMPT_OUTCOMES.check(row["outcome"], outcome)
    conn.execute(
        "UPDATE publication_attempts SET outcome = ?, error = ?, finished_at = ? WHERE id = ?",
        (outcome, error, utcnow(), attempt_id),
    )


def attempts(db: Database, publication_id: int) -> list[Attempt]:
    rows = db.query("SELECT * FROM publication_attempts WHERE publication_id = ? ORDER BY id", (publication_id,))
    return [Attempt(**{**dict(r), "outcome": AttemptOutcome(r["outcome"])}) for r in rows]
