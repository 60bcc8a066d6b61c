"""TikTok Login Kit for desktop apps: OAuth 2 with PKCE and a loopback redirect, the token file, refresh.

TikTok's desktop flow wants the PKCE challenge as the SHA-256 of the verifier in *hex* (its web flow
uses base64url); the redirect must be ``http://127.0.0.1:<port>/...`` registered in the app (a
wildcard port ``http://127.0.0.1:*/callback/`` fits the random port used here). Access tokens live
24 hours; refresh tokens are rotated by every refresh, so the newest one is always saved at once.
The token lives in ``<data>/tokens/tiktok/<account id>.json`` (mode 0600).
"""

from __future__ import annotations

import hashlib
import secrets
import webbrowser
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from moneyprinter.errors import ConfigError, Unauthorized
from moneyprinter.publishers import credentials
from moneyprinter.publishers.oauth_redirect import RedirectCatcher
from moneyprinter.redact import register_secret
from moneyprinter.store.accounts import Account

if TYPE_CHECKING:
    from moneyprinter.app import App

PROVIDER = "tiktok"
SERVICE = "TikTok login"
SCOPES = ("user.info.basic", "video.publish", "video.upload")
TOKEN_PATH = "/v2/oauth/token/"
_EARLY_S = 300  # refresh this long before the expiry TikTok gave
_VERIFIER_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"


def login_hint(account: Account) -> str:
    return f"log in again: moneyprinter tiktok login --account {account.nickname}"


def client_config(app: App) -> dict[str, str]:
    key = app.config.secrets.get("TIKTOK_CLIENT_KEY")
    secret = app.config.secrets.get("TIKTOK_CLIENT_SECRET")
    if not (key and secret):
        raise ConfigError("no TikTok app configured",
                          hint="set TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET (from developers.tiktok.com, "
                               "Manage apps) in .env in the data directory")
    register_secret(secret)
    return {"client_key": key, "client_secret": secret}


def pkce_pair() -> tuple[str, str]:
    """A code verifier (RFC 7636 characters, 64 long) and its challenge as TikTok's desktop flow wants it."""
    verifier = "".join(secrets.choice(_VERIFIER_CHARS) for _ in range(64))
    return verifier, hashlib.sha256(verifier.encode("ascii")).hexdigest()


def authorize_url(app: App, client_key: str, redirect_uri: str, state: str, challenge: str) -> str:
    query = {"client_key": client_key, "scope": ",".join(SCOPES), "response_type": "code",
             "redirect_uri": redirect_uri, "state": state, "code_challenge": challenge,
             "code_challenge_method": "S256"}
    return f"{app.settings.publishing.tiktok_auth_url}?{urlencode(query)}"


def login(app: App, account: Account, *, show: Callable[[str], None], open_browser: bool = True, port: int = 0,
          timeout_s: float = 300.0) -> dict[str, Any]:
    """Run the consent flow in the user's browser; store and return the token."""
    client = client_config(app)
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(24)
    with _Loopback(port) as loopback:
        url = authorize_url(app, client["client_key"], loopback.redirect_uri, state, challenge)
        show(url)
        if open_browser:
            webbrowser.open(url)
        answer = loopback.answer(timeout_s)
    if answer.get("state") != state:
        raise Unauthorized(SERVICE, "the answer from TikTok did not match this login (state)",
                           hint="run the login again and use the address it prints")
    if "code" not in answer:
        said = answer.get("error_description") or answer.get("error") or "no code"
        raise Unauthorized(SERVICE, f"TikTok did not grant access ({said})",
                           hint="run the login again and allow access in the browser")
    body = _token_request(app, account, {**client, "code": answer["code"], "grant_type": "authorization_code",
                                         "redirect_uri": loopback.redirect_uri, "code_verifier": verifier})
    return store_token(app, account, _token_from(body, {}))


def store_token(app: App, account: Account, token: dict[str, Any]) -> dict[str, Any]:
    credentials.save(app.db, PROVIDER, account, token, scopes=str(token.get("scope") or ""),
                     expires_at=token.get("expiry"))
    return token


def load_token(account: Account) -> dict[str, Any]:
    token = credentials.load(PROVIDER, account)
    if not token or not token.get("access_token"):
        raise Unauthorized("TikTok", f"account '{account.nickname}' is not logged in to TikTok",
                           hint=f"run: moneyprinter tiktok login --account {account.nickname}")
    return token


def access_token(app: App, account: Account, *, force_refresh: bool = False) -> str:
    """A valid access token, refreshed first if it expires within five minutes (or if ``force_refresh``)."""
    token = load_token(account)
    if force_refresh or _expired(token):
        token = refresh(app, account, token)
    return token["access_token"]


def granted_scopes(account: Account) -> set[str]:
    return {s.strip() for s in str(load_token(account).get("scope") or "").split(",") if s.strip()}


def refresh(app: App, account: Account, token: dict[str, Any]) -> dict[str, Any]:
    if not token.get("refresh_token"):
        raise Unauthorized(SERVICE, "the saved login cannot be refreshed", hint=login_hint(account))
    body = _token_request(app, account, {**client_config(app), "grant_type": "refresh_token",
                                         "refresh_token": token["refresh_token"]})
    return store_token(app, account, _token_from(body, token))


def _expired(token: dict[str, Any]) -> bool:
    expiry = token.get("expiry")
    return bool(expiry) and datetime.fromisoformat(expiry) - timedelta(seconds=_EARLY_S) <= datetime.now(UTC)


def _token_request(app: App, account: Account, form: dict[str, str]) -> dict[str, Any]:
    url = app.settings.publishing.tiktok_api_base_url.rstrip("/") + TOKEN_PATH
    response = app.http.post(url, service=SERVICE, data=form, raise_for_status=False, safe_to_retry=True,
                             headers={"Content-Type": "application/x-www-form-urlencoded", "Cache-Control": "no-cache"})
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code >= 500:
        from moneyprinter.http_client import translate_status

        raise translate_status(SERVICE, response)
    if response.status_code >= 400 or not isinstance(body, dict) or not body.get("access_token"):
        said = (body.get("error_description") or body.get("error")) if isinstance(body, dict) else None
        raise Unauthorized(SERVICE, f"TikTok refused the login ({said or f'HTTP {response.status_code}'})",
                           status=response.status_code, hint=login_hint(account))
    return body


def _token_from(body: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    now = datetime.now(UTC)
    for key in ("access_token", "refresh_token"):
        register_secret(body.get(key))
    return {
        **old,
        "access_token": body["access_token"],
        "refresh_token": body.get("refresh_token") or old.get("refresh_token"),
        "open_id": body.get("open_id") or old.get("open_id"),
        "scope": body.get("scope") or old.get("scope") or "",
        "expiry": (now + timedelta(seconds=int(body.get("expires_in") or 86400))).isoformat(timespec="seconds"),
        "refresh_expiry": (now + timedelta(seconds=int(body.get("refresh_expires_in") or 31536000))
                           ).isoformat(timespec="seconds"),
    }


def _page(query: dict[str, str]) -> tuple[bytes, str]:
    page = ("moneyprinter is logged in to TikTok. You can close this tab." if "code" in query else
            "TikTok did not grant access; see the terminal.")
    return page.encode(), "text/plain; charset=utf-8"


class _Loopback(RedirectCatcher):
    """TikTok's redirect with the code, on 127.0.0.1 (any answer counts, a refusal too)."""

    def __init__(self, port: int) -> None:
        super().__init__("127.0.0.1", port, path="/callback/", page=_page, accept=lambda query: True)

    def answer(self, timeout_s: float) -> dict[str, str]:
        if not self.wait(timeout_s):
            raise Unauthorized(SERVICE, f"no answer from the browser within {timeout_s:.0f} s",
                               hint="run the login again and finish it in the browser")
        register_secret(self.query.get("code"))
        return self.query


def token_file(account: Account) -> Path:
    return credentials.credential_path(PROVIDER, account)
