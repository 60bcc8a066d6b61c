"""Make a Short (or a batch): start it in the background, then watch its stages live.

A Short runs as a background task (``moneyprinter.tasks``, its own process) that stores each stage
as an event. The progress page lists the events stored so far and follows new ones over
Server-Sent Events, so a reload (or a dropped connection, which the browser reopens with
``Last-Event-ID``) shows every stage once and goes on following.
"""

from __future__ import annotations

import asyncio
import json

from fastapi import Form
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import StreamingResponse

from moneyprinter import tasks
from moneyprinter.media.draft import ASPECTS
from moneyprinter.settings.render import CAPTION_PRESETS
from moneyprinter.shorts import draft_edit
from moneyprinter.store import content
from moneyprinter.store.accounts import list_accounts
from moneyprinter.store.states import ItemStatus, TaskStatus
from moneyprinter.web.context import thread_app
from moneyprinter.web.pages import page_router
from moneyprinter.web.render import act, render

router = page_router()
POLL_S = 0.5
FINISHED = {TaskStatus.DONE, TaskStatus.FAILED, TaskStatus.INTERRUPTED}
MAX_BATCH = 20


@router.get("/make")
def make_page(request: Request):
    app = thread_app(request)
    recent, _ = tasks.list_tasks(app, limit=15)
    return render(request, "make.html", {
        "title": "Make a Short", "accounts": list_accounts(app.db, "youtube"), "aspects": list(ASPECTS),
        "presets": list(CAPTION_PRESETS), "recent": recent, "max_batch": MAX_BATCH,
    })


@router.post("/make")
def make_start(request: Request, account: str = Form(...), topics: str = Form(""), aspect: str = Form(""),
               preset: str = Form(""), script_only: str = Form("")):
    app = thread_app(request)
    lines = [t.strip() for t in topics.splitlines() if t.strip()]
    started: list[int] = []

    def start() -> str:
        if len(lines) > 1:
            if len(lines) > MAX_BATCH:
                from moneyprinter.errors import UsageError

                raise UsageError(f"a batch holds at most {MAX_BATCH} topics", hint="start the rest as another batch")
            started.append(tasks.start_batch(app, lines=[{"account": account, "topic": topic, "aspect": aspect or None,
                                                          "preset": preset or None} for topic in lines]))
            return f"Started a batch of {len(lines)} Shorts."
        started.append(tasks.start_short(app, account=account, topic=lines[0] if lines else None,
                                         aspect=aspect or None, preset=preset or None, script_only=script_only == "1"))
        return "Started."

    response = act("/make", start)
    if started:  # straight to its progress page
        response.headers["location"] = f"/make/tasks/{started[0]}"
    return response


@router.get("/make/tasks/{task_id}")
def task_page(request: Request, task_id: int):
    app = thread_app(request)
    task = tasks.get_task(app, task_id)
    events = tasks.events(app, task_id)
    return render(request, "task.html", {
        "title": f"Task {task_id}: {'a batch of Shorts' if task.kind == 'batch' else 'a Short'}", "task": task,
        "events": events, "after": events[-1].seq if events else 0, "finished": task.status in FINISHED,
        "item_url": _item_url(app, task),
    })


def _item_url(app, task) -> str:
    """Where the made Short is: the review queue if it waits there, the draft page (a script-only draft),
    else the history."""
    if not task.item_id:
        return ""
    item = content.get_item(app.db, task.item_id)
    if item.status == ItemStatus.REVIEW:
        return f"/review#item-{item.id}"
    if draft_edit.is_script_draft(app.db, item.id):
        return f"/drafts/{item.id}"
    return f"/history?kind={item.kind}&status={item.status}"


def _state(request: Request, task_id: int, after: int):
    app = thread_app(request)
    task = tasks.get_task(app, task_id)
    return task, tasks.events(app, task_id, after), _item_url(app, task) if task.status in FINISHED else ""


def _sse(event: str, data: dict, seq: int | None = None) -> str:
    head = f"id: {seq}\n" if seq is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data)}\n\n"


@router.get("/make/tasks/{task_id}/events")
async def task_events(request: Request, task_id: int, after: int = 0):
    """Stage events after ``after`` (or the browser's ``Last-Event-ID``), then ``end`` when the task ends."""
    last = request.headers.get("last-event-id", "")
    after = int(last) if last.isdigit() else after
    await run_in_threadpool(_state, request, task_id, after)  # an unknown task is a 404 page, not a stream

    async def stream():
        nonlocal after
        while True:
            task, events, item_url = await run_in_threadpool(_state, request, task_id, after)
            for event in events:
                after = event.seq
                yield _sse("progress", {"stage": event.stage, "message": event.message, "at": event.at,
                                        "progress": task.progress}, event.seq)
            if task.status in FINISHED:
                yield _sse("end", {"status": str(task.status), "error": task.error or "", "hint": task.hint or "",
                                   "message": task.message, "item_url": item_url})
                return
            if await request.is_disconnected():
                return
            await asyncio.sleep(POLL_S)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"X-Accel-Buffering": "no"})
