"""The schedules and runs tables of ``moneyprinter schedule list``, ``scheduler status`` and the Schedules screen."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from moneyprinter import paths
from moneyprinter.scheduler import schedules as sched
from moneyprinter.scheduler.status import local_time
from moneyprinter.store import schedules as store
from moneyprinter.store.states import ScheduleManager
from moneyprinter.terminal.output import table


def schedules_table(schedules: list[sched.Schedule], timezone: str) -> Table:
    rows = [
        [s.id, s.kind, s.target, s.trigger.describe(), f"{s.jitter_minutes}m" if s.jitter_minutes else "-",
         ("yes" if s.enabled else "no") + (" (cron)" if s.managed_by == ScheduleManager.CRON else ""),
         local_time(s.next_run_at, timezone) if s.enabled else "-",
         f"{local_time(s.last_run_at, timezone)} {s.last_outcome or ''}" if s.last_run_at else "-"]
        for s in schedules
    ]
    return table(None, ["id", "job", "account", "when", "jitter", "enabled", f"next run ({timezone})", "last run"], rows)


def runs_table(runs: list[store.Run], timezone: str) -> Table:
    rows = [
        [r.id, local_time(r.started_at, timezone, short=True), r.kind, r.target, r.outcome,
         "" if r.exit_code is None else r.exit_code, _duration(r), r.message or _last_line(r.output_tail),
         _short_path(r.log_path)]
        for r in runs
    ]
    return table(f"Last runs ({timezone})", ["run", "started", "job", "account", "outcome", "exit", "took", "message", "log"], rows)


def _short_path(path: str | None) -> str:
    """Run logs live in the data directory: show them relative to it."""
    if not path:
        return ""
    try:
        return str(Path(path).relative_to(paths.data_dir()))
    except ValueError:
        return path


def _duration(run: store.Run) -> str:
    if not run.ended_at:
        return ""
    seconds = (store.parse_iso(run.ended_at) - store.parse_iso(run.started_at)).total_seconds()
    return f"{seconds:.0f}s"


def _last_line(text: str) -> str:
    return text.strip().splitlines()[-1] if text.strip() else ""
