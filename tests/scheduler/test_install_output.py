"""What ``scheduler install`` writes: crontab zones, systemd specifiers, targets a user manager has."""

from __future__ import annotations

from moneyprinter.scheduler import install
from moneyprinter.scheduler import schedules as sched
from moneyprinter.scheduler.triggers import Trigger, parse_times


def zone_of_each_line(lines: list[str]) -> dict[str, str | None]:
    """For each crontab entry, the CRON_TZ in force where it stands."""
    current, zones = None, {}
    for line in lines:
        if line.startswith("CRON_TZ="):
            current = line.split("=", 1)[1]
        elif line and not line.startswith("#"):
            zones[line] = current
    return zones


def test_interval_lines_are_not_under_another_schedules_cron_tz(home, db):
    sched.add_schedule(db, "test.echo", "kolkata", Trigger(times=parse_times("09:00"), timezone="Asia/Kolkata"))
    sched.add_schedule(db, "test.echo", "hourly", Trigger(every_seconds=7200))
    sched.add_schedule(db, "test.echo", "berlin", Trigger(times=parse_times("10:00"), timezone="Europe/Berlin"))
    lines, written = install.cron_lines(sched.list_schedules(db), home)
    zones = zone_of_each_line(lines)
    interval = next(line for line in zones if line.startswith("0 */2 * * * "))
    assert zones[interval] in (None, "UTC")
    assert zones[next(line for line in zones if "--account kolkata" in line)] == "Asia/Kolkata"
    assert zones[next(line for line in zones if "--account berlin" in line)] == "Europe/Berlin"
    assert sorted(written) == [1, 2, 3]


def test_systemd_unit_escapes_percent_and_wants_no_system_targets(tmp_path):
    data = tmp_path / "100%-shorts"
    text = install.systemd_unit(data, shutdown_grace_s=60, python="/opt/py%3/bin/python")
    assert "network-online.target" not in text  # a user manager has no such unit
    assert f"MONEYPRINTER_HOME={str(data).replace('%', '%%')}\"" in text
    assert f"WorkingDirectory={str(data).replace('%', '%%')}" in text
    assert "ExecStart=/opt/py%%3/bin/python -m moneyprinter scheduler run" in text
    bare = [line for line in text.splitlines() if "%" in line.replace("%%", "")]
    assert bare == [], bare  # every % is doubled: systemd would read a lone one as a specifier
