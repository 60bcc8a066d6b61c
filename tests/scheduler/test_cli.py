"""``schedule``/``run``/``scheduler install`` commands, in-process and as real subprocesses."""

from __future__ import annotations

import signal
import subprocess
import sys

from moneyprinter.scheduler import schedules as sched
from moneyprinter.store import schedules as store
from tests.conftest import run_moneyprinter, subprocess_env
from tests.scheduler.conftest import query, wait_for


def test_schedule_add_list_disable_enable_remove(cli, app):
    assert cli("accounts", "add", "x", "alice", "--topic", "ai").exit_code == 0
    added = cli("schedule", "add", "twitter.post", "--account", "alice", "--preset", "twice",
                "--days", "mon-fri", "--tz", "Europe/Berlin", "--jitter", "10")
    assert added.exit_code == 0, added.output
    assert "10:00, 16:00 Mon-Fri (Europe/Berlin)" in added.output
    assert "alice" in cli("schedule", "list").output
    import json

    [listed] = json.loads(cli("schedule", "list", "--json").output)
    assert listed["kind"] == "twitter.post" and listed["target"] == "alice" and listed["enabled"]
    [s] = sched.list_schedules(app.db)
    assert s.enabled and s.next_run_at is not None and s.jitter_minutes == 10

    assert cli("schedule", "disable", str(s.id)).exit_code == 0
    assert sched.get_schedule(app.db, s.id).next_run_at is None
    assert cli("schedule", "enable", str(s.id)).exit_code == 0
    assert sched.get_schedule(app.db, s.id).next_run_at is not None
    assert cli("schedule", "remove", str(s.id), "--yes").exit_code == 0
    assert sched.list_schedules(app.db) == []


def test_schedule_changes_bump_the_revision(cli, app):
    before = store.revision(app.db)
    cli("schedule", "add", "test.echo", "--account", "bob", "--every", "30s")
    assert store.revision(app.db) == before + 1


def test_schedule_add_bad_input_is_one_line(cli):
    cli("accounts", "add", "youtube", "chan", "--topic", "space")
    result = cli("schedule", "add", "youtube.short", "--account", "chan", "--at", "9:75")
    assert result.exit_code == 2 and "invalid time of day '9:75'" in result.output
    result = cli("schedule", "add", "youtube.short", "--account", "ghost", "--preset", "once")
    assert result.exit_code == 2 and "no youtube account named 'ghost'" in result.output
    result = cli("schedule", "add", "youtube.short", "--account", "chan", "--every", "10s")
    assert result.exit_code == 2 and "at least 1 minute" in result.output
    result = cli("schedule", "add", "youtube.short", "--account", "chan", "--preset", "once", "--every", "2h")
    assert result.exit_code == 2 and "exactly one of" in result.output
    assert "Traceback" not in result.output


def test_run_exit_codes(home):
    ok = run_moneyprinter("run", "test.echo", "--account", "bob")
    assert ok.returncode == 0 and "done: echoed bob" in ok.stdout
    failed = run_moneyprinter("run", "test.fail", "--account", "bob")
    assert failed.returncode == 1 and "pretending to fail" in failed.stderr
    deferred = run_moneyprinter("run", "test.fail", "--account", "defer")
    assert deferred.returncode == 75
    usage = run_moneyprinter("run", "no.such", "--account", "bob")
    assert usage.returncode == 2 and "unknown job kind 'no.such'" in usage.stderr
    outcomes = [r["outcome"] for r in query(home, "SELECT outcome FROM schedule_runs ORDER BY id")]
    assert outcomes == ["success", "failed", "deferred"]


def test_a_kind_with_a_wrong_path_names_the_kind():
    import pytest

    from moneyprinter.scheduler.jobs import JobKind, resolve

    missing_module = JobKind("demo.missing", "moneyprinter.platforms.not_here:run", "account", None, "demo")
    with pytest.raises(ModuleNotFoundError, match="moneyprinter.platforms.not_here"):
        resolve(missing_module)
    missing_function = JobKind("demo.nofunc", "moneyprinter.scheduler.testjobs:not_here", "account", None, "demo")
    with pytest.raises(TypeError, match="job kind demo.nofunc: moneyprinter.scheduler.testjobs has no not_here"):
        resolve(missing_function)


def test_every_real_kind_resolves():
    from moneyprinter.scheduler.jobs import KINDS, resolve

    for kind in KINDS.values():
        assert callable(resolve(kind)), kind.name


def test_two_simultaneous_runs_one_skips(home):
    # The first run lasts far longer than the second needs to start on a loaded machine; it is ended after.
    first = subprocess.Popen([sys.executable, "-m", "moneyprinter", "run", "test.sleep", "--account", "60"],
                             env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: query(home, "SELECT id FROM schedule_runs WHERE outcome = 'running'"), timeout=30)
        second = run_moneyprinter("run", "test.sleep", "--account", "60")
        assert second.returncode == 75
        assert f"already running (PID {first.pid})" in second.stderr
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=30) != 0
    finally:
        if first.poll() is None:
            first.kill()
    rows = query(home, "SELECT outcome, message FROM schedule_runs ORDER BY id")
    assert [r["outcome"] for r in rows] == ["failed", "skipped_overlap"]
    assert "interrupted by SIGTERM" in rows[0]["message"]


def test_install_systemd_writes_only_after_confirmation(cli, home, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    unit = tmp_path / "xdg" / "systemd" / "user" / "moneyprinter-scheduler.service"
    declined = cli("scheduler", "install", "--systemd", input="n\n")
    assert "Restart=on-failure" in declined.output and "not written" in declined.output
    assert not unit.exists()
    accepted = cli("scheduler", "install", "--systemd", "--yes")
    assert accepted.exit_code == 0 and unit.exists()
    text = unit.read_text()
    assert f'Environment="MONEYPRINTER_HOME={home}"' in text
    assert "-m moneyprinter scheduler run" in text and "KillMode=mixed" in text


def test_install_cron_wraps_runs_in_flock(cli, home):
    cli("accounts", "add", "x", "alice", "--topic", "ai")
    cli("schedule", "add", "twitter.post", "--account", "alice", "--at", "08:30", "--days", "mon-fri", "--tz", "Europe/Berlin")
    cli("schedule", "add", "test.echo", "--account", "bob", "--every", "15m", "--jitter", "5")
    cli("schedule", "add", "test.echo", "--account", "carl", "--every", "7m")
    out = cli("scheduler", "install", "--cron").output
    assert "CRON_TZ=Europe/Berlin" in out
    berlin = next(line for line in out.splitlines() if line.startswith("30 8 * * 1,2,3,4,5 "))
    assert "flock -n" in berlin and "run twitter.post --account alice" in berlin
    every = next(line for line in out.splitlines() if line.startswith("*/15 * * * * "))
    assert "sleep $(shuf -i 0-300 -n 1)" in every
    assert "cannot be written as a crontab line" in out  # every 7m


def test_status_json_lists_next_and_recent_runs(cli, home):
    import json

    cli("schedule", "add", "test.echo", "--account", "bob", "--every", "30m")
    run_moneyprinter("run", "test.echo", "--account", "bob")
    status = json.loads(cli("scheduler", "status", "--json").output)
    assert status["daemon"]["running"] is False
    assert [s["target"] for s in status["next"]] == ["bob"]
    [recent] = status["recent"]
    assert (recent["kind"], recent["outcome"], recent["exit_code"], recent["source"]) == ("test.echo", "success", 0, "cli")


def test_schedule_add_refuses_an_unknown_campaign(cli, app):
    from moneyprinter.scheduler import schedules as sched

    result = cli("schedule", "add", "outreach.campaign", "--campaign", "nosuch", "--preset", "once")
    assert result.exit_code == 2 and "no outreach campaign named 'nosuch'" in result.output
    assert sched.list_schedules(app.db) == []


def test_install_wants_exactly_one_of_systemd_and_cron(cli, home):
    both = cli("scheduler", "install", "--systemd", "--cron", "--yes")
    assert both.exit_code == 2 and "choose one of --systemd or --cron" in both.output
    assert not (home / "moneyprinter-scheduler.service").exists()
    assert cli("scheduler", "install").exit_code == 2


def test_schedules_follow_a_renamed_account_and_go_with_a_removed_one(cli, app):
    cli("accounts", "add", "x", "alice", "--topic", "ai")
    cli("accounts", "add", "youtube", "alice", "--topic", "ai")
    cli("schedule", "add", "twitter.post", "--account", "alice", "--preset", "once")
    cli("schedule", "add", "youtube.short", "--account", "alice", "--preset", "once")
    cli("schedule", "add", "test.echo", "--account", "alice", "--every", "1h")
    before = store.revision(app.db)
    assert cli("accounts", "edit", "x", "alice", "--nickname", "alicia").exit_code == 0
    assert store.revision(app.db) > before  # a running daemon reloads
    targets = {(s.kind, s.target) for s in sched.list_schedules(app.db)}
    assert targets == {("twitter.post", "alicia"), ("youtube.short", "alice"), ("test.echo", "alice")}
    assert cli("accounts", "remove", "x", "alicia", "--yes").exit_code == 0
    assert {s.kind for s in sched.list_schedules(app.db)} == {"youtube.short", "test.echo"}


def test_options_an_interval_schedule_cannot_use_are_refused(cli, app):
    for option in (("--days", "mon"), ("--tz", "Europe/Berlin")):
        result = cli("schedule", "add", "test.echo", "--account", "z", "--every", "2h", *option)
        assert result.exit_code == 2 and f"{option[0]} only applies to --preset and --at" in result.output
    assert sched.list_schedules(app.db) == []


def test_schedule_next_shows_a_spring_forward_day_from_the_outside():
    import json

    from tests.conftest import run_moneyprinter as mp

    added = mp("schedule", "add", "test.echo", "--account", "ny", "--at", "02:30,03:15", "--tz", "America/New_York")
    assert added.returncode == 0, added.stderr
    schedule_id = added.stdout.split()[2].rstrip(":")
    shown = mp("schedule", "next", schedule_id, "--from", "2026-03-07T12:00", "--count", "4", "--json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["timezone"] == "America/New_York"
    assert [f["utc"] for f in data["fires"]] == [
        "2026-03-08T07:15:00+00:00",  # 03:15 EDT: kept on the spring-forward day
        "2026-03-08T07:30:00+00:00",  # 02:30 does not exist that day: after the gap, 03:30 EDT
        "2026-03-09T06:30:00+00:00",
        "2026-03-09T07:15:00+00:00",
    ]
    assert [f["local"][11:16] for f in data["fires"]] == ["03:15", "03:30", "02:30", "03:15"]
    text = mp("schedule", "next", schedule_id, "--from", "2026-03-08T00:00", "--count", "2")
    assert "Sun 2026-03-08 03:15 EDT (-0400)   2026-03-08 07:15 UTC" in text.stdout
    bad = mp("schedule", "next", schedule_id, "--from", "tomorrow")
    assert bad.returncode == 2 and "invalid --from 'tomorrow'" in bad.stderr and "Traceback" not in bad.stderr


def test_schedule_next_keeps_an_interval_on_its_planned_grid(cli, app):
    from datetime import timedelta

    from moneyprinter.scheduler.triggers import Trigger

    s = sched.add_schedule(app.db, "test.echo", "bob", Trigger(every_seconds=7200))
    fires = sched.upcoming_fires(s, count=3)
    assert fires == [s.next_planned_at, s.next_planned_at + timedelta(hours=2), s.next_planned_at + timedelta(hours=4)]
    later = sched.upcoming_fires(s, start=s.next_planned_at + timedelta(hours=3), count=1)
    assert later == [s.next_planned_at + timedelta(hours=4)]
