"""The few TikTok API v2 calls moneyprinter makes, with TikTok's error envelope turned into clear errors.

Every answer is ``{"data": {...}, "error": {"code", "message", "log_id"}}``; ``code`` is ``"ok"`` on
success. TikTok publishes per-token limits but sends no rate-limit headers, so the requests are
counted here per account (``store.rate_limits.take``) and deferred *before* a limit would be exceeded:
6 post requests (init) a minute, 20 creator-info queries, 30 status fetches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from moneyprinter import errors
from moneyprinter.http_client import parse_retry_after, translate_status
from moneyprinter.publishers import tiktok_oauth
from moneyprinter.store import rate_limits
from moneyprinter.store.accounts import Account

if TYPE_CHECKING:
    import requests

    from moneyprinter.app import App

SERVICE = "TikTok"
CREATOR_INFO = "/v2/post/publish/creator_info/query/"
INIT = {"direct": "/v2/post/publish/video/init/", "inbox": "/v2/post/publish/inbox/video/init/"}
STATUS = "/v2/post/publish/status/fetch/"
USER_INFO = "/v2/user/info/"
# (requests, per seconds) per access token, from the Content Posting API reference.
LIMITS = {"init": (6, 60.0), "creator_info": (20, 60.0), "status": (30, 60.0)}
JSON = "application/json; charset=UTF-8"


class Deferred(errors.RateLimited):
    """Nothing is lost by waiting (TikTok is still processing, or a read failed): the run is deferred
    and the next one goes on from the stored publish id; nothing is sent twice."""


def scope_hint(account: Account) -> str:
    return (f"log in again and allow posting (video.publish): moneyprinter tiktok login --account "
            f"{account.nickname}; or send to the inbox, which needs only video.upload: "
            f"moneyprinter tiktok settings --account {account.nickname} --post-mode inbox")


class TikTokClient:
    def __init__(self, app: App, account: Account) -> None:
        self.app, self.account = app, account
        self.base = app.settings.publishing.tiktok_api_base_url.rstrip("/")

    # --- limits -----------------------------------------------------------------------------
    def take(self, kind: str) -> None:
        """Count one request of ``kind``; a full window defers before anything is sent."""
        limit, window = LIMITS[kind]
        wait = rate_limits.take(self.app.db, self.account.id, f"tiktok {kind}", limit=limit, window_s=window)
        if wait is not None:
            raise errors.RateLimited(
                SERVICE, f"TikTok allows {limit} requests a minute per login for this ({kind}); the window is full",
                retry_after=wait, hint="deferred until the minute is over; nothing was sent")

    # --- calls ------------------------------------------------------------------------------
    def call(self, path: str, *, body: dict[str, Any] | None = None, creating: bool = False,
             method: str = "POST", params: dict[str, str] | None = None) -> requests.Response:
        """One request with the account's token; an expired token is refreshed once and the request repeated
        (a 401 means TikTok did nothing). A creating call is never retried on its own."""
        for force in (False, True):
            token = tiktok_oauth.access_token(self.app, self.account, force_refresh=force)
            response = self.app.http.request(
                method, self.base + path, service=SERVICE, json=body, params=params,
                headers={"Authorization": f"Bearer {token}", "Content-Type": JSON}, raise_for_status=False,
                max_retries=0 if creating else None, safe_to_retry=not creating, timeout=(5.0, 30.0))
            if response.status_code == 401 and error_code(response) == "access_token_invalid" and not force:
                continue
            return response
        raise AssertionError("unreachable")

    def creator_info(self) -> dict[str, Any]:
        self.take("creator_info")
        return self.data(self.call(CREATOR_INFO, body={}))

    def status(self, publish_id: str) -> dict[str, Any]:
        self.take("status")
        try:
            return self.data(self.call(STATUS, body={"publish_id": publish_id}))
        except errors.ServiceUnavailable as exc:  # a read: waiting costs nothing
            raise Deferred(SERVICE, f"the post status could not be read ({exc.reason})", retry_after=60.0,
                           hint="it is read again then; nothing is sent again") from None

    def user_info(self) -> dict[str, Any]:
        return self.data(self.call(USER_INFO, method="GET", params={"fields": "open_id,display_name"}))["user"]

    def data(self, response: requests.Response) -> dict[str, Any]:
        """The answer's ``data``, or the error TikTok's envelope describes."""
        code = error_code(response)
        if response.status_code < 400 and code in ("", "ok"):
            return _body(response).get("data") or {}
        raise self.error(response)

    def error(self, response: requests.Response) -> errors.ServiceError:
        code = error_code(response) or f"HTTP {response.status_code}"
        said = str((_body(response).get("error") or {}).get("message") or "")[:200]
        status = response.status_code
        known = _KNOWN.get(code)
        if known:
            kind, what, hint = known
            hint = hint.format(nick=self.account.nickname) if hint else None
            if kind is errors.RateLimited:
                wait = parse_retry_after(response.headers.get("Retry-After")) or (60.0 if status == 429 else 3600.0)
                return errors.RateLimited(SERVICE, f"{what} ({code})", retry_after=wait, status=status, hint=hint)
            if code == "scope_not_authorized":
                return kind(SERVICE, f"{what}: {said} ({code})", status=status, hint=scope_hint(self.account))
            return kind(SERVICE, f"{what} ({code})", status=status, hint=hint)
        if status == 429:
            return errors.RateLimited(SERVICE, f"rate limit reached ({code})", status=429, retry_after=60.0)
        exc = translate_status(SERVICE, response)
        if said and not isinstance(exc, errors.ServiceUnavailable):
            exc = type(exc)(SERVICE, f"{said} ({code})", status=status)
        if isinstance(exc, errors.Unauthorized):
            exc.hint = tiktok_oauth.login_hint(self.account)
        return exc


# code -> (error class, what it means, how to go on); from TikTok's v2 error handling and posting references
_KNOWN: dict[str, tuple[type[errors.ServiceError], str, str]] = {
    "access_token_invalid": (errors.Unauthorized, "TikTok refused the login (expired or revoked)",
                             "log in again: moneyprinter tiktok login --account {nick}"),
    "scope_not_authorized": (errors.Unauthorized, "the TikTok login lacks a permission", ""),
    "rate_limit_exceeded": (errors.RateLimited, "TikTok's rate limit was reached",
                            "deferred until the minute is over; TikTok allows 6 post requests a minute per login"),
    "spam_risk_too_many_posts": (errors.RateLimited,
                                 "TikTok's daily cap of posts through apps is reached for this account",
                                 "deferred; TikTok lifts the cap within a day"),
    "reached_active_user_cap": (errors.RateLimited,
                                "the app reached TikTok's cap of users posting today (unaudited: 5 users a day)",
                                "deferred; or have the app audited by TikTok"),
    "spam_risk_user_banned_from_posting": (errors.BadRequest, "TikTok has banned this account from posting",
                                           "open the TikTok app to see why"),
    "unaudited_client_can_only_post_to_private_accounts": (
        errors.BadRequest, "the TikTok app is unaudited: it may post only SELF_ONLY, to a private account",
        "set it: moneyprinter tiktok settings --account {nick} --privacy-level SELF_ONLY (or get the app audited)"),
    "privacy_level_option_mismatch": (errors.BadRequest, "the privacy level is not one this account allows",
                                      "moneyprinter health lists them; set one with moneyprinter tiktok settings"),
    "url_ownership_unverified": (errors.BadRequest, "TikTok wants the media URL's domain verified", ""),
}


def _body(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def error_code(response: requests.Response) -> str:
    error = _body(response).get("error")
    return str(error.get("code") or "") if isinstance(error, dict) else ""
