"""Publications: each record's status and attempts; for ``needs_attention``, why and what to do."""

from __future__ import annotations

from fastapi import Form
from starlette.requests import Request

from moneyprinter.errors import NotFound
from moneyprinter.publishers import review
from moneyprinter.publishers.engine import publish_item, stuck
from moneyprinter.store import content, publications
from moneyprinter.store.accounts import get_account_by_id, list_accounts
from moneyprinter.store.publications import STATUSES
from moneyprinter.web.context import thread_app
from moneyprinter.web.pages import PAGE_SIZE, page_router
from moneyprinter.web.render import act, redirect, render

router = page_router()


@router.get("/publications")
def publications_page(request: Request, status: str = "", account: str = "", page: int = 1):
    app = thread_app(request)
    page = max(1, page)
    status = status if status in STATUSES else ""
    account_id = int(account) if account.isdigit() else None
    pubs = publications.list_publications(app.db, status=status or None, account_id=account_id,
                                          limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    accounts = list_accounts(app.db)
    return render(request, "publications.html", {
        "title": "Publications", "pubs": pubs[:PAGE_SIZE], "more": len(pubs) > PAGE_SIZE, "page": page,
        "stuck": {p.id for p in stuck(app.db)}, "accounts": {a.id: a for a in accounts},
        "filters": {"status": status, "account": account_id or ""},
        "statuses": [(s, s.replace("_", " ")) for s in STATUSES],
        "account_options": [(a.id, f"{a.platform}:{a.nickname}") for a in accounts],
    })


@router.get("/publications/by-item/{item_id}")
def publication_of_item(request: Request, item_id: int):
    """The page of an item's publication on its own account: where a hint's 'publish ID' links."""
    pub = publications.get_for_item(thread_app(request).db, item_id)
    if pub is None:
        raise NotFound(f"item {item_id} has no publication yet", hint="approve it in Review first")
    return redirect(f"/publications/{pub.id}")


@router.get("/publications/{publication_id}")
def publication_detail(request: Request, publication_id: int):
    app = thread_app(request)
    pub = publications.get(app.db, publication_id)
    return render(request, "publication.html", {
        "title": f"Publication of item {pub.item_id} to {pub.destination}", "p": pub,
        "item": content.get_item(app.db, pub.item_id), "account": get_account_by_id(app.db, pub.account_id),
        "attempts": publications.attempts(app.db, pub.id), "stuck": pub.id in {p.id for p in stuck(app.db)},
    })


@router.post("/publications/{publication_id}/mark-published")
def mark_published(request: Request, publication_id: int, url: str = Form(...)):
    app = thread_app(request)
    pub = publications.get(app.db, publication_id)

    def mark() -> str:
        review.mark_published(app.db, pub.item_id, url.strip())
        return f"Item {pub.item_id} recorded as published at {url.strip()}."

    return act(f"/publications/{publication_id}", mark)


@router.post("/publications/{publication_id}/retry")
def retry(request: Request, publication_id: int, unknown: str = Form("")):
    """Publish again: resumes or reconciles first; with ``unknown`` (after the person looked) it may post once."""
    app = thread_app(request)
    pub = publications.get(app.db, publication_id)

    def again() -> str:
        done, outcome = publish_item(app, pub.item_id, destination=pub.destination, approve=True,
                                     retry_unknown=unknown == "1")
        return f"Item {pub.item_id}: {outcome.message or done.status}"

    return act(f"/publications/{publication_id}", again)
