"""The Schedules screen: the same operations as ``moneyprinter schedule ...`` and ``scheduler status``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from moneyprinter.errors import MoneyPrinterError, UsageError
from moneyprinter.menu.accounts import pick_account
from moneyprinter.menu.prompts import ask, cancellable, choose, confirm, console
from moneyprinter.scheduler import schedules as sched
from moneyprinter.store import schedules as store
from moneyprinter.scheduler.jobs import KINDS, check_target
from moneyprinter.scheduler.status import daemon_state, local_time
from moneyprinter.scheduler.triggers import (
    PRESET_LABELS,
    PRESETS,
    Trigger,
    parse_every,
    parse_times,
    parse_weekdays,
    zone,
)
from moneyprinter.terminal.schedules import runs_table, schedules_table

if TYPE_CHECKING:
    from moneyprinter.app import App

_REAL_KINDS = [k for k in KINDS.values() if not k.testing]


def _problem(func):
    """Turn a parser into a prompt validator: the error message, or None if the value is fine."""

    def check(value: str) -> str | None:
        try:
            func(value)
        except UsageError as exc:
            return str(exc)
        return None

    return check


def _show(app: App) -> list[sched.Schedule]:
    schedules = sched.list_schedules(app.db)
    if not schedules:
        console.print("No schedules yet.")
    else:
        console.print(schedules_table(schedules, app.settings.general.timezone))
    return schedules


def _pick(app: App, verb: str) -> sched.Schedule | None:
    schedules = _show(app)
    if not schedules:
        return None
    labels = [f"{s.id}: {s.kind} for {s.target}, {s.trigger.describe()}" for s in schedules]
    return schedules[choose(f"{verb} which schedule?", labels)]


def _ask_trigger(app: App) -> Trigger:
    options = [PRESET_LABELS[name] for name in PRESETS] + ["Custom times of day", "Every N minutes or hours"]
    index = choose("When", options)
    if index == len(options) - 1:
        every = ask("Interval (e.g. 30m, 2h)", validate=_problem(parse_every))
        return Trigger(every_seconds=parse_every(every))
    if index < len(PRESETS):
        times = parse_times(PRESETS[list(PRESETS)[index]])
    else:
        times = parse_times(ask("Times of day, comma-separated (HH:MM)", validate=_problem(parse_times)))
    days = ask("Weekdays (daily, mon-fri, sat,sun ...)", default="daily", validate=_problem(parse_weekdays))
    tz = ask("Timezone (IANA)", default=app.settings.general.timezone, validate=_problem(zone))
    return Trigger(times=times, weekdays=parse_weekdays(days), timezone=tz)


def _add(app: App) -> None:
    kind = _REAL_KINDS[choose("Job", [f"{k.name}: {k.description}" for k in _REAL_KINDS])]
    if kind.target == "campaign":
        target = ask("Campaign name", validate=_problem(lambda name: check_target(app, kind, name)))
    else:
        target = pick_account(app, kind.platform).nickname
    add_for(app, kind.name, target)


def add_for(app: App, kind_name: str, target: str) -> None:
    """Ask when to run ``kind_name`` for ``target`` and store the schedule (used by other screens too)."""
    trigger = _ask_trigger(app)
    jitter = int(ask("Random delay up to N minutes (0 = none)", default="0",
                     validate=lambda v: None if v.isdigit() and int(v) <= 1440 else "enter 0 to 1440"))
    schedule = sched.add_schedule(app.db, kind_name, target, trigger, jitter_minutes=jitter)
    console.print(f"[green]Added schedule {schedule.id}; next run "
                  f"{local_time(schedule.next_run_at, app.settings.general.timezone)}.[/]")


def _toggle(app: App) -> None:
    schedule = _pick(app, "Enable or disable")
    if schedule:
        updated = sched.set_enabled(app.db, schedule.id, not schedule.enabled)
        console.print(f"[green]Schedule {updated.id} is now {'enabled' if updated.enabled else 'disabled'}.[/]")


def _remove(app: App) -> None:
    schedule = _pick(app, "Remove")
    if schedule and confirm(f"Remove schedule {schedule.id} ({schedule.kind} for {schedule.target})?"):
        sched.remove_schedule(app.db, schedule.id)
        console.print("[green]Removed.[/]")


def _status(app: App) -> None:
    state = daemon_state(app.db, app.settings.scheduler)
    console.print(f"[{'green' if state.running else 'yellow'}]{state.describe()}[/]")
    if not state.running:
        console.print("Start it with 'moneyprinter scheduler run' (or install it: 'moneyprinter scheduler install --systemd').")
    console.print(runs_table(store.recent_runs(app.db, 20), app.settings.general.timezone))


def screen(app: App) -> None:
    actions = ["List schedules", "Add a schedule", "Enable / disable a schedule", "Remove a schedule",
               "Scheduler status and recent runs", "Back"]
    handlers = [_show, _add, _toggle, _remove, _status]
    while True:
        index = choose("Schedules", actions)
        if index == len(handlers):
            return
        try:
            with cancellable():
                handlers[index](app)
        except MoneyPrinterError as exc:
            console.print(f"[yellow]{escape(str(exc))}[/]")
