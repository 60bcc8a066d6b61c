"""Accounts: add, edit (every option of the account's network) and remove, with each one's login status.

Adding and editing go through ``platforms.account_settings``, as ``moneyprinter accounts add|edit`` do.
A refused value re-renders the form as it was typed, with the domain's one line next to its field.
Logins stay in the terminal (OAuth waits for the network's redirect; keys and app passwords are asked
without echo), so the page names the command and no secret ever reaches a page.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.platforms import account_settings as settings
from moneyprinter.publishers.base import WARNINGS
from moneyprinter.publishers.credentials import login_state
from moneyprinter.publishers.destinations import MAKES, destinations, own_destinations
from moneyprinter.scheduler.schedules import list_schedules
from moneyprinter.store import account_groups
from moneyprinter.store import accounts as repo
from moneyprinter.store.accounts import Account
from moneyprinter.store.content import count_items
from moneyprinter.web.context import thread_app
from moneyprinter.web.pages import page_router
from moneyprinter.web.render import act, redirect, render

router = page_router()

OPTION = "option."  # form fields of the network's options are named option.KEY
NEW = {"platform": "youtube", "nickname": "", "topic": "", "language": "en", "publisher": "outbox", "approval": "auto"}


@router.get("/accounts")
def accounts_page(request: Request):
    return _list(request, NEW, {})


def _list(request: Request, values: dict[str, str], errors: dict[str, MoneyPrinterError], *, status: int = 200):
    app = thread_app(request)
    accounts = repo.list_accounts(app.db)
    return render(request, "accounts.html", {
        "title": "Accounts", "values": values, "errors": errors,
        "rows": [{"a": a, "login": login_state(a), "command": settings.login_command(a),
                  "crossed": destinations(app.db, a)} for a in accounts],
        "platforms": [(p, repo.platform_name(p)) for p in repo.PLATFORMS], "publishers": repo.PUBLISHERS,
        "all_publishers": sorted({p for ps in repo.PUBLISHERS.values() for p in ps}),
    }, status=status)


def _with_warning(text: str, publisher: str | None) -> str:
    return f"{text} ({WARNINGS[publisher]})" if publisher in WARNINGS else text


@router.post("/accounts")
async def account_add(request: Request):
    form = await request.form()
    values = {name: str(form.get(name, default)).strip() for name, default in NEW.items()}
    return await run_in_threadpool(_add, request, values)


def _add(request: Request, values: dict[str, str]):
    app = thread_app(request)
    try:
        account = settings.add(app.db, values)
    except MoneyPrinterError as exc:
        return _list(request, values, {exc.field or "form": exc}, status=400)
    own = settings.settings_for(account.platform)
    text = f"Added {repo.platform_name(account.platform)} account '{account.nickname}'."
    if own:
        text += f" Set its {repo.platform_name(account.platform)} options below."
    return redirect(f"/accounts/{account.id}", text=_with_warning(text, account.publisher))


@router.get("/accounts/by-name/{platform}/{nickname}")
def account_by_name(request: Request, platform: str, nickname: str):
    """The edit page of a named account: what a hint such as 'edit x poster --topic' links to."""
    account = repo.get_account(thread_app(request).db, platform, nickname)
    return redirect(f"/accounts/{account.id}")


@router.get("/accounts/{account_id}")
def account_page(request: Request, account_id: int):
    app = thread_app(request)
    account = repo.get_account_by_id(app.db, account_id)
    return _edit_page(request, account, _values_of(app, account), {})


def _values_of(app, account: Account) -> dict[str, Any]:
    return {"nickname": account.nickname, "topic": account.topic, "language": account.language,
            "publisher": account.publisher, "approval": account.approval,
            "options": {s.key: s.shown(account.options.get(s.key)) for s in settings.settings_for(account.platform)},
            "cross_post": [f"{d.platform}:{d.nickname}" for d in own_destinations(app.db, account)]}  # not its groups'


def _edit_page(request: Request, account: Account, values: dict[str, Any], errors: dict[str, MoneyPrinterError],
               *, status: int = 200):
    app = thread_app(request)
    publishing = app.settings.publishing
    fields = [{"s": s, "id": f"option-{s.key}", "name": OPTION + s.key,
               "default": s.shown(s.default(publishing)) if s.default else ""}
              for s in settings.settings_for(account.platform)]
    return render(request, "account.html", {
        "title": f"{repo.platform_name(account.platform)} account '{account.nickname}'", "a": account,
        "values": values, "errors": errors, "fields": fields, "platform_name": repo.platform_name(account.platform),
        "publishers": repo.PUBLISHERS[account.platform], "login": login_state(account),
        "command": settings.login_command(account), "login_how": settings.LOGIN_HOW.get(account.publisher),
        "choices": settings.destination_choices(app.db, account), "can_cross_post": account.platform in MAKES,
        "media_base": publishing.public_media_base_url if account.platform in ("instagram", "threads") else None,
        "member_of": account_groups.groups_of(app.db, account.id),
        "destination_of": [g for g in account_groups.list_groups(app.db) if account.id in {d.id for d in g.destinations}],
    }, status=status)


@router.post("/accounts/{account_id}/edit")
async def account_edit(request: Request, account_id: int):
    # The raw form: an emptied field must reach the domain (an empty option means "back to the default").
    form = await request.form()
    fields = {name: str(form[name]).strip() for name in ("nickname", "topic", "language", "publisher", "approval")
              if name in form}
    options = {name.removeprefix(OPTION): str(value) for name, value in form.multi_items() if name.startswith(OPTION)}
    cross_post = [str(v) for v in form.getlist("cross_post")] if "cross_post_shown" in form else None
    return await run_in_threadpool(_edit, request, account_id, fields, options, cross_post)


def _edit(request: Request, account_id: int, fields: dict[str, str], options: dict[str, str],
          cross_post: list[str] | None):
    app = thread_app(request)
    account = repo.get_account_by_id(app.db, account_id)
    found = settings.check_account(app.db, {k: v for k, v in fields.items() if v != account.nickname or k != "nickname"},
                                   account=account, options=options, cross_post=cross_post)
    if not found:
        try:
            changed = settings.edit(app.db, account, fields, options=options, cross_post=cross_post)
        except MoneyPrinterError as exc:  # a race (the name taken meanwhile): shown like any refusal
            found = {exc.field or "form": exc}
    if found:
        current = _values_of(app, account)
        typed = {**current, **fields, "options": {**current["options"], **options}}
        if cross_post is not None:
            typed["cross_post"] = cross_post
        return _edit_page(request, account, typed, found, status=400)
    text = f"Saved {repo.platform_name(changed.platform)} account '{changed.nickname}'."
    return redirect("/accounts", text=_with_warning(text, changed.publisher if changed.publisher != account.publisher
                                                   else None))


@router.get("/accounts/{account_id}/remove")
def account_remove_confirm(request: Request, account_id: int):
    app = thread_app(request)
    account = repo.get_account_by_id(app.db, account_id)
    schedules = [s for s in list_schedules(app.db) if s.account_id == account.id]
    return render(request, "account_remove.html", {
        "title": f"Remove {repo.platform_name(account.platform)} account '{account.nickname}'?", "a": account,
        "items": count_items(app.db, account_id=account.id), "schedules": schedules,
        "login": login_state(account),
    })


@router.post("/accounts/{account_id}/remove")
def account_remove(request: Request, account_id: int):
    app = thread_app(request)

    def remove() -> str:
        account = repo.get_account_by_id(app.db, account_id)
        repo.remove_account(app.db, account)
        return (f"Removed {repo.platform_name(account.platform)} account '{account.nickname}', its history and "
                "its schedules.")

    return act("/accounts", remove)
