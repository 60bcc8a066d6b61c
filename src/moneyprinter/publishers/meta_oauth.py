"""Logging in to Instagram (Business Login for Instagram) and Threads: OAuth authorization code, then a
long-lived token (60 days), then the user id, stored per account with mode 0600.

Meta sends the browser to a redirect URI that must be listed in the app. An ``http://127.0.0.1:PORT/``
(or ``localhost``) address is caught by a small local server; any other address (Meta usually insists
on HTTPS, e.g. ``https://localhost/``) shows an error page in the browser, and the person pastes that
page's address, which carries the code. The ``state`` value ties the answer to this login.
"""

from __future__ import annotations

import secrets
import webbrowser
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from moneyprinter import errors
from moneyprinter.publishers import credentials
from moneyprinter.publishers.oauth_redirect import RedirectCatcher
from moneyprinter.publishers.meta_graph import INSTAGRAM, GraphClient, Network, graph_error, origin
from moneyprinter.redact import register_secret
from moneyprinter.store.accounts import Account, update_account

if TYPE_CHECKING:
    from moneyprinter.app import App

LOGIN_TIMEOUT_S = 300


def app_keys(app: App, net: Network) -> tuple[str, str]:
    """The Meta app's id and secret for this network (Threads has its own pair)."""
    prefix = net.id.upper()
    app_id, secret = app.config.secrets.get(f"{prefix}_APP_ID"), app.config.secrets.get(f"{prefix}_APP_SECRET")
    if not (app_id and secret):
        raise errors.ConfigError(
            f"no {net.name} app configured",
            hint=f"set {prefix}_APP_ID and {prefix}_APP_SECRET in .env (the {net.name} app id and secret from the Meta "
                 "App Dashboard); docs/publishing.md says how to create the app")
    register_secret(secret)
    return app_id, secret


def login(app: App, net: Network, account: Account, *, redirect_uri: str, open_browser: bool,
          show: Callable[[str], None], ask: Callable[[str], str]) -> tuple[Path, dict[str, Any]]:
    """Run the login and store the long-lived token; returns where it is stored and what it holds (no secrets shown)."""
    app_id, secret = app_keys(app, net)
    state = secrets.token_urlsafe(16)
    settings = app.settings.publishing
    authorize = settings.instagram_oauth_url if net is INSTAGRAM else settings.threads_oauth_url
    url = f"{authorize}?" + urlencode({"client_id": app_id, "redirect_uri": redirect_uri, "response_type": "code",
                                       "scope": ",".join(net.scopes), "state": state})
    catcher = _Catcher(redirect_uri, net) if _loopback(redirect_uri) else None
    show(f"Open this address, log in to {net.name} and allow moneyprinter to publish:\n{url}")
    if open_browser:
        webbrowser.open(url)
    try:
        landed = catcher.landed() if catcher else ask("Paste the address your browser landed on")
    finally:
        if catcher:
            catcher.close()
    code = _code(landed, state, net)
    short = _exchange_code(app, net, app_id, secret, redirect_uri, code)
    token = _long_lived(app, net, secret, short)
    me = GraphClient(app, net, account, token).me()
    token["user_id"] = str(me.get("user_id") or me.get("id") or token["user_id"])
    token["username"] = me.get("username")
    path = credentials.save(app.db, net.id, account, token, scopes=token.get("permissions", ""),
                            expires_at=token["expires_at"])
    update_account(app.db, account, options={net.user_option: token["user_id"]},
                   external_id=account.external_id or token["user_id"])
    return path, {k: v for k, v in token.items() if k != "access_token"}


def _loopback(redirect_uri: str) -> bool:
    parts = urlsplit(redirect_uri)
    return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost") and parts.port is not None


def _code(landed: str, state: str, net: Network) -> str:
    query = parse_qs(urlsplit(landed.strip()).query)
    if query.get("error"):
        reason = (query.get("error_description") or query["error"])[0]
        raise errors.Unauthorized(net.service, f"the login was declined ({reason})",
                                  hint="run the login again and allow access")
    if query.get("state", [""])[0] != state:
        raise errors.Unauthorized(net.service, "that address is not from this login (its state does not match)",
                                  hint="run the login again and paste the address this login led to")
    code = query.get("code", [""])[0]
    if not code:
        raise errors.Unauthorized(net.service, "that address carries no login code",
                                  hint="paste the whole address from the browser's address bar")
    register_secret(code)
    return code


def _exchange_code(app: App, net: Network, app_id: str, secret: str, redirect_uri: str, code: str) -> dict[str, Any]:
    """Code -> short-lived token (Instagram answers in a ``data`` list, Threads flat)."""
    settings = app.settings.publishing
    url = settings.instagram_token_url if net is INSTAGRAM else origin(settings.threads_graph_base_url) + "/oauth/access_token"
    response = app.http.post(url, service=net.service, raise_for_status=False, max_retries=0, data={
        "client_id": app_id, "client_secret": secret, "grant_type": "authorization_code",
        "redirect_uri": redirect_uri, "code": code})
    body = _answer(response, net)
    row = (body.get("data") or [body])[0]
    register_secret(row.get("access_token"))
    token = {"access_token": row["access_token"], "user_id": str(row.get("user_id") or "")}
    permissions = row.get("permissions")  # Instagram reports what was granted; Threads does not
    if permissions:
        token["permissions"] = ",".join(permissions) if isinstance(permissions, list) else str(permissions)
    return token


def _long_lived(app: App, net: Network, secret: str, short: dict[str, Any]) -> dict[str, Any]:
    base = origin(getattr(app.settings.publishing, net.base_setting))
    response = app.http.get(base + "/access_token", service=net.service, raise_for_status=False, params={
        "grant_type": net.exchange_grant, "client_secret": secret, "access_token": short["access_token"]})
    body = _answer(response, net)
    register_secret(body.get("access_token"))
    expires = datetime.now(UTC) + timedelta(seconds=int(body.get("expires_in") or 60 * 86400))
    return {**short, "access_token": body["access_token"], "expires_at": expires.isoformat(timespec="seconds")}


def _answer(response, net: Network) -> dict[str, Any]:
    if response.status_code >= 400:
        exc = graph_error(net, None, response)
        raise errors.Unauthorized(net.service, f"the login could not be completed: {exc}",
                                  hint="run the login again; check the app id, secret and redirect URI in the Meta "
                                       "App Dashboard") from None
    return response.json()


class _Catcher(RedirectCatcher):
    """Meta's redirect, on the redirect URI's own loopback port (any path)."""

    def __init__(self, redirect_uri: str, net: Network) -> None:
        parts = urlsplit(redirect_uri)
        page = (f"<p>Login received: moneyprinter is logged in to {net.name} once the terminal says so. "
                "You can close this tab.</p>").encode()
        try:
            super().__init__(parts.hostname or "127.0.0.1", parts.port or 80, path=None,
                             page=lambda query: (page, "text/html; charset=utf-8"))
        except OSError as exc:
            raise errors.UsageError(f"cannot listen on {redirect_uri} ({exc.strerror})",
                                    hint="choose another port in --redirect-uri (and list it in the Meta app)") from None
        self._redirect_uri = redirect_uri
        self.start()

    def landed(self) -> str:
        """The address the browser landed on, as the user would paste it."""
        if not self.wait(LOGIN_TIMEOUT_S):
            raise errors.Unauthorized("login", f"no answer from the browser within {LOGIN_TIMEOUT_S // 60} minutes",
                                      hint="run the login again")
        return f"{self._redirect_uri.split('?')[0]}?{self.raw_query}"
