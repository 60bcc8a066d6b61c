"""The login session and the CSRF token, both derived from the access token.

The cookie holds ``<issued>.<nonce>.<signature>``: the signature is an HMAC keyed by a key derived
from the access token, so the cookie proves a login without carrying the token, needs no state on
the server (it survives a restart) and stops working when the token file is replaced. The CSRF
token of a session is another HMAC of its nonce, put in every form and checked on every POST.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

COOKIE = "mp_session"
LOGIN_COOKIE = "mp_login"  # the login form's own CSRF nonce (double submit), before there is a session
MAX_AGE_S = 7 * 24 * 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _key(token: str) -> bytes:
    return hmac.new(token.encode(), b"moneyprinter web session", hashlib.sha256).digest()


def _mac(token: str, message: str) -> str:
    return _b64(hmac.new(_key(token), message.encode(), hashlib.sha256).digest())


@dataclass(frozen=True)
class Session:
    nonce: str
    issued: int

    def csrf(self, token: str) -> str:
        return _mac(token, f"csrf.{self.nonce}")


def new_cookie(token: str, now: float | None = None) -> str:
    issued = int(now if now is not None else time.time())
    body = f"{issued}.{secrets.token_urlsafe(18)}"
    return f"{body}.{_mac(token, body)}"


def read_cookie(value: str | None, token: str, now: float | None = None) -> Session | None:
    """The session a cookie proves, or None (missing, forged, made with another token, or expired)."""
    if not value or value.count(".") != 2:
        return None
    issued, nonce, signature = value.split(".")
    if not hmac.compare_digest(signature, _mac(token, f"{issued}.{nonce}")):
        return None
    try:
        age = (now if now is not None else time.time()) - int(issued)
    except ValueError:
        return None
    return Session(nonce, int(issued)) if 0 <= age <= MAX_AGE_S else None


def csrf_ok(given: str | None, session: Session, token: str) -> bool:
    return bool(given) and hmac.compare_digest(given, session.csrf(token))
