"""Meta's Graph APIs for Instagram (Instagram Login) and Threads: the few calls moneyprinter makes,
on the shared HTTP client, and the Graph error envelope translated into moneyprinter's errors.

Both networks publish alike (a container, its status, a publish call, a list of what is public, a
publishing limit), so one client serves both; a ``Network`` names the edges and fields that differ.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from moneyprinter import errors
from moneyprinter.http_client import parse_retry_after
from moneyprinter.publishers import credentials
from moneyprinter.redact import redact
from moneyprinter.store.accounts import Account

if TYPE_CHECKING:
    from moneyprinter.app import App

log = logging.getLogger(__name__)

RATE_LIMIT_CODES = frozenset({4, 17, 32, 613})  # app, user, page and "calls within one hour" limits
PUBLISHING_LIMIT_SUBCODE = 2207042  # code 9: the account's 24-hour publishing limit is reached
QUOTA_RECHECK_S = 3600  # the limit is a rolling 24 hours; Meta does not say when a slot frees
REFRESH_BEFORE = timedelta(days=7)  # long-lived tokens last 60 days; refreshed in their last week


@dataclass(frozen=True)
class Network:
    id: str  # the platform id and credentials provider: "instagram" / "threads"
    name: str
    base_setting: str  # the [publishing] field with the versioned Graph base URL
    create_edge: str
    publish_edge: str
    list_edge: str
    limit_edge: str
    status_field: str  # the container field with IN_PROGRESS / FINISHED / ERROR / EXPIRED / PUBLISHED
    text_field: str
    user_option: str  # account option holding the user id
    scopes: tuple[str, ...]  # asked for at login; the last one allows publishing
    me_fields: str
    exchange_grant: str  # short-lived -> long-lived token
    refresh_grant: str  # long-lived -> a new long-lived token
    caption_limit: int

    @property
    def service(self) -> str:
        return f"{self.name} API"

    @property
    def publish_scope(self) -> str:
        return self.scopes[-1]


INSTAGRAM = Network("instagram", "Instagram", "instagram_graph_base_url", "media", "media_publish", "media",
                    "content_publishing_limit", "status_code", "caption", "ig_user_id",
                    ("instagram_business_basic", "instagram_business_content_publish"), "user_id,username",
                    "ig_exchange_token", "ig_refresh_token", 2200)
THREADS = Network("threads", "Threads", "threads_graph_base_url", "threads", "threads_publish", "threads",
                  "threads_publishing_limit", "status", "text", "threads_user_id",
                  ("threads_basic", "threads_content_publish"), "id,username", "th_exchange_token", "th_refresh_token", 500)
NETWORKS = {net.id: net for net in (INSTAGRAM, THREADS)}


def login_hint(net: Network, account: Account | None) -> str:
    return f"log in again: moneyprinter {net.id} login --account {account.nickname if account else 'NICKNAME'}"


def load_token(net: Network, account: Account) -> dict[str, Any]:
    token = credentials.load(net.id, account)
    if not token or not token.get("access_token"):
        raise errors.Unauthorized(net.service, f"account '{account.nickname}' is not logged in to {net.name}",
                                  hint=f"run: moneyprinter {net.id} login --account {account.nickname}")
    return token


def origin(url: str) -> str:
    """'https://graph.threads.net' of 'https://graph.threads.net/v1.0': where the unversioned token endpoints live."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class GraphClient:
    """One account's calls; every answer of 400 or more becomes the matching ``MoneyPrinterError``."""

    def __init__(self, app: App, net: Network, account: Account, token: dict[str, Any] | None = None) -> None:
        self.app, self.net, self.account = app, net, account
        self.base = getattr(app.settings.publishing, net.base_setting).rstrip("/")
        self.token = token or self._fresh(load_token(net, account))

    def _fresh(self, token: dict[str, Any]) -> dict[str, Any]:
        """The stored token, refreshed in its last week (Meta refreshes unexpired long-lived tokens only)."""
        expires = token.get("expires_at")
        if not expires:
            return token
        left = datetime.fromisoformat(expires) - datetime.now(UTC)
        if left <= timedelta(0):
            raise errors.Unauthorized(self.net.service, f"the {self.net.name} login expired on {expires[:10]}",
                                      hint=login_hint(self.net, self.account))
        if left > REFRESH_BEFORE:
            return token
        try:
            body = self._json(self.app.http.get(
                origin(self.base) + "/refresh_access_token", service=self.net.service, raise_for_status=False,
                params={"grant_type": self.net.refresh_grant, "access_token": token["access_token"]}))
        except errors.MoneyPrinterError as exc:  # still valid for now; the next use tries again
            log.warning("%s: the login of '%s' could not be refreshed (%s)", self.net.name, self.account.nickname, exc)
            return token
        expires = (datetime.now(UTC) + timedelta(seconds=int(body.get("expires_in") or 60 * 86400)))
        token = {**token, "access_token": body["access_token"], "expires_at": expires.isoformat(timespec="seconds")}
        credentials.save(self.app.db, self.net.id, self.account, token, scopes=str(token.get("permissions") or ""),
                         expires_at=token["expires_at"])
        return token

    @property
    def user_id(self) -> str:
        user_id = self.account.options.get(self.net.user_option) or self.token.get("user_id")
        if not user_id:
            raise errors.Unauthorized(self.net.service, f"account '{self.account.nickname}' has no {self.net.name} user id",
                                      hint=login_hint(self.net, self.account))
        return str(user_id)

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        response = self.app.http.get(self.base + path, service=self.net.service, raise_for_status=False,
                                     params={**params, "access_token": self.token["access_token"]})
        return self._json(response)

    def post(self, path: str, data: dict[str, Any], *, timeout: float) -> dict[str, Any]:
        """A call that creates something: sent once (never retried here), the token in the form body."""
        response = self.app.http.post(self.base + path, service=self.net.service, raise_for_status=False,
                                      max_retries=0, timeout=(5.0, timeout),
                                      data={**data, "access_token": self.token["access_token"]})
        return self._json(response)

    def _json(self, response) -> dict[str, Any]:
        if response.status_code >= 400:
            raise graph_error(self.net, self.account, response)
        try:
            return response.json()
        except ValueError:
            raise errors.ServiceUnavailable(self.net.service, "answered with something that is not JSON") from None

    # --- the calls ----------------------------------------------------------------------------

    def me(self) -> dict[str, Any]:
        return self.get("/me", fields=self.net.me_fields)

    def container_status(self, container_id: str) -> tuple[str, str]:
        """The container's status and, for an error, Meta's reason."""
        fields = "status_code,status" if self.net is INSTAGRAM else "status,error_message"
        body = self.get(f"/{container_id}", fields=fields)
        status = str(body.get(self.net.status_field) or "")
        detail = body.get("error_message") or (body.get("status") if self.net is INSTAGRAM else "") or ""
        return status, str(detail).removeprefix("Error: ")

    def publishing_limit(self) -> tuple[int, int]:
        """Posts published through the API in the last 24 hours, and how many are allowed."""
        body = self.get(f"/{self.user_id}/{self.net.limit_edge}", fields="quota_usage,config")
        row = (body.get("data") or [{}])[0]
        return int(row.get("quota_usage") or 0), int((row.get("config") or {}).get("quota_total") or 0)

    def recent(self, limit: int = 25) -> list[dict[str, Any]]:
        body = self.get(f"/{self.user_id}/{self.net.list_edge}", fields=f"id,{self.net.text_field},timestamp",
                        limit=limit)
        return list(body.get("data") or [])

    def recent_replies(self, limit: int = 25) -> list[dict[str, Any]]:
        """The account's own recent replies (Threads' ``/{user}/replies``), each with ``replied_to``."""
        body = self.get(f"/{self.user_id}/replies", fields="id,text,timestamp,replied_to", limit=limit)
        return list(body.get("data") or [])

    def permalink(self, media_id: str) -> str | None:
        return self.get(f"/{media_id}", fields="permalink").get("permalink")


def check_quota(client: GraphClient) -> None:
    """Defer before anything is created when the account's 24-hour publishing limit is used up."""
    used, total = client.publishing_limit()
    if total and used >= total:
        resets = (datetime.now(UTC) + timedelta(seconds=QUOTA_RECHECK_S)).isoformat(timespec="seconds")
        raise errors.QuotaExceeded(
            f"{client.net.name}: {used} of {total} API posts published in the last 24 hours (Meta's limit)",
            resets_at=resets, hint="deferred; the limit is a rolling 24 hours, so it is checked again in an hour")


def graph_error(net: Network, account: Account | None, response) -> errors.MoneyPrinterError:
    """The error for a Graph answer: its envelope's code says more than the HTTP status."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else {}
    code, subcode = error.get("code"), error.get("error_subcode")
    said = redact(str(error.get("message") or f"HTTP {status}"))[:200]
    trace = f"; fbtrace_id {error['fbtrace_id']}" if error.get("fbtrace_id") else ""
    if code == 190 or status == 401:
        return errors.Unauthorized(net.service, f"the login was refused ({said})", status=status,
                                   hint=login_hint(net, account))
    if code == 9 and subcode == PUBLISHING_LIMIT_SUBCODE:
        resets = (datetime.now(UTC) + timedelta(seconds=QUOTA_RECHECK_S)).isoformat(timespec="seconds")
        return errors.QuotaExceeded(f"{net.name}: the 24-hour publishing limit is reached ({said})", resets_at=resets,
                                    hint="deferred; checked again in an hour")
    if code in RATE_LIMIT_CODES or status == 429:
        return errors.RateLimited(net.service, f"rate limit reached ({said})", retry_after=_regain_s(response),
                                  status=status, hint=f"deferred until {net.name}'s rate limit resets")
    if code == 10 or (isinstance(code, int) and 200 <= code <= 299) or status == 403:
        return errors.Unauthorized(
            net.service, f"permission missing ({said})", status=status,
            hint=f"the login must grant {net.publish_scope} ({login_hint(net, account)}); an app in development "
                 f"mode publishes only for accounts with a role on the app")
    if status >= 500:
        return errors.ServiceUnavailable(net.service, f"server error ({said}{trace})", status=status)
    return errors.BadRequest(net.service, f"request refused ({said}{trace})", status=status)


def _regain_s(response) -> float:
    """Seconds until Meta lets the app in again: X-Business-Use-Case-Usage's estimate (minutes), Retry-After, or 15 min."""
    raw = response.headers.get("X-Business-Use-Case-Usage")
    if raw:
        try:
            minutes = max(int(entry.get("estimated_time_to_regain_access") or 0)
                          for entries in json.loads(raw).values() for entry in entries)
            if minutes > 0:
                return minutes * 60.0
        except (ValueError, TypeError, AttributeError):
            pass
    return parse_retry_after(response.headers.get("Retry-After")) or 900.0
