"""The ``youtube_api`` publisher: YouTube Data API v3 videos.insert through the resumable upload protocol."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from moneyprinter import errors
from moneyprinter.check_result import CheckResult
from moneyprinter.publishers import youtube_oauth
from moneyprinter.publishers.base import Outcome, PublishContext, Publisher
from moneyprinter.publishers.youtube_upload import ResumableUpload
from moneyprinter.store.accounts import Account

if TYPE_CHECKING:
    from moneyprinter.app import App

TITLE_MAX = 100
DESCRIPTION_MAX_BYTES = 5000


def video_resource(ctx: PublishContext) -> dict[str, Any]:
    """The video resource (snippet + status); account options override the publishing settings."""
    item, options, settings = ctx.item, ctx.account.options, ctx.settings
    title = (item.title or "").strip()
    if not title or len(title) > TITLE_MAX or "<" in title or ">" in title:
        raise errors.PublishError(
            f"item {item.id}: the title must be 1-{TITLE_MAX} characters without < or > (it has {len(title)})",
            hint=f"edit it: moneyprinter review edit {item.id} --title '...'",
        )
    description = str(item.metadata.description or item.body or "")
    if len(description.encode("utf-8")) > DESCRIPTION_MAX_BYTES or "<" in description or ">" in description:
        raise errors.PublishError(
            f"item {item.id}: the description must be at most {DESCRIPTION_MAX_BYTES} bytes without < or >",
            hint="shorten the description",
        )
    return {
        "snippet": {
            "title": title,
            "description": description,
            "tags": [str(t) for t in item.metadata.tags],
            "categoryId": str(options.get("category_id") or settings.youtube_category_id),
        },
        "status": {
            "privacyStatus": options.get("privacy_status") or settings.youtube_privacy_status,
            "selfDeclaredMadeForKids": bool(options.get("made_for_kids", settings.youtube_made_for_kids)),
        },
    }


class YouTubeAPIPublisher(Publisher):
    id = "youtube_api"
    platforms = ("youtube",)

    def publish(self, ctx: PublishContext) -> Outcome:
        path = Path(ctx.item.media_path or "")
        resuming = bool(ctx.pub.session_uri)  # the stored session is asked first, whatever the file is now
        if not resuming and (not ctx.item.media_path or not path.is_file() or path.stat().st_size == 0):
            raise errors.PublishError(f"item {ctx.item.id} has no video file, or it is empty ({ctx.item.media_path or 'none'})",
                                      hint="render the Short again")
        video = ResumableUpload(ctx, path, video_resource(ctx)).run()
        video_id = video.get("id")
        if not video_id:
            raise errors.ServiceError("YouTube upload", "the upload finished without a video id")
        url = f"https://www.youtube.com/shorts/{video_id}"
        return Outcome("published", video_id, url, message=f"uploaded to YouTube: {url}")

    def health_check(self, app: App, account: Account) -> CheckResult:
        try:
            channel = channel_info(app, account)
        except errors.Unauthorized as exc:
            return CheckResult.fail(f"{account.nickname}: {exc.reason}", exc.hint or youtube_oauth.login_hint(account))
        except errors.ConfigError as exc:
            return CheckResult.fail(f"{account.nickname}: {exc.message}", exc.hint or "")
        except errors.ServiceError as exc:
            return CheckResult.fail(f"{account.nickname}: {exc.reason}", "check the network or publishing.youtube_api_base_url")
        return CheckResult.ok(f"{account.nickname}: token accepted (channel {channel.get('title') or channel.get('id')})")


def channel_info(app: App, account: Account) -> dict[str, str]:
    """``channels.list?mine=true`` (1 quota unit): proves the token works; refreshes once on 401."""
    url = app.settings.publishing.youtube_api_base_url.rstrip("/") + "/channels"
    for force in (False, True):
        token = youtube_oauth.access_token(app, account, force_refresh=force)
        response = app.http.get(url, service="YouTube API", params={"part": "id,snippet", "mine": "true"},
                                headers={"Authorization": f"Bearer {token}"}, raise_for_status=False,
                                timeout=(3.0, 10.0), max_retries=1)
        if response.status_code == 401 and not force:
            continue
        if response.status_code >= 400:
            from moneyprinter.http_client import translate_status

            exc = translate_status("YouTube API", response)
            if isinstance(exc, errors.Unauthorized):
                exc.hint = youtube_oauth.login_hint(account)
            raise exc
        items = response.json().get("items") or []
        if not items:
            raise errors.Unauthorized("YouTube API", "this login has no YouTube channel", hint="create a channel first")
        return {"id": items[0].get("id", ""), "title": items[0].get("snippet", {}).get("title", "")}
    raise AssertionError("unreachable")
