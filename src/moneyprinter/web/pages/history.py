"""History of Shorts, posts and pitches, filtered by kind, status and account."""

from __future__ import annotations

from starlette.requests import Request

from moneyprinter.shorts import draft_edit
from moneyprinter.store import content
from moneyprinter.store.accounts import list_accounts
from moneyprinter.store.content_meta import KINDS
from moneyprinter.store.states import ItemStatus
from moneyprinter.web.context import thread_app
from moneyprinter.web.media import media_url
from moneyprinter.web.pages import PAGE_SIZE, page_router
from moneyprinter.web.render import render

router = page_router()
KIND_LABELS = {"short": "Shorts", "post": "posts", "thread": "threads", "pitch": "pitches"}


@router.get("/history")
def history(request: Request, kind: str = "", status: str = "", account: str = "", page: int = 1):
    app = thread_app(request)
    page = max(1, page)
    accounts = list_accounts(app.db)
    account_id = int(account) if account.isdigit() else None
    kind = kind if kind in KINDS else ""
    status = status if status in {s.value for s in ItemStatus} else ""
    items = content.list_items(app.db, kind=kind or None, status=status or None, account_id=account_id,
                               limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    rows = [{"item": i, "video": media_url(app.data_dir, i.media_path),
             "draft": i.kind == "short" and i.status == ItemStatus.DRAFT and draft_edit.is_script_draft(app.db, i.id)}
            for i in items[:PAGE_SIZE]]
    return render(request, "history.html", {
        "title": "History", "rows": rows, "more": len(items) > PAGE_SIZE, "page": page,
        "accounts": {a.id: a for a in accounts}, "filters": {"kind": kind, "status": status, "account": account_id or ""},
        "account_options": [(a.id, f"{a.platform}:{a.nickname}") for a in accounts],
        "kinds": [(k, KIND_LABELS.get(k, k)) for k in KINDS], "statuses": [(s.value, s.value.replace("_", " ")) for s in ItemStatus],
    })
