"""Bad schedule input: one line each, exit 2, nothing stored; a stale lock file never names a dead PID."""

from __future__ import annotations

import subprocess
import sys

import pytest

from moneyprinter.scheduler import schedules as sched
from tests.conftest import run_moneyprinter
from tests.scheduler.conftest import write_config


def one_line_refusal(result, expected: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.strip()]) <= 2  # the error and its hint


@pytest.mark.parametrize(("args", "expected"), [
    (("--every", "99999999999999999999h"), "interval '99999999999999999999h' is too long"),
    (("--every", "367d"), "invalid interval"),
    (("--at", "10:00", "--tz", ""), "--tz is empty"),
    (("--every", "30m", "--jitter", "30"), "jitter of 30 min is not shorter than the time between runs"),
    (("--at", "10:00,10:20", "--jitter", "20"), "jitter of 20 min is not shorter than the time between runs"),
])
def test_bad_schedule_input_is_refused_and_nothing_stored(home, db, args, expected):
    result = run_moneyprinter("schedule", "add", "test.echo", "--account", "bob", *args)
    one_line_refusal(result, expected)
    assert sched.list_schedules(db) == []


def test_a_duplicate_schedule_is_refused_unless_allowed(home, db):
    first = run_moneyprinter("schedule", "add", "test.echo", "--account", "bob", "--at", "10:00,16:00")
    assert first.returncode == 0, first.stderr
    again = run_moneyprinter("schedule", "add", "test.echo", "--account", "bob", "--at", "16:00", "--at", "10:00")
    one_line_refusal(again, "schedule 1 already runs test.echo for bob 10:00, 16:00 daily")
    assert "--allow-duplicate" in again.stderr
    assert len(sched.list_schedules(db)) == 1
    other = run_moneyprinter("schedule", "add", "test.echo", "--account", "carl", "--at", "10:00,16:00")
    assert other.returncode == 0  # another account is not a duplicate
    allowed = run_moneyprinter("schedule", "add", "test.echo", "--account", "bob", "--at", "10:00,16:00",
                               "--allow-duplicate")
    assert allowed.returncode == 0 and len(sched.list_schedules(db)) == 3


def test_a_timeout_of_zero_is_refused(home, db):
    write_config(home, sleep_timeout=0)
    result = run_moneyprinter("schedule", "add", "test.echo", "--account", "bob", "--every", "1h")
    one_line_refusal(result, "timeouts_s")
    assert "greater than 0" in result.stderr
    assert sched.list_schedules(db) == []


def test_a_stale_lock_file_never_names_a_dead_pid(home):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    locks = home / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    for name in ("scheduler", "job-test.echo-bob"):
        (locks / f"{name}.lock").write_text(f"{dead.pid}\n")
    # flock(1) holds both locks and writes nothing: the files still name the dead PID.
    holder = subprocess.Popen(["flock", "-n", str(locks / "scheduler.lock"), "flock", "-n",
                               str(locks / "job-test.echo-bob.lock"), "sleep", "30"])
    try:
        import time

        time.sleep(0.5)
        daemon = run_moneyprinter("scheduler", "run", timeout=30)
        assert daemon.returncode == 1 and "another scheduler is already running" in daemon.stderr
        assert f"PID {dead.pid}" not in daemon.stderr and str(dead.pid) not in daemon.stderr
        job = run_moneyprinter("run", "test.echo", "--account", "bob")
        assert job.returncode == 75 and "already running" in job.stderr
        assert str(dead.pid) not in job.stderr
    finally:
        holder.kill()
        holder.wait()
