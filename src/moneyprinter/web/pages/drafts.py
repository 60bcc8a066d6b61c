"""A script-only Short draft: read and edit its script sentence by sentence, with the quality gate's
reasons, then render it (a background task resuming the Short, as ``short --resume`` does).

The same rules as ``moneyprinter review edit``: ``shorts.draft_edit`` refuses an empty sentence, a
title YouTube would refuse and tags that say nothing, and re-runs the gate on the edited words.
"""

from __future__ import annotations

from fastapi import Form
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from moneyprinter import tasks
from moneyprinter.shorts import draft_edit
from moneyprinter.store.accounts import get_account_by_id
from moneyprinter.text.sentences import split_sentences
from moneyprinter.web.context import thread_app
from moneyprinter.web.pages import page_router
from moneyprinter.web.render import act, render

router = page_router()


@router.get("/drafts/{item_id}")
def draft_page(request: Request, item_id: int):
    app = thread_app(request)
    item = draft_edit.require_draft(app.db, item_id)
    return render(request, "draft.html", {
        "title": f"Draft #{item_id}: {item.title or 'a Short'}", "item": item,
        "account": get_account_by_id(app.db, item.account_id), "sentences": split_sentences(item.body or ""),
        "reasons": item.metadata.review_reasons or [],
    })


def _back(item_id: int) -> str:
    return f"/drafts/{item_id}"


@router.post("/drafts/{item_id}/sentence/{number}")
def draft_sentence(request: Request, item_id: int, number: int, text: str = Form("")):
    return _edit(request, item_id, f"Sentence {number} saved.", sentence=number, text=text)


@router.post("/drafts/{item_id}/edit")
async def draft_edit_fields(request: Request, item_id: int):
    # The raw form: an emptied field must reach the check that refuses it, not read as "not given".
    form = await request.form()
    fields = {name: str(form[name]) for name in ("title", "description", "tags", "script") if name in form}
    return await run_in_threadpool(_edit, request, item_id, "Draft saved.", **fields)


def _edit(request: Request, item_id: int, done: str, **fields):
    app = thread_app(request)

    def edit() -> str:
        draft_edit.require_draft(app.db, item_id)
        edited = draft_edit.edit_draft(app.db, item_id, **fields)
        return done + (" The quality gate found: " + "; ".join(edited.reasons) if edited.reasons else
                       " The quality gate passes it.")

    return act(_back(item_id), edit)


@router.post("/drafts/{item_id}/render")
def draft_render(request: Request, item_id: int):
    app = thread_app(request)
    started: list[int] = []

    def start() -> str:
        item = draft_edit.require_draft(app.db, item_id)
        account = get_account_by_id(app.db, item.account_id)
        started.append(tasks.start_short(app, account=account.nickname, resume=item_id))
        return f"Rendering draft {item_id}."

    response = act(_back(item_id), start)
    if started:  # straight to its progress page
        response.headers["location"] = f"/make/tasks/{started[0]}"
    return response
