"""The review queue: watch the video, read and edit what will go out, approve or reject.

The same rules as ``moneyprinter review``: ``publishers.review`` refuses what the platform would
refuse (an empty title, a post too long) and publishes on approval.
"""

from __future__ import annotations

from fastapi import Form
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from moneyprinter.publishers import review
from moneyprinter.web.context import thread_app
from moneyprinter.web.media import media_url
from moneyprinter.web.pages import PAGE_SIZE, page_router
from moneyprinter.web.render import act, render

router = page_router()


@router.get("/review")
def review_queue(request: Request, page: int = 1):
    app = thread_app(request)
    page = max(1, page)
    waiting, total = review.waiting_page(app.db, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    items = [{"w": w, "video": media_url(app.data_dir, w.item.media_path) if w.media_exists else None,
              "texts": review.texts_to_publish(w.item)} for w in waiting]
    return render(request, "review.html", {"title": "Review", "items": items, "page": page, "total": total,
                                           "pages": max(1, -(-total // PAGE_SIZE))})


def _back(item_id: int) -> str:
    return f"/review#item-{item_id}"


@router.post("/review/{item_id}/edit")
async def review_edit(request: Request, item_id: int):
    # The raw form, not Form() parameters: those read an emptied field as "not given", and an
    # emptied title must reach the check that refuses it.
    form = await request.form()
    fields = {name: str(form[name]) for name in ("title", "description", "text") if name in form}
    return await run_in_threadpool(_edit, request, item_id, fields)


def _edit(request: Request, item_id: int, fields: dict[str, str]):
    app = thread_app(request)

    def edit() -> str:
        review.edit(app.db, item_id, **fields)
        return f"Item {item_id} saved."

    return act(_back(item_id), edit)


@router.post("/review/{item_id}/part/{part}")
def review_edit_part(request: Request, item_id: int, part: int, text: str = Form(...)):
    app = thread_app(request)

    def edit() -> str:
        review.edit(app.db, item_id, text=text, part=part)
        return f"Part {part} of item {item_id} saved."

    return act(_back(item_id), edit)


@router.post("/review/{item_id}/approve")
def review_approve(request: Request, item_id: int):
    app = thread_app(request)

    def approve() -> str:
        _, message = review.approve(app, item_id).summary()  # every destination waiting, one line each
        return f"Item {item_id} approved: {message}"

    return act("/review", approve)


@router.post("/review/{item_id}/reject")
def review_reject(request: Request, item_id: int, reason: str = Form("")):
    app = thread_app(request)

    def reject() -> str:
        review.reject(app.db, item_id, reason.strip())
        return f"Item {item_id} rejected; it will not be published."

    return act("/review", reject)
