"""The last rate-limit window each X endpoint reported for an account (``x-rate-limit-*`` headers)."""

from __future__ import annotations

from dataclasses import dataclass

from moneyprinter.store.db import Database, utcnow


@dataclass
class RateWindow:
    account_id: int
    endpoint: str
    limit_total: int | None
    remaining: int | None
    reset_at: str | None
    updated_at: str


def record(db: Database, account_id: int, endpoint: str, *, limit_total: int | None, remaining: int | None,
           reset_at: str | None) -> None:
    with db.transaction() as conn:
        conn.execute(
            """INSERT INTO x_rate_limits (account_id, endpoint, limit_total, remaining, reset_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (account_id, endpoint) DO UPDATE SET limit_total = excluded.limit_total,
                 remaining = excluded.remaining, reset_at = excluded.reset_at, updated_at = excluded.updated_at""",
            (account_id, endpoint, limit_total, remaining, reset_at, utcnow()),
        )


def get(db: Database, account_id: int, endpoint: str) -> RateWindow | None:
    row = db.query_one("SELECT * FROM x_rate_limits WHERE account_id = ? AND endpoint = ?", (account_id, endpoint))
    return RateWindow(**dict(row)) if row else None
