"""Rendering pages: the Jinja2 templates, the flash message, and one-line errors in the page.

A ``MoneyPrinterError`` raised while a page is built is shown as the CLI shows it, one line with
its fix, in the page (``PageRoute``). An action (a POST) ends in a redirect carrying a flash message:
what was done, or the error and its hint.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from moneyprinter.errors import MoneyPrinterError, NotFound
from moneyprinter.scheduler.status import local_time
from moneyprinter.web.context import thread_app
from moneyprinter.web.hints import web_hint
from moneyprinter.web.session import COOKIE, read_cookie

log = logging.getLogger(__name__)

FLASH_COOKIE = "mp_flash"
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _when(value, request: Request | None = None, short: bool = True) -> str:
    return local_time(value, _timezone(request), short=short) if value else "-"


def _timezone(request: Request | None) -> str:
    try:
        return request.app.state.app.settings.general.timezone if request else "UTC"
    except MoneyPrinterError:
        return "UTC"


templates.env.globals["when"] = _when
templates.env.filters["web_hint"] = web_hint


def csrf_token(request: Request) -> str:
    session = read_cookie(request.cookies.get(COOKIE), request.app.state.token)
    return session.csrf(request.app.state.token) if session else ""


def render(request: Request, name: str, context: dict[str, Any] | None = None, *, status: int = 200) -> HTMLResponse:
    flash = _read_flash(request)
    page = {"request": request, "csrf": csrf_token(request), "flash": flash, "path": request.url.path,
            "tz": _timezone(request), **(context or {})}
    response = templates.TemplateResponse(request, name, page, status_code=status)
    if flash:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def _read_flash(request: Request) -> dict | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    try:
        data = json.loads(unquote(raw))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def redirect(target: str, *, text: str = "", kind: str = "ok", hint: str = "") -> RedirectResponse:
    """303 to ``target`` (a local path) with a flash message for the next page."""
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = RedirectResponse(target, status_code=303)
    if text:
        # Fully percent-encoded, so no character makes the cookie value need quotes.
        value = quote(json.dumps({"kind": kind, "text": text[:500], "hint": (hint or "")[:300]}), safe="")
        response.set_cookie(FLASH_COOKIE, value, httponly=True, samesite="strict", path="/")
    return response


def act(target: str, action: Callable[[], str]) -> RedirectResponse:
    """Run ``action`` (which returns what it did); its MoneyPrinterError becomes the flash error."""
    try:
        done = action()
    except MoneyPrinterError as exc:
        log.debug("web action failed", exc_info=True)
        return redirect(target, text=exc.message, kind="error", hint=exc.hint or "")
    return redirect(target, text=done)


def error_page(request: Request, exc: MoneyPrinterError) -> HTMLResponse:
    status = 404 if isinstance(exc, NotFound) else 400
    return render(request, "error.html", {"error": exc, "title": "Something is not right"}, status=status)


class PageRoute(APIRoute):
    """A page route whose ``MoneyPrinterError`` is shown in the page, with its hint."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except MoneyPrinterError as exc:
                log.debug("web page failed", exc_info=True)
                return error_page(request, exc)

        return handle


def app_of(request: Request):
    """The ``App`` of the calling worker thread (see ``web.context``)."""
    return thread_app(request)
