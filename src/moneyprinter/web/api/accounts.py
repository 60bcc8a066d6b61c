"""/api/v1/accounts: list, add, show, edit, remove (``moneyprinter accounts``)."""

from __future__ import annotations

from fastapi import Query, Request, Response

from moneyprinter.errors import UsageError
from moneyprinter.platforms import account_settings
from moneyprinter.publishers.credentials import login_state
from moneyprinter.publishers.destinations import destinations
from moneyprinter.store import accounts as repo
from moneyprinter.web.api.deps import api_router, current_app
from moneyprinter.web.api.models import AccountEdit, AccountIn, AccountOut, account_out

router = api_router("accounts")


def _out(db, account):
    return account_out(account, crossed=destinations(db, account), login=login_state(account),
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
