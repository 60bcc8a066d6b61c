"""Stock video clips per sentence: ``pexels`` (Pexels Videos API) and ``pixabay`` (Pixabay Videos API).

A provider searches, ranks the results (portrait first for a 9:16 Short, long enough for the
sentence, not used yet in this Short), picks the smallest rendition that still fills the frame,
and downloads it through the shared HTTP client (429/5xx retried there) into the clip cache.
Cropping to the output aspect, trimming and looping to the sentence are the renderer's job.

Pexels asks for credit ("Video by NAME on Pexels" with a link); Pixabay does not require it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import ClassVar

from moneyprinter import errors
from moneyprinter.providers.base import Provider, ProviderRegistry
from moneyprinter.settings.shorts import PexelsVideoOptions, PixabayVideoOptions


@dataclass(frozen=True)
class Clip:
    """One search result, with the rendition we would download."""

    provider: str
    id: str
    width: int
    height: int
    duration: float
    url: str  # the file to download
    page_url: str  # the clip's page on the provider's site
    creator: str
    creator_url: str = ""
    size: int = 0  # bytes, when the provider says

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    def to_dict(self) -> dict:
        return asdict(self)


class VideoProvider(Provider):
    label: ClassVar[str] = ""
    asks_attribution: ClassVar[bool] = False

    def search(self, query: str, orientation: str) -> list[Clip]:
        raise NotImplementedError

    def credit(self, clip: Clip) -> str:
        return f"Video by {clip.creator} on {self.label}: {clip.page_url}"

    def download(self, clip: Clip, max_bytes: int) -> bytes:
        from moneyprinter.http_client import get_http_client

        return get_http_client().get(clip.url, service=self.label, max_bytes=max_bytes, timeout=(5.0, 120.0)).content


video_providers: ProviderRegistry[VideoProvider] = ProviderRegistry("video")


def pick_rendition(files: list[dict], short_side: int = 1080) -> dict | None:
    """The smallest MP4 rendition whose short side is at least 2/3 of the output's (the renderer scales it)."""
    usable = [f for f in files if f.get("url") and f.get("width") and f.get("height")]
    if not usable:
        return None
    usable.sort(key=lambda f: f["width"] * f["height"])
    enough = [f for f in usable if min(f["width"], f["height"]) >= short_side * 2 // 3]
    return enough[0] if enough else usable[-1]


@video_providers.register
class PexelsVideos(VideoProvider):
    """``GET /videos/search`` with the key in the Authorization header."""

    id: ClassVar[str] = "pexels"
    label = "Pexels"
    asks_attribution = True
    needs_key = True
    key_env_var = "PEXELS_API_KEY"
    Options = PexelsVideoOptions

    def search(self, query, orientation):
        from moneyprinter.http_client import get_http_client

        params = {"query": query, "per_page": self.options.per_page, "size": "medium"}
        if orientation in ("portrait", "landscape", "square"):
            params["orientation"] = orientation
        data = get_http_client().get(
            self.options.base_url.rstrip("/") + "/videos/search", service="Pexels", params=params,
            headers={"Authorization": self.key()},
        ).json()
        clips = []
        for video in data.get("videos") or []:
            files = [{"url": f.get("link"), "width": f.get("width"), "height": f.get("height")}
                     for f in video.get("video_files") or [] if f.get("file_type", "video/mp4") == "video/mp4"]
            chosen = pick_rendition(files)
            if chosen is None or video.get("id") is None:
                continue
            user = video.get("user") or {}
            clips.append(Clip("pexels", str(video["id"]), chosen["width"], chosen["height"], float(video.get("duration") or 0),
                              chosen["url"], video.get("url", ""), user.get("name", "a Pexels creator"), user.get("url", "")))
        return clips


@video_providers.register
class PixabayVideos(VideoProvider):
    """``GET /api/videos/?key=...&q=...``; renditions large/medium/small/tiny."""

    id: ClassVar[str] = "pixabay"
    label = "Pixabay"
    needs_key = True
    key_env_var = "PIXABAY_API_KEY"
    Options = PixabayVideoOptions

    def search(self, query, orientation):
        from moneyprinter.http_client import get_http_client

        params = {"key": self.key(), "q": query[:100], "per_page": self.options.per_page, "safesearch": "true",
                  "video_type": "film"}
        data = get_http_client().get(
            self.options.base_url.rstrip("/") + "/api/videos/", service="Pixabay", params=params,
        ).json()
        clips = []
        for hit in data.get("hits") or []:
            files = [dict(v) for v in (hit.get("videos") or {}).values() if isinstance(v, dict)]
            chosen = pick_rendition(files)
            if chosen is None or hit.get("id") is None:
                continue
            clips.append(Clip("pixabay", str(hit["id"]), chosen["width"], chosen["height"], float(hit.get("duration") or 0),
                              chosen["url"], hit.get("pageURL", ""), hit.get("user", "a Pixabay creator"),
                              size=int(chosen.get("size") or 0)))
        return clips


def rank(clips: list[Clip], orientation: str, seconds: float, used: set[str]) -> list[Clip]:
    """Unused clips, best first: the wanted orientation, then long enough to cover the sentence."""
    fresh = [c for c in clips if f"{c.provider}:{c.id}" not in used]
    want_portrait = orientation == "portrait"
    return sorted(fresh, key=lambda c: (c.portrait != want_portrait, c.duration < seconds))


def create_video_provider(settings, secrets) -> VideoProvider | None:
    """The configured stock-clip provider; ``auto`` picks the first whose key is set; None for no clips."""
    name = settings.shorts.video_provider
    if name == "none":
        return None
    if name == "auto":
        for candidate in ("pexels", "pixabay"):
            cls = video_providers.get_class(candidate)
            if cls.key_env_var and secrets.get(cls.key_env_var):
                name = candidate
                break
        else:
            return None
    return video_providers.create(name, settings.shorts.options_for("videos", name), secrets, settings.services)


class NoClip(errors.ProviderError):
    """No usable clip for a sentence (nothing found, all used, or all too large)."""
