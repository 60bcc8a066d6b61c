"""``moneyprinter run``, ``moneyprinter schedule ...`` and ``moneyprinter scheduler run|status|install``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import os
from datetime import datetime
from pathlib import Path

import click

from moneyprinter import paths
from moneyprinter.errors import UsageError
from moneyprinter.scheduler import schedules as sched
from moneyprinter.scheduler.jobs import KINDS, check_target, get_kind
from moneyprinter.scheduler.status import daemon_state, local_time
from moneyprinter.scheduler.triggers import PRESETS, build_trigger, zone
from moneyprinter.store import schedules as store
from moneyprinter.store.states import ScheduleManager
from moneyprinter.terminal.output import console, print_json, table
from moneyprinter.terminal.schedules import runs_table, schedules_table

if TYPE_CHECKING:
    from moneyprinter.app import App

KIND_CHOICE = click.Choice(list(KINDS))


# --- moneyprinter run ------------------------------------------------------------------------


@click.command("run")
@click.argument("kind", metavar="KIND")
@click.option("--account", "--campaign", "target", default="", help="Account nickname (campaign name for outreach.campaign).")
@click.option("--run-id", type=int, default=None, hidden=True, help="Run row created by the daemon.")
@click.option("--parent-pid", type=int, default=None, hidden=True, help="The daemon's PID (the job dies with it).")
@click.option("--schedule", "schedule_id", type=int, default=None,
              help="The cron-managed schedule this run belongs to (written by 'scheduler install --cron').")
@click.pass_context
def run_cmd(ctx, kind, target, run_id, parent_pid, schedule_id) -> None:
    """Run one job now: youtube.short, twitter.post, affiliate.pitch, outreach.campaign.

    For cron, systemd and scripts. Exit codes: 0 done; 1 failed (also "job kind X is not
    available yet"); 2 usage or setup error (unknown kind or account, bad config, missing API key); 75 deferred: rate-limited, quota
    spent, or the same job is already running - try again later.
    """
    from moneyprinter.scheduler.runner import run_job

    result = run_job(ctx.obj, kind, target, run_id=run_id, parent_pid=parent_pid, schedule_id=schedule_id)
    if result.outcome == "success":
        click.echo(f"done: {result.message} (run {result.run_id})")
    else:
        click.echo(result.message, err=True)
    ctx.exit(result.exit_code)


# --- moneyprinter schedule ---------------------------------------------------------------


@click.group("schedule")
def schedule_group() -> None:
    """Add, list, remove, enable and disable schedules (run by 'moneyprinter scheduler run')."""


@schedule_group.command("add")
@click.argument("kind", type=KIND_CHOICE, metavar="KIND")
@click.option("--account", "--campaign", "target", required=True, help="Account nickname (campaign name for outreach.campaign).")
@click.option("--preset", type=click.Choice(list(PRESETS)), help="once (10:00), twice (10:00, 16:00), thrice (08:00, 12:00, 18:00).")
@click.option("--at", multiple=True, help="Time of day HH:MM (repeat or comma-separate for several).")
@click.option("--every", help="Interval instead of times of day, e.g. 30m, 2h.")
@click.option("--days", help="Weekdays for --preset/--at: mon-fri, sat,sun, weekdays, daily (default).")
@click.option("--tz", "timezone", default=None, help="IANA timezone of the times (default: [general] timezone).")
@click.option("--jitter", type=click.IntRange(0, 1440), default=0, show_default=True, help="Start up to N minutes late, at random.")
@click.option("--disabled", is_flag=True, help="Add it switched off.")
@click.option("--allow-duplicate", is_flag=True, help="Add it even if the same kind, account and times exist.")
@click.pass_obj
def schedule_add(app: App, kind, target, preset, at, every, days, timezone, jitter, disabled, allow_duplicate) -> None:
    """Add a schedule: KIND is youtube.short, twitter.post, affiliate.pitch or outreach.campaign."""
    trigger = build_trigger(preset, at, every, days, timezone, default_timezone=app.settings.general.timezone)
    check_target(app, get_kind(kind), target)
    s = sched.add_schedule(app.db, kind, target, trigger, jitter_minutes=jitter, enabled=not disabled,
                           allow_duplicate=allow_duplicate)
    when = local_time(s.next_run_at, app.settings.general.timezone) if s.enabled else "disabled"
    click.echo(f"added schedule {s.id}: {s.kind} for {s.target}, {s.trigger.describe()}; next run {when}")


@schedule_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def schedule_list(app: App, as_json) -> None:
    """List schedules with their next run in local time ([general] timezone)."""
    schedules = sched.list_schedules(app.db)
    if as_json:
        print_json([s.to_json() for s in schedules])
        return
    if not schedules:
        click.echo("no schedules yet - add one with 'moneyprinter schedule add twitter.post --account NAME --preset twice'")
        return
    console.print(schedules_table(schedules, app.settings.general.timezone))


@schedule_group.command("next")
@click.argument("schedule_id", type=int)
@click.option("--from", "start", metavar="ISO-DATETIME", default=None,
              help="Start after this time (e.g. 2026-03-08T00:00; no offset = the schedule's time zone).")
@click.option("--count", type=click.IntRange(1, sched.MAX_UPCOMING), default=10, show_default=True, help="How many.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def schedule_next(app: App, schedule_id, start, count, as_json) -> None:
    """Show a schedule's upcoming fire times in its time zone and in UTC (before jitter)."""
    s = sched.get_schedule(app.db, schedule_id)
    tz_name = app.settings.general.timezone if s.trigger.is_interval else s.trigger.timezone
    tz = zone(tz_name)
    fires = sched.upcoming_fires(s, start=_parse_from(start, tz), count=count)
    if as_json:
        print_json({"schedule": s.id, "timezone": tz_name, "jitter_minutes": s.jitter_minutes,
                    "fires": [{"local": f.astimezone(tz).isoformat(), "utc": store.iso(f)} for f in fires]})
        return
    click.echo(f"schedule {s.id}: {s.kind} for {s.target}, {s.trigger.describe()}"
               + (f", up to {s.jitter_minutes} min later (jitter)" if s.jitter_minutes else ""))
    for f in fires:
        local = f.astimezone(tz)
        click.echo(f"  {local:%a %Y-%m-%d %H:%M} {local.tzname()} ({local:%z})   {f:%Y-%m-%d %H:%M} UTC")


def _parse_from(text: str | None, tz) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"invalid --from '{text}'", hint="use an ISO date-time, e.g. 2026-03-08T00:00 or 2026-03-08T05:00Z") from None
    return value if value.tzinfo else value.replace(tzinfo=tz)


@schedule_group.command("remove")
@click.argument("schedule_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def schedule_remove(app: App, schedule_id, yes) -> None:
    """Remove a schedule (its run history is kept)."""
    s = sched.get_schedule(app.db, schedule_id)
    if not yes:
        click.confirm(f"Remove schedule {s.id} ({s.kind} for {s.target}, {s.trigger.describe()})?", abort=True)
    sched.remove_schedule(app.db, schedule_id)
    click.echo(f"removed schedule {schedule_id}")


@schedule_group.command("enable")
@click.argument("schedule_id", type=int)
@click.pass_obj
def schedule_enable(app: App, schedule_id) -> None:
    """Switch a schedule on (it plans from now; past slots are not caught up)."""
    s = sched.set_enabled(app.db, schedule_id, True)
    click.echo(f"enabled schedule {s.id}; next run {local_time(s.next_run_at, app.settings.general.timezone)}")


@schedule_group.command("manage")
@click.argument("schedule_id", type=int)
@click.option("--cron", "manager", flag_value=ScheduleManager.CRON, help="Cron runs it: the daemon skips it.")
@click.option("--daemon", "manager", flag_value=ScheduleManager.DAEMON, help="The daemon runs it (the default).")
@click.pass_obj
def schedule_manage(app: App, schedule_id, manager) -> None:
    """Choose who runs a schedule: the daemon or cron (never both)."""
    if manager is None:
        raise UsageError("choose one of --cron or --daemon")
    sched.set_managed_by(app.db, [schedule_id], ScheduleManager(manager))
    if manager == ScheduleManager.CRON:
        click.echo(f"schedule {schedule_id} is cron-managed: the daemon skips it; "
                   "add its line from 'moneyprinter scheduler install --cron' to your crontab")
    else:
        click.echo(f"schedule {schedule_id} is run by the daemon; remove its crontab line")


@schedule_group.command("disable")
@click.argument("schedule_id", type=int)
@click.pass_obj
def schedule_disable(app: App, schedule_id) -> None:
    """Switch a schedule off without removing it."""
    s = sched.set_enabled(app.db, schedule_id, False)
    click.echo(f"disabled schedule {s.id}")


# --- moneyprinter scheduler ----------------------------------------------------------------


@click.group("scheduler")
def scheduler_group() -> None:
    """The scheduler daemon: run it, see its status, install it as a service."""


@scheduler_group.command("run")
@click.pass_obj
def scheduler_run(app: App) -> None:
    """Run the daemon in the foreground until SIGTERM or Ctrl-C (one per data directory)."""
    from moneyprinter.scheduler.daemon import Daemon

    def started() -> None:
        click.echo(f"scheduler running for {paths.data_dir()} (PID {os.getpid()}); Ctrl-C to stop", err=True)

    Daemon(app).run(on_started=started)


@scheduler_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def scheduler_status(app: App, as_json) -> None:
    """Is the daemon alive, the next 10 runs and the last 20 runs."""
    tz = app.settings.general.timezone
    state = daemon_state(app.db, app.settings.scheduler)
    upcoming = sched.upcoming(app.db, 10)
    runs = store.recent_runs(app.db, 20)
    if as_json:
        print_json({"daemon": state.to_json(), "next": [s.to_json() for s in upcoming],
                    "recent": [vars(r) for r in runs]})
        return
    style = "green" if state.running else "yellow"
    console.print(f"[{style}]{state.describe()}[/]")
    console.print(table("Next runs", ["when", "schedule", "job", "account", "trigger"],
                        [[local_time(s.next_run_at, tz), s.id, s.kind, s.target, s.trigger.describe()] for s in upcoming]))
    console.print(runs_table(runs, tz))


@scheduler_group.command("install")
@click.option("--systemd", is_flag=True, help="Write a systemd user service for the daemon.")
@click.option("--cron", is_flag=True, help="Print crontab lines for the enabled schedules.")
@click.option("--output", type=click.Path(dir_okay=False), default=None, help="Where to write the unit (default: ~/.config/systemd/user/).")
@click.option("--yes", is_flag=True, help="Write without asking.")
@click.pass_obj
def scheduler_install(app: App, systemd, cron, output, yes) -> None:
    """Run the scheduler without a terminal: a systemd user service, or crontab lines."""
    from moneyprinter.scheduler import install

    if systemd == cron:  # neither, or both (one would be ignored)
        raise UsageError("choose one of --systemd or --cron")
    mode = "systemd" if systemd else "cron"
    data_dir = paths.ensure_data_dir()
    if mode == "cron":
        schedules = sched.list_schedules(app.db, enabled_only=True)
        if not schedules:
            raise UsageError("no enabled schedules to turn into crontab lines", hint="add one with 'moneyprinter schedule add'")
        lines, written = install.cron_lines(schedules, data_dir)
        click.echo("\n".join(lines))
        sched.set_managed_by(app.db, written, ScheduleManager.CRON)
        click.echo(f"# add these with 'crontab -e'; schedule(s) {', '.join(map(str, written))} are now cron-managed:"
                   " the daemon skips them ('moneyprinter schedule manage ID --daemon' hands one back)", err=True)
        return
    text = install.systemd_unit(data_dir, shutdown_grace_s=app.settings.scheduler.shutdown_grace_s)
    target = Path(output).expanduser().resolve() if output else install.unit_path()
    click.echo(f"# {target}\n{text}")
    outside = not target.is_relative_to(data_dir)
    if outside and not yes and not click.confirm(f"Write {target}?", default=False):
        click.echo("not written")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    click.echo(f"wrote {target}; then run:")
    for step in install.systemd_next_steps(target):
        click.echo(f"  {step}")


def register(group: click.Group) -> None:
    group.add_command(run_cmd)
    group.add_command(schedule_group)
    group.add_command(scheduler_group)
