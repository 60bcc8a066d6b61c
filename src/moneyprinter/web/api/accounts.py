"""/api/v1/accounts: list, add, show, edit, remove (``moneyprinter accounts``); /api/v1/groups: named groups
of accounts and their cross-post destinations (``moneyprinter groups``)."""

from __future__ import annotations

from fastapi import Query, Request, Response

from moneyprinter.errors import UsageError
from moneyprinter.platforms import account_settings
from moneyprinter.publishers import groups
from moneyprinter.publishers.credentials import login_state
from moneyprinter.publishers.destinations import own_destinations
from moneyprinter.store import account_groups
from moneyprinter.store import accounts as repo
from moneyprinter.web.api.deps import api_router, current_app
from moneyprinter.web.api.models import AccountEdit, AccountIn, AccountOut, GroupEdit, GroupIn, GroupOut, account_out

router = api_router("accounts")


def _out(db, account):
    return account_out(account, crossed=own_destinations(db, account), login=login_state(account),
                       login_command=account_settings.login_command(account))


@router.get("/accounts", response_model=list[AccountOut], summary="List accounts")
def list_accounts(request: Request, platform: str | None = Query(None, description="Only this platform")):
    db = current_app(request).db
    return [_out(db, a) for a in repo.list_accounts(db, platform)]


@router.post("/accounts", status_code=201, response_model=AccountOut, summary="Add an account")
def add_account(request: Request, body: AccountIn, response: Response):
    db = current_app(request).db
    account = account_settings.add(db, body.model_dump(exclude={"options"}), options=body.options)
    response.headers["Location"] = f"/api/v1/accounts/{account.platform}/{account.nickname}"
    return _out(db, account)


@router.get("/accounts/{platform}/{nickname}", response_model=AccountOut, summary="Show an account")
def get_account(request: Request, platform: str, nickname: str):
    db = current_app(request).db
    return _out(db, repo.get_account(db, platform, nickname))


@router.patch("/accounts/{platform}/{nickname}", response_model=AccountOut, summary="Edit an account")
def edit_account(request: Request, platform: str, nickname: str, body: AccountEdit):
    """What ``moneyprinter accounts edit`` changes: the fields, the network's options (``--set``) and the
    cross-post destinations. Everything is checked first; a refusal names its field and changes nothing."""
    db = current_app(request).db
    account = repo.get_account(db, platform, nickname)
    changes = body.model_dump(exclude_unset=True)
    options = dict(changes.pop("options", None) or {})
    cross_post = changes.pop("cross_post", None)
    if changes.get("captions"):
        options["captions"] = changes.pop("captions")
    fields = {k: v for k, v in changes.items() if v is not None}
    if not fields and not options and cross_post is None:
        raise UsageError("nothing to change", hint="give nickname, topic, language, publisher, approval, captions, "
                                                   "options or cross_post")
    return _out(db, account_settings.edit(db, account, fields, options=options, cross_post=cross_post))


@router.delete("/accounts/{platform}/{nickname}", status_code=204, summary="Remove an account, its history and schedules")
def remove_account(request: Request, platform: str, nickname: str) -> Response:
    db = current_app(request).db
    repo.remove_account(db, repo.get_account(db, platform, nickname))
    return Response(status_code=204)


@router.get("/groups", response_model=list[GroupOut], summary="List groups of accounts")
def list_groups(request: Request):
    return [groups.as_dict(g) for g in account_groups.list_groups(current_app(request).db)]


@router.post("/groups", status_code=201, response_model=GroupOut, summary="Add a group of accounts")
def add_group(request: Request, body: GroupIn, response: Response):
    group = groups.create(current_app(request).db, body.name, body.members, body.cross_post)
    response.headers["Location"] = f"/api/v1/groups/{group.name}"
    return groups.as_dict(group)


@router.get("/groups/{name}", response_model=GroupOut, summary="Show a group of accounts")
def get_group(request: Request, name: str):
    return groups.as_dict(account_groups.get_group(current_app(request).db, name))


@router.patch("/groups/{name}", response_model=GroupOut, summary="Edit a group: name, members, destinations")
def edit_group(request: Request, name: str, body: GroupEdit):
    return groups.as_dict(groups.edit(current_app(request).db, name, new_name=body.name, add=body.add_members,
                                      remove=body.remove_members, targets=body.cross_post))


@router.delete("/groups/{name}", status_code=204, summary="Remove a group (its accounts stay)")
def remove_group(request: Request, name: str) -> Response:
    groups.delete(current_app(request).db, name)
    return Response(status_code=204)
