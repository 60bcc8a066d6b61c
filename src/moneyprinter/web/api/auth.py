"""Bearer authentication with the web app's access token (``web/token.py``)."""

from __future__ import annotations

import asyncio

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from moneyprinter.web.api.errors import NotAuthenticated
from moneyprinter.web.token import matches

FAILED_DELAY_S = 0.25  # every refusal waits: guessing is slow, and timing says nothing about the token
BEARER = HTTPBearer(auto_error=False, description="The access token printed by 'moneyprinter web' "
                                                  "(stored in <data dir>/web/token)")


async def require_token(request: Request,
                        credentials: HTTPAuthorizationCredentials | None = Depends(BEARER)) -> None:
    if credentials is not None and matches(credentials.credentials, request.app.state.token):
        return
    await asyncio.sleep(FAILED_DELAY_S)
    raise NotAuthenticated("missing or wrong access token",
                           hint="send 'Authorization: Bearer TOKEN' with the token printed by 'moneyprinter web' "
                                "(stored in <data dir>/web/token)")
