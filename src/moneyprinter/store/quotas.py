"""Daily API quota spend per service (``quota_spend``, migration m003).

The day is whatever the caller says it is (YouTube's resets at midnight Pacific time,
``publishers/quota.py`` computes it); this module only counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from moneyprinter.store.db import Database, upsert, utcnow


@dataclass
class QuotaDay:
    service: str
    day: str
    units: int = 0
    exhausted_until: str | None = None


def get_day(db: Database, service: str, day: str) -> QuotaDay:
    row = db.query_one("SELECT units, exhausted_until FROM quota_spend WHERE service = ? AND day = ?", (service, day))
    if row is None:
        return QuotaDay(service, day)
    return QuotaDay(service, day, int(row["units"]), row["exhausted_until"])


def add_units(db: Database, service: str, day: str, units: int) -> None:
    with db.transaction() as conn:
        upsert(conn, "quota_spend", key=("service", "day"),
               values={"service": service, "day": day, "units": units, "updated_at": utcnow()},
               add=("units",))


def set_exhausted(db: Database, service: str, day: str, until: str) -> None:
    """The API said the quota is spent: remember it until ``until`` (nothing retries before)."""
    with db.transaction() as conn:
        upsert(conn, "quota_spend", key=("service", "day"),
               values={"service": service, "day": day, "units": 0, "exhausted_until": until, "updated_at": utcnow()},
               keep=("units",))
