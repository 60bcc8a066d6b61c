"""Groups of accounts: list, add, edit and remove named groups whose members' new content also goes to
the group's destinations.

Every change goes through ``publishers.groups``, as ``moneyprinter groups add|edit|remove`` do; a refusal
re-renders the form as it was typed, with the domain's one line next to the field it is about.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.publishers import groups
from moneyprinter.publishers.destinations import MAKES, find, label, refusal
from moneyprinter.store import account_groups as repo
from moneyprinter.store import accounts
from moneyprinter.store.account_groups import AccountGroup
from moneyprinter.store.accounts import Account
from moneyprinter.web.context import thread_app
from moneyprinter.web.pages import page_router
from moneyprinter.web.render import act, redirect, render

router = page_router()

HOME = "/accounts/groups"
NEW = {"name": "", "members": [], "cross_post": []}


@router.get(HOME)
def groups_page(request: Request):
    return _list(request, NEW, {})


def _list(request: Request, values: dict, errors: dict[str, MoneyPrinterError], *, status: int = 200):
    app = thread_app(request)
    return render(request, "groups.html", {
        "title": "Groups of accounts", "groups": repo.list_groups(app.db), "values": values, "errors": errors,
        **_choices(app.db, values)}, status=status)


def _choices(db, values: dict) -> dict:
    """The accounts a form offers: YouTube and X ones as members, every account as a destination, greyed
    with the reason when it cannot take a chosen member's content (unless it was chosen anyway: it stays
    ticked, with its reason, so the refusal next to it can be fixed by unticking it)."""
    every = accounts.list_accounts(db)
    makers = [a for a in every if a.platform in MAKES]
    members = [_found(db, t) for t in values["members"]]
    rows = []
    for account in every:
        ticked = groups.target(account) in values["cross_post"]
        why = next((_why(m, account) for m in members if m and refusal(m, account)), None)
        refusals = {groups.target(m): _why(m, account) for m in makers if refusal(m, account)}  # for app.js
        rows.append({"a": account, "target": groups.target(account), "why": why, "ticked": ticked,
                     "refusals": refusals})
    return {"member_choices": makers, "destination_choices": rows}


def _why(member: Account, destination: Account) -> str:
    """``TikTok takes videos only; a post cannot go there (member x 'poster')``: the destination is named beside it."""
    if member.id == destination.id:
        return "it is a member of the group"
    return f"{refusal(member, destination).split(': ', 1)[-1]} (member {label(member)})"


def _found(db, target: str) -> Account | None:
    try:
        return find(db, target)
    except MoneyPrinterError:
        return None


async def _typed(request: Request) -> dict:
    form = await request.form()
    return {"name": str(form.get("name", "")).strip(), "members": [str(v) for v in form.getlist("members")],
            "cross_post": [str(v) for v in form.getlist("cross_post")]}


@router.post(HOME)
async def group_add(request: Request):
    return await run_in_threadpool(_add, request, await _typed(request))


def _add(request: Request, values: dict):
    app = thread_app(request)
    try:
        group = groups.create(app.db, values["name"], values["members"], values["cross_post"])
    except MoneyPrinterError as exc:
        return _list(request, values, {exc.field or "form": exc}, status=400)
    return redirect(f"{HOME}#group-{group.id}", text=f"Added {groups.describe(group)}.")


@router.get(HOME + "/{name}")
def group_page(request: Request, name: str):
    group = repo.get_group(thread_app(request).db, name)
    return _edit_page(request, group, _values_of(group), {})


def _values_of(group: AccountGroup) -> dict:
    return {"name": group.name, "members": [groups.target(m) for m in group.members],
            "cross_post": [groups.target(d) for d in group.destinations]}


def _edit_page(request: Request, group: AccountGroup, values: dict, errors: dict[str, MoneyPrinterError],
               *, status: int = 200):
    app = thread_app(request)
    return render(request, "group.html", {
        "title": f"Group '{group.name}'", "g": group, "values": values, "errors": errors,
        **_choices(app.db, values)}, status=status)


@router.post(HOME + "/{name}/edit")
async def group_edit(request: Request, name: str):
    return await run_in_threadpool(_edit, request, name, await _typed(request))


def _edit(request: Request, name: str, values: dict):
    app = thread_app(request)
    group = repo.get_group(app.db, name)
    now = [groups.target(m) for m in group.members]
    try:
        changed = groups.edit(app.db, group.name, new_name=values["name"],
                              add=[t for t in values["members"] if t not in now],
                              remove=[t for t in now if t not in values["members"]], targets=values["cross_post"])
    except MoneyPrinterError as exc:
        return _edit_page(request, group, values, {exc.field or "form": exc}, status=400)
    return redirect(f"{HOME}#group-{changed.id}", text=f"Saved {groups.describe(changed)}.")


@router.get(HOME + "/{name}/remove")
def group_remove_confirm(request: Request, name: str):
    group = repo.get_group(thread_app(request).db, name)
    return render(request, "group_remove.html", {"title": f"Remove group '{group.name}'?", "g": group})


@router.post(HOME + "/{name}/remove")
def group_remove(request: Request, name: str):
    app = thread_app(request)

    def remove() -> str:
        group = groups.delete(app.db, name)
        return f"Removed group '{group.name}'; its accounts and their own cross-posts stay."

    return act(HOME, remove)
