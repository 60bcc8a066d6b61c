"""The ``mastodon_api`` publisher: a Short (its video, alt text from the title) or a post, pitch or thread as
statuses on the account's instance, exactly once.

Exactly once rests on Mastodon's ``Idempotency-Key``: the instance returns the status it already made for a
key instead of making another, for about an hour. So, per status (each part of a thread has its own):
- its key is chosen once and committed before the first ``POST /api/v1/statuses``; ``open`` marks a send
  whose answer we do not have (set before the call, cleared by a definite answer);
- within the key's hour, a send with no answer (a cut connection, a 5xx, a kill -9) is simply sent again
  with the same key -- at most one status can come of it;
- after it (we allow ``KEY_WINDOW_S``, less than the instance's hour), the account's recent statuses are
  read before any resend: found means published; not found, or unreadable, is no proof (it may have been
  deleted, or pushed off the first pages), so the publication needs a person, who releases it with
  ``publish ID --retry-unknown`` (a fresh key then, never the expired one).
A thread posts its parts as a reply chain, committing each part's id as it comes, and continues where it
stopped.
"""

from __future__ import annotations

import html
import mimetypes
import re
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from moneyprinter import errors
from moneyprinter.check_result import CheckResult
from moneyprinter.http_client import RequestNotSent
from moneyprinter.publishers import credentials
from moneyprinter.publishers.base import NeedsAttention, Outcome, PublishContext, Publisher
from moneyprinter.publishers.destinations import text_problems
from moneyprinter.publishers.mastodon_client import (
    PROVIDER,
    SERVICE,
    WRITE_SCOPES,
    MastodonClient,
    instance_of,
    load_login,
    login_hint,
    raise_for,
)
from moneyprinter.store.accounts import Account
from moneyprinter.store.content import ContentItem
from moneyprinter.store.db import utcnow
from moneyprinter.store.states import PublicationStatus
from moneyprinter.text.sentences import split_sentences

if TYPE_CHECKING:
    from moneyprinter.app import App

KEY_WINDOW_S = 50 * 60  # Mastodon keeps a key for an hour; the margin covers clock skew and a slow answer
MEDIA_REUSE_S = 20 * 3600  # an instance removes media no status uses after about a day
LOOKUP_PAGES = 5  # of 40 statuses each, when an expired key's status is looked for
LOOKUP_SLACK_S = 300


class MastodonAPIPublisher(Publisher):
    id = "mastodon_api"
    platforms = ("mastodon",)
    measures_text = True

    def preflight(self, app: App, account: Account, item: ContentItem) -> list[str]:
        name = f"mastodon '{account.nickname}'"
        try:
            limits = MastodonClient(app, account, instance_of(account)).limits()
        except errors.UsageError as exc:  # its message may name the destination already
            return [exc.message if exc.message.startswith(name) else f"{name}: {exc.message}"]
        except errors.ServiceError:
            return []  # the instance cannot be asked now; publish asks again before sending anything
        return problems(app, account, item, limits)

    def publish(self, ctx: PublishContext) -> Outcome:
        client = MastodonClient.for_account(ctx.app, ctx.account)
        found = problems(ctx.app, ctx.account, ctx.item, client.limits())
        if found:
            raise errors.UsageError("; ".join(found), hint=f"shorten it (moneyprinter review edit {ctx.item.id}); "
                                                          "it is never cut automatically")
        texts = status_texts(ctx.item)
        parts: list[dict[str, Any]] = [dict(p) for p in ctx.pub.state.get("parts") or []]
        for index, text in enumerate(texts):
            if index < len(parts) and parts[index].get("id"):
                continue  # posted by an earlier run
            reply_to = parts[index - 1]["id"] if index else None
            _Part(ctx, client, parts, index, len(texts)).post(text, reply_to)
        first = parts[0]
        ctx.add_request_id(first["id"])
        what = f"a thread of {len(texts)} statuses" if len(texts) > 1 else "posted"
        return Outcome("published", first["id"], first["url"], message=f"{what} on Mastodon: {first['url']}")

    def health_check(self, app: App, account: Account) -> CheckResult:
        try:
            me = MastodonClient.for_account(app, account).verify_credentials()
            granted = set(str(load_login(account).get("scope") or "").split())
        except errors.Unauthorized as exc:
            return CheckResult.fail(f"{account.nickname}: {exc.reason}", exc.hint or login_hint(account))
        except errors.UsageError as exc:
            return CheckResult.fail(f"{account.nickname}: {exc.message}", exc.hint or "")
        except errors.MoneyPrinterError as exc:
            return CheckResult.fail(f"{account.nickname}: {exc}", "check the network and the account's instance address")
        missing = [s for s in WRITE_SCOPES if s not in granted and s.split(":")[0] not in granted]
        if missing:
            return CheckResult.fail(f"{account.nickname}: the token lacks {', '.join(missing)}", login_hint(account))
        host = urlsplit(instance_of(account)).netloc
        return CheckResult.ok(f"{account.nickname}: token valid (@{me.get('acct')} on {host}; may post statuses and media)")


class _Part:
    """One status of the item (the only one, or one part of a thread), sent exactly once."""

    def __init__(self, ctx: PublishContext, client: MastodonClient, parts: list[dict], index: int, total: int) -> None:
        self.ctx, self.client, self.parts, self.index, self.total = ctx, client, parts, index, total
        if index == len(parts):  # the key is chosen once and stored before any call
            parts.append({"key": uuid.uuid4().hex, "sent_at": None, "open": False})
            ctx.merge_state(parts=parts)
        self.part = parts[index]
        self.which = f"part {index + 1} of {total}" if total > 1 else "the status"

    def post(self, text: str, reply_to: str | None) -> None:
        part, ctx = self.part, self.ctx
        if part.get("open") and time.time() - (part.get("sent_at") or 0) >= KEY_WINDOW_S:
            found = self._reconcile(text, reply_to)
            if found:
                return self._record(found)
            part.update(key=uuid.uuid4().hex, sent_at=None, open=False)  # a person released it: a fresh key
            ctx.retry_unknown = False  # the release covers this one status
        media_ids = _media(ctx, self.client) if self.index == 0 else []
        payload: dict[str, Any] = {"status": text, "visibility": "public",
                                   "language": (ctx.account.language or "en").split("-")[0].lower()}
        if media_ids:
            payload["media_ids"] = media_ids
        if reply_to:
            payload["in_reply_to_id"] = reply_to
        was_open = bool(part.get("open"))
        part.update(sent_at=part.get("sent_at") or time.time(), open=True)
        # One commit before the POST: from here on a crash leaves the key and the time it was first sent.
        ctx.save(status=PublicationStatus.PUBLISHING, publishing_at=utcnow(), state={**ctx.pub.state, "parts": self.parts})
        try:
            response = self.client.call("POST", "/api/v1/statuses", json=payload, idempotency_key=part["key"],
                                        timeout=(5.0, 30.0))
        except RequestNotSent:
            self._nothing_made(was_open)  # nothing left the machine
            raise
        except errors.ServiceUnavailable as exc:
            raise self._no_answer(exc.reason) from None
        if response.status_code >= 500:
            raise self._no_answer(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            self._nothing_made(was_open)  # a refusal: this send made no status
            raise_for(response, ctx.account)
        self._record(response.json())

    def _nothing_made(self, was_open: bool) -> None:
        """This send made nothing; unless an earlier send is still in doubt, the key's clock starts afresh."""
        if not was_open:
            self.part.update(sent_at=None, open=False)
            self.ctx.merge_state(parts=self.parts)

    def _record(self, status: dict[str, Any]) -> None:
        self.part.update(id=str(status["id"]), url=status.get("url") or status.get("uri"), open=False)
        self.ctx.merge_state(parts=self.parts)

    def _no_answer(self, why: str) -> errors.ServiceUnavailable:
        return errors.ServiceUnavailable(
            SERVICE, f"{self.which} was sent and no answer came ({why})",
            hint=f"publish it again within the hour (moneyprinter publish {self.ctx.item.id}): its Idempotency-Key "
                 "makes the instance return the status if it was made, never a second one")

    def _reconcile(self, text: str, reply_to: str | None) -> dict[str, Any] | None:
        """The status an expired key may have made, from the account's statuses; else a person decides."""
        released = self.ctx.retry_unknown
        why = f"{self.which} was sent over {KEY_WINDOW_S // 60} minutes ago without an answer and its key has expired"
        try:
            found = find_status(self.ctx, self.client, text, reply_to, since=self.part["sent_at"] - LOOKUP_SLACK_S)
        except (errors.RateLimited, errors.Unauthorized):
            if released:
                return None
            raise
        except errors.ServiceError as exc:
            if released:
                return None
            raise NeedsAttention(f"Mastodon: {why}; it could not be looked up ({exc.reason})",
                                 hint=_check_hint(self.ctx, text)) from None
        if found or released:
            return found
        raise NeedsAttention(f"Mastodon: {why}; it is not among the account's recent statuses (it may have been "
                             "deleted), so it is not sent again", hint=_check_hint(self.ctx, text))


def find_status(ctx: PublishContext, client: MastodonClient, text: str, reply_to: str | None,
                since: float) -> dict[str, Any] | None:
    """The account's status with this text (and parent) posted after ``since``, reading back page by page."""
    account_id = _account_id(ctx, client)
    wanted, max_id = _squash(text), None
    for _ in range(LOOKUP_PAGES):
        page = client.account_statuses(account_id, max_id)
        for status in page:
            if _plain(status.get("content", "")) == wanted and str(status.get("in_reply_to_id") or "") == str(reply_to or ""):
                return status
        if not page or _timestamp(page[-1].get("created_at")) < since:
            return None
        max_id = page[-1]["id"]
    return None


def _account_id(ctx: PublishContext, client: MastodonClient) -> str:
    saved = load_login(ctx.account)
    if not saved.get("account_id"):
        me = client.verify_credentials()
        saved = {**saved, "account_id": str(me["id"]), "acct": me.get("acct")}
        credentials.save(ctx.db, PROVIDER, ctx.account, saved, scopes=str(saved.get("scope") or ""))
    return str(saved["account_id"])


# --- what is posted ------------------------------------------------------------------------------------


def status_texts(item: ContentItem) -> list[str]:
    """A Short: title, the description's hook and the tags as hashtags. A thread: its parts. Else the body."""
    if item.kind == "short":
        tags = " ".join(dict.fromkeys(h for h in (hashtag(t) for t in item.metadata.tags or []) if h))
        hook = _hook(item)
        return ["\n\n".join(p for p in ((item.title or "").strip(), hook, tags) if p)]
    parts = item.metadata.get("posts") if item.kind == "thread" else None
    if isinstance(parts, list) and parts and all(isinstance(p, str) and p.strip() for p in parts):
        return [p.strip() for p in parts]
    return [(item.body or "").strip()]


def _hook(item: ContentItem) -> str:
    script = item.metadata.get("script") or {}
    if isinstance(script, dict) and isinstance(script.get("hook"), str) and script["hook"].strip():
        return script["hook"].strip()
    sentences = split_sentences(str(item.metadata.description or item.body or ""))
    return sentences[0].strip() if sentences else ""


def hashtag(tag: str) -> str:
    """A tag as Mastodon links it: letters, digits and underscores, words joined in CamelCase ("owl facts" ->
    "#OwlFacts"), and at least one letter."""
    words = [w for w in re.split(r"[^\w]+", str(tag).lstrip("#")) if w]
    if not words:
        return ""
    body = words[0] if len(words) == 1 else "".join(w[:1].upper() + w[1:] for w in words)
    return "#" + body if re.search(r"[^\W\d]", body) else ""


def media_file(item: ContentItem) -> Path | None:
    """The item's video or image, if it has one."""
    if not item.media_path:
        return None
    path = Path(item.media_path)
    kind = (mimetypes.guess_type(path.name)[0] or "").split("/")[0]
    return path if kind in ("video", "image") else None


def problems(app: App, account: Account, item: ContentItem, limits: dict[str, Any]) -> list[str]:
    """What this instance would refuse, each naming the destination; the text measured once, by the rule
    review uses (``destinations.text_problems``) with the instance's own limit and link length."""
    name = f"mastodon '{account.nickname}'"
    texts = status_texts(item)
    found = text_problems(app, account, item, limit=int(limits["max_characters"]),
                          url_length=int(limits["characters_reserved_per_url"]))
    path = media_file(item)
    if item.kind == "short" and (path is None or not path.is_file()):
        found.append(f"{name}: the Short's video file is missing ({item.media_path or 'none recorded'})")
    elif path is not None and path.is_file():
        media_type = mimetypes.guess_type(path.name)[0] or ""
        kind = media_type.split("/")[0]
        size, most = path.stat().st_size, int(limits[f"{kind}_size_limit"])
        if size > most:
            found.append(f"{name}: the {kind} is {size} bytes; the instance allows {most} bytes")
        if limits.get("supported_mime_types") and media_type not in limits["supported_mime_types"]:
            found.append(f"{name}: the instance does not take {media_type} files")
    if not any(texts) and path is None:
        found.append(f"{name}: there is nothing to post (no text and no media)")
    return found


def _media(ctx: PublishContext, client: MastodonClient) -> list[str]:
    path = media_file(ctx.item)
    if path is None:
        return []
    saved = ctx.pub.state.get("media")
    if saved and saved.get("path") == str(path) and time.time() - saved["uploaded_at"] < MEDIA_REUSE_S:
        return [saved["id"]]  # uploaded by an earlier attempt and not yet used by a status
    description = (ctx.item.title or "").strip() or status_texts(ctx.item)[0][:200]
    media_id = client.upload_media(path, description)
    ctx.merge_state(media={"id": media_id, "uploaded_at": time.time(), "path": str(path)})
    return [media_id]


# --- comparing what the instance shows ------------------------------------------------------------------


def _plain(content: str) -> str:
    """A status's HTML as text: paragraphs and line breaks to spaces, tags dropped (a linked URL's hidden
    parts are kept, so the whole URL comes back), entities unescaped, whitespace collapsed."""
    text = re.sub(r"<br\s*/?>|</p>", " ", content)
    return _squash(html.unescape(re.sub(r"<[^>]+>", "", text)))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _timestamp(value: str | None) -> float:
    from datetime import datetime

    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def _check_hint(ctx: PublishContext, text: str) -> str:
    saved = credentials.load(PROVIDER, ctx.account) or {}
    where = f"{instance_of(ctx.account)}/@{saved['acct']}" if saved.get("acct") else "the account on its instance"
    preview = text if len(text) <= 50 else text[:47] + "..."
    return (f"look at {where} for \"{preview}\"; if it is there: moneyprinter outbox mark-published {ctx.item.id} URL; "
            f"if it is not: moneyprinter publish {ctx.item.id} --retry-unknown")
