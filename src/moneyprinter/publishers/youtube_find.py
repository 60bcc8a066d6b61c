"""Finding an upload whose answer was lost: the channel's uploads playlist, matched by title and file size.

Used when a resumable session is gone (404/410) after every byte was sent: YouTube may have created the
video, and the session can no longer say. ``channels.list`` names the uploads playlist,
``playlistItems.list`` gives its newest videos, and ``videos.list`` (``fileDetails``, shown to the owner)
gives each one's uploaded file size, which must equal the size that was sent.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from moneyprinter import errors
from moneyprinter.http_client import translate_status
from moneyprinter.publishers import youtube_oauth

if TYPE_CHECKING:
    from moneyprinter.app import App

SERVICE = "YouTube API"
RECENT = 25  # uploads looked at, newest first


def find_upload(app: App, account, *, title: str, size: int | None, since: str | None) -> dict[str, Any] | None:
    """The video resource of a recent upload with this title (and file size, when YouTube shows it)."""
    channel = _get(app, account, "channels", part="contentDetails", mine="true")
    items = channel.get("items") or []
    uploads = (items[0].get("contentDetails", {}).get("relatedPlaylists", {}).get("uploads") if items else None)
    if not uploads:
        return None
    listed = _get(app, account, "playlistItems", part="snippet,contentDetails", playlistId=uploads,
                  maxResults=str(RECENT)).get("items") or []
    earliest = _parse(since) - timedelta(minutes=10) if since else None
    ids = [entry["contentDetails"]["videoId"] for entry in listed
           if entry.get("snippet", {}).get("title") == title
           and (earliest is None or _parse(entry["snippet"].get("publishedAt")) >= earliest)]
    if not ids:
        return None
    videos = _get(app, account, "videos", part="snippet,status,fileDetails", id=",".join(ids)).get("items") or []
    for video in videos:
        shown = (video.get("fileDetails") or {}).get("fileSize")
        if size is None or shown is None or int(shown) == size:
            return video
    return None


def _get(app: App, account, resource: str, **params: str) -> dict[str, Any]:
    url = app.settings.publishing.youtube_api_base_url.rstrip("/") + "/" + resource
    for force in (False, True):
        token = youtube_oauth.access_token(app, account, force_refresh=force)
        response = app.http.get(url, service=SERVICE, params=params, headers={"Authorization": f"Bearer {token}"},
                                raise_for_status=False, timeout=(3.0, 15.0), max_retries=1)
        if response.status_code == 401 and not force:
            continue
        if response.status_code >= 400:
            raise translate_status(SERVICE, response)
        return response.json()
    raise errors.Unauthorized(SERVICE, "the access token was refused after a refresh",
                              hint=youtube_oauth.login_hint(account))


def _parse(value: str | None) -> datetime:
    if not value:
        return datetime.min.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
