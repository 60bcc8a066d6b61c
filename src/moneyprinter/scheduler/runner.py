"""``moneyprinter run KIND --account NAME``: run one job once, in this process.

This is what cron, systemd and the daemon start. It takes the job's file lock (and its lease row)
so two runs of the same job never overlap: the second records ``skipped_overlap`` and exits 75.
Exit codes: 0 done, 1 failed, 2 usage error,
75 deferred (rate-limited, quota spent, or the same job already running: try later).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import logging
import os
import signal
import threading
from dataclasses import dataclass
from datetime import timedelta

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.redact import redact
from moneyprinter.scheduler.jobs import check_target, get_kind, resolve
from moneyprinter.scheduler.locks import is_moneyprinter_process, job_lock, job_lock_name
from moneyprinter.scheduler.processes import end_own_group, lead_own_group
from moneyprinter.scheduler.schedules import claim_cron_run
from moneyprinter.store import schedules as store
from moneyprinter.store.db import Database
from moneyprinter.store.states import RunOutcome

if TYPE_CHECKING:
    from moneyprinter.app import App

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_DEFERRED = 0, 1, 2, 75
WATCHDOG_INTERVAL_S = 0.5
GROUP_GRACE_S = 3  # after SIGTERM, what the run started gets this long before SIGKILL


@dataclass
class RunResult:
    run_id: int
    outcome: RunOutcome
    exit_code: int
    message: str


class Interrupted(SystemExit):
    """SIGTERM arrived: unwind so the outcome is recorded and the lock released."""


def run_job(app: App, kind_name: str, target: str, *, run_id: int | None = None, parent_pid: int | None = None,
            schedule_id: int | None = None) -> RunResult:
    """Run the job; record its outcome in ``run_id`` (made by the daemon) or in a new run row.

    A ``MoneyPrinterError`` from the job is recorded and re-raised, so the CLI prints one line
    and exits with the error's exit code.
    """
    db = app.db
    try:
        kind = get_kind(kind_name)
        check_target(app, kind, target)
    except MoneyPrinterError as exc:
        if run_id is not None:
            store.finish_run(db, run_id, RunOutcome.FAILED, exit_code=exc.exit_code, message=redact(str(exc)), close=False)
        raise
    if run_id is None:
        lead_own_group()  # cron or a shell: one group, so SIGTERM ends what the job started too
    lock = job_lock(kind.name, target)
    if not lock.acquire():
        return _skip(db, kind.name, target, run_id, holder=lock.holder_pid(), schedule_id=schedule_id)
    try:
        other = store.take_lease(db, job_lock_name(kind.name, target), run_id=run_id,
                                 holder_alive=is_moneyprinter_process)
        if other is not None:
            return _skip(db, kind.name, target, run_id, holder=other.pid, schedule_id=schedule_id)
        close = run_id is None  # a daemon run is closed by the daemon, after it has the output
        if run_id is None and schedule_id is not None:  # cron: linked to its schedule, missed slots recorded
            grace = timedelta(minutes=app.settings.scheduler.missed_grace_minutes)
            run_id = claim_cron_run(db, schedule_id, kind.name, target, pid=os.getpid(), grace=grace,
                                    log_path=_log_file(app))
        if run_id is None:
            run_id = store.start_cli_run(db, kind.name, target, log_path=_log_file(app))
            store.take_lease(db, job_lock_name(kind.name, target), run_id=run_id, holder_alive=is_moneyprinter_process)
        if parent_pid:
            _watch_parent(db.path, run_id, parent_pid)
        return _execute(app, db, kind, target, run_id, close)
    finally:
        store.release_lease(db, job_lock_name(kind.name, target))
        lock.release()


def _execute(app: App, db: Database, kind, target: str, run_id: int, close: bool) -> RunResult:
    previous = signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        summary = resolve(kind)(app, target)
    except MoneyPrinterError as exc:
        outcome = RunOutcome.DEFERRED if exc.exit_code == EXIT_DEFERRED else RunOutcome.FAILED
        store.finish_run(db, run_id, outcome, exit_code=exc.exit_code, message=redact(str(exc)), close=close)
        raise
    except Interrupted:
        store.finish_run(db, run_id, RunOutcome.FAILED, exit_code=143, message="interrupted by SIGTERM", close=close)
        end_own_group(GROUP_GRACE_S)
        raise
    except KeyboardInterrupt:
        store.finish_run(db, run_id, RunOutcome.FAILED, exit_code=130, message="interrupted by Ctrl-C", close=close)
        raise
    except Exception as exc:  # a bug in the job: record it, let the CLI log the traceback
        store.finish_run(db, run_id, RunOutcome.FAILED, exit_code=EXIT_FAILED,
                         message=redact(f"unexpected {exc.__class__.__name__}: {exc}"), close=close)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
    message = redact(str(summary or "done"))
    store.finish_run(db, run_id, RunOutcome.SUCCESS, exit_code=EXIT_OK, message=message, close=close)
    return RunResult(run_id, RunOutcome.SUCCESS, EXIT_OK, message)


def _skip(db: Database, kind: str, target: str, run_id: int | None, *, holder: int | None,
          schedule_id: int | None = None) -> RunResult:
    who = f" (PID {holder})" if holder else ""
    message = f"skipped: {kind} for {target} is already running{who}"
    run_id = store.record_skipped(
        db, schedule_id=schedule_id, kind=kind, target=target, source="daemon" if run_id else "cli",
        planned_at=None, message=message, run_id=run_id,
    )
    return RunResult(run_id, RunOutcome.SKIPPED_OVERLAP, EXIT_DEFERRED, message)


def _raise_interrupted(signum, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the signal below reaches this process too
    if os.getpgrp() == os.getpid():
        os.killpg(os.getpid(), signal.SIGTERM)  # what the job started stops with it
    raise Interrupted(143)


def _log_file(app: App) -> str | None:
    return str(app.log_file) if app.log_file else None


def _watch_parent(db_path, run_id: int, parent_pid: int) -> None:
    """If the daemon that started us dies (even by SIGKILL), record the run as failed and kill our group.

    Orphaned jobs would otherwise keep running unsupervised, with no timeout and nobody to record them.
    """

    def watch() -> None:
        stop = threading.Event()
        while not stop.wait(WATCHDOG_INTERVAL_S):
            if os.getppid() != parent_pid:
                try:
                    with Database(db_path) as db:
                        store.finish_run(db, run_id, RunOutcome.FAILED, exit_code=None,
                                         message=f"interrupted: the scheduler (PID {parent_pid}) stopped during the run")
                finally:
                    _kill_own_group()

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _kill_own_group() -> None:
    """Kill this job and its children; only the group we lead (the daemon starts us in a new session)."""
    if os.getpgid(0) == os.getpid():
        os.killpg(os.getpid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
