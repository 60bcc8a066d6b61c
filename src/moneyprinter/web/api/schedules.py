"""/api/v1/schedules and /api/v1/runs (``moneyprinter schedule ...``)."""

from __future__ import annotations

from datetime import datetime

from fastapi import Query, Request, Response

from moneyprinter.errors import UsageError
from moneyprinter.scheduler import schedules as sched
from moneyprinter.scheduler.jobs import check_target, get_kind
from moneyprinter.scheduler.triggers import build_trigger, zone
from moneyprinter.store import schedules as store
from moneyprinter.store.states import ScheduleManager
from moneyprinter.web.api.deps import Page, Paging, api_router, current_app, page
from moneyprinter.web.api.models import FiresOut, RunOut, ScheduleEdit, ScheduleIn, ScheduleOut

router = api_router("schedules")


@router.get("/schedules", response_model=Page[ScheduleOut], summary="List schedules with their next run (UTC)")
def list_schedules(request: Request, paging: Paging,
                   enabled: bool | None = Query(None, description="Only enabled (or disabled) ones")):
    found = [s for s in sched.list_schedules(current_app(request).db) if enabled is None or s.enabled == enabled]
    chosen = found[paging.offset: paging.offset + paging.limit]
    return page(request, [s.to_json() for s in chosen], paging, len(found))


@router.post("/schedules", status_code=201, response_model=ScheduleOut, summary="Add a schedule")
def add_schedule(request: Request, body: ScheduleIn, response: Response):
    app = current_app(request)
    trigger = build_trigger(body.preset, body.at, body.every, body.days, body.tz,
                            default_timezone=app.settings.general.timezone)
    check_target(app, get_kind(body.kind), body.target)
    s = sched.add_schedule(app.db, body.kind, body.target, trigger, jitter_minutes=body.jitter, enabled=body.enabled,
                           allow_duplicate=body.allow_duplicate)
    response.headers["Location"] = f"/api/v1/schedules/{s.id}"
    return s.to_json()


@router.get("/schedules/{schedule_id}", response_model=ScheduleOut, summary="Show a schedule")
def get_schedule(request: Request, schedule_id: int):
    return sched.get_schedule(current_app(request).db, schedule_id).to_json()


@router.patch("/schedules/{schedule_id}", response_model=ScheduleOut,
              summary="Edit a schedule: switch it on or off, or hand it to cron or the daemon")
def edit_schedule(request: Request, schedule_id: int, body: ScheduleEdit):
    db = current_app(request).db
    if body.enabled is None and body.managed_by is None:
        raise UsageError("nothing to change", hint="give enabled or managed_by")
    if body.managed_by is not None:
        sched.set_managed_by(db, [schedule_id], ScheduleManager(body.managed_by))
    if body.enabled is not None:
        sched.set_enabled(db, schedule_id, body.enabled)
    return sched.get_schedule(db, schedule_id).to_json()


@router.post("/schedules/{schedule_id}/enable", response_model=ScheduleOut,
             summary="Switch a schedule on (it plans from now; past slots are not caught up)")
def enable(request: Request, schedule_id: int):
    return sched.set_enabled(current_app(request).db, schedule_id, True).to_json()


@router.post("/schedules/{schedule_id}/disable", response_model=ScheduleOut, summary="Switch a schedule off")
def disable(request: Request, schedule_id: int):
    return sched.set_enabled(current_app(request).db, schedule_id, False).to_json()


@router.delete("/schedules/{schedule_id}", status_code=204, summary="Remove a schedule (its runs are kept)")
def remove(request: Request, schedule_id: int) -> Response:
    sched.remove_schedule(current_app(request).db, schedule_id)
    return Response(status_code=204)


@router.get("/schedules/{schedule_id}/next", response_model=FiresOut,
            summary="Upcoming fire times in the schedule's time zone and in UTC (before jitter)")
def next_fires(request: Request, schedule_id: int, count: int = Query(10, ge=1, le=sched.MAX_UPCOMING),
               start: str | None = Query(None, alias="from", description="ISO date-time to start after")):
    app = current_app(request)
    s = sched.get_schedule(app.db, schedule_id)
    tz_name = app.settings.general.timezone if s.trigger.is_interval else s.trigger.timezone
    tz = zone(tz_name)
    begin = None
    if start is not None:
        try:
            begin = datetime.fromisoformat(start.strip())
        except ValueError:
            raise UsageError(f"invalid from '{start}'", hint="use an ISO date-time, e.g. 2026-03-08T00:00") from None
        begin = begin if begin.tzinfo else begin.replace(tzinfo=tz)
    fires = sched.upcoming_fires(s, start=begin, count=count)
    return {"schedule": s.id, "timezone": tz_name, "jitter_minutes": s.jitter_minutes,
            "fires": [{"local": f.astimezone(tz).isoformat(), "utc": store.iso(f)} for f in fires]}


@router.get("/runs", response_model=Page[RunOut], tags=["runs"], summary="Job runs with outcomes and output tails")
def list_runs(request: Request, paging: Paging, schedule_id: int | None = None,
              outcome: str | None = Query(None, description="Only runs that ended so (success, failed, ...)")):
    db = current_app(request).db
    if outcome is None:
        runs = store.recent_runs(db, paging.limit + 1, schedule_id=schedule_id, offset=paging.offset)
        more = len(runs) > paging.limit
        runs = runs[: paging.limit]
    else:  # the outcome filter reads a bounded window of recent runs
        window = store.recent_runs(db, 5000, schedule_id=schedule_id)
        matching = [r for r in window if r.outcome == outcome]
        runs = matching[paging.offset: paging.offset + paging.limit]
        more = len(matching) > paging.offset + paging.limit
    rows = [{k: getattr(r, k) for k in RunOut.model_fields} for r in runs]
    return page(request, rows, paging, None, more=more)
