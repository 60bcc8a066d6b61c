"""Index the runs nobody has closed yet: the daemon looks for them on every tick.

A run is open until ``ended_at`` is set, whatever outcome its job already wrote.
"""

from __future__ import annotations

from moneyprinter.store.migrations import run_script


def up(conn) -> None:
    run_script(conn, "CREATE INDEX IF NOT EXISTS schedule_runs_open ON schedule_runs (id) WHERE ended_at IS NULL;")
