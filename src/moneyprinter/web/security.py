"""What every response of the web app carries: security headers, and how a refused request looks.

The pages use no inline script or style, so the Content-Security-Policy allows only the app's own
files. Pages behind the login are never cached (``no-store``): a shared or later browser user
cannot page back into them. FastAPI's ``/docs`` loads its own scripts and is left out of the CSP.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request

from moneyprinter.web.auth import CsrfRejected, LoginRequired, csrf_rejected_response, login_required_response

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
STATIC_DIR = Path(__file__).parent / "static"
_NO_CSP = ("/docs", "/redoc")


def install(web: FastAPI) -> None:
    web.add_exception_handler(LoginRequired, login_required_response)
    web.add_exception_handler(CsrfRejected, csrf_rejected_response)
    web.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @web.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        headers = response.headers
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if not request.url.path.startswith(_NO_CSP):
            headers.setdefault("Content-Security-Policy", CSP)
        if request.url.path.startswith("/static/"):
            headers.setdefault("Cache-Control", "public, max-age=3600")
        else:
            headers["Cache-Control"] = "no-store"
        return response
