"""Make a Short (or a batch): start it in the background, then watch its stages live.

A Short runs as a background task (``moneyprinter.tasks``) whose stage events are stored, so the
progress page streams them over Server-Sent Events from the first one: a reload shows everything
again and goes on following.
"""

from __future__ import annotations

import asyncio
import json

from fastapi import Form
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import StreamingResponse

from moneyprinter.errors import UsageError
from moneyprinter.media.draft import ASPECTS
from moneyprinter.settings.render import CAPTION_PRESETS
from moneyprinter.store.accounts import list_accounts
from moneyprinter.web.context import thread_app
from moneyprinter.web.pages import page_router
from moneyprinter.web.render import act, redirect, render

router = page_router()
POLL_S = 0.5
FINISHED = ("done", "failed", "cancelled")
MAX_BATCH = 20


def _tasks():
    """The background-task package; a clear message where it is not installed."""
    try:
        from moneyprinter import tasks
    except ImportError:
        raise UsageError("background Shorts are not available in this version",
                         hint="make one in the terminal: moneyprinter short --account NAME") from None
    return tasks


@router.get("/make")
def make_page(request: Request):
    app = thread_app(request)
    recent = _tasks().recent(app, 15) if hasattr(_tasks(), "recent") else []
    return render(request, "make.html", {
        "title": "Make a Short", "accounts": list_accounts(app.db, "youtube"), "aspects": list(ASPECTS),
        "presets": list(CAPTION_PRESETS), "recent": recent,
    })


@router.post("/make")
def make_start(request: Request, account: str = Form(...), topics: str = Form(""), aspect: str = Form(""),
               preset: str = Form(""), script_only: str = Form("")):
    app = thread_app(request)
    tasks = _tasks()
    lines = [t.strip() for t in topics.splitlines() if t.strip()] or [None]
    if len(lines) > MAX_BATCH:
        return redirect("/make", text=f"a batch holds at most {MAX_BATCH} topics", kind="error",
                        hint="start the rest as another batch")
    started: list[int] = []

    def start() -> str:
        for topic in lines:
            started.append(tasks.start_short(app, account=account, topic=topic, aspect=aspect or None,
                                             preset=preset or None, script_only=script_only == "1"))
        return f"Started {len(started)} Short{'s' if len(started) > 1 else ''}."

    response = act("/make", start)
    if len(started) == 1:
        response.headers["location"] = f"/make/tasks/{started[0]}"
    return response


@router.get("/make/tasks/{task_id}")
def task_page(request: Request, task_id: int):
    app = thread_app(request)
    task = _tasks().get_task(app, task_id)
    return render(request, "task.html", {"title": f"Short task {task_id}", "task": task, "task_id": task_id})


def _task_state(request: Request, task_id: int, after: int):
    app = thread_app(request)
    tasks = _tasks()
    return tasks.get_task(app, task_id), tasks.events(app, task_id, after)


def _value(obj, name: str):
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _sse(event: str, data: dict, seq: int | None = None) -> str:
    head = f"id: {seq}\n" if seq is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data)}\n\n"


@router.get("/make/tasks/{task_id}/events")
async def task_events(request: Request, task_id: int):
    """Every stage event from the first (or after ``Last-Event-ID``), then ``end`` when the task finishes."""
    await run_in_threadpool(_task_state, request, task_id, 0)  # 404 page before the stream starts
    after = int(request.headers.get("last-event-id", "0") or 0)

    async def stream():
        nonlocal after
        while True:
            task, events = await run_in_threadpool(_task_state, request, task_id, after)
            for event in events:
                after = _value(event, "seq")
                yield _sse("progress", {"stage": _value(event, "stage"), "message": _value(event, "message") or "",
                                        "at": str(_value(event, "at")), "progress": _value(task, "progress")}, after)
            status = str(_value(task, "status"))
            if status in FINISHED:
                item_id = _value(task, "item_id")
                yield _sse("end", {"status": status, "error": _value(task, "error") or "",
                                   "item_url": "/review" if item_id else ""})
                return
            if await request.is_disconnected():
                return
            await asyncio.sleep(POLL_S)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"X-Accel-Buffering": "no"})
