"""YouTube quota: units spent per day, where the day is Pacific time (Google resets quotas at midnight PT)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from moneyprinter.errors import QuotaExceeded
from moneyprinter.store import quotas
from moneyprinter.store.db import Database, utcnow

PACIFIC = ZoneInfo("America/Los_Angeles")


def pacific_day(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).astimezone(PACIFIC).date().isoformat()


def next_reset(now: datetime | None = None) -> str:
    """The next midnight Pacific time, as ISO UTC."""
    local = (now or datetime.now(UTC)).astimezone(PACIFIC)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=PACIFIC)
    return midnight.astimezone(UTC).isoformat(timespec="seconds")


def spent(db: Database, service: str, day: str | None = None) -> int:
    return quotas.get_day(db, service, day or pacific_day()).units


def check(db: Database, service: str, cost: int, daily_limit: int) -> None:
    """Raise QuotaExceeded (with the reset time) if ``cost`` more units would go over today's limit."""
    today = quotas.get_day(db, service, pacific_day())
    if today.exhausted_until and today.exhausted_until > utcnow():
        raise _exceeded(service, "the API reported the daily quota as spent")
    if daily_limit and today.units + cost > daily_limit:
        raise _exceeded(service, f"{today.units} of {daily_limit} units spent today (an upload costs {cost})")


def spend(db: Database, service: str, units: int) -> None:
    quotas.add_units(db, service, pacific_day(), units)


def mark_exhausted(db: Database, service: str) -> QuotaExceeded:
    """Remember the API said the quota is spent, so nothing retries before the reset; returns the error to raise."""
    quotas.set_exhausted(db, service, pacific_day(), next_reset())
    return _exceeded(service, "the API answered quotaExceeded")


def _exceeded(service: str, why: str) -> QuotaExceeded:
    reset = next_reset()
    return QuotaExceeded(
        f"{service} daily quota exceeded: {why}", resets_at=reset,
        hint=f"nothing is retried before the quota resets at {reset} (midnight Pacific time)",
    )
