"""Schedules: add, edit, enable and disable, the next fire times, and each one's runs with their output."""

from __future__ import annotations

from fastapi import Form
from starlette.requests import Request

from moneyprinter.scheduler import schedules as sched
from moneyprinter.scheduler.jobs import KINDS, check_target, get_kind
from moneyprinter.scheduler.status import daemon_state
from moneyprinter.scheduler.triggers import PRESET_LABELS, PRESETS, Trigger, build_trigger, describe_weekdays
from moneyprinter.store import schedules as runs_store
from moneyprinter.store.accounts import list_accounts
from moneyprinter.web.context import thread_app
from moneyprinter.web.pages import page_router
from moneyprinter.web.render import act, render

router = page_router()
SCHEDULES_PAGE = 100


def form_trigger(when: str, times: str, every: str, days: str, tz: str, default_tz: str) -> Trigger:
    """The trigger a form describes: ``when`` is a preset name, 'times' (HH:MM list) or 'every' (30m, 2h)."""
    interval = when == "every"
    return build_trigger(None if interval or when == "times" else when, [times] if when == "times" else [],
                         every.strip() if interval else None, None if interval else days.strip() or None,
                         None if interval else tz.strip() or None, default_timezone=default_tz)


@router.get("/schedules")
def schedules_page(request: Request, page: int = 1):
    app = thread_app(request)
    tz = app.settings.general.timezone
    page = max(1, page)
    schedules = sched.list_schedules(app.db, limit=SCHEDULES_PAGE, offset=(page - 1) * SCHEDULES_PAGE)
    total = runs_store.count_schedules(app.db)
    return render(request, "schedules.html", {
        "page": page, "pages": max(1, -(-total // SCHEDULES_PAGE)), "total": total,
        "title": "Schedules", "schedules": schedules, "daemon": daemon_state(app.db, app.settings.scheduler),
        "kinds": [k for k in KINDS.values() if not k.testing], "accounts": list_accounts(app.db),
        "presets": [(name, PRESET_LABELS[name]) for name in PRESETS], "tz": tz,
    })


@router.get("/schedules/{schedule_id}")
def schedule_detail(request: Request, schedule_id: int):
    app = thread_app(request)
    schedule = sched.get_schedule(app.db, schedule_id)
    return render(request, "schedule.html", {
        "title": f"Schedule {schedule.id}: {schedule.kind} for {schedule.target}", "s": schedule,
        "fires": sched.upcoming_fires(schedule, count=5) if schedule.enabled else [],
        "runs": runs_store.recent_runs(app.db, 30, schedule_id=schedule.id),
        "presets": [(name, PRESET_LABELS[name]) for name in PRESETS],
        "current_days": "" if schedule.trigger.every_seconds else describe_weekdays(schedule.trigger.weekdays),
    })


@router.post("/schedules")
def schedule_add(request: Request, kind: str = Form(...), account: str = Form(""), campaign: str = Form(""),  # outreach: the campaign name
                 when: str = Form("once"), times: str = Form(""), every: str = Form(""), days: str = Form(""),
                 tz: str = Form(""), jitter: int = Form(0)):
    app = thread_app(request)

    def add() -> str:
        job = get_kind(kind)
        target = account.strip() if job.target == "account" else campaign.strip() or "all"
        trigger = form_trigger(when, times, every, days, tz, app.settings.general.timezone)
        check_target(app, job, target)
        s = sched.add_schedule(app.db, kind, target, trigger, jitter_minutes=jitter)
        return f"Added schedule {s.id}: {s.kind} for {s.target}, {s.trigger.describe()}."

    return act("/schedules", add)


@router.post("/schedules/{schedule_id}/edit")
def schedule_edit(request: Request, schedule_id: int, when: str = Form(...), times: str = Form(""),
                  every: str = Form(""), days: str = Form(""), tz: str = Form(""), jitter: int = Form(0)):
    app = thread_app(request)

    def edit() -> str:
        trigger = form_trigger(when, times, every, days, tz, app.settings.general.timezone)
        s = sched.edit_schedule(app.db, schedule_id, trigger, jitter_minutes=jitter)
        return f"Schedule {s.id} now runs {s.trigger.describe()}."

    return act(f"/schedules/{schedule_id}", edit)


@router.post("/schedules/{schedule_id}/enabled")
def schedule_enable(request: Request, schedule_id: int, enabled: str = Form(...)):
    app = thread_app(request)

    def switch() -> str:
        s = sched.set_enabled(app.db, schedule_id, enabled == "1")
        return f"Schedule {s.id} is {'enabled' if s.enabled else 'disabled'}."

    return act("/schedules", switch)


@router.post("/schedules/{schedule_id}/remove")
def schedule_remove(request: Request, schedule_id: int):
    app = thread_app(request)

    def remove() -> str:
        sched.remove_schedule(app.db, schedule_id)
        return f"Removed schedule {schedule_id}."

    return act("/schedules", remove)
