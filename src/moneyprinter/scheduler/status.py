"""Is the daemon alive, what runs next, what ran last: shared by ``scheduler status``, the menu and health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from moneyprinter.scheduler.locks import is_moneyprinter_process
from moneyprinter.scheduler.triggers import zone
from moneyprinter.settings.scheduler import SchedulerSettings
from moneyprinter.store import schedules as store
from moneyprinter.store.db import Database


@dataclass
class DaemonState:
    running: bool
    pid: int | None = None
    host: str | None = None
    started_at: str | None = None
    last_tick_age_s: float | None = None

    def describe(self) -> str:
        if self.running:
            return f"scheduler running (PID {self.pid}), last tick {self.last_tick_age_s:.0f} s ago"
        if self.pid:
            return f"not running (PID {self.pid} last seen {self.last_tick_age_s:.0f} s ago)"
        return "not running"

    def to_json(self) -> dict:
        return {"running": self.running, "pid": self.pid, "host": self.host, "started_at": self.started_at,
                "last_tick_age_s": None if self.last_tick_age_s is None else round(self.last_tick_age_s, 1)}


def daemon_state(db: Database, settings: SchedulerSettings) -> DaemonState:
    """Running = a lease row whose heartbeat is fresh and, on this host, whose PID is alive."""
    lease = store.get_lease(db, store.DAEMON_LEASE)
    if lease is None:
        return DaemonState(False)
    age = lease.heartbeat_age_s
    fresh = age <= 3 * settings.heartbeat_interval_s + 5
    alive = is_moneyprinter_process(lease.pid) if lease.host == store.hostname() else True
    return DaemonState(fresh and alive, lease.pid, lease.host, lease.acquired_at, max(age, 0.0))


def local_time(value: datetime | str | None, timezone: str, *, short: bool = False) -> str:
    """A UTC time shown in the configured timezone: ``Mon 2026-11-23 10:00 CET`` (short: ``11-23 10:00:05``)."""
    if not value:
        return "-"
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when.astimezone(zone(timezone)).strftime("%m-%d %H:%M:%S" if short else "%a %Y-%m-%d %H:%M %Z")
