"""Cron and the daemon never both run a schedule; cron runs are linked, counted and record missed slots."""

from __future__ import annotations

import signal
import time

from moneyprinter.scheduler import schedules as sched
from moneyprinter.scheduler.triggers import Trigger
from moneyprinter.store import schedules as store
from moneyprinter.store.states import ScheduleManager
from tests.conftest import run_moneyprinter
from tests.scheduler.conftest import wait_for, write_config
from tests.scheduler.test_daemon import add, runs, scheduler_health, set_next


def test_the_daemon_skips_a_cron_managed_schedule(home, db, start_daemon):
    write_config(home)
    by_daemon = add(db, "test.echo", "daemon", 1)
    by_cron = add(db, "test.echo", "cron", 1)
    sched.set_managed_by(db, [by_cron.id], ScheduleManager.CRON)
    daemon = start_daemon()
    wait_for(lambda: len(runs(home, by_daemon.id, "success")) >= 2)
    assert runs(home, by_cron.id) == []
    sched.set_managed_by(db, [by_cron.id], ScheduleManager.DAEMON)  # handed back while it runs
    wait_for(lambda: runs(home, by_cron.id, "success"))
    daemon.signal(signal.SIGTERM)
    assert daemon.wait() == 0


def test_install_cron_marks_schedules_and_links_runs(cli, app):
    s = sched.add_schedule(app.db, "test.echo", "bob", Trigger(every_seconds=3600))
    result = cli("scheduler", "install", "--cron")
    assert result.exit_code == 0
    assert f"run test.echo --account bob --schedule {s.id} " in result.output
    assert sched.get_schedule(app.db, s.id).managed_by == ScheduleManager.CRON
    assert "now cron-managed" in result.output
    listed = cli("schedule", "list").output
    assert "(cron)" in listed


def test_a_cron_run_after_the_machine_was_off_records_the_missed_slots(home, db, app):
    write_config(home)
    s = sched.add_schedule(db, "test.echo", "bob", Trigger(every_seconds=3600))
    sched.set_managed_by(db, [s.id], ScheduleManager.CRON)
    set_next(db, s.id, time.time() - 3 * 3600 - 60)  # off for three hours: three slots passed unseen
    result = run_moneyprinter("run", "test.echo", "--account", "bob", "--schedule", str(s.id))
    assert result.returncode == 0, result.stderr
    linked = runs(home, s.id)
    outcomes = sorted(r["outcome"] for r in linked)
    assert outcomes == ["missed", "success"], linked
    [missed] = [r for r in linked if r["outcome"] == "missed"]
    assert missed["message"].startswith("3 run(s) missed")
    [ran] = [r for r in linked if r["outcome"] == "success"]
    assert ran["source"] == "cli" and ran["ended_at"] and ran["pid"]
    after = sched.get_schedule(db, s.id)
    assert after.next_planned_at > store.now_utc() and after.last_outcome == "success"
    health = scheduler_health(app, home)  # the daemon is not running, and need not be
    assert health.status.value == "WARN" and "1 cron-managed schedule(s)" in health.message
    assert "1 of the last 10 runs failed or were missed" in health.message


def test_a_cron_run_for_the_wrong_schedule_is_refused(home, db):
    s = sched.add_schedule(db, "test.echo", "bob", Trigger(every_seconds=3600))
    result = run_moneyprinter("run", "test.echo", "--account", "carl", "--schedule", str(s.id))
    assert result.returncode == 2 and f"schedule {s.id} runs test.echo for bob, not test.echo for carl" in result.stderr
    assert "Traceback" not in result.stderr


def test_health_is_quiet_when_cron_runs_every_schedule(home, db, app):
    s = sched.add_schedule(db, "test.echo", "bob", Trigger(every_seconds=3600))
    sched.set_managed_by(db, [s.id], ScheduleManager.CRON)
    health = scheduler_health(app, home)
    assert health.status.value == "PASS" and "1 cron-managed schedule(s)" in health.message
