"""The few Mastodon API calls moneyprinter makes, on the shared HTTP client, with the instance's answers mapped
to clear errors. Any instance: its base URL is the account's ``instance`` option.

The instance's limits (``GET /api/v2/instance``: characters per status, how a URL counts, media sizes and
types) are cached per instance in ``<data>/cache/mastodon_instances.json`` for
``publishing.mastodon_limits_cache_s``: they change only when its admin reconfigures it.
"""

from __future__ import annotations

import json
import mimetypes
import os
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from moneyprinter import errors, paths
from moneyprinter.http_client import parse_retry_after
from moneyprinter.publishers import credentials
from moneyprinter.redact import redact
from moneyprinter.store.accounts import Account

if TYPE_CHECKING:
    import requests

    from moneyprinter.app import App

PROVIDER = "mastodon"
SERVICE = "Mastodon"
SCOPES = ("read:accounts", "read:statuses", "write:statuses", "write:media")
WRITE_SCOPES = ("write:statuses", "write:media")
DEFAULT_LIMITS = {"max_characters": 500, "characters_reserved_per_url": 23, "max_media_attachments": 4,
                  "video_size_limit": 99 * 1024 * 1024, "image_size_limit": 16 * 1024 * 1024,
                  "supported_mime_types": []}  # Mastodon's defaults, for an instance that does not say
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def login_command(account: Account) -> str:
    return f"moneyprinter mastodon login --account {account.nickname}"


def login_hint(account: Account) -> str:
    return f"log in again: {login_command(account)}"


def normalise_instance(raw: str) -> str:
    """``mastodon.social`` or ``https://mastodon.social/`` -> ``https://mastodon.social``."""
    raw = raw.strip()
    parts = urlsplit(raw if "://" in raw else "https://" + raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise errors.UsageError(f"'{raw}' is not an instance address", hint="give its base URL, e.g. https://mastodon.social")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise errors.UsageError(f"'{raw}': Mastodon instances are reached over https",
                                hint=f"use https://{parts.netloc}")
    return f"{parts.scheme}://{parts.netloc}"


def instance_of(account: Account) -> str:
    raw = str(account.options.get("instance") or "")
    if not raw:
        raise errors.UsageError(f"mastodon '{account.nickname}': no instance is set",
                                hint=f"{login_command(account)} --instance https://your.instance")
    return normalise_instance(raw)


def load_login(account: Account) -> dict[str, Any]:
    saved = credentials.load(PROVIDER, account)
    if not saved or not saved.get("access_token"):
        raise errors.Unauthorized(SERVICE, f"account '{account.nickname}' is not logged in to Mastodon",
                                  hint=f"run: {login_command(account)}")
    return saved


class MastodonClient:
    def __init__(self, app: App, account: Account, base: str, token: str | None = None) -> None:
        self.app, self.account, self.base, self.token = app, account, base.rstrip("/"), token

    @classmethod
    def for_account(cls, app: App, account: Account) -> MastodonClient:
        return cls(app, account, instance_of(account), load_login(account)["access_token"])

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return self.app.http.request(method, self.base + path, service=SERVICE, headers=headers,
                                     raise_for_status=False, **kwargs)

    def checked(self, method: str, path: str, **kwargs) -> Any:
        response = self.call(method, path, **kwargs)
        raise_for(response, self.account)
        return response.json()

    # --- reads ----------------------------------------------------------------------------------------

    def verify_credentials(self) -> dict[str, Any]:
        return self.checked("GET", "/api/v1/accounts/verify_credentials", timeout=(3.0, 10.0), max_retries=1)

    def account_statuses(self, account_id: str, max_id: str | None = None) -> list[dict[str, Any]]:
        params = {"limit": 40, **({"max_id": max_id} if max_id else {})}
        return self.checked("GET", f"/api/v1/accounts/{account_id}/statuses", params=params)

    def limits(self) -> dict[str, Any]:
        """The instance's limits, from the cache while it is fresh."""
        cache = _read_cache()
        kept = cache.get(self.base)
        if kept and time.time() - kept.get("fetched_at", 0) < self.app.settings.publishing.mastodon_limits_cache_s:
            return kept
        limits = {**DEFAULT_LIMITS, **self._fetch_limits(), "fetched_at": time.time()}
        _write_cache({**_read_cache(), self.base: limits})
        return limits

    def _fetch_limits(self) -> dict[str, Any]:
        for path in ("/api/v2/instance", "/api/v1/instance"):  # v2 since Mastodon 4.0
            response = self.app.http.request("GET", self.base + path, service=SERVICE, raise_for_status=False,
                                             timeout=(3.0, 10.0))
            if response.status_code == 404:
                continue
            raise_for(response, self.account)
            config = response.json().get("configuration") or {}
            statuses, media = config.get("statuses") or {}, config.get("media_attachments") or {}
            found = {**{k: statuses[k] for k in ("max_characters", "characters_reserved_per_url",
                                                 "max_media_attachments") if isinstance(statuses.get(k), int)},
                     **{k: media[k] for k in ("video_size_limit", "image_size_limit") if isinstance(media.get(k), int)}}
            if isinstance(media.get("supported_mime_types"), list):
                found["supported_mime_types"] = media["supported_mime_types"]
            return found
        return {}

    # --- media ----------------------------------------------------------------------------------------

    def upload_media(self, path: Path, description: str) -> str:
        """``POST /api/v2/media``, then wait until the instance has processed it (its ``url`` is set).
        An upload is not public until a status uses it, so it may be retried."""
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        with path.open("rb") as handle:
            media = self.checked("POST", "/api/v2/media", files={"file": (path.name, handle, media_type)},
                                 data={"description": description[:1500]}, safe_to_retry=True, timeout=(5.0, 300.0))
        settings = self.app.settings.publishing
        deadline, wait = time.monotonic() + settings.mastodon_media_timeout_s, settings.mastodon_media_poll_s
        while not media.get("url"):
            if time.monotonic() > deadline:
                raise errors.ServiceUnavailable(SERVICE, f"the instance did not finish processing {path.name} in "
                                                         f"{settings.mastodon_media_timeout_s:.0f} s")
            time.sleep(wait)
            wait = min(wait * 1.5, 10.0)
            response = self.call("GET", f"/api/v1/media/{media['id']}")
            if response.status_code == 422:
                raise errors.BadRequest(SERVICE, f"the instance could not process {path.name} ({_error_text(response)})",
                                        status=422, hint="check the file plays, and its size and format")
            raise_for(response, self.account)
            media = response.json()
        return str(media["id"])


def raise_for(response: requests.Response, account: Account) -> None:
    """Mastodon's refusals, each with what to do."""
    status = response.status_code
    if status < 400:
        return
    said = _error_text(response)
    if status == 401:
        raise errors.Unauthorized(SERVICE, f"the instance refused the token (HTTP 401: {said})", status=401,
                                  hint=login_hint(account))
    if status == 403:
        raise errors.Unauthorized(SERVICE, f"refused (HTTP 403: {said}): the token lacks a scope it needs "
                                           f"({', '.join(SCOPES)}) or the account is suspended or disabled",
                                  status=403, hint=f"check the account on its instance, then {login_hint(account)}")
    if status == 422:
        raise errors.BadRequest(SERVICE, f"the instance refused it (HTTP 422: {said})", status=422,
                                hint="change what it names (review edit) and publish again")
    if status == 429:
        raise errors.RateLimited(SERVICE, "rate limited (HTTP 429)", retry_after=reset_in(response), status=429,
                                 hint="deferred until the instance's rate-limit window resets")
    if status == 404:
        raise errors.NotFoundRemote(SERVICE, f"not found (HTTP 404: {said})", status=404,
                                    hint="check the account's instance address")
    if status >= 500:
        raise errors.ServiceUnavailable(SERVICE, f"server error (HTTP {status})", status=status)
    raise errors.BadRequest(SERVICE, f"request refused (HTTP {status}: {said})", status=status)


def reset_in(response: requests.Response) -> float:
    """Seconds until ``X-RateLimit-Reset`` (an ISO 8601 time on Mastodon), else ``Retry-After``, else 5 minutes."""
    reset = response.headers.get("X-RateLimit-Reset")
    if reset:
        try:
            return max(1.0, datetime.fromisoformat(reset.replace("Z", "+00:00")).timestamp() - time.time())
        except ValueError:
            pass
    return parse_retry_after(response.headers.get("Retry-After")) or 300.0


def _error_text(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return "no details"
    if not isinstance(body, dict):
        return "no details"
    text = " ".join(str(body[k]) for k in ("error", "error_description") if body.get(k))
    return redact(text)[:200] or "no details"


def _cache_path() -> Path:
    return paths.data_dir() / "cache" / "mastodon_instances.json"


def _read_cache() -> dict[str, Any]:
    try:
        data = json.loads(_cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(data: dict[str, Any]) -> None:
    path = _cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.part")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)
