"""The YouTube resumable upload protocol over the shared HTTP client.

1. POST the video resource to the upload endpoint (``uploadType=resumable``); the answer's
   ``Location`` is the session URI. It is committed to the publication before the first byte.
2. PUT the file in chunks with ``Content-Range: bytes a-b/N``; ``308`` + ``Range: bytes=0-k`` means
   the server holds k+1 bytes; ``200``/``201`` carries the video resource.
3. After an interruption (or a crash and a rerun), PUT an empty body with ``Content-Range: bytes */N``
   to learn how much the server holds, and continue from there. If the upload had completed, that
   query returns the video: no second video is ever created.

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
from moneyprinter.publishers import quota, youtube_oauth
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
        self.size = path.stat().st_size
        self.settings = ctx.settings
        self.sleep = sleep
        self.content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self._token: str | None = None

    # --- the loop ---------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        """Upload (or resume, or reconcile) and return the video resource."""
        self._check_file()
        failures, refreshed = 0, False
        while True:
            try:
                if not self.ctx.pub.session_uri:
                    self._start_session()
                    offset = 0
                else:
                    video, offset = self._query()
                    if video is not None:
                        return video
                    if offset is None:  # the session expired before completing: no video exists
                        self.ctx.save(session_uri=None)
                        continue
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
        digest = file_sha256(self.path)
        pub = self.ctx.pub
        if pub.session_uri and pub.file_hash and pub.file_hash != digest:
            raise NeedsAttention(
                f"{self.path} changed after its upload started",
                hint="check YouTube Studio, then re-render or mark the item published",
            )
        if pub.file_hash != digest:
            self.ctx.save(file_hash=digest, file_size=self.size, file_path=str(self.path))

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
            log.info("%s: the upload session expired; starting a new one", SERVICE)
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
                response = self._call(
                    "PUT", self.ctx.pub.session_uri, data=chunk,
                    headers={"Content-Range": f"bytes {offset}-{end}/{self.size}", "Content-Type": self.content_type},
                )
                if response.status_code in (200, 201):
                    return response.json()
                if response.status_code == 308:
                    offset = _next_offset(response)
                    continue
                if response.status_code in (404, 410):
                    self.ctx.save(session_uri=None)
                    raise _Retry("the upload session expired")
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
