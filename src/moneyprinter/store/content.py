"""Content items: a Short, a post, a thread or a pitch, from draft to published.

Each kind keeps its details in ``metadata``, a dataclass of ``store.content_meta`` (stored as
JSON), and may add tables of its own that reference ``content_items.id``. Every status change is checked against
``states.ITEM_STATES`` inside the transaction that writes it (``write_item``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from moneyprinter.errors import NotFound
from moneyprinter.store import content_meta
from moneyprinter.store.content_meta import ContentMeta
from moneyprinter.store.db import Database, update_columns, utcnow
from moneyprinter.store.states import ItemStatus, item_transition

_UPDATABLE = frozenset({"status", "title", "body", "metadata", "media_path", "work_dir", "error"})


@dataclass
class ContentItem:
    id: int
    account_id: int
    kind: str
    status: ItemStatus = ItemStatus.DRAFT
    title: str = ""
    body: str = ""
    metadata: ContentMeta = field(default_factory=ContentMeta)
    media_path: str | None = None
    work_dir: str | None = None
    error: str | None = None
    created_at: str = ""
    updated_at: str = ""

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> ContentItem:
        data = dict(row)
        data["metadata"] = content_meta.loads(data["kind"], data["metadata"])
        data["status"] = ItemStatus(data["status"])
        return cls(**data)


def create_item(
    db: Database,
    account_id: int,
    kind: str,
    *,
    status: ItemStatus | str = ItemStatus.DRAFT,
    title: str = "",
    body: str = "",
    metadata: ContentMeta | dict[str, Any] | None = None,
    media_path: str | None = None,
    work_dir: str | None = None,
    created_at: str | None = None,
) -> ContentItem:
    now = utcnow()
    with db.transaction() as conn:
        cur = conn.execute(
            """INSERT INTO content_items (account_id, kind, status, title, body, metadata, media_path,
                                          work_dir, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (account_id, kind, ItemStatus(status), title, body, content_meta.dumps(content_meta.parse(kind, metadata)),
             media_path, work_dir, created_at or now, now),
        )
        item_id = cur.lastrowid
    return get_item(db, item_id)


def get_item(db: Database, item_id: int) -> ContentItem:
    row = db.query_one("SELECT * FROM content_items WHERE id = ?", (item_id,))
    if row is None:
        raise _not_found(item_id)
    return ContentItem.from_row(row)


def _not_found(item_id: int) -> NotFound:
    return NotFound(f"no content item with id {item_id}",
                    hint="see 'moneyprinter publications' and 'moneyprinter review'")


def update_item(db: Database, item_id: int, **changes: Any) -> ContentItem:
    if changes:
        with db.transaction() as conn:
            write_item(conn, item_id, changes)
    return get_item(db, item_id)


def write_item(conn: sqlite3.Connection, item_id: int, changes: dict[str, Any]) -> None:
    """``changes`` inside the caller's transaction (for repositories that change an item with another row).

    A new status is checked against the item's current one, read under the same write lock.
    """
    changes = dict(changes)
    if "status" in changes or "metadata" in changes:
        row = conn.execute("SELECT status, kind FROM content_items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise _not_found(item_id)
        if "status" in changes:
            changes["status"] = item_transition(row["status"], changes["status"])
        if "metadata" in changes:
            changes["metadata"] = content_meta.dumps(content_meta.parse(row["kind"], changes["metadata"]))
    update_columns(conn, "content_items", item_id, changes, _UPDATABLE)


def count_items(db: Database, *, account_id: int | None = None, kind: str | None = None,
                kinds: tuple[str, ...] | None = None, status: str | None = None) -> int:
    """How many items ``list_items`` with the same filters gives without a limit (a page's total)."""
    where, params = [], []
    for column, value in (("account_id", account_id), ("kind", kind), ("status", status)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if kinds:
        where.append(f"kind IN ({', '.join('?' * len(kinds))})")
        params.extend(kinds)
    sql = "SELECT count(*) FROM content_items" + (" WHERE " + " AND ".join(where) if where else "")
    return db.query_one(sql, tuple(params))[0]


def list_items(
    db: Database,
    *,
    account_id: int | None = None,
    kind: str | None = None,
    kinds: tuple[str, ...] | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[ContentItem]:
    """Newest first. ``kinds`` selects several kinds at once (posts and threads); ``offset`` skips that many."""
    where, params = [], []
    for column, value in (("account_id", account_id), ("kind", kind), ("status", status)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if kinds:
        where.append(f"kind IN ({', '.join('?' * len(kinds))})")
        params.extend(kinds)
    sql = "SELECT * FROM content_items"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
    return [ContentItem.from_row(r) for r in db.query(sql, (*params, limit, offset))]
