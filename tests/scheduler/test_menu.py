"""The menu's Schedules screen drives the same store as the CLI."""

from __future__ import annotations

from moneyprinter.scheduler import schedules as sched


def test_menu_adds_lists_and_disables_a_schedule(cli, app):
    cli("accounts", "add", "x", "alice", "--topic", "ai")
    keys = [
        "6",  # Schedules
        "2", "2", "1",  # Add a schedule, twitter.post, account alice
        "3",  # three times a day
        "mon-fri", "Europe/Berlin", "5",  # weekdays, timezone, jitter
        "3", "1",  # enable/disable schedule 1
        "5",  # status and recent runs
        "6", "9",  # back, quit
    ]
    result = cli("--skip-health", input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.output
    assert "Added schedule 1" in result.output
    assert "Schedule 1 is now disabled" in result.output
    assert "not running" in result.output
    [s] = sched.list_schedules(app.db)
    assert (s.kind, s.target, s.jitter_minutes, s.enabled) == ("twitter.post", "alice", 5, False)
    assert s.trigger.describe() == "08:00, 12:00, 18:00 Mon-Fri (Europe/Berlin)"


def test_menu_rejects_a_bad_time_and_asks_again(cli, app):
    cli("accounts", "add", "youtube", "chan", "--topic", "space")
    keys = ["6", "2", "1", "1", "4", "25:00", "07:15", "", "UTC", "0", "6", "9"]
    result = cli("--skip-health", input="\n".join(keys) + "\n")
    assert "invalid time of day '25:00'" in result.output
    [s] = sched.list_schedules(app.db)
    assert s.trigger.describe() == "07:15 daily (UTC)"


def test_menu_asks_again_for_a_campaign_that_does_not_exist(cli, app):
    cli("outreach", "new", "dentists", "--niche", "dentist", "--sender-name", "Me",
        "--sender-email", "me@shop-mail.com")
    keys = ["6", "2", "4", "nosuch", "dentists", "1", "", "UTC", "0", "6", "9"]
    result = cli("--skip-health", input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.output
    assert "no outreach campaign named 'nosuch'" in result.output
    [s] = sched.list_schedules(app.db)
    assert (s.kind, s.target) == ("outreach.campaign", "dentists")
