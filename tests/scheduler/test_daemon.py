"""The real daemon as a subprocess on a temporary data directory, running the fast test job kinds."""

from __future__ import annotations

import re
import signal
import time
from pathlib import Path

import pytest

from moneyprinter.scheduler import schedules as sched
from moneyprinter.scheduler.status import daemon_state
from moneyprinter.scheduler.triggers import Trigger
from moneyprinter.store import schedules as store
from tests.conftest import run_moneyprinter
from tests.scheduler.conftest import pid_gone, query, wait_for, write_config


def add(db, kind: str, target: str, every_s: int, *, due_in_s: float | None = None) -> sched.Schedule:
    s = sched.add_schedule(db, kind, target, Trigger(every_seconds=every_s))
    if due_in_s is not None:
        set_next(db, s.id, store.now_utc().timestamp() + due_in_s)
    return s


def set_next(db, schedule_id: int, epoch: float) -> None:
    from datetime import UTC, datetime

    when = store.iso(datetime.fromtimestamp(epoch, UTC))
    with db.transaction() as conn:
        conn.execute("UPDATE schedules SET next_planned_at = ?, next_run_at = ?, updated_at = ? WHERE id = ?",
                     (when, when, store.iso(store.now_utc()), schedule_id))
        conn.execute("UPDATE scheduler_state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")


def runs(home: Path, schedule_id: int | None = None, outcome: str | None = None) -> list[dict]:
    sql, params = "SELECT * FROM schedule_runs WHERE 1", []
    if schedule_id is not None:
        sql += " AND schedule_id = ?"
        params.append(schedule_id)
    if outcome is not None:
        sql += " AND outcome = ?"
        params.append(outcome)
    return query(home, sql + " ORDER BY id", params)


def grandchild_pid(log_path: str) -> int:
    text = wait_for(lambda: Path(log_path).exists() and "grandchild" in Path(log_path).read_text() and Path(log_path).read_text())
    return int(re.search(r"grandchild (\d+)", text).group(1))


@pytest.fixture
def fast(home):
    write_config(home)


def test_daemon_runs_jobs_notices_changes_and_stops_on_sigterm(fast, home, db, app, start_daemon):
    bob = add(db, "test.echo", "bob", 1)
    daemon = start_daemon()
    done = wait_for(lambda: len(closed(home, bob.id)) >= 2 and closed(home, bob.id))
    for run in done:
        assert run["source"] == "daemon" and run["exit_code"] == 0 and run["ended_at"]
        assert "test.echo ran for bob" in run["output_tail"]
        assert Path(run["log_path"]).is_file()
    assert daemon_state(db, app.settings.scheduler).running
    health = scheduler_health(app, home)
    assert health.status.value == "PASS" and re.match(r"scheduler running \(PID \d+\), last tick \d+ s ago", health.message)

    carl = add(db, "test.echo", "carl", 1)  # added while the daemon runs: no restart needed
    wait_for(lambda: runs(home, carl.id, "success"))
    sched.set_enabled(db, bob.id, False)
    time.sleep(0.5)  # let an in-flight run of bob finish
    count = len(runs(home, bob.id))
    time.sleep(2)
    assert len(runs(home, bob.id)) == count

    daemon.signal(signal.SIGTERM)
    assert daemon.wait() == 0
    assert store.get_lease(db, store.DAEMON_LEASE) is None
    assert not daemon_state(db, app.settings.scheduler).running
    health = scheduler_health(app, home)
    # carl, plus the publish.due schedule the daemon keeps for deferred publications
    assert health.status.value == "WARN" and health.message.startswith("not running; 2 enabled schedule(s)")
    kept = [s for s in sched.list_schedules(db) if s.kind == "publish.due"]
    assert len(kept) == 1 and kept[0].target == "all" and kept[0].trigger.every_seconds == 15 * 60
    assert all(r["outcome"] in ("success", "skipped_overlap") for r in runs(home))


def test_second_daemon_refuses_naming_the_first(fast, home, db, start_daemon):
    first = start_daemon()
    wait_for(lambda: query(home, "SELECT pid FROM scheduler_leases WHERE name = 'daemon'"))
    second = run_moneyprinter("scheduler", "run", timeout=30)
    assert second.returncode == 1
    assert f"another scheduler is already running for {home} (PID {first.pid})" in second.stderr
    assert first.proc.poll() is None


def test_timeout_kills_the_whole_process_group(home, db, start_daemon):
    write_config(home, sleep_timeout=5)  # long enough for the job to start on a busy machine and name its grandchild
    s = add(db, "test.sleep", "30", 3600, due_in_s=0)
    start_daemon()
    running = wait_for(lambda: runs(home, s.id, "running") and runs(home, s.id)[0]["log_path"] and runs(home, s.id))
    grandchild = grandchild_pid(running[0]["log_path"])
    [run] = wait_for(lambda: runs(home, s.id, "timed_out"), timeout=20)
    assert "timed out after 5s" in run["message"]
    assert wait_for(lambda: pid_gone(grandchild) and pid_gone(run["pid"]), timeout=5)


def test_overlapping_run_is_skipped(fast, home, db, start_daemon):
    s = add(db, "test.sleep", "2", 1, due_in_s=0)
    start_daemon()
    [skipped, *_] = wait_for(lambda: runs(home, s.id, "skipped_overlap"))
    assert "still running" in skipped["message"]
    assert len(runs(home, s.id, "running")) <= 1


def test_sigterm_lets_a_running_job_finish(fast, home, db, start_daemon):
    s = add(db, "test.sleep", "1.5", 3600, due_in_s=0)
    daemon = start_daemon()
    wait_for(lambda: runs(home, s.id, "running") and runs(home, s.id)[0]["pid"])
    daemon.signal(signal.SIGTERM)
    assert daemon.wait() == 0
    [run] = runs(home, s.id)
    assert run["outcome"] == "success" and run["exit_code"] == 0


def test_sigterm_kills_jobs_after_the_grace_period(home, db, start_daemon):
    write_config(home, shutdown_grace=0.5)
    s = add(db, "test.sleep", "30", 3600, due_in_s=0)
    daemon = start_daemon()
    running = wait_for(lambda: runs(home, s.id, "running") and runs(home, s.id)[0]["log_path"] and runs(home, s.id))
    grandchild = grandchild_pid(running[0]["log_path"])
    started = time.monotonic()
    daemon.signal(signal.SIGTERM)
    assert daemon.wait() == 0
    assert time.monotonic() - started < 8
    [run] = runs(home, s.id)
    assert run["outcome"] == "failed" and "scheduler shut down" in run["message"]
    assert wait_for(lambda: pid_gone(grandchild), timeout=5)


def test_sigkill_mid_job_records_failure_and_runs_nothing_twice(fast, home, db, start_daemon):
    s = add(db, "test.sleep", "30", 3600, due_in_s=0)
    daemon = start_daemon()
    running = wait_for(lambda: runs(home, s.id, "running") and runs(home, s.id)[0]["log_path"] and runs(home, s.id))
    grandchild = grandchild_pid(running[0]["log_path"])
    daemon.signal(signal.SIGKILL)
    daemon.wait()
    # The orphaned job notices its daemon is gone, records the interruption and kills its group.
    assert wait_for(lambda: pid_gone(running[0]["pid"]) and pid_gone(grandchild), timeout=10)
    [run] = wait_for(lambda: runs(home, s.id, "failed"))
    assert "interrupted" in run["message"]

    restarted = start_daemon()
    wait_for(lambda: daemon_alive(home, restarted.pid))
    time.sleep(1.5)
    assert [r["outcome"] for r in runs(home, s.id)] == ["failed"]
    restarted.signal(signal.SIGTERM)
    assert restarted.wait() == 0


def daemon_alive(home: Path, pid: int) -> bool:
    return bool(query(home, "SELECT 1 FROM scheduler_leases WHERE name = 'daemon' AND pid = ?", (pid,)))


def test_missed_runs_are_coalesced_and_old_ones_recorded(home, db, start_daemon):
    write_config(home, grace=2)
    s = add(db, "test.echo", "bob", 60)
    set_next(db, s.id, time.time() - 570)  # down for 9.5 minutes: slots at 570, 510, ..., 30 s ago
    daemon = start_daemon()
    [ran] = wait_for(lambda: runs(home, s.id, "success"))
    assert "catch-up, 2 slots coalesced" in ran["message"]
    [missed] = runs(home, s.id, "missed")
    assert missed["message"].startswith("8 run(s) missed")
    daemon.signal(signal.SIGTERM)
    assert daemon.wait() == 0
    after = sched.get_schedule(db, s.id)
    assert 0 < after.next_run_at.timestamp() - time.time() <= 60
    assert len(runs(home, s.id)) == 2


def closed(home: Path, schedule_id: int) -> list[dict]:
    return [r for r in runs(home, schedule_id, "success") if r["ended_at"]]


def scheduler_health(app, home: Path):
    from moneyprinter.health.checks_scheduler import scheduler_alive
    from moneyprinter.health.registry import HealthContext

    return scheduler_alive(HealthContext(config=app.config, http=app.http, data_dir=home))
