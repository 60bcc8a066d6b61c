"""The ledger of paid requests: claim before calling, so a crash or retry never pays twice.

Statuses follow ``states.PAID_REQUEST_STATES``: started -> done | failed, failed -> started.
"""

from __future__ import annotations

from dataclasses import dataclass

from moneyprinter.store.db import Database, utcnow
from moneyprinter.store.states import PAID_REQUEST_STATES, PaidRequestStatus


@dataclass
class PaidRequest:
    id: int
    item_id: int
    provider: str
    purpose: str
    status: PaidRequestStatus
    remote_id: str | None
    created_at: str
    updated_at: str


_KEY = "item_id = ? AND provider = ? AND purpose = ?"


def claim(db: Database, item_id: int, provider: str, purpose: str) -> bool:
    """Record the intent to make a paid request. False if it was made before (or may have been)."""
    now = utcnow()
    with db.transaction() as conn:
        row = conn.execute(f"SELECT status FROM paid_requests WHERE {_KEY}", (item_id, provider, purpose)).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO paid_requests (item_id, provider, purpose, status, created_at, updated_at) "
                "VALUES (?, ?, ?, 'started', ?, ?)",
                (item_id, provider, purpose, now, now),
            )
            return True
        if row["status"] == PaidRequestStatus.FAILED:  # the service refused it: nothing was charged, try again
            conn.execute(f"UPDATE paid_requests SET status = 'started', updated_at = ? WHERE {_KEY}",
                         (now, item_id, provider, purpose))
            return True
        return False


def finish(db: Database, item_id: int, provider: str, purpose: str, status: str, remote_id: str | None = None) -> None:
    with db.transaction() as conn:
        row = conn.execute(f"SELECT status FROM paid_requests WHERE {_KEY}", (item_id, provider, purpose)).fetchone()
        if row is not None:
            status = PAID_REQUEST_STATES.check(row["status"], status)
        conn.execute(
            f"UPDATE paid_requests SET status = ?, remote_id = COALESCE(?, remote_id), updated_at = ? WHERE {_KEY}",
            (status, remote_id, utcnow(), item_id, provider, purpose),
        )


def get(db: Database, item_id: int, provider: str, purpose: str) -> PaidRequest | None:
    row = db.query_one(f"SELECT * FROM paid_requests WHERE {_KEY}", (item_id, provider, purpose))
    if row is None:
        return None
    return PaidRequest(**{**dict(row), "status": PaidRequestStatus(row["status"])})


def count_charged(db: Database, item_id: int, provider: str) -> int:
    """Requests that were, or may have been, charged ('done' or 'started')."""
    row = db.query_one(
        "SELECT COUNT(*) FROM paid_requests WHERE item_id = ? AND provider = ? AND status != 'failed'", (item_id, provider)
    )
    return row[0]
