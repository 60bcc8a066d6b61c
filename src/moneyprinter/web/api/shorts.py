"""/api/v1/shorts and /api/v1/tasks: make a Short (202 and a task to poll or stream), resume, list, status."""

from __future__ import annotations

import asyncio
import json

import anyio
from fastapi import Header, Query, Request, Response
from fastapi.responses import StreamingResponse

from moneyprinter import tasks
from moneyprinter.errors import NotFound
from moneyprinter.redact import redact
from moneyprinter.store import accounts as account_repo
from moneyprinter.store import content
from moneyprinter.web.api.deps import Page, Paging, api_router, current_app, page
from moneyprinter.web.api.models import (
    BatchIn,
    ItemOut,
    ResumeIn,
    ScriptEdit,
    ScriptOut,
    ShortIn,
    TaskOut,
    item_out,
    script_out,
    task_out,
)

router = api_router("shorts")
POLL_S = 0.5
HEARTBEAT_S = 15.0


def _accepted(request: Request, response: Response, task_id: int) -> dict:
    response.headers["Location"] = f"/api/v1/tasks/{task_id}"
    return task_out(tasks.get_task(current_app(request), task_id))


@router.post("/shorts", status_code=202, response_model=TaskOut, summary="Make a Short in the background",
             description="Returns at once with the task to poll (Location) or to stream (its events link).")
def make_short(request: Request, body: ShortIn, response: Response):
    task_id = tasks.start_short(current_app(request), account=body.account, topic=body.topic, aspect=body.aspect,
                                preset=body.preset, script_only=body.script_only, publish=body.publish)
    return _accepted(request, response, task_id)


@router.post("/shorts/batch", status_code=202, response_model=TaskOut, summary="Make several Shorts in one task")
def make_batch(request: Request, body: BatchIn, response: Response):
    lines = [line.model_dump() for line in body.lines]
    return _accepted(request, response, tasks.start_batch(current_app(request), lines=lines, publish=body.publish))


@router.post("/shorts/{item_id}/resume", status_code=202, response_model=TaskOut,
             summary="Continue a Short that stopped (or a script-only draft)")
def resume_short(request: Request, item_id: int, body: ResumeIn, response: Response):
    app = current_app(request)
    item = _short(app, item_id)
    account = account_repo.get_account_by_id(app.db, item.account_id)
    task_id = tasks.start_short(app, account=account.nickname, resume=item_id, preset=body.preset,
                                publish=body.publish)
    return _accepted(request, response, task_id)


@router.get("/shorts", response_model=Page[ItemOut], summary="List Shorts, newest first")
def list_shorts(request: Request, paging: Paging, account: str | None = None, status: str | None = None):
    from moneyprinter.platforms.youtube import is_stopped

    app = current_app(request)
    account_id = account_repo.get_account(app.db, "youtube", account).id if account else None
    items = content.list_items(app.db, kind="short", account_id=account_id, status=status, limit=paging.limit,
                               offset=paging.offset)
    total = content.count_items(app.db, kind="short", account_id=account_id, status=status)
    return page(request, [item_out(i, stopped=is_stopped(i)) for i in items], paging, total)


@router.get("/shorts/{item_id}", response_model=ItemOut, summary="Show a Short")
def get_short(request: Request, item_id: int):
    from moneyprinter.platforms.youtube import is_stopped

    item = _short(current_app(request), item_id)
    return item_out(item, stopped=is_stopped(item))


@router.get("/shorts/{item_id}/script", response_model=ScriptOut,
            summary="A script-only draft's script, sentence by sentence, with the quality gate's reasons")
def get_script(request: Request, item_id: int):
    from moneyprinter.shorts import draft_edit

    return script_out(draft_edit.require_draft(current_app(request).db, item_id))


@router.patch("/shorts/{item_id}/script", response_model=ScriptOut,
              summary="Edit a script-only draft: one sentence, the whole script, title, description, tags",
              description="The quality gate checks the edited words again; render it with POST /shorts/{id}/resume.")
def edit_script(request: Request, item_id: int, body: ScriptEdit):
    from moneyprinter.shorts import draft_edit

    app = current_app(request)
    draft_edit.require_draft(app.db, item_id)
    tags = ", ".join(body.tags) if body.tags is not None else None
    edited = draft_edit.edit_draft(app.db, item_id, sentence=body.sentence, text=body.text, script=body.script,
                                   title=body.title, description=body.description, tags=tags)
    return script_out(edited.item)


def _short(app, item_id: int):
    item = content.get_item(app.db, item_id)
    if item.kind != "short":
        raise NotFound(f"item {item_id} is a {item.kind}, not a Short", hint="GET /api/v1/shorts lists the Shorts")
    return item


@router.get("/tasks", response_model=Page[TaskOut], summary="List background tasks, newest first")
def list_tasks(request: Request, paging: Paging, status: str | None = None,
               account: str | None = Query(None, description="A YouTube account's nickname")):
    found, total = tasks.list_tasks(current_app(request), status=status, account=account, limit=paging.limit,
                                    offset=paging.offset)
    return page(request, [task_out(t) for t in found], paging, total)


@router.get("/tasks/{task_id}", response_model=TaskOut, summary="A task's status, stage and progress")
def get_task(request: Request, task_id: int):
    return task_out(tasks.get_task(current_app(request), task_id))


@router.get("/tasks/{task_id}/events", summary="A task's events as Server-Sent Events",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}},
                             "description": "'stage' events (id = seq, data = JSON {seq, stage, message, at}), "
                                            "then one 'end' event with the task; reconnect with Last-Event-ID"}})
async def task_events(request: Request, task_id: int, after: int = Query(0, ge=0),
                      last_event_id: str | None = Header(None)):
    start = int(last_event_id) if last_event_id and last_event_id.isdigit() else after
    await anyio.to_thread.run_sync(lambda: tasks.get_task(current_app(request), task_id))  # 404 before streaming
    return StreamingResponse(_stream(request, task_id, start), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def _stream(request: Request, task_id: int, seq: int):
    quiet = 0.0
    while True:
        def read():
            app = current_app(request)
            return tasks.get_task(app, task_id), tasks.events(app, task_id, seq)

        task, new = await anyio.to_thread.run_sync(read)
        for event in new:
            seq = event.seq
            yield f"id: {event.seq}\nevent: stage\ndata: {redact(json.dumps(vars(event)))}\n\n"
        if not task.active:
            yield f"event: end\ndata: {redact(json.dumps(task_out(task)))}\n\n"
            return
        if await request.is_disconnected():
            return
        quiet = 0.0 if new else quiet + POLL_S
        if quiet >= HEARTBEAT_S:  # a comment keeps proxies from closing an idle stream
            quiet = 0.0
            yield ": still running\n\n"
        await asyncio.sleep(POLL_S)
