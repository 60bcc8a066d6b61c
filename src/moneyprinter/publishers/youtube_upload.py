"""The YouTube resumable upload protocol over the shared HTTP client.

1. POST the video resource to the upload endpoint (``uploadType=resumable``); the answer's
   ``Location`` is the session URI. It is committed to the publication before the first byte.
2. PUT the file in chunks with ``Content-Range: bytes a-b/N``; ``308`` + ``Range: bytes=0-k`` means
   the server holds k+1 bytes; ``200``/``201`` carries the video resource.
3. After an interruption (or a crash and a rerun), PUT an empty body with ``Content-Range: bytes */N``
   (N: the size stored when the session began, whatever the file is now) to learn how much the server
   holds, and continue from there. If the upload had completed, that query returns the video: no
   second video is ever created.
4. A session that is gone (404/410) before the last byte was sent holds no video: a new one starts.
   Gone after the last byte was sent (``all_sent``, committed before that chunk), the outcome is
   unknown: the channel's uploads are searched (``youtube_find``); not found means ``needs_attention``,
   and only a person starts a new session (``publish ID --retry-unknown``).

500/502/503/504 and network errors are retried with exponential backoff, at most
``upload_max_retries`` times; a 401 refreshes the token once; other 4xx are not retried.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import random
import re
import time
from pathlib import Path
from typing import Any

from moneyprinter import errors
from moneyprinter.http_client import translate_status
from moneyprinter.publishers import quota, youtube_find, youtube_oauth
from moneyprinter.publishers.base import NeedsAttention, PublishContext
from moneyprinter.store.states import PublicationStatus

log = logging.getLogger(__name__)

SERVICE = "YouTube upload"
QUOTA_SERVICE = "youtube"
_RANGE = re.compile(r"bytes=(\d+)-(\d+)")
_RETRY_STATUSES = (500, 502, 503, 504)


class _Retry(Exception):
    """A transient failure: ask the server where it stands, then continue."""


class _AuthExpired(Exception):
    pass


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


class ResumableUpload:
    def __init__(self, ctx: PublishContext, path: Path, resource: dict[str, Any], *, sleep=time.sleep) -> None:
        self.ctx = ctx
        self.path = path
        self.resource = resource
        # A session's size is fixed when it begins: a rerun queries it with the stored size, even if the
        # file was deleted or re-rendered since.
        pub = ctx.pub
        self.size = pub.file_size if pub.session_uri and pub.file_size else path.stat().st_size
        self.settings = ctx.settings
        self.sleep = sleep
        self.content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self._token: str | None = None

    # --- the loop ---------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        """Upload (or resume, or reconcile) and return the video resource."""
        failures, refreshed = 0, False
        while True:
            try:
                if not self.ctx.pub.session_uri:
                    self._check_file()
                    self._start_session()
                    offset = 0
                else:
                    video, offset = self._query()
                    if video is not None:
                        return video
                    if offset is None:  # the session is gone
                        video = self._session_gone()
                        if video is not None:
                            return video
                        continue
                    self._check_file()  # resuming sends the rest of the same bytes
                video = self._send_from(offset)
                if video is not None:
                    return video
            except _Retry as exc:
                failures += 1
                if failures > self.settings.upload_max_retries:
                    raise errors.ServiceUnavailable(
                        SERVICE, f"gave up after {failures - 1} retries ({exc})",
                        hint="run 'moneyprinter publish ITEM' later: the upload resumes where it stopped",
                    ) from None
                self._backoff(failures, str(exc))
            except _AuthExpired:
                if refreshed:
                    raise errors.Unauthorized(SERVICE, "the access token was refused after a refresh",
                                              hint=youtube_oauth.login_hint(self.ctx.account)) from None
                refreshed = True
                self._token = youtube_oauth.access_token(self.ctx.app, self.ctx.account, force_refresh=True)

    def _check_file(self) -> None:
        pub = self.ctx.pub
        if not self.path.is_file():
            raise NeedsAttention(f"{self.path} is missing; YouTube holds part of its upload",
                                 hint=f"restore the file, or re-render and run: moneyprinter publish {self.ctx.item.id} --retry-unknown")
        digest = file_sha256(self.path)
        if pub.session_uri and pub.file_hash and pub.file_hash != digest:
            raise NeedsAttention(
                f"{self.path} changed after its upload started",
                hint=f"restore the file, or run: moneyprinter publish {self.ctx.item.id} --retry-unknown to upload the new one",
            )
        if pub.file_hash != digest:
            self.size = self.path.stat().st_size
            self.ctx.save(file_hash=digest, file_size=self.size, file_path=str(self.path))

    def _session_gone(self) -> dict[str, Any] | None:
        """The video if the channel has it; None when a new session is safe (or a person said so)."""
        ctx = self.ctx
        if ctx.pub.state.get("all_sent"):
            video = self._find_upload()
            if video is not None:
                return video
            ctx.retry_unknown = False  # a person's release covers one new session, not a loop of them
        ctx.save(session_uri=None, state={**ctx.pub.state, "all_sent": False})
        self.size = self.path.stat().st_size if self.path.is_file() else self.size
        return None

    def _find_upload(self) -> dict[str, Any] | None:
        ctx = self.ctx
        title = self.resource["snippet"]["title"]
        hint = (f"look in YouTube Studio (Content) for '{title}' uploaded after {ctx.pub.publishing_at}; if it is "
                f"there: moneyprinter outbox mark-published {ctx.item.id} URL; if it is not: "
                f"moneyprinter publish {ctx.item.id} --retry-unknown")
        why = "the upload session is gone after every byte was sent"
        try:
            video = youtube_find.find_upload(ctx.app, ctx.account, title=title, size=ctx.pub.file_size,
                                             since=ctx.pub.publishing_at)
        except errors.ServiceError as exc:
            if ctx.retry_unknown:
                return None
            raise NeedsAttention(f"{SERVICE}: {why}, and the channel's uploads could not be searched ({exc.reason})",
                                 hint=hint) from None
        if video is None and not ctx.retry_unknown:
            raise NeedsAttention(f"{SERVICE}: {why}, and the video is not among the channel's recent uploads "
                                 "(it may still be processing)", hint=hint)
        return video

    def _backoff(self, failures: int, why: str) -> None:
        ceiling = min(self.settings.upload_backoff_max_s, self.settings.upload_backoff_base_s * 2 ** (failures - 1))
        delay = random.uniform(0, ceiling)
        log.info("%s: %s; retry %d in %.1f s", SERVICE, why, failures, delay)
        self.sleep(delay)

    # --- protocol steps -------------------------------------------------------------------------

    def _auth(self) -> dict[str, str]:
        if self._token is None:
            self._token = youtube_oauth.access_token(self.ctx.app, self.ctx.account)
        return {"Authorization": f"Bearer {self._token}"}

    def _start_session(self) -> None:
        db, settings = self.ctx.db, self.settings
        quota.check(db, QUOTA_SERVICE, settings.youtube_upload_quota_cost, settings.youtube_daily_quota)
        response = self._call(
            "POST", settings.youtube_upload_url,
            params={"uploadType": "resumable", "part": "snippet,status"},
            json=self.resource,
            headers={"X-Upload-Content-Length": str(self.size), "X-Upload-Content-Type": self.content_type},
        )
        if response.status_code not in (200, 201):
            self._fail(response)
        session_uri = response.headers.get("Location")
        if not session_uri:
            raise errors.ServiceError(SERVICE, "the upload session has no Location header")
        quota.spend(db, QUOTA_SERVICE, settings.youtube_upload_quota_cost)
        upload_id = response.headers.get("X-GUploader-UploadID")
        # Committed before the first byte: a rerun resumes this session instead of starting a new video.
        self.ctx.save(session_uri=session_uri, status=PublicationStatus.PUBLISHING, publishing_at=_now())
        if upload_id:
            self.ctx.add_request_id(upload_id)

    def _query(self) -> tuple[dict[str, Any] | None, int | None]:
        """Ask how much the server holds: (video, None) if complete, (None, offset), or (None, None) if gone."""
        response = self._call(
            "PUT", self.ctx.pub.session_uri,
            headers={"Content-Range": f"bytes */{self.size}", "Content-Length": "0"}, data=b"",
        )
        if response.status_code in (200, 201):
            return response.json(), None
        if response.status_code == 308:
            return None, _next_offset(response)
        if response.status_code in (404, 410):
            log.info("%s: the upload session is gone (HTTP %d)", SERVICE, response.status_code)
            return None, None
        self._fail(response)
        raise AssertionError("unreachable")

    def _send_from(self, offset: int) -> dict[str, Any] | None:
        if self.ctx.pub.status != PublicationStatus.PUBLISHING:
            self.ctx.save(status=PublicationStatus.PUBLISHING, publishing_at=self.ctx.pub.publishing_at or _now())
        chunk_size = self.settings.upload_chunk_bytes
        with self.path.open("rb") as handle:
            while offset < self.size:
                handle.seek(offset)
                chunk = handle.read(chunk_size)
                end = offset + len(chunk) - 1
                if end == self.size - 1 and not self.ctx.pub.state.get("all_sent"):
                    # Armed before the last byte leaves: from here a lost answer may hide a created video.
                    self.ctx.merge_state(all_sent=True)
                response = self._call(
                    "PUT", self.ctx.pub.session_uri, data=chunk,
                    headers={"Content-Range": f"bytes {offset}-{end}/{self.size}", "Content-Type": self.content_type},
                )
                if response.status_code in (200, 201):
                    return response.json()
                if response.status_code == 308:
                    offset = _next_offset(response)
                    continue
                if response.status_code in (404, 410):  # the status query decides what the gone session means
                    raise _Retry("the upload session is gone")
                self._fail(response)
        # Everything was sent but no final answer arrived: ask.
        raise _Retry("the server did not confirm the last chunk")

    # --- transport ----------------------------------------------------------------------------------

    def _call(self, method: str, url: str, **kwargs):
        headers = {**kwargs.pop("headers", {}), **self._auth()}
        try:
            response = self.ctx.app.http.request(
                method, url, service=SERVICE, headers=headers, max_retries=0, raise_for_status=False,
                allow_redirects=False, **kwargs,
            )
        except errors.ServiceUnavailable as exc:  # network error or timeout: transient
            raise _Retry(exc.reason) from None
        if response.status_code in _RETRY_STATUSES:
            raise _Retry(f"HTTP {response.status_code}")
        if response.status_code == 401:
            raise _AuthExpired()
        return response

    def _fail(self, response) -> None:
        if response.status_code == 403 and _reason(response) in ("quotaExceeded", "dailyLimitExceeded", "uploadLimitExceeded"):
            raise quota.mark_exhausted(self.ctx.db, QUOTA_SERVICE)
        raise translate_status(SERVICE, response)


def _next_offset(response) -> int:
    match = _RANGE.search(response.headers.get("Range", ""))
    return int(match.group(2)) + 1 if match else 0


def _reason(response) -> str:
    try:
        body = response.json()
        return body["error"]["errors"][0]["reason"]
    except (ValueError, KeyError, IndexError, TypeError):
        return ""


def _now() -> str:
    from moneyprinter.store.db import utcnow

    return utcnow()
