"""``moneyprinter scheduler run``: the daemon, built on the ``schedule`` library.

``schedule`` drives the loop (``run_pending``/``idle_seconds``); what it lacks we add here:
- persistence: each enabled schedule row is one ``PersistedJob`` whose due time comes from the
  database (``triggers.py`` does the arithmetic), and the daemon re-reads the rows whenever the
  revision counter changes, so CLI/menu edits apply without a restart;
- catch-up: slots missed while the daemon was down run once (coalesced) within the grace window,
  older ones are recorded as ``missed``;
- isolation: each run is a child process ``python -m moneyprinter run ...`` in its own process
  group with a per-kind timeout; on timeout the whole group is killed;
- exclusivity: one daemon per data directory (file lock + lease row), one run per job at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import schedule as schedule_lib

from moneyprinter import paths
from moneyprinter.errors import MoneyPrinterError, NotFound
from moneyprinter.redact import redact
from moneyprinter.scheduler import schedules
from moneyprinter.scheduler.clock import Clock
from moneyprinter.scheduler.locks import daemon_lock, is_moneyprinter_process, job_lock_key
from moneyprinter.scheduler.processes import group_alive, is_run_process, pid_reused, process_gone, signal_group
from moneyprinter.settings.scheduler import SchedulerSettings
from moneyprinter.store import schedules as store
from moneyprinter.store.states import RunOutcome, RunSource, ScheduleManager

if TYPE_CHECKING:
    from moneyprinter.app import App

log = logging.getLogger(__name__)
WAITING_POLL_S = 0.1


class SchedulerAlreadyRunning(MoneyPrinterError):
    """A second daemon for the same data directory."""


class PersistedJob(schedule_lib.Job):
    """A ``schedule`` job whose next run is read from the database instead of computed by the library."""

    def __init__(self, scheduler: schedule_lib.Scheduler, row: schedules.Schedule, fire, clock: Clock) -> None:
        super().__init__(interval=1, scheduler=scheduler)
        self.clock = clock
        self.schedule_id = row.id
        self.unit = "seconds"
        self.tags = {"schedule", f"schedule:{row.id}"}
        self.due_ts = 0.0
        self.version: tuple = ()
        self.update(row)
        self.do(fire, row.id)

    def update(self, row: schedules.Schedule) -> None:
        self.version = (row.next_run_at, row.updated_at)
        self.set_due(row.next_run_at)

    def set_due(self, due: datetime | None) -> None:
        self.due_ts = due.timestamp() if due else float("inf")
        # The library sorts and computes idle_seconds on naive local time.
        self.next_run = datetime.fromtimestamp(min(self.due_ts, time.time() + 86400 * 365))

    def remaining_s(self) -> float:
        return self.due_ts - self.clock.now().timestamp()

    @property
    def should_run(self) -> bool:  # compare epoch seconds: no local-time ambiguity at DST changes
        return self.remaining_s() <= 0

    def _schedule_next_run(self) -> None:
        """The claim in ``Daemon._fire`` sets the next due time; nothing to compute here."""


class TimerJob(schedule_lib.Job):
    """A repeating daemon timer (heartbeat, recovery) on the monotonic clock.

    The library's own ``every(...)`` jobs compare naive local times, so on the autumn DST change
    they would wait an extra hour; elapsed seconds cannot jump.
    """

    def __init__(self, scheduler: schedule_lib.Scheduler, clock: Clock, every_s: float, func) -> None:
        super().__init__(interval=1, scheduler=scheduler)
        self.unit = "seconds"
        self.clock, self.every_s, self.due = clock, every_s, 0.0
        self.do(func)

    def remaining_s(self) -> float:
        return self.due - self.clock.monotonic()

    @property
    def should_run(self) -> bool:
        return self.remaining_s() <= 0

    def _schedule_next_run(self) -> None:
        self.due = self.clock.monotonic() + self.every_s
        self.next_run = datetime.now() + timedelta(seconds=self.every_s)  # only orders the library's list


@dataclass
class Waiting:
    """A claimed run that waits for a free slot (``max_parallel_jobs`` or its kind's limit)."""

    run_id: int
    row: schedules.Schedule
    note: str
    since: float  # monotonic


@dataclass
class Child:
    run_id: int
    key: tuple[str, str]
    proc: subprocess.Popen
    log_path: Path
    deadline: float
    term_sent_at: float | None = None
    timed_out: bool = False
    forced_message: str = ""
    log_file: object = field(default=None, repr=False)


class Daemon:
    def __init__(self, app: App, settings: SchedulerSettings | None = None, clock: Clock | None = None) -> None:
        self.app = app
        self.clock = clock or Clock()
        self.settings = settings or app.settings.scheduler
        self.db = app.db
        self.sched = schedule_lib.Scheduler()
        self.jobs: dict[int, PersistedJob] = {}
        self.children: dict[int, Child] = {}
        self.ending: dict[int, float] = {}  # inherited run id -> when its group gets SIGKILL
        self.waiting: list[Waiting] = []  # in the order they came due
        self._revision: int | None = None
        self._stop = threading.Event()
        self._signals = 0
        self._lock = daemon_lock()
        self.runs_dir = paths.logs_dir() / "runs"

    # --- lifecycle ----------------------------------------------------------------------

    def acquire(self) -> None:
        """Take the data directory's daemon lock and lease, or say who holds them."""
        if not self._lock.acquire():
            lease = store.get_lease(self.db, store.DAEMON_LEASE)
            pid = self._lock.holder_pid() or (lease.pid if lease else None)
            raise SchedulerAlreadyRunning(
                f"another scheduler is already running for {paths.data_dir()} (PID {pid or 'unknown'})",
                hint=f"stop it first (kill {pid})" if pid else "see 'moneyprinter scheduler status'",
            )
        other = store.take_lease(self.db, store.DAEMON_LEASE, holder_alive=is_moneyprinter_process)
        if other is not None:
            self._lock.release()
            raise SchedulerAlreadyRunning(
                f"another scheduler is already running for {paths.data_dir()} (PID {other.pid})",
                hint=f"stop it first (kill {other.pid})",
            )

    def release(self) -> None:
        try:
            store.release_lease(self.db, store.DAEMON_LEASE)
        finally:
            self._lock.release()

    def run(self, *, install_signals: bool = True, on_started=None) -> int:
        self.acquire()
        try:
            if on_started:
                on_started()
            if install_signals:
                signal.signal(signal.SIGTERM, self._on_signal)
                signal.signal(signal.SIGINT, self._on_signal)
            log.info("scheduler started (PID %s, data %s)", os.getpid(), paths.data_dir())
            self.recover_interrupted()
            schedules.ensure_publish_due(self.app.db, self.settings.publish_due_every_minutes)
            self.start_timers()
            self.loop()
            self.shutdown()
        finally:
            self.release()
        log.info("scheduler stopped")
        return 0

    def start_timers(self) -> None:
        TimerJob(self.sched, self.clock, self.settings.heartbeat_interval_s, self._heartbeat)
        TimerJob(self.sched, self.clock, 60, self.recover_interrupted)  # e.g. a cron run killed meanwhile

    def idle_seconds(self) -> float | None:
        """Seconds until the next job or timer is due, from the daemon's clocks (not naive local time)."""
        return min((job.remaining_s() for job in self.sched.jobs), default=None)

    def stop(self) -> None:
        self._stop.set()

    def _on_signal(self, signum, frame) -> None:
        self._signals += 1
        log.info("received %s: %s", signal.Signals(signum).name, "stopping" if self._signals == 1 else "killing jobs now")
        self._stop.set()

    def loop(self) -> None:
        while not self._stop.is_set():
            self.tick()
            # While runs wait for a slot, look often: a finished child frees one at once.
            tick = min(self.settings.tick_interval_s, WAITING_POLL_S) if self.waiting else self.settings.tick_interval_s
            idle = self.idle_seconds()
            self._stop.wait(tick if idle is None else max(0.01, min(tick, idle)))

    def tick(self) -> None:
        """One pass: reap children, notice schedule changes, start what is due. Never raises."""
        for step in (self.reap, self.close_abandoned, self.start_waiting, self.sync, self.sched.run_pending):
            try:
                step()
            except Exception:  # a broken row or a locked database must not stop the daemon
                log.exception("scheduler tick step %s failed", getattr(step, "__name__", step))

    def shutdown(self) -> None:
        """No new jobs; running ones get ``shutdown_grace_s``, then their groups are killed."""
        for item in self.waiting:
            store.close_run(self.db, item.run_id, outcome_if_open=RunOutcome.FAILED, exit_code=None, output_tail="",
                            message="not started: the scheduler stopped while the run waited for a free slot")
        self.waiting.clear()
        deadline = time.monotonic() + self.settings.shutdown_grace_s
        if self.children:
            log.info("waiting up to %ss for %d running job(s)", self.settings.shutdown_grace_s, len(self.children))
        while self.children and time.monotonic() < deadline and self._signals < 2:
            self._reap_logged()
            time.sleep(min(self.settings.tick_interval_s, 0.2))
        for child in self.children.values():
            child.forced_message = "killed: the scheduler shut down before the run finished"
            self._terminate(child)
        kill_deadline = time.monotonic() + self.settings.kill_grace_s
        while self.children and time.monotonic() < kill_deadline:
            self._reap_logged()
            time.sleep(0.05)
        for child in list(self.children.values()):
            _killpg(child.proc.pid, signal.SIGKILL)
            child.proc.wait()
        self._reap_logged()

    def _reap_logged(self) -> None:
        """Reap during shutdown: a database hiccup must not leave jobs running unsupervised."""
        try:
            self.reap()
        except Exception:
            log.exception("recording a finished run failed during shutdown")

    def _heartbeat(self) -> None:
        store.heartbeat(self.db, now=self.clock.now())

    # --- schedules --------------------------------------------------------------------

    def sync(self, *, force: bool = False) -> None:
        """Reload schedule rows if someone changed them (one cheap query when nothing did)."""
        current = store.revision(self.db)
        if current == self._revision and not force:
            return
        self._revision = current
        rows = schedules.list_schedules(self.db, enabled_only=True, managed_by=ScheduleManager.DAEMON)  # cron runs the rest
        rows = {row.id: row for row in rows}
        for schedule_id in [sid for sid in self.jobs if sid not in rows]:
            self.sched.cancel_job(self.jobs.pop(schedule_id))
        for schedule_id, row in rows.items():
            job = self.jobs.get(schedule_id)
            if job is None:
                self.jobs[schedule_id] = PersistedJob(self.sched, row, self._fire, self.clock)
            elif job.version != (row.next_run_at, row.updated_at):
                job.update(row)
        log.debug("loaded %d enabled schedule(s) (revision %s)", len(rows), current)

    def _fire(self, schedule_id: int) -> None:
        job = self.jobs.get(schedule_id)
        try:
            row = schedules.get_schedule(self.db, schedule_id)
        except NotFound:
            self._revision = None  # removed: resync
            return
        if not row.enabled or row.next_run_at is None:
            self._revision = None
            return
        now = self.clock.now()
        if row.next_run_at > now:  # moved later by an edit
            job.update(row)
            return
        grace = timedelta(minutes=self.settings.missed_grace_minutes)
        claim = schedules.claim_due(self.db, row, now=now, grace=grace)
        if claim is None:
            self._revision = None
            return
        job.version = (claim.schedule.next_run_at, row.updated_at)
        job.set_due(claim.schedule.next_run_at)
        if claim.plan.missed:
            log.warning("schedule %s: %d run(s) missed while the scheduler was down", row.id, claim.plan.missed)
        if claim.run_id is not None:
            self.start(claim.run_id, row, planned_at=claim.plan.run_slot)

    # --- children ---------------------------------------------------------------------

    def start(self, run_id: int, row: schedules.Schedule, *, planned_at: datetime | None = None) -> None:
        """Start the run now, or queue it behind the concurrency limits (recorded in its message)."""
        key = row.job_key
        busy = next((c.run_id for c in self.children.values() if c.key == key), None)
        busy = busy or next((w.run_id for w in self.waiting if w.row.job_key == key), None)
        if busy is not None:
            store.record_skipped(
                self.db, schedule_id=row.id, kind=row.kind, target=row.target, source="daemon",
                planned_at=store.iso(planned_at), run_id=run_id,
                message=f"skipped: run {busy} of {row.kind} for {row.target} is still running or waiting",
            )
            log.info("schedule %s: skipped, run %s still running or waiting", row.id, busy)
            return
        full = self._limit_reached(row.kind)
        if full or self.waiting:  # behind those already waiting: due jobs start in the order they came due
            note = f"waiting for a free slot ({full or 'earlier runs wait'})"
            store.note_run(self.db, run_id, note)
            self.waiting.append(Waiting(run_id, row, note, self.clock.monotonic()))
            log.info("schedule %s: run %s waits for a free slot (%s)", row.id, run_id, full or "queue")
            return
        self._spawn(run_id, row)

    def _limit_reached(self, kind: str) -> str:
        """Why a job of ``kind`` cannot start now, or '' if it can."""
        limit = self.settings.max_parallel_jobs
        if len(self.children) >= limit:
            return f"{len(self.children)} running, max_parallel_jobs {limit}"
        same = sum(1 for c in self.children.values() if c.key[0] == kind)
        kind_limit = self.settings.kind_limit(kind)
        if same >= kind_limit:
            return f"{same} {kind} running, its limit is {kind_limit}"
        return ""

    def start_waiting(self) -> None:
        """Start waiting runs in order while slots are free; one held back by its kind's limit lets others by."""
        for item in list(self.waiting):
            if self._stop.is_set() or len(self.children) >= self.settings.max_parallel_jobs:
                return
            if self._limit_reached(item.row.kind):
                continue
            self.waiting.remove(item)
            waited = self.clock.monotonic() - item.since
            self._spawn(item.run_id, item.row, replace_note=(item.note, f"waited {waited:.1f}s for a free slot"))

    def _spawn(self, run_id: int, row: schedules.Schedule, *, replace_note: tuple[str, str] | None = None) -> None:
        key = row.job_key
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.runs_dir / f"{run_id}-{job_lock_key(row.kind, row.target)[4:]}.log"
        command = [sys.executable, "-m", "moneyprinter", "run", row.kind, "--account", row.target,
                   "--run-id", str(run_id), "--parent-pid", str(os.getpid())]
        log_file = open(log_path, "ab")  # noqa: SIM115 - kept open for the child's lifetime
        try:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                                    start_new_session=True, env={**os.environ, paths.HOME_ENV: str(paths.data_dir())})
        except OSError as exc:
            log_file.close()
            store.close_run(self.db, run_id, outcome_if_open=RunOutcome.FAILED, exit_code=None, output_tail="",
                            message=f"could not start the job process: {exc}")
            return
        store.set_run_process(self.db, run_id, pid=proc.pid, log_path=str(log_path), replace_note=replace_note)
        deadline = self.clock.monotonic() + self.settings.timeout_for(row.kind)
        self.children[run_id] = Child(run_id, key, proc, log_path, deadline, log_file=log_file)
        log.info("schedule %s: started run %s (%s for %s, PID %s)", row.id, run_id, row.kind, row.target, proc.pid)

    def reap(self) -> None:
        now = self.clock.monotonic()
        for child in list(self.children.values()):
            code = child.proc.poll()
            if code is not None:
                self._finish(child, code)
            elif child.term_sent_at is None and now >= child.deadline:
                log.warning("run %s timed out: killing its process group", child.run_id)
                child.timed_out = True
                self._terminate(child)
            elif child.term_sent_at is not None and now - child.term_sent_at >= self.settings.kill_grace_s:
                _killpg(child.proc.pid, signal.SIGKILL)

    def _terminate(self, child: Child) -> None:
        if child.term_sent_at is None:
            child.term_sent_at = self.clock.monotonic()
            _killpg(child.proc.pid, signal.SIGTERM)

    def _finish(self, child: Child, code: int) -> None:
        self.children.pop(child.run_id, None)
        if child.term_sent_at is not None:  # leftovers of a killed job must not outlive it
            _killpg(child.proc.pid, signal.SIGKILL)
        child.log_file.close()
        derived = {0: RunOutcome.SUCCESS, 75: RunOutcome.DEFERRED}.get(code, RunOutcome.FAILED)
        force, message = None, child.forced_message
        if child.timed_out:
            force = RunOutcome.TIMED_OUT
            message = f"timed out after {self.settings.timeout_for(child.key[0])}s: process group killed"
        elif message:
            force = RunOutcome.FAILED
        store.close_run(self.db, child.run_id, outcome_if_open=derived, exit_code=code, message=message,
                        output_tail=tail(child.log_path, self.settings.output_tail_lines), force_outcome=force)
        log.info("run %s finished with exit code %s", child.run_id, code)

    def close_abandoned(self) -> None:
        """Close open runs whose process is gone; end the groups of runs inherited from a dead daemon.

        Runs every tick: one indexed query while nothing is open. Nothing is started again for them.
        """
        ours = {child.proc.pid for child in self.children.values()}
        waiting = {item.run_id for item in self.waiting}
        for run in store.open_runs(self.db):
            if run.id in self.children or run.id in waiting:
                continue
            if run.pid is not None and run.pid not in ours and is_run_process(run.pid, run.started_at):
                if run.source == RunSource.DAEMON:  # its daemon is gone: nobody supervises it any more
                    self._end_inherited(run)
                continue
            if run.pid is not None and not process_gone(run.pid) and not pid_reused(run.pid, run.started_at):
                continue  # exiting right now (its command line is already gone): decide on the next tick
            # Linux keeps a PID unused while its group has members, so this group is what the run left behind.
            if run.pid is not None and group_alive(run.pid):
                signal_group(run.pid, signal.SIGKILL)
            self._close_interrupted(run)

    def _end_inherited(self, run: store.Run) -> None:
        now = self.clock.monotonic()
        if run.id not in self.ending:
            log.warning("run %s was started by a scheduler that is gone: ending its process group", run.id)
            self.ending[run.id] = now + self.settings.kill_grace_s
            signal_group(run.pid, signal.SIGTERM)
            signal_group(run.pid, signal.SIGCONT)  # a stopped job must be able to act on SIGTERM
        elif now >= self.ending[run.id]:
            signal_group(run.pid, signal.SIGKILL)

    def _close_interrupted(self, run: store.Run) -> None:
        if self.ending.pop(run.id, None) is not None:
            message = "interrupted: the scheduler that started it stopped; its process group was ended"
        else:
            message = "interrupted: the process stopped before recording an outcome (scheduler or job killed)"
        store.close_run(
            self.db, run.id, outcome_if_open=RunOutcome.FAILED, exit_code=None, message=message,
            output_tail=tail(Path(run.log_path), self.settings.output_tail_lines) if run.log_path else "",
        )
        log.warning("run %s was interrupted; recorded as failed", run.id)

    def recover_interrupted(self) -> None:
        """Close abandoned runs and drop leases of dead processes on this host."""
        self.close_abandoned()
        for lease in store.list_leases(self.db):
            if lease.name != store.DAEMON_LEASE and lease.host == store.hostname() and not is_moneyprinter_process(lease.pid):
                store.release_lease(self.db, lease.name, lease.pid)


def _killpg(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def tail(path: Path, lines: int) -> str:
    """The last ``lines`` lines of a log file (reads at most 16 KB)."""
    if lines <= 0:
        return ""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(size - 16384, 0))
            data = fh.read()
    except OSError:
        return ""
    return redact("\n".join(data.decode("utf-8", "replace").splitlines()[-lines:]))


def run_daemon(app: App) -> int:
    return Daemon(app).run()
