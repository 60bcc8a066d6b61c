"""The public one-click unsubscribe endpoint of outreach email (RFC 8058), served without login.

``GET /u/<token>`` shows a confirmation page with one button; ``POST /u/<token>`` (the button, or a
mail provider's one-click POST with ``List-Unsubscribe=One-Click``) suppresses the address the
signed token names. A forged or altered token changes nothing and gets 400; repeating a valid one
is harmless. The page never shows the address, so a leaked link tells nobody whose it is.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request

from moneyprinter.outreach.unsubscribe import BadToken, address_of, unsubscribe_by_token
from moneyprinter.web.context import thread_app
from moneyprinter.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/u/{token}")
def confirm(request: Request, token: str):
    try:
        address_of(token)
    except BadToken:
        return render(request, "unsubscribe.html", {"state": "invalid", "title": "Unsubscribe"}, status=400)
    return render(request, "unsubscribe.html", {"state": "ask", "token": token, "title": "Unsubscribe"})


@router.post("/u/{token}")
def one_click(request: Request, token: str):
    try:
        unsubscribe_by_token(thread_app(request).db, token)
    except BadToken:
        return render(request, "unsubscribe.html", {"state": "invalid", "title": "Unsubscribe"}, status=400)
    return render(request, "unsubscribe.html", {"state": "done", "title": "Unsubscribe"})
