"""Runs are always closed and never leave processes behind: real daemons, real job processes, kill -9."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest

from tests.conftest import subprocess_env
from tests.scheduler.conftest import pid_gone, query, wait_for, write_config
from tests.scheduler.test_daemon import add, daemon_alive, grandchild_pid, runs


@pytest.fixture
def fast(home):
    write_config(home)


def manual_run(seconds: str, **popen) -> tuple[subprocess.Popen, int]:
    """``moneyprinter run test.sleep`` as cron would start it; returns the process and its grandchild's PID."""
    proc = subprocess.Popen([sys.executable, "-m", "moneyprinter", "run", "test.sleep", "--account", seconds],
                            env=subprocess_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, **popen)
    line = proc.stdout.readline()
    return proc, int(re.search(r"grandchild (\d+)", line).group(1))


def kill_quietly(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def test_sigterm_to_a_manual_run_ends_its_process_group(home):
    proc, grandchild = manual_run("30")
    try:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) != 0
        assert wait_for(lambda: pid_gone(grandchild), timeout=5)
        [run] = query(home, "SELECT * FROM schedule_runs")
        assert run["outcome"] == "failed" and "interrupted by SIGTERM" in run["message"] and run["ended_at"]
    finally:
        kill_quietly(grandchild)


def test_a_run_whose_process_died_is_closed_on_the_next_tick(fast, home, start_daemon):
    daemon = start_daemon()
    wait_for(lambda: daemon_alive(home, daemon.pid))
    proc, grandchild = manual_run("30", start_new_session=True)
    try:
        [run] = wait_for(lambda: query(home, "SELECT * FROM schedule_runs WHERE source = 'cli'"))
        proc.send_signal(signal.SIGKILL)  # the job dies; its grandchild is left in the group
        proc.wait(timeout=10)
        closed = wait_for(lambda: query(home, "SELECT * FROM schedule_runs WHERE id = ? AND ended_at IS NOT NULL",
                                        (run["id"],)), timeout=5)
        assert closed[0]["outcome"] == "failed" and "interrupted" in closed[0]["message"]
        assert wait_for(lambda: pid_gone(grandchild), timeout=5)  # the orphaned rest of its group is ended
    finally:
        kill_quietly(grandchild)


def test_a_new_daemon_ends_the_whole_group_of_an_inherited_run(fast, home, db, start_daemon):
    s = add(db, "test.sleep", "60", 3600, due_in_s=0)
    first = start_daemon()
    [running] = wait_for(lambda: runs(home, s.id, "running") and runs(home, s.id)[0]["log_path"] and runs(home, s.id))
    job, grandchild = running["pid"], grandchild_pid(running["log_path"])
    try:
        os.kill(job, signal.SIGSTOP)  # a job that cannot notice its daemon died (hung, or its watchdog stuck)
        first.signal(signal.SIGKILL)
        first.wait()
        second = start_daemon()
        assert wait_for(lambda: pid_gone(job) and pid_gone(grandchild), timeout=15)
        [run] = wait_for(lambda: [r for r in runs(home, s.id) if r["ended_at"]], timeout=10)
        assert run["outcome"] == "failed" and "interrupted" in run["message"]
        assert second.proc.poll() is None
    finally:
        kill_quietly(job)
        kill_quietly(grandchild)


def test_a_new_daemon_ends_grandchildren_a_killed_job_left(fast, home, db, start_daemon):
    s = add(db, "test.sleep", "60", 3600, due_in_s=0)
    first = start_daemon()
    [running] = wait_for(lambda: runs(home, s.id, "running") and runs(home, s.id)[0]["log_path"] and runs(home, s.id))
    job, grandchild = running["pid"], grandchild_pid(running["log_path"])
    try:
        first.signal(signal.SIGKILL)
        os.kill(job, signal.SIGKILL)  # daemon and job gone at once: only the grandchild is left
        first.wait()
        start_daemon()
        assert wait_for(lambda: pid_gone(grandchild), timeout=10)
        [run] = wait_for(lambda: [r for r in runs(home, s.id) if r["ended_at"]], timeout=5)
        assert run["outcome"] == "failed"
    finally:
        kill_quietly(grandchild)


def test_a_run_its_job_recorded_but_no_daemon_closed_is_closed_by_the_next(fast, home, db):
    """The job wrote its outcome on SIGTERM (``ended_at`` left for its daemon), then the daemon died."""
    from moneyprinter.app import App
    from moneyprinter.scheduler.daemon import Daemon
    from moneyprinter.store import schedules as store

    gone = subprocess.Popen(["true"])
    gone.wait()
    run_id = store.start_cli_run(db, "test.sleep", "60", log_path=None)
    store.set_run_process(db, run_id, pid=gone.pid, log_path="")
    store.finish_run(db, run_id, "failed", exit_code=143, message="interrupted by SIGTERM", close=False)
    app = App()
    try:
        Daemon(app).close_abandoned()
    finally:
        app.close()
    [run] = query(home, "SELECT * FROM schedule_runs WHERE id = ?", (run_id,))
    assert run["ended_at"] and run["outcome"] == "failed" and "interrupted" in run["message"]
