"""Rate-limit windows per account and endpoint: the last one each X endpoint reported (``x-rate-limit-*``
headers), and the windows moneyprinter counts itself for networks that publish a limit but send no headers
(TikTok: 6 post requests a minute per token)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

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


def take(db: Database, account_id: int, endpoint: str, *, limit: int, window_s: float) -> float | None:
    """Count one request in a fixed window of ``limit`` requests per ``window_s`` seconds.

    Returns None when the request may go (it is counted), or the seconds until the window reopens
    (nothing counted). Read and write happen in one transaction, so two processes never both take
    the last request of a window.
    """
    now = datetime.now(UTC)
    with db.transaction() as conn:
        row = conn.execute("SELECT remaining, reset_at FROM x_rate_limits WHERE account_id = ? AND endpoint = ?",
                           (account_id, endpoint)).fetchone()
        reset_at = datetime.fromisoformat(row["reset_at"]) if row and row["reset_at"] else None
        if reset_at is None or reset_at <= now:  # a new window starts with this request
            reset_at, remaining = now + timedelta(seconds=window_s), limit
        else:
            remaining = row["remaining"] if row["remaining"] is not None else limit
        if remaining <= 0:
            return max(0.1, (reset_at - now).total_seconds())
        conn.execute(
            """INSERT INTO x_rate_limits (account_id, endpoint, limit_total, remaining, reset_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (account_id, endpoint) DO UPDATE SET limit_total = excluded.limit_total,
                 remaining = excluded.remaining, reset_at = excluded.reset_at, updated_at = excluded.updated_at""",
            (account_id, endpoint, limit, remaining - 1, reset_at.isoformat(timespec="seconds"), utcnow()),
        )
    return None
