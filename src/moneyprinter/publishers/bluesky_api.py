"""The ``bluesky_api`` publisher: posts, threads, images and Shorts on Bluesky through the AT Protocol.

Exactly once, by record key: every post is created with ``com.atproto.repo.createRecord`` under a
record key (a TID) that we choose and commit to the publication's state before the call. A repo
holds one record per key, so sending the same key again can never make a second post:
- a run that dies after sending, or whose answer is lost (a timeout, a cut connection, a 5xx), leaves
  the key marked as sent; the next run first asks ``getRecord`` for that key. Found: published.
  Not found: the PDS never stored it, and it is sent again under the same key;
- a PDS that refuses the key as taken (an earlier attempt did land) is answered with ``getRecord`` too.
A failed lookup leaves the publication ``failed``, and the next ``publish`` looks again before anything
is sent. Only a post under our key with other text (the item edited since it was sent, or another post
that drew the same key) needs a person: ``needs_attention``, released with ``--retry-unknown``.

A thread is a reply chain (each part names the first as ``root`` and the one before as ``parent``);
the parts created so far are committed one by one, so a rerun continues where it stopped.

A Short's video goes through Bluesky's video service (``getUploadLimits``, ``uploadVideo`` with a
service token from the PDS, then ``getJobStatus`` until the blob is ready). The job id is committed
as soon as the service answers, so a rerun polls that job instead of uploading again.
"""

from __future__ import annotations

import mimetypes
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moneyprinter import errors
from moneyprinter.check_result import CheckResult
from moneyprinter.http_client import RequestNotSent
from moneyprinter.publishers.base import NeedsAttention, Outcome, PublishContext, Publisher
from moneyprinter.publishers.destinations import text_problems, texts_for
from moneyprinter.publishers.bluesky_client import (
    SERVICE,
    BlueskyClient,
    error_name,
    login_hint,
    new_tid,
    pds_audience,
    post_url,
    raise_for,
)
from moneyprinter.store.accounts import Account
from moneyprinter.store.content import ContentItem
from moneyprinter.store.db import utcnow
from moneyprinter.store.states import PublicationStatus
from moneyprinter.text.bluesky_text import find_spans

if TYPE_CHECKING:
    from moneyprinter.app import App

MAX_VIDEO_BYTES = 100 * 1024 * 1024  # the video service's limit per file
MAX_IMAGE_BYTES = 1_000_000  # app.bsky.embed.images
FACET = "app.bsky.richtext.facet"


def post_texts(item: ContentItem) -> list[str]:
    """What goes out: the texts review shows and measures (``destinations.texts_for``): a Short's title
    and hashtags, a thread's parts, or the post's body. The facets are found in exactly these texts."""
    return texts_for("bluesky", item)


def media_kind(item: ContentItem) -> tuple[Path | None, str]:
    """The item's media file and 'video', 'image' or '' (no media Bluesky can embed)."""
    if not item.media_path:
        return None, ""
    path = Path(item.media_path)
    mime = mimetypes.guess_type(path.name)[0] or ""
    return path, "video" if mime.startswith("video/") else "image" if mime.startswith("image/") else ""


class BlueskyAPIPublisher(Publisher):
    id = "bluesky_api"
    platforms = ("bluesky",)
    measures_text = True

    def preflight(self, app: App, account: Account, item: ContentItem) -> list[str]:
        """What Bluesky would refuse, each naming the destination; nothing is ever cut to fit."""
        where = f"bluesky '{account.nickname}'"
        path, kind = media_kind(item)
        problems = text_problems(app, account, item)  # the length rule review uses, on the same texts
        if item.kind == "short" and (kind != "video" or not path or not path.is_file()):
            problems.append(f"{where}: the Short's video file is missing ({item.media_path or 'no file recorded'})")
        elif path and kind and path.is_file():
            size = path.stat().st_size
            if kind == "video" and size > MAX_VIDEO_BYTES:
                problems.append(f"{where}: the video is {size / 1e6:.0f} MB; Bluesky takes videos up to 100 MB")
            if kind == "image" and size > MAX_IMAGE_BYTES:
                problems.append(f"{where}: the image is {size:,} bytes; Bluesky takes images up to 1,000,000 bytes")
        return problems

    def publish(self, ctx: PublishContext) -> Outcome:
        problems = self.preflight(ctx.app, ctx.account, ctx.item)
        if problems:
            raise errors.UsageError("; ".join(problems), hint=f"shorten or fix it: moneyprinter review edit {ctx.item.id}")
        client = BlueskyClient(ctx.app, ctx.account)
        parts = post_texts(ctx.item)
        self._choose_keys(ctx, len(parts))
        records: list[dict[str, str]] = list(ctx.pub.state.get("records") or [])
        for index in range(len(records), len(parts)):
            record = self._record(ctx, client, parts[index], index, records)
            records.append(self._create_once(ctx, client, index, record))
            ctx.merge_state(records=records, sent=None)
        url = post_url(client.handle, client.did, records[0]["uri"])
        ctx.add_request_id(records[0]["uri"])
        what = f"a thread of {len(parts)} posts" if len(parts) > 1 else "posted"
        return Outcome("published", records[0]["uri"], url, message=f"{what} on Bluesky: {url}")

    # --- the record ---------------------------------------------------------------------------------

    def _choose_keys(self, ctx: PublishContext, count: int) -> None:
        """One record key and creation time per part, committed before anything is sent."""
        keys = list(ctx.pub.state.get("rkeys") or [])
        stamps = list(ctx.pub.state.get("created_at") or [])
        if len(keys) >= count:
            return
        while len(keys) < count:
            key = new_tid()
            if key in keys:  # two parts in one microsecond with the same random clock id
                continue
            keys.append(key)
            stamps.append(datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"))
        ctx.merge_state(rkeys=keys, created_at=stamps)

    def _record(self, ctx: PublishContext, client: BlueskyClient, text: str, index: int,
                records: list[dict[str, str]]) -> dict[str, Any]:
        record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": text,
                                  "createdAt": ctx.pub.state["created_at"][index]}
        facets = self._facets(client, text)
        if facets:
            record["facets"] = facets
        if ctx.account.language:
            record["langs"] = [ctx.account.language]
        if index == 0:
            embed = self._embed(ctx, client)
            if embed:
                record["embed"] = embed
        else:
            record["reply"] = {"root": records[0], "parent": records[-1]}
        return record

    def _facets(self, client: BlueskyClient, text: str) -> list[dict[str, Any]]:
        facets = []
        for span in find_spans(text):
            if span.kind == "mention":
                did = client.resolve_handle(span.value)
                if not did:  # not a Bluesky handle: it stays plain text
                    continue
                feature = {"$type": f"{FACET}#mention", "did": did}
            elif span.kind == "link":
                feature = {"$type": f"{FACET}#link", "uri": span.value}
            else:
                feature = {"$type": f"{FACET}#tag", "tag": span.value}
            facets.append({"index": {"byteStart": span.start, "byteEnd": span.end}, "features": [feature]})
        return facets

    def _create_once(self, ctx: PublishContext, client: BlueskyClient, index: int, record: dict[str, Any]) -> dict[str, str]:
        """Create part ``index`` under its key (or find it, if an earlier attempt did); its strong ref."""
        try:
            return self._create_under(ctx, client, ctx.pub.state["rkeys"][index], record)
        except _KeyTaken as taken:
            # The post under our key has other text: this item edited since it was sent, or (very rarely)
            # another post that drew the same key. Only a person can tell; once they say it is not this
            # item's post, ours was never created (we create only under our key) and a new key is safe.
            if not ctx.retry_unknown:
                url = post_url(client.handle, client.did, str(taken))
                raise NeedsAttention(
                    f"Bluesky: the post under this item's record key has other text than the item ({url})",
                    hint=f"if it is this item's post, edited since: moneyprinter outbox mark-published "
                         f"{ctx.item.id} {url}; if it is another post: moneyprinter publish {ctx.item.id} "
                         "--retry-unknown") from None
            keys = list(ctx.pub.state["rkeys"])
            keys[index] = new_tid()
            ctx.merge_state(rkeys=keys, sent=None)
            return self._create_under(ctx, client, keys[index], record)

    def _create_under(self, ctx: PublishContext, client: BlueskyClient, rkey: str, record: dict[str, Any]) -> dict[str, str]:
        if ctx.pub.state.get("sent") == rkey:  # an earlier run sent it and never recorded the answer
            found = client.get_record(rkey)
            if found:
                return _ours(found, record)
        ctx.save(status=PublicationStatus.PUBLISHING, publishing_at=utcnow(), state={**ctx.pub.state, "sent": rkey})
        try:
            response = client.create_record(rkey, record, ctx.settings.bluesky_post_timeout_s)
        except RequestNotSent:  # nothing left this machine
            ctx.merge_state(sent=None)
            raise
        except errors.ServiceUnavailable as exc:  # sent, answer lost: the key decides
            return self._reconcile(client, rkey, record, exc.reason)
        if response.status_code == 200:
            body = response.json()
            return {"uri": body["uri"], "cid": body["cid"]}
        name, message = error_name(response)
        if response.status_code >= 500 or "exist" in f"{name} {message}".lower():
            # The key may be taken by an earlier attempt that landed (older PDSs answer that with a 500).
            return self._reconcile(client, rkey, record, f"HTTP {response.status_code} {name}".strip())
        ctx.merge_state(sent=None)  # a 4xx: the PDS stored nothing
        raise_for(response, ctx.account, "creating the post")
        raise errors.ServiceError(SERVICE, f"unexpected answer HTTP {response.status_code}")

    def _reconcile(self, client: BlueskyClient, rkey: str, record: dict[str, Any], why: str) -> dict[str, str]:
        found = client.get_record(rkey)
        if found:
            return _ours(found, record)
        raise errors.ServiceUnavailable(
            SERVICE, f"creating the post got no answer ({why}) and the PDS has no record under its key yet",
            hint="publish again: the key is looked up first, and a second post cannot be created under it")

    # --- media --------------------------------------------------------------------------------------

    def _embed(self, ctx: PublishContext, client: BlueskyClient) -> dict[str, Any] | None:
        path, kind = media_kind(ctx.item)
        if not path or not kind or not path.is_file():
            return None
        alt = (ctx.item.title or ctx.item.metadata.description or "")[:1000]
        if kind == "video":
            from moneyprinter.media.video_info import video_size

            embed: dict[str, Any] = {"$type": "app.bsky.embed.video", "video": self._video_blob(ctx, client, path)}
            size = video_size(path)
            if size:
                embed["aspectRatio"] = {"width": size[0], "height": size[1]}
            if alt:
                embed["alt"] = alt
            return embed
        blob = ctx.pub.state.get("image_blob") or client.upload_blob(path.read_bytes(), mimetypes.guess_type(path.name)[0])
        ctx.merge_state(image_blob=blob)
        image: dict[str, Any] = {"alt": alt, "image": blob}
        dims = _image_size(path)
        if dims:
            image["aspectRatio"] = {"width": dims[0], "height": dims[1]}
        return {"$type": "app.bsky.embed.images", "images": [image]}

    def _video_blob(self, ctx: PublishContext, client: BlueskyClient, path: Path) -> dict[str, Any]:
        """The processed video's blob: from this publication's state, its stored job, or a new upload."""
        if ctx.pub.state.get("video_blob"):
            return ctx.pub.state["video_blob"]
        video = VideoService(ctx, client)
        job = ctx.pub.state.get("video_job") or {}
        size = path.stat().st_size
        same_file = job.get("path") == str(path) and job.get("size") == size
        blob = video.wait(job["id"]) if same_file and job.get("id") else None
        if blob is None:
            video.check_limits(size)
            blob = video.upload(path, size)
        ctx.merge_state(video_blob=blob)
        return blob

    def health_check(self, app: App, account: Account) -> CheckResult:
        try:
            session = BlueskyClient(app, account).get_session()
        except errors.Unauthorized as exc:
            return CheckResult.fail(f"{account.nickname}: {exc.reason}", exc.hint or login_hint(account))
        except errors.ServiceError as exc:
            return CheckResult.fail(f"{account.nickname}: {exc.reason}", "check the network or the account's 'pds' option")
        handle = session.get("handle") or session.get("did")
        if session.get("active") is False:
            return CheckResult.fail(f"{account.nickname}: @{handle} is not active ({session.get('status')})",
                                    "see the account on bsky.app")
        if session.get("emailConfirmed") is False:
            return CheckResult.warn(f"{account.nickname}: session valid (@{handle}), but its email is not verified",
                                    "verify the email at bsky.app; Bluesky takes videos only from verified accounts")
        return CheckResult.ok(f"{account.nickname}: session valid (@{handle})")


class VideoService:
    """Bluesky's video service: limits, upload, and the processing job."""

    def __init__(self, ctx: PublishContext, client: BlueskyClient) -> None:
        self.ctx, self.client = ctx, client
        self.base = ctx.settings.bluesky_video_url.rstrip("/")

    def check_limits(self, size: int) -> None:
        token = self.client.service_token(pds_audience(self.base), "app.bsky.video.getUploadLimits")
        response = self.client.call("GET", "app.bsky.video.getUploadLimits", base=self.base, token=token)
        limits = _json(response)
        if "canUpload" not in limits:
            raise_for(response, self.ctx.account, "reading the video upload limits")
        if limits.get("remainingDailyVideos", 1) <= 0 or limits.get("remainingDailyBytes", size) < size:
            tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
            raise errors.QuotaExceeded(
                f"Bluesky: the account's daily video uploads are used up ({limits.get('remainingDailyVideos')} videos, "
                f"{limits.get('remainingDailyBytes')} bytes left)", resets_at=tomorrow.isoformat(timespec="seconds"),
                hint="deferred to tomorrow; Bluesky limits the videos an account may post per day")
        if not limits.get("canUpload"):
            reason = limits.get("message") or limits.get("error") or "no reason given"
            raise errors.PublishError(f"Bluesky's video service does not take videos from this account ({reason})",
                                      hint="verify the account's email at bsky.app, then publish again")

    def upload(self, path: Path, size: int) -> dict[str, Any]:
        token = self.client.service_token(pds_audience(self.client.pds), "com.atproto.repo.uploadBlob")
        response = self.client.call(
            "POST", "app.bsky.video.uploadVideo", base=self.base, token=token, data=path.read_bytes(),
            params={"did": self.client.did, "name": path.name}, headers={"Content-Type": "video/mp4"},
            safe_to_retry=True, timeout=(5.0, 300.0))
        status = _job(_json(response))
        if not status.get("jobId"):  # refused outright
            if response.status_code in (401, 429) or response.status_code >= 500 or not status.get("error"):
                raise_for(response, self.ctx.account, "uploading the video")
            why = f"{status['error']}: {status['message']}" if status.get("message") else status["error"]
            hint = ("verify the account's email at bsky.app, then publish again" if "email" in why
                    else "see Bluesky's reason; publish again once it is fixed")
            raise errors.PublishError(f"Bluesky's video service refused the video ({why})", hint=hint)
        # Committed at once: a rerun polls this job and never uploads the video again.
        self.ctx.merge_state(video_job={"id": status["jobId"], "path": str(path), "size": size})
        if status.get("blob"):  # 'already_exists': processed before
            return status["blob"]
        blob = self.wait(status["jobId"])
        if blob is None:
            raise errors.ServiceError(SERVICE, "the video service lost the processing job it had just started",
                                      hint="publish again; the video is uploaded once more")
        return blob

    def wait(self, job_id: str) -> dict[str, Any] | None:
        """Poll the job until its blob is ready. None: the service no longer knows it (upload again)."""
        settings = self.ctx.settings
        deadline = time.monotonic() + settings.bluesky_video_wait_s
        while True:
            response = self.ctx.app.http.request("GET", f"{self.base}/xrpc/app.bsky.video.getJobStatus", service=SERVICE,
                                                 params={"jobId": job_id}, raise_for_status=False)
            if response.status_code in (400, 404):
                self.ctx.merge_state(video_job=None)
                return None
            raise_for(response, self.ctx.account, "checking the video's processing")
            status = _job(_json(response))
            if status.get("blob"):  # completed, or already processed earlier
                return status["blob"]
            if status.get("state") == "JOB_STATE_FAILED":
                self.ctx.merge_state(video_job=None)
                why = status.get("failureCode") or status.get("error") or "no reason given"
                raise errors.PublishError(f"Bluesky could not process the video ({why}: {status.get('message') or ''})",
                                          hint="check the video plays; publish again to upload it once more")
            if time.monotonic() + settings.bluesky_video_poll_s > deadline:
                raise errors.RateLimited(SERVICE, f"the video is still being processed ({status.get('state')})",
                                         retry_after=60, hint="deferred; the next run checks the same job and "
                                                              "does not upload the video again")
            time.sleep(settings.bluesky_video_poll_s)


class _KeyTaken(Exception):
    """The record under our key is not the post we are sending; its argument is the record's URI."""


def _ours(found: dict[str, Any], record: dict[str, Any]) -> dict[str, str]:
    """The strong ref of the record found under our key, after checking it is the post we sent."""
    if (found.get("value") or {}).get("text") != record["text"]:
        raise _KeyTaken(found["uri"])
    return {"uri": found["uri"], "cid": found["cid"]}


def _json(response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _job(body: dict[str, Any]) -> dict[str, Any]:
    """A job status: the lexicon wraps it in ``jobStatus``; the service often answers it bare."""
    inner = body.get("jobStatus")
    return inner if isinstance(inner, dict) else body


def _image_size(path: Path) -> tuple[int, int] | None:
    try:
        from PIL import Image

        with Image.open(path) as image:
            return image.size
    except (ImportError, OSError):
        return None
