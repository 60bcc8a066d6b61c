"""Accounts: add, edit and remove, with each one's publisher and login status."""

from __future__ import annotations

from fastapi import Form
from starlette.requests import Request

from moneyprinter.publishers.base import WARNINGS
from moneyprinter.publishers.credentials import login_state
from moneyprinter.store import accounts as repo
from moneyprinter.web.context import thread_app
from moneyprinter.web.pages import page_router
from moneyprinter.web.render import act, render

router = page_router()


@router.get("/accounts")
def accounts_page(request: Request):
    app = thread_app(request)
    accounts = repo.list_accounts(app.db)
    return render(request, "accounts.html", {
        "title": "Accounts", "rows": [{"a": a, "login": login_state(a)} for a in accounts],
        "platforms": [(p, repo.platform_name(p)) for p in repo.PLATFORMS], "publishers": repo.PUBLISHERS,
        "all_publishers": sorted({p for ps in repo.PUBLISHERS.values() for p in ps}),
    })


def _with_warning(text: str, publisher: str | None) -> str:
    return f"{text} ({WARNINGS[publisher]})" if publisher in WARNINGS else text


@router.post("/accounts")
def account_add(request: Request, platform: str = Form(...), nickname: str = Form(...), topic: str = Form(""),
                language: str = Form("en"), publisher: str = Form("outbox"), approval: str = Form("auto")):
    app = thread_app(request)

    def add() -> str:
        account = repo.add_account(app.db, repo.normalize_platform(platform), nickname.strip(), topic=topic.strip(),
                                   language=language.strip(), publisher=publisher, approval=approval)
        return _with_warning(f"Added {account.platform} account '{account.nickname}'.", account.publisher)

    return act("/accounts", add)


@router.post("/accounts/{account_id}/edit")
def account_edit(request: Request, account_id: int, nickname: str = Form(...), topic: str = Form(""),
                 language: str = Form(...), publisher: str = Form(...), approval: str = Form(...)):
    app = thread_app(request)

    def edit() -> str:
        account = repo.get_account_by_id(app.db, account_id)
        changed = repo.update_account(app.db, account, nickname=nickname.strip() if nickname.strip() != account.nickname
                                      else None, topic=topic.strip(), language=language.strip(), publisher=publisher,
                                      approval=approval)
        return _with_warning(f"Saved {changed.platform} account '{changed.nickname}'.",
                             publisher if publisher != account.publisher else None)

    return act("/accounts", edit)


@router.post("/accounts/{account_id}/remove")
def account_remove(request: Request, account_id: int):
    app = thread_app(request)

    def remove() -> str:
        account = repo.get_account_by_id(app.db, account_id)
        repo.remove_account(app.db, account)
        return f"Removed {account.platform} account '{account.nickname}', its history and its schedules."

    return act("/accounts", remove)
