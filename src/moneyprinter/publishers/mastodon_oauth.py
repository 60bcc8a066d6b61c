"""Logging in to a Mastodon instance: register an app there (``POST /api/v1/apps``), then OAuth 2's
authorization code flow with a loopback redirect (``http://127.0.0.1:PORT/callback``), with PKCE (S256)
when the instance says it supports it (``/.well-known/oauth-authorization-server``, Mastodon 4.3+).

The app's client id and secret and the access token are stored per account (mode 0600, redacted) with the
granted scopes and the account's id, which reconciliation reads statuses by.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from moneyprinter import errors
from moneyprinter.publishers import credentials
from moneyprinter.publishers.oauth_redirect import RedirectCatcher
from moneyprinter.publishers.mastodon_client import (
    PROVIDER,
    SCOPES,
    SERVICE,
    WRITE_SCOPES,
    MastodonClient,
    instance_of,
    normalise_instance,
    raise_for,
)
from moneyprinter.redact import register_secret
from moneyprinter.store.accounts import Account, update_account

if TYPE_CHECKING:
    from moneyprinter.app import App

CLIENT_NAME = "moneyprinter"
DONE_PAGE = (b"<!doctype html><title>moneyprinter</title><p>moneyprinter got the authorization from Mastodon. "
             b"You can close this tab and go back to the terminal.</p>")


@dataclass
class Endpoints:
    authorize: str
    token: str
    pkce: bool


def login(app: App, account: Account, instance: str | None = None, *, open_browser: bool = True, port: int = 0,
          timeout_s: float = 300.0, echo: Callable[[str], None] = print) -> dict[str, Any]:
    """Run the whole login and store what it yields; returns the stored record (secrets included)."""
    base = normalise_instance(instance) if instance else instance_of(account)
    with _Loopback(port) as loopback:
        endpoints = discover(app, base)
        client = register_app(app, account, base, loopback.redirect_uri)
        verifier = secrets.token_urlsafe(64) if endpoints.pkce else None
        state = secrets.token_urlsafe(16)
        params = {"response_type": "code", "client_id": client["client_id"], "redirect_uri": loopback.redirect_uri,
                  "scope": " ".join(SCOPES), "state": state}
        if verifier:
            params.update(code_challenge=_challenge(verifier), code_challenge_method="S256")
        url = f"{endpoints.authorize}?{urlencode(params)}"
        echo(f"Open this address in a browser, sign in to {urlsplit(base).netloc} and press Authorize:\n{url}")
        if open_browser:
            webbrowser.open(url)
        answer = loopback.answer(timeout_s)
    if answer.get("state") != state:
        raise errors.Unauthorized(SERVICE, "the login answer did not match this login (state)",
                                  hint="run the login again")
    if "code" not in answer:
        raise errors.Unauthorized(SERVICE, f"the instance did not authorize moneyprinter ({answer.get('error', 'no code')})",
                                  hint="run the login again and press Authorize")
    token = exchange(app, account, endpoints, client, answer["code"], loopback.redirect_uri, verifier)
    granted = str(token.get("scope") or " ".join(SCOPES))
    missing = [s for s in WRITE_SCOPES if s not in granted.split()]
    if missing:
        raise errors.Unauthorized(SERVICE, f"the instance granted no {', '.join(missing)}",
                                  hint="run the login again and allow posting statuses and media")
    me = MastodonClient(app, account, base, token["access_token"]).verify_credentials()
    if instance:
        account = update_account(app.db, account, options={"instance": base})
    saved = {"instance": base, "client_id": client["client_id"], "client_secret": client["client_secret"],
             "access_token": token["access_token"], "scope": granted, "account_id": str(me["id"]),
             "acct": me.get("acct") or me.get("username"), "url": me.get("url")}
    credentials.save(app.db, PROVIDER, account, saved, scopes=granted)
    return saved


def discover(app: App, base: str) -> Endpoints:
    """The OAuth endpoints and whether PKCE is offered; an instance older than 4.3 has the classic paths."""
    try:
        response = app.http.request("GET", base + "/.well-known/oauth-authorization-server", service=SERVICE,
                                    raise_for_status=False, timeout=(3.0, 10.0))
        meta = response.json() if response.status_code == 200 else {}
    except (errors.ServiceError, ValueError):
        meta = {}
    if not isinstance(meta, dict):
        meta = {}
    return Endpoints(str(meta.get("authorization_endpoint") or base + "/oauth/authorize"),
                     str(meta.get("token_endpoint") or base + "/oauth/token"),
                     "S256" in (meta.get("code_challenge_methods_supported") or []))


def register_app(app: App, account: Account, base: str, redirect_uri: str) -> dict[str, Any]:
    response = app.http.request("POST", base + "/api/v1/apps", service=SERVICE, raise_for_status=False,
                                json={"client_name": CLIENT_NAME, "redirect_uris": redirect_uri,
                                      "scopes": " ".join(SCOPES)}, max_retries=0)
    raise_for(response, account)
    client = response.json()
    register_secret(client.get("client_secret"))
    return client


def exchange(app: App, account: Account, endpoints: Endpoints, client: dict[str, Any], code: str,
             redirect_uri: str, verifier: str | None) -> dict[str, Any]:
    form = {"grant_type": "authorization_code", "code": code, "client_id": client["client_id"],
            "client_secret": client["client_secret"], "redirect_uri": redirect_uri, "scope": " ".join(SCOPES)}
    if verifier:
        form["code_verifier"] = verifier
    response = app.http.request("POST", endpoints.token, service=SERVICE, raise_for_status=False, data=form,
                                max_retries=0)
    if response.status_code in (400, 401):
        raise errors.Unauthorized(SERVICE, f"the instance refused the login code (HTTP {response.status_code})",
                                  status=response.status_code, hint="run the login again")
    raise_for(response, account)
    token = response.json()
    register_secret(token.get("access_token"))
    return token


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class _Loopback(RedirectCatcher):
    """The browser's redirect with the code, on 127.0.0.1."""

    def __init__(self, port: int) -> None:
        try:
            super().__init__("127.0.0.1", port, path="/callback", page=lambda query: (DONE_PAGE, "text/html; charset=utf-8"))
        except OSError as exc:
            raise errors.UsageError(f"cannot listen on 127.0.0.1:{port} for the login ({exc.strerror})",
                                    hint="pass another --port, or 0 for any free port") from None

    def answer(self, timeout_s: float) -> dict[str, str]:
        if not self.wait(timeout_s):
            raise errors.Unauthorized(SERVICE, f"no answer from the browser in {timeout_s:.0f} s",
                                      hint="run the login again and press Authorize on the instance's page")
        if self.query.get("code"):
            register_secret(self.query["code"])
        return dict(self.query)
