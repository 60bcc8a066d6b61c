"""Login with the access token, the session check on every page and the CSRF check on every POST.

``require_login`` guards whole routers: without a valid session cookie a GET is sent to the login
page and anything else gets 401; a request that changes state must also carry the session's CSRF
token in its form (403 without). Checking CSRF here, for every non-GET request of a guarded
router, means no form can forget it.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from moneyprinter.web.render import PageRoute, redirect, render
from moneyprinter.web.session import COOKIE, LOGIN_COOKIE, MAX_AGE_S, csrf_ok, new_cookie, read_cookie
from moneyprinter.web.token import matches

WRONG_TOKEN_DELAY_S = 1.0
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class LoginRequired(Exception):
    """No valid session: a page redirects to the login form, anything else answers 401."""


class CsrfRejected(Exception):
    """A state-changing request without the session's CSRF token."""


async def require_login(request: Request) -> None:
    token = request.app.state.token
    session = read_cookie(request.cookies.get(COOKIE), token)
    if session is None:
        raise LoginRequired
    if request.method not in SAFE_METHODS:
        form = await request.form()
        given = form.get("csrf") or request.headers.get("x-csrf-token")
        if not csrf_ok(given if isinstance(given, str) else None, session, token):
            raise CsrfRejected


def login_required_response(request: Request, exc: LoginRequired) -> Response:
    if request.method in SAFE_METHODS:
        return RedirectResponse(f"/login?next={quote(request.url.path, safe='/')}", status_code=303)
    return Response("login required", status_code=401, media_type="text/plain")


def csrf_rejected_response(request: Request, exc: CsrfRejected) -> Response:
    return render(request, "error.html", {"title": "Form expired", "error": None,
                                          "message": "This form is missing its security token or it has expired.",
                                          "hint": "go back, reload the page and try again"}, status=403)


router = APIRouter(route_class=PageRoute, include_in_schema=False)
protected = Depends(require_login)


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
def login_form(request: Request, next: str = "/"):  # noqa: A002 - the query parameter's name
    nonce = secrets.token_urlsafe(18)
    response = render(request, "login.html", {"next": _safe_next(next), "login_nonce": nonce, "title": "Log in"})
    response.set_cookie(LOGIN_COOKIE, nonce, httponly=True, samesite="strict", path="/login")
    return response


@router.post("/login")
async def login(request: Request, token: str = Form(""), login_nonce: str = Form(""), next: str = Form("/")):  # noqa: A002
    cookie_nonce = request.cookies.get(LOGIN_COOKIE) or ""
    if not (login_nonce and hmac.compare_digest(login_nonce, cookie_nonce)):
        return csrf_rejected_response(request, CsrfRejected())
    if not matches(token.strip(), request.app.state.token):
        await asyncio.sleep(WRONG_TOKEN_DELAY_S)  # slows guessing; the answer is the same for any wrong token
        nonce = secrets.token_urlsafe(18)
        response = render(request, "login.html", {"next": _safe_next(next), "login_nonce": nonce, "title": "Log in",
                                                  "wrong": True}, status=401)
        response.set_cookie(LOGIN_COOKIE, nonce, httponly=True, samesite="strict", path="/login")
        return response
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(COOKIE, new_cookie(request.app.state.token), max_age=MAX_AGE_S, httponly=True,
                        samesite="strict", secure=request.url.scheme == "https", path="/")
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout", dependencies=[protected])
def logout(request: Request):
    response = redirect("/login")
    response.delete_cookie(COOKIE, path="/")
    return response
