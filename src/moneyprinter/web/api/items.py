"""/api/v1 posts, pitches, review and publications: the same outbox and review rules as the CLI.

Nothing here skips review: a post or pitch goes through ``publishers.submit`` (an account with manual
approval keeps it in review), and ``publish`` never approves; only the review routes do.
"""

from __future__ import annotations

from fastapi import Query, Request, Response

from moneyprinter.publishers import review
from moneyprinter.store import content, publications
from moneyprinter.store import accounts as account_repo
from moneyprinter.store.publications import STATUSES
from moneyprinter.web.api.deps import Page, Paging, api_router, current_app, page
from moneyprinter.web.api.models import (
    PUBLIC_PUBLICATION, EditIn, ItemOut, PitchIn, PostIn, PublicationOut, PublishedOut, PublishIn, RejectIn,
    ReviewOut, account_out, item_out,
)

router = api_router(None)  # each route names its group: posts, pitches, review, publications
POST_KINDS = ("post", "thread")


def _listed(request: Request, paging, kinds: tuple[str, ...], account: str | None, platform: str | None,
            status: str | None) -> dict:
    app = current_app(request)
    account_id = account_repo.get_account(app.db, platform, account).id if account else None
    items = content.list_items(app.db, kinds=kinds, account_id=account_id, status=status, limit=paging.limit,
                               offset=paging.offset)
    total = content.count_items(app.db, kinds=kinds, account_id=account_id, status=status)
    return page(request, [item_out(i) for i in items], paging, total)


@router.get("/posts", response_model=Page[ItemOut], tags=["posts"], summary="List posts and threads, newest first")
def list_posts(request: Request, paging: Paging, account: str | None = Query(None, description="An X account"),
               status: str | None = None):
    return _listed(request, paging, POST_KINDS, account, "x", status)


@router.post("/posts", status_code=201, response_model=PublishedOut, tags=["posts"],
             summary="Post on X (given text, or written by the model), through review or the outbox as the account says")
def create_post(request: Request, body: PostIn, response: Response):
    from moneyprinter.errors import UsageError
    from moneyprinter.platforms.x import X, check_thread_length
    from moneyprinter.platforms.x_accounts import x_account

    if body.text is not None and body.thread is not None:
        raise UsageError("text and thread cannot be combined", hint="give the text of one post, or a thread length")
    app = current_app(request)
    bot = X(app, x_account(app, body.account))
    if body.thread is not None:
        check_thread_length(body.thread)
    posted = bot.post_text(body.text, again=body.again) if body.text is not None else bot.make_post(thread=body.thread)
    return _published(app, response, posted.item.id, posted.result)


def _published(app, response: Response, item_id: int, result) -> dict:
    response.headers["Location"] = f"/api/v1/items/{item_id}"
    return {"item": item_out(content.get_item(app.db, item_id)), "status": result.status, "message": result.message}


@router.get("/pitches", response_model=Page[ItemOut], tags=["pitches"], summary="List affiliate pitches")
def list_pitches(request: Request, paging: Paging, account: str | None = Query(None, description="An X account"),
                 status: str | None = None):
    return _listed(request, paging, ("pitch",), account, "x", status)


@router.post("/pitches", status_code=201, response_model=PublishedOut, tags=["pitches"],
             summary="Read an affiliate link's product, write a pitch with the disclosure, hand it over")
def create_pitch(request: Request, body: PitchIn, response: Response):
    from moneyprinter.platforms.affiliate import AffiliateMarketing
    from moneyprinter.platforms.x_accounts import x_account

    app = current_app(request)
    pitched = AffiliateMarketing(app, x_account(app, body.account)).pitch_link(body.link)
    return _published(app, response, pitched.item.id, pitched.result)


@router.get("/items/{item_id}", response_model=ItemOut, tags=["review"], summary="Any content item")
def get_item(request: Request, item_id: int):
    return item_out(content.get_item(current_app(request).db, item_id))


@router.get("/review", response_model=Page[ReviewOut], tags=["review"], summary="What waits for approval, oldest first")
def list_review(request: Request, paging: Paging,
                account: str | None = Query(None, description="Nickname, or platform:nickname")):
    app = current_app(request)
    acc = review.find_account(app.db, account) if account else None
    found, total = review.waiting_page(app.db, acc, limit=paging.limit, offset=paging.offset)
    rows = [{"item": item_out(w.item), "account": account_out(w.account), "publisher": w.account.publisher,
             "destination": w.pub.destination} for w in found]
    return page(request, rows, paging, total)


@router.post("/review/{item_id}/approve", response_model=PublishedOut, tags=["review"],
             summary="Approve an item and publish it now")
def approve(request: Request, item_id: int, response: Response):
    app = current_app(request)
    status, message = review.approve(app, item_id).summary()  # every destination waiting, one line each
    response.headers["Location"] = f"/api/v1/items/{item_id}"
    return {"item": item_out(content.get_item(app.db, item_id)), "status": status, "message": message}


@router.post("/review/{item_id}/reject", response_model=ItemOut, tags=["review"],
             summary="Reject an item: it will never be published")
def reject(request: Request, item_id: int, body: RejectIn | None = None):
    app = current_app(request)
    review.reject(app.db, item_id, body.reason if body else "")
    return item_out(content.get_item(app.db, item_id))


@router.patch("/review/{item_id}", response_model=ItemOut, tags=["review"],
              summary="Edit the title, text (one part of a thread) or description before approval")
def edit(request: Request, item_id: int, body: EditIn):
    app = current_app(request)
    item = review.edit(app.db, item_id, title=body.title, text=body.text, description=body.description,
                       x_limit=app.settings.publishing.x_max_weighted_length, part=body.part)
    return item_out(item)


@router.post("/items/{item_id}/publish", response_model=PublishedOut, tags=["publications"],
             summary="Publish an approved item now (resumes or reconciles; never twice; never skips review)")
def publish(request: Request, item_id: int, response: Response, body: PublishIn | None = None):
    from moneyprinter.publishers.engine import publish_item

    app = current_app(request)
    pub, outcome = publish_item(app, item_id, retry_unknown=bool(body and body.retry_unknown))
    response.headers["Location"] = f"/api/v1/items/{item_id}"
    return {"item": item_out(content.get_item(app.db, item_id)), "status": pub.status,
            "message": outcome.message or pub.status}


@router.get("/publications", response_model=Page[PublicationOut], tags=["publications"],
            summary="Publications with their attempts, newest first")
def list_publications(request: Request, paging: Paging,
                      account: str | None = Query(None, description="Nickname, or platform:nickname"),
                      status: str | None = Query(None, description=", ".join(STATUSES))):
    from moneyprinter.errors import UsageError
    from moneyprinter.publishers.engine import stuck

    if status is not None and status not in STATUSES:
        raise UsageError(f"unknown publication status '{status}'", hint="use " + ", ".join(STATUSES))
    app = current_app(request)
    account_id = review.find_account(app.db, account).id if account else None
    pubs = publications.list_publications(app.db, account_id=account_id, status=status, limit=paging.limit,
                                          offset=paging.offset)
    total = publications.count_publications(app.db, account_id=account_id, status=status)
    stuck_ids = {p.id for p in stuck(app.db)}
    rows = [{**{k: getattr(p, k) for k in PUBLIC_PUBLICATION}, "stuck": p.id in stuck_ids,
             "attempts": [vars(a) for a in publications.attempts(app.db, p.id)]} for p in pubs]
    return page(request, rows, paging, total)
