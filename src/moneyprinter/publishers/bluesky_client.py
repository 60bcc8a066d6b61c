"""The AT Protocol calls moneyprinter makes to Bluesky, over XRPC on the shared HTTP client.

A session (accessJwt, refreshJwt, did) comes from ``com.atproto.server.createSession`` with an
app password (``moneyprinter bluesky login``) and is kept in the account's credential file. An
access token lives about two hours: when the PDS answers ``ExpiredToken`` the session is renewed
with ``refreshSession`` (which also rotates the refresh token, so the new pair is saved at once)
and the call is made again - an expired token means the PDS did nothing with the request.

Errors become the project's: 401 -> ``Unauthorized`` naming the login command; 429 ->
``RateLimited`` until ``ratelimit-reset``; other 4xx -> ``BadRequest`` with the PDS's error name
and message; 5xx -> ``ServiceUnavailable``.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from moneyprinter import errors
from moneyprinter.publishers import credentials
from moneyprinter.redact import redact, register_secret
from moneyprinter.store.accounts import Account

if TYPE_CHECKING:
    import requests

    from moneyprinter.app import App

PROVIDER = "bluesky"
SERVICE = "Bluesky"
POST_COLLECTION = "app.bsky.feed.post"
_EXPIRED = {"ExpiredToken"}
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def login_hint(account: Account) -> str:
    return f"run: moneyprinter bluesky login --account {account.nickname} --handle {account.options.get('handle') or 'HANDLE'}"


def pds_url(app: App, account: Account) -> str:
    return (account.options.get("pds") or app.settings.publishing.bluesky_pds_url).rstrip("/")


def new_tid() -> str:
    """A record key in the AT Protocol's TID form: microseconds since 1970 and a random clock id,
    in 13 characters of base32-sortable. Chosen by us, so a retry can name the same record."""
    value = (time.time_ns() // 1000) << 10 | int.from_bytes(os.urandom(2), "big") & 0x3FF
    return "".join(_TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


def rkey_of(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def post_url(handle: str | None, did: str, uri: str) -> str:
    return f"https://bsky.app/profile/{handle or did}/post/{rkey_of(uri)}"


def error_name(response: requests.Response) -> tuple[str, str]:
    """The XRPC error body's ``error`` and ``message`` (empty strings when the body is not one)."""
    try:
        body = response.json()
    except ValueError:
        return "", ""
    if not isinstance(body, dict):
        return "", ""
    return str(body.get("error") or ""), redact(str(body.get("message") or ""))[:200]


def retry_after(response: requests.Response) -> float | None:
    """Seconds until ``ratelimit-reset`` (a Unix time), or a ``Retry-After``, if the answer gave one."""
    reset = response.headers.get("ratelimit-reset")
    if reset and reset.strip().isdigit():
        return max(1.0, int(reset) - time.time())
    after = response.headers.get("Retry-After")
    return float(after) if after and after.strip().isdigit() else None


def raise_for(response: requests.Response, account: Account, what: str) -> None:
    """Turn a failed XRPC answer into one clear error; return quietly on success."""
    status = response.status_code
    if status < 400:
        return
    name, message = error_name(response)
    detail = f"{name}: {message}" if name and message else name or message or f"HTTP {status}"
    if status == 401 or name in _EXPIRED or name in ("InvalidToken", "AuthenticationRequired"):
        raise errors.Unauthorized(SERVICE, f"{what}: the session was refused ({detail})", status=status,
                                  hint=login_hint(account))
    if status == 403:
        raise errors.Unauthorized(SERVICE, f"{what}: not allowed ({detail})", status=status,
                                  hint="check the account on bsky.app (a suspended or deactivated account cannot post)")
    if status == 429:
        raise errors.RateLimited(SERVICE, f"{what}: rate limited ({detail})", retry_after=retry_after(response),
                                 status=status, hint="deferred until Bluesky's rate-limit window resets")
    if status >= 500:
        raise errors.ServiceUnavailable(SERVICE, f"{what}: server error ({detail})", status=status)
    raise errors.BadRequest(SERVICE, f"{what}: refused ({detail})", status=status)


class BlueskyClient:
    """XRPC calls for one account, with its session renewed when the PDS says it expired."""

    def __init__(self, app: App, account: Account, session: dict[str, Any] | None = None) -> None:
        self.app, self.account = app, account
        self.session = session if session is not None else load_session(account)
        self.pds = (self.session.get("service_endpoint") or self.session.get("pds") or pds_url(app, account)).rstrip("/")

    @property
    def did(self) -> str:
        return self.session["did"]

    @property
    def handle(self) -> str | None:
        return self.session.get("handle")

    # --- transport ------------------------------------------------------------------------------

    def call(self, method: str, nsid: str, *, base: str | None = None, token: str | None = None,
             renew: bool = True, headers: dict[str, str] | None = None, **kwargs) -> requests.Response:
        """One XRPC call (an unraised answer). ``token`` overrides the session's access token (a
        service token); on the PDS, an expired access token is renewed once and the call repeated."""
        url = f"{(base or self.pds).rstrip('/')}/xrpc/{nsid}"
        bearer = token or self.session["access_jwt"]
        response = self.app.http.request(method, url, service=SERVICE, raise_for_status=False,
                                         headers={**(headers or {}), "Authorization": f"Bearer {bearer}"}, **kwargs)
        if renew and token is None and response.status_code in (400, 401) and error_name(response)[0] in _EXPIRED:
            response.close()
            self.refresh()
            return self.call(method, nsid, base=base, renew=False, headers=headers, **kwargs)
        return response

    def refresh(self) -> None:
        """Renew the session with the refresh token and save the new pair before anything else."""
        stored = credentials.load(PROVIDER, self.account) or {}
        if stored.get("access_jwt") and stored["access_jwt"] != self.session["access_jwt"]:
            self.session = stored  # another process renewed it meanwhile (its refresh token is spent now)
            return
        response = self.app.http.request(
            "POST", f"{self.pds}/xrpc/com.atproto.server.refreshSession", service=SERVICE, raise_for_status=False,
            headers={"Authorization": f"Bearer {self.session['refresh_jwt']}"}, max_retries=0)
        if response.status_code >= 400:
            name, message = error_name(response)
            if response.status_code in (400, 401):
                raise errors.Unauthorized(SERVICE, f"the session expired and could not be renewed ({name or message})",
                                          status=response.status_code, hint=login_hint(self.account))
            raise_for(response, self.account, "renewing the session")
        self.session = {**self.session, **session_fields(response.json())}
        credentials.save(self.app.db, PROVIDER, self.account, self.session)

    # --- the calls ------------------------------------------------------------------------------

    def get_session(self) -> dict[str, Any]:
        response = self.call("GET", "com.atproto.server.getSession", timeout=(3.0, 10.0), max_retries=1)
        raise_for(response, self.account, "checking the session")
        return response.json()

    def resolve_handle(self, handle: str) -> str | None:
        """The DID behind a handle, or None when it does not resolve (the mention stays plain text)."""
        response = self.call("GET", "com.atproto.identity.resolveHandle", params={"handle": handle})
        if response.status_code == 400:
            return None
        raise_for(response, self.account, f"resolving @{handle}")
        return response.json().get("did")

    def upload_blob(self, data: bytes, mime_type: str) -> dict[str, Any]:
        response = self.call("POST", "com.atproto.repo.uploadBlob", data=data,
                             headers={"Content-Type": mime_type})
        raise_for(response, self.account, "uploading the image")
        return response.json()["blob"]

    def service_token(self, aud: str, lxm: str, lifetime_s: int = 1800) -> str:
        """A short-lived token the PDS signs for another service (the video service)."""
        response = self.call("GET", "com.atproto.server.getServiceAuth",
                             params={"aud": aud, "lxm": lxm, "exp": int(time.time()) + lifetime_s})
        raise_for(response, self.account, "asking the PDS for a video service token")
        token = response.json()["token"]
        register_secret(token)
        return token

    def create_record(self, rkey: str, record: dict[str, Any], timeout_s: float) -> requests.Response:
        """``createRecord`` under our record key, sent once (the caller decides what an answer means)."""
        return self.call("POST", "com.atproto.repo.createRecord", max_retries=0, timeout=(5.0, timeout_s),
                         json={"repo": self.did, "collection": POST_COLLECTION, "rkey": rkey, "record": record})

    def get_record(self, rkey: str) -> dict[str, Any] | None:
        """The post at our record key, or None when the PDS says there is none."""
        response = self.call("GET", "com.atproto.repo.getRecord",
                             params={"repo": self.did, "collection": POST_COLLECTION, "rkey": rkey})
        if response.status_code == 400 and error_name(response)[0] == "RecordNotFound":
            return None
        raise_for(response, self.account, "looking up the post")
        return response.json()


def pds_audience(url: str) -> str:
    """The service DID of a host, as service tokens name their audience: did:web:<host>."""
    return f"did:web:{urlsplit(url).hostname}"


def session_fields(body: dict[str, Any]) -> dict[str, Any]:
    """What we keep of a createSession/refreshSession answer (the tokens go to the 0600 credential file)."""
    kept = {"access_jwt": body["accessJwt"], "refresh_jwt": body["refreshJwt"], "did": body["did"],
            "handle": body.get("handle"), "refreshed_at": datetime.now(UTC).isoformat(timespec="seconds")}
    endpoint = _pds_endpoint(body.get("didDoc"))
    if endpoint:
        kept["service_endpoint"] = endpoint
    return kept


def _pds_endpoint(did_doc: Any) -> str | None:
    """The account's own PDS from its DID document (bsky.social is an entryway in front of many)."""
    if not isinstance(did_doc, dict):
        return None
    for service in did_doc.get("service") or []:
        if isinstance(service, dict) and str(service.get("id", "")).endswith("#atproto_pds"):
            return service.get("serviceEndpoint")
    return None


def load_session(account: Account) -> dict[str, Any]:
    session = credentials.load(PROVIDER, account)
    if not session or not all(session.get(k) for k in ("access_jwt", "refresh_jwt", "did")):
        raise errors.Unauthorized(SERVICE, f"account '{account.nickname}' is not logged in to Bluesky",
                                  hint=login_hint(account))
    return session


def create_session(app: App, account: Account, handle: str, password: str, pds: str) -> dict[str, Any]:
    """Log in with an app password; the session to store (the password itself is never kept)."""
    register_secret(password)
    response = app.http.request("POST", f"{pds.rstrip('/')}/xrpc/com.atproto.server.createSession", service=SERVICE,
                                raise_for_status=False, json={"identifier": handle, "password": password},
                                max_retries=0)
    name, message = error_name(response)
    if name == "AuthFactorTokenRequired":
        raise errors.Unauthorized(SERVICE, "the account asks for an email code (two-factor sign-in)",
                                  hint="create an app password at bsky.app: Settings > Privacy and security > App passwords")
    if response.status_code == 401:
        raise errors.Unauthorized(SERVICE, f"handle or app password refused ({message or name})", status=401,
                                  hint="check the handle and create a new app password at bsky.app > Settings > App passwords")
    raise_for(response, account, "logging in")
    return {**session_fields(response.json()), "pds": pds.rstrip("/")}


def log_in(app: App, account: Account, handle: str, password: str, pds: str | None = None) -> dict[str, Any]:
    """Create a session, keep it in the account's credential file and the handle (and PDS) in its options."""
    from moneyprinter.store.accounts import update_account

    handle = handle.strip().lstrip("@")
    session = create_session(app, account, handle, password, pds or pds_url(app, account))
    options = {"handle": handle, **({"pds": pds.rstrip("/")} if pds else {})}
    account = update_account(app.db, account, options=options)
    credentials.save(app.db, PROVIDER, account, session)
    return session
