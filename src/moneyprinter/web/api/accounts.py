"""/api/v1/accounts: list, add, show, edit, remove (``moneyprinter accounts``)."""

from __future__ import annotations

from fastapi import Query, Request, Response

from moneyprinter.store import accounts as repo
from moneyprinter.errors import UsageError
from moneyprinter.web.api.deps import api_router, current_app
from moneyprinter.web.api.models import AccountEdit, AccountIn, AccountOut, account_out

router = api_router("accounts")


@router.get("/accounts", response_model=list[AccountOut], summary="List accounts")
def list_accounts(request: Request, platform: str | None = Query(None, description="Only this platform")):
    return [account_out(a) for a in repo.list_accounts(current_app(request).db, platform)]


@router.post("/accounts", status_code=201, response_model=AccountOut, summary="Add an account")
def add_account(request: Request, body: AccountIn, response: Response):
    account = repo.add_account(current_app(request).db, body.platform, body.nickname, topic=body.topic,
                               language=body.language, publisher=body.publisher, approval=body.approval)
    response.headers["Location"] = f"/api/v1/accounts/{account.platform}/{account.nickname}"
    return account_out(account)


@router.get("/accounts/{platform}/{nickname}", response_model=AccountOut, summary="Show an account")
def get_account(request: Request, platform: str, nickname: str):
    return account_out(repo.get_account(current_app(request).db, platform, nickname))


@router.patch("/accounts/{platform}/{nickname}", response_model=AccountOut, summary="Edit an account")
def edit_account(request: Request, platform: str, nickname: str, body: AccountEdit):
    db = current_app(request).db
    account = repo.get_account(db, platform, nickname)
    changes = body.model_dump(exclude_none=True)
    if not changes:
        raise UsageError("nothing to change", hint="give nickname, topic, language, publisher, approval or captions")
    captions = changes.pop("captions", None)
    return account_out(repo.update_account(db, account, **changes,
                                           options={"captions": captions} if captions else None))


@router.delete("/accounts/{platform}/{nickname}", status_code=204, summary="Remove an account, its history and schedules")
def remove_account(request: Request, platform: str, nickname: str) -> Response:
    db = current_app(request).db
    repo.remove_account(db, repo.get_account(db, platform, nickname))
    return Response(status_code=204)
