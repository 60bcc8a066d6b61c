"""The ``x_api`` publisher: X API v2 with OAuth 1.0a user context (requests-oauthlib) on the shared client.

X has no idempotency key, so:
- ``publishing`` (and ``post_sent``) is committed before ``POST /2/tweets``;
- if the answer never comes (timeout, cut connection, 5xx), or a rerun finds the post armed by a run
  that never recorded its answer, the account's recent posts are searched for the text first; found
  means published. Not found, or the lookup failed, is no proof (X's timeline lags by seconds, the
  Free tier may not read it): the item becomes ``needs_attention`` and only a person releases it with
  ``publish ID --retry-unknown``; a 429 on the lookup defers it, and the next run looks again first;
- the POST itself is never retried automatically.

Rate limits: every answer's ``x-rate-limit-*`` headers are stored; a 429, or a known exhausted
window, defers the item until ``x-rate-limit-reset`` without sending anything.

The X website is deliberately not automated: X's rules punish non-API automation with suspension.
"""

from __future__ import annotations

import html
import logging
import mimetypes
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from requests_oauthlib import OAuth1

from moneyprinter import errors
from moneyprinter.check_result import CheckResult
from moneyprinter.http_client import RequestNotSent
from moneyprinter.publishers import credentials
from moneyprinter.publishers.base import NeedsAttention, Outcome, PublishContext, Publisher
from moneyprinter.store import rate_limits
from moneyprinter.store.accounts import Account
from moneyprinter.store.db import Database, utcnow
from moneyprinter.store.states import PublicationStatus
from moneyprinter.text.x_length import check_length, normalise_links

if TYPE_CHECKING:
    from moneyprinter.app import App

# oauthlib logs signed headers (keys and tokens) at DEBUG: keep it out of the log file.
for _name in ("oauthlib", "requests_oauthlib"):
    logging.getLogger(_name).setLevel(logging.WARNING)

PROVIDER = "x"
SERVICE = "X API"
POST_ENDPOINT = "POST /2/tweets"
MEDIA_CHUNK = 4 * 1024 * 1024
MEDIA_REUSE_S = 20 * 3600  # X keeps uploaded media for 24 hours


def login_hint(account: Account) -> str:
    return f"run: moneyprinter x login --account {account.nickname}"


def load_keys(account: Account) -> dict[str, Any]:
    keys = credentials.load(PROVIDER, account)
    needed = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
    if not keys or not all(keys.get(k) for k in needed):
        raise errors.Unauthorized(SERVICE, f"account '{account.nickname}' has no X API keys", hint=login_hint(account))
    return keys


def oauth(keys: dict[str, Any]) -> OAuth1:
    return OAuth1(keys["consumer_key"], client_secret=keys["consumer_secret"],
                  resource_owner_key=keys["access_token"], resource_owner_secret=keys["access_token_secret"])


class XClient:
    """The few X API v2 calls moneyprinter makes, with rate-limit bookkeeping."""

    def __init__(self, app: App, account: Account, keys: dict[str, Any]) -> None:
        self.app, self.account, self.keys = app, account, keys
        self.base = app.settings.publishing.x_api_base_url.rstrip("/")
        self.auth = oauth(keys)

    def call(self, method: str, path: str, endpoint: str | None = None, **kwargs):
        response = self.app.http.request(method, self.base + path, service=SERVICE, auth=self.auth,
                                         raise_for_status=False, **kwargs)
        record_rate_limit(self.app.db, self.account, endpoint or f"{method} {path}", response.headers)
        return response

    def me(self) -> dict[str, Any]:
        response = self.call("GET", "/2/users/me", timeout=(3.0, 10.0), max_retries=1)
        _raise_for(response, self.account)
        return response.json()["data"]

    def recent_posts(self, user_id: str, since: str | None) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"max_results": self.app.settings.publishing.x_reconcile_lookback,
                                  "tweet.fields": "created_at"}
        if since:
            params["start_time"] = since.replace("+00:00", "Z")
        response = self.call("GET", f"/2/users/{user_id}/tweets", "GET /2/users/:id/tweets", params=params)
        _raise_for(response, self.account)
        return response.json().get("data") or []


def record_rate_limit(db: Database, account: Account, endpoint: str, headers) -> None:
    if "x-rate-limit-remaining" not in {k.lower() for k in headers}:
        return
    reset = headers.get("x-rate-limit-reset")
    reset_at = datetime.fromtimestamp(int(reset), UTC).isoformat(timespec="seconds") if reset and reset.isdigit() else None
    rate_limits.record(db, account.id, endpoint, limit_total=_int(headers.get("x-rate-limit-limit")),
                       remaining=_int(headers.get("x-rate-limit-remaining")), reset_at=reset_at)


def window_closed_for(db: Database, account: Account, endpoint: str) -> float | None:
    """Seconds until the window reopens if the last answer said none are left, else None."""
    window = rate_limits.get(db, account.id, endpoint)
    if not window or window.remaining is None or window.remaining > 0 or not window.reset_at:
        return None
    wait = (datetime.fromisoformat(window.reset_at) - datetime.now(UTC)).total_seconds()
    return wait if wait > 0 else None


class XAPIPublisher(Publisher):
    id = "x_api"
    platforms = ("x",)

    def publish(self, ctx: PublishContext) -> Outcome:
        parts = post_texts(ctx.item)
        for text in parts:  # every part is checked before anything is sent
            check_length(text, ctx.settings.x_max_weighted_length)
        keys = load_keys(ctx.account)
        client = XClient(ctx.app, ctx.account, keys)
        # A thread is posted part by part, each a reply to the one before; the ids posted so far are
        # committed after each part, so a rerun continues where it stopped and never reposts a part.
        posted = ctx.post_chain(len(parts), lambda index, reply_to: self._post_one(
            ctx, client, parts[index], reply_to=reply_to, with_media=index == 0), key="thread_ids",
            done={"post_sent": False})
        return self._published(ctx, posted[0], len(parts))

    def _post_one(self, ctx: PublishContext, client: XClient, text: str, *, reply_to: str | None,
                  with_media: bool) -> str:
        """Post one text (exactly once) and return its id."""
        if ctx.pub.state.get("post_sent"):
            # An earlier run sent (or may have sent) the POST and never recorded the answer: look first.
            found = self._reconcile(ctx, client, text, "an earlier run sent this post and never saw the answer",
                                    released=ctx.retry_unknown)
            if found:
                return found
            ctx.merge_state(post_sent=False)  # a person checked: the post is not on X
            ctx.retry_unknown = False  # their release covers this one post
        wait = window_closed_for(ctx.db, ctx.account, POST_ENDPOINT)
        if wait:
            raise errors.RateLimited(SERVICE, "the posting window is used up", retry_after=wait,
                                     hint="the item is deferred until X's rate-limit window resets")
        media_ids = self._upload_media(ctx, client) if with_media else []
        payload: dict[str, Any] = {"text": text}
        if media_ids:
            payload["media"] = {"media_ids": media_ids}
        if reply_to:
            payload["reply"] = {"in_reply_to_tweet_id": reply_to}
        # One commit before the POST: a crash from here on leaves a trace that the rerun reconciles.
        ctx.save(status=PublicationStatus.PUBLISHING, publishing_at=utcnow(), state={**ctx.pub.state, "post_sent": True})
        try:
            response = client.call("POST", "/2/tweets", POST_ENDPOINT, json=payload, max_retries=0,
                                   timeout=(5.0, ctx.settings.x_post_timeout_s))
        except RequestNotSent:  # nothing left this machine: X created nothing
            ctx.merge_state(post_sent=False)
            raise
        except errors.ServiceUnavailable as exc:  # sent, and no answer: X may have created the post
            return self._unknown(ctx, client, text, exc.reason)
        if response.status_code == 201:
            return str(response.json()["data"]["id"])
        if response.status_code >= 500:
            return self._unknown(ctx, client, text, f"HTTP {response.status_code}")
        if response.status_code == 403 and getattr(forbidden(response, ctx.account), "kind", "") == "duplicate":
            return self._reconcile(ctx, client, text, "X refused it as a duplicate of a post already on the account",
                                   released=False, hint=_duplicate_hint(ctx))  # type: ignore[return-value]
        ctx.merge_state(post_sent=False)  # a 4xx means X created nothing
        _raise_for(response, ctx.account)
        raise errors.ServiceError(SERVICE, f"unexpected answer HTTP {response.status_code}")

    # --- outcomes ---------------------------------------------------------------------------------------

    def _published(self, ctx: PublishContext, post_id: str, parts: int = 1) -> Outcome:
        username = ctx.account.options.get("x_username") or load_keys(ctx.account).get("username") or "i"
        url = f"https://x.com/{username}/status/{post_id}"
        ctx.add_request_id(post_id)
        what = f"a thread of {parts} posts" if parts > 1 else "posted"
        return Outcome("published", post_id, url, message=f"{what} on X: {url}")

    def _unknown(self, ctx: PublishContext, client: XClient, text: str, why: str) -> str:
        """The POST's outcome is unknown: the post's id if X has it, else stop for a person."""
        return self._reconcile(ctx, client, text, why, released=False)  # type: ignore[return-value]

    def _reconcile(self, ctx: PublishContext, client: XClient, text: str, why: str, *,
                   released: bool, hint: str | None = None) -> str | None:
        """The id of the armed post if the timeline shows it. Otherwise ``NeedsAttention`` (or a deferral
        on a 429), unless a person ``released`` it after looking: then None, and it may be sent."""
        try:
            found = self._find(ctx, client, text)
        except errors.RateLimited as exc:
            if released:
                return None
            exc.hint = "deferred until X's window resets; the post is looked up again then, never sent blindly"
            raise
        except errors.ServiceError as exc:
            if released:
                return None
            raise NeedsAttention(f"X: {why}; the post could not be looked up ({exc.reason})",
                                 hint=hint or _check_hint(ctx, text)) from None
        if found:
            return str(found["id"])
        if released:
            return None
        raise NeedsAttention(
            f"X: {why}; {_which(ctx, text)} is not among the account's recent posts yet "
            "(X's timeline can lag), so it is not sent again", hint=hint or _check_hint(ctx, text))

    def _find(self, ctx: PublishContext, client: XClient, text: str) -> dict[str, Any] | None:
        user_id = self._user_id(ctx, client)
        since = ctx.pub.publishing_at
        if since:
            since = (datetime.fromisoformat(since) - timedelta(minutes=5)).isoformat(timespec="seconds")
        wanted = _comparable(text)
        for post in client.recent_posts(user_id, since):
            if _comparable(post.get("text", "")) == wanted:
                return post
        return None

    def _user_id(self, ctx: PublishContext, client: XClient) -> str:
        user_id = client.keys.get("user_id") or ctx.account.options.get("x_user_id")
        if not user_id:
            me = client.me()
            user_id = me["id"]
            credentials.save(ctx.db, PROVIDER, ctx.account, {**client.keys, "user_id": me["id"],
                                                              "username": me.get("username")})
        return str(user_id)

    # --- media --------------------------------------------------------------------------------------------

    def _upload_media(self, ctx: PublishContext, client: XClient) -> list[str]:
        path = Path(ctx.item.media_path) if ctx.item.media_path else None
        if not path or not path.is_file():
            return []
        media_type = mimetypes.guess_type(path.name)[0] or ""
        if not media_type.startswith(("image/", "video/")):
            return []
        saved = ctx.pub.state.get("media")
        if saved and time.time() - saved["uploaded_at"] < MEDIA_REUSE_S and saved.get("path") == str(path):
            return [saved["id"]]  # uploaded by an earlier attempt: reuse, do not upload again
        media_id = _chunked_upload(client, path, media_type)
        ctx.merge_state(media={"id": media_id, "uploaded_at": time.time(), "path": str(path)})
        return [media_id]

    def health_check(self, app: App, account: Account) -> CheckResult:
        try:
            me = XClient(app, account, load_keys(account)).me()
        except errors.Unauthorized as exc:
            return CheckResult.fail(f"{account.nickname}: {exc.reason}", exc.hint or login_hint(account))
        except errors.MoneyPrinterError as exc:
            return CheckResult.fail(f"{account.nickname}: {exc}", "check the network or publishing.x_api_base_url")
        return CheckResult.ok(f"{account.nickname}: keys accepted (@{me.get('username')})")


def _chunked_upload(client: XClient, path: Path, media_type: str) -> str:
    """X's chunked media upload: initialize, append each chunk, finalize, then wait for processing."""
    size = path.stat().st_size
    category = "tweet_video" if media_type.startswith("video/") else "tweet_image"
    response = client.call("POST", "/2/media/upload/initialize", "POST /2/media/upload",
                           json={"media_type": media_type, "total_bytes": size, "media_category": category})
    _raise_for(response, client.account)
    media_id = str(response.json()["data"]["id"])
    with path.open("rb") as handle:
        for index, chunk in enumerate(iter(lambda: handle.read(MEDIA_CHUNK), b"")):
            response = client.call("POST", f"/2/media/upload/{media_id}/append", "POST /2/media/upload",
                                   files={"media": ("chunk", chunk, "application/octet-stream")},
                                   data={"segment_index": str(index)})
            _raise_for(response, client.account)
    response = client.call("POST", f"/2/media/upload/{media_id}/finalize", "POST /2/media/upload")
    _raise_for(response, client.account)
    info = (response.json().get("data") or {}).get("processing_info")
    deadline = time.monotonic() + 300
    while info and info.get("state") in ("pending", "in_progress"):
        if time.monotonic() > deadline:
            raise errors.ServiceUnavailable(SERVICE, "media processing did not finish in 5 minutes")
        time.sleep(min(float(info.get("check_after_secs") or 1), 10))
        response = client.call("GET", "/2/media/upload", "GET /2/media/upload",
                               params={"command": "STATUS", "media_id": media_id})
        _raise_for(response, client.account)
        info = (response.json().get("data") or {}).get("processing_info")
    if info and info.get("state") == "failed":
        raise errors.BadRequest(SERVICE, f"X could not process the media ({info.get('error', {}).get('message', 'failed')})")
    return media_id


def post_texts(item) -> list[str]:
    """The texts to post: the parts of a thread (``metadata.posts``), a Short's caption (cross-posted
    from YouTube: its title and hashtags), else the body."""
    if item.kind == "short":
        from moneyprinter.publishers.destinations import texts_for

        return texts_for("x", item)
    parts = item.metadata.posts if item.kind == "thread" else None
    if isinstance(parts, list) and parts and all(isinstance(p, str) and p.strip() for p in parts):
        return [p.strip() for p in parts]
    return [(item.body or "").strip()]


def _which(ctx: PublishContext, text: str) -> str:
    parts = post_texts(ctx.item)
    return f"part {parts.index(text) + 1} of {len(parts)}" if len(parts) > 1 and text in parts else "the post"


def _check_hint(ctx: PublishContext, text: str) -> str:
    """What a person checks before releasing an armed post, and the two ways on."""
    username = ctx.account.options.get("x_username") or (credentials.load(PROVIDER, ctx.account) or {}).get("username")
    where = f"https://x.com/{username}" if username else "the account's profile on X"
    preview = text if len(text) <= 50 else text[:47] + "..."
    return (f"look at {where} for {_which(ctx, text)} \"{preview}\"; if it is there: "
            f"moneyprinter outbox mark-published {ctx.item.id} URL; if it is not: "
            f"moneyprinter publish {ctx.item.id} --retry-unknown")


def _duplicate_hint(ctx: PublishContext) -> str:
    """X keeps refusing the same text, so sending it again is never the way on."""
    return (f"X already has this text on the account: find it there and run moneyprinter outbox mark-published "
            f"{ctx.item.id} URL; or change the text (moneyprinter review edit {ctx.item.id} --text '...') and "
            f"publish it as a new post")


def _raise_for(response, account: Account) -> None:
    if response.status_code < 400:
        return
    from moneyprinter.http_client import translate_status

    if response.status_code == 429:
        reset = response.headers.get("x-rate-limit-reset")
        wait = max(1.0, int(reset) - time.time()) if reset and reset.isdigit() else 900.0
        raise errors.RateLimited(SERVICE, "rate limited (HTTP 429)", retry_after=wait, status=429,
                                 hint="the item is deferred until the rate-limit window resets")
    if response.status_code == 403:
        raise forbidden(response, account)
    exc = translate_status(SERVICE, response)
    if isinstance(exc, errors.Unauthorized):
        exc.hint = f"the keys were refused or lack write access; {login_hint(account)}"
    raise exc


# X answers 403 for very different causes; each is told apart by its problem body.
_FORBIDDEN = (
    ("duplicate", ("duplicate content",), "X refused a duplicate of a post already on the account",
     "X will not take the same text twice; change the text (review edit) or mark the existing post published"),
    ("too_long", ("too long",), "X says the text is too long",
     "shorten it (URLs count 23, CJK characters and emoji 2); it is never cut automatically"),
    ("tier", ("client-not-enrolled", "client-forbidden", "appropriate level of api access",
              "attached to a project", "not permitted to perform this action"),
     "X does not permit this on your API access tier (or the app is not in a Project)",
     "check the app's Project and access level in the X developer portal"),
    ("suspended", ("suspended",), "X says the account is suspended",
     "log in on x.com to see why; nothing is posted until the account is restored"),
    ("locked", ("temporarily locked", "locked"), "X says the account is locked",
     "log in on x.com to unlock it, then publish again"),
)


def forbidden(response, account: Account) -> errors.ServiceError:
    """The error for an X 403, naming its cause and what to do; unknown causes count as a rejected key."""
    from moneyprinter.http_client import translate_status

    try:
        body = response.json()
    except ValueError:
        body = {}
    said = " ".join(str(body.get(k, "")) for k in ("detail", "title", "reason", "type", "required_enrollment")
                    ) if isinstance(body, dict) else ""
    said = said.lower()
    for kind, markers, what, hint in _FORBIDDEN:
        if any(marker in said for marker in markers):
            exc = errors.BadRequest(SERVICE, f"{what} (HTTP 403)", status=403, hint=hint)
            exc.kind = kind  # type: ignore[attr-defined]
            return exc
    exc = translate_status(SERVICE, response)
    exc.hint = f"the keys were refused or lack write access; {login_hint(account)}"
    return exc


def _comparable(text: str) -> str:
    """Text as X returns it: entities unescaped, every link (t.co or not) one marker, whitespace collapsed."""
    return normalise_links(html.unescape(text))


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
