"""Image providers: ``procedural`` (offline default), ``venice``, ``cloudflare``, ``pexels``, ``local`` folder.

``generate_images`` fetches one picture per prompt, reuses pictures already in the folder,
caps paid images per Short, records each paid request before making it, and substitutes a
procedural picture (with a warning) for any that fails.
"""

from __future__ import annotations

import base64
import io
import logging
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from PIL import Image, UnidentifiedImageError

from moneyprinter import errors, paths
from moneyprinter.check_result import CheckResult
from moneyprinter.errors import ProviderError
from moneyprinter.providers.base import Provider, ProviderRegistry
from moneyprinter.providers.procedural import save_background
from moneyprinter.settings.shorts import (
    CloudflareOptions,
    LocalImageOptions,
    PexelsOptions,
    ProceduralImageOptions,
    VeniceOptions,
)

log = logging.getLogger(__name__)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
VIDEO_SUFFIXES = (".mp4", ".mov", ".webm", ".m4v")
MAX_IMAGE_BYTES = 40 * 1024 * 1024


class ImageProvider(Provider):
    paid: ClassVar[bool] = False

    def __init__(self, options=None, secrets=None, services=None, *, niche: str = "") -> None:
        super().__init__(options, secrets, services)
        self.niche = niche  # the account's niche: the style of the offline scenes

    def generate(self, prompt: str, out: Path, size: tuple[int, int]) -> Path:
        """Write a PNG for ``prompt`` to ``out``."""
        raise NotImplementedError

    def source_of(self, out: Path) -> dict:
        """Where the picture written to ``out`` came from (creator, page, the credit line a provider asks
        for); empty for pictures nobody needs to be credited for."""
        return {}


image_providers: ProviderRegistry[ImageProvider] = ProviderRegistry("image")


def save_png(data: bytes, out: Path, service: str) -> Path:
    """Decode any image the service sent and store it as PNG (atomically)."""
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except (UnidentifiedImageError, OSError):
        raise errors.ServiceUnavailable(service, "the answer is not an image") from None
    tmp = out.with_suffix(".part.png")
    img.convert("RGB").save(tmp, "PNG", compress_level=1)
    tmp.replace(out)
    return out


def _aspect(size: tuple[int, int]) -> str:
    return {(1080, 1920): "9:16", (1920, 1080): "16:9", (1080, 1080): "1:1"}.get(size, "9:16")


@image_providers.register
class ProceduralImages(ImageProvider):
    """Offline scenes in the niche's style: the prompt's icon and keywords; the same picture for the same prompt."""

    id: ClassVar[str] = "procedural"
    Options = ProceduralImageOptions

    def generate(self, prompt, out, size):
        return save_background(prompt, out, size, self.options.style if self.options.style != "auto" else self.niche)


@image_providers.register
class VeniceImages(ImageProvider):
    """Venice's native ``POST /api/v1/image/generate`` (default model qwen-image); paid."""

    id: ClassVar[str] = "venice"
    paid = True
    needs_key = True
    key_env_var = "VENICE_API_KEY"
    Options = VeniceOptions

    def generate(self, prompt, out, size):
        from moneyprinter.http_client import get_http_client

        body = {"model": self.options.model, "prompt": prompt[:1500], "aspect_ratio": _aspect(size), "format": "png",
                "negative_prompt": "text, watermark, blurry, low quality"}
        response = get_http_client().post(
            self.services.venice_base_url.rstrip("/") + "/api/v1/image/generate", service="Venice", json=body,
            headers={"Authorization": f"Bearer {self.key()}"}, timeout=(5.0, self.options.timeout_s),
            max_bytes=MAX_IMAGE_BYTES, safe_to_retry=True,  # a generated picture is private until used
        )
        try:
            data = base64.b64decode(response.json()["images"][0])
        except (ValueError, KeyError, IndexError, TypeError):
            raise errors.ServiceUnavailable("Venice", "answer has no image") from None
        return save_png(data, out, "Venice")


@image_providers.register
class CloudflareImages(ImageProvider):
    """A Workers AI text-to-image endpoint (``.../ai/run/@cf/MODEL``); paid beyond the free allowance."""

    id: ClassVar[str] = "cloudflare"
    paid = True
    needs_key = True
    key_env_var = "CLOUDFLARE_API_TOKEN"
    Options = CloudflareOptions

    def generate(self, prompt, out, size):
        from moneyprinter.http_client import get_http_client

        if not self.options.url:
            raise errors.ConfigError("[shorts.images_cloudflare] url is not set", hint="set it to your Workers AI model URL")
        response = get_http_client().post(
            self.options.url, service="Cloudflare Workers AI", json={"prompt": prompt[:2000]},
            headers={"Authorization": f"Bearer {self.key()}"}, timeout=(5.0, self.options.timeout_s),
            max_bytes=MAX_IMAGE_BYTES, safe_to_retry=True,  # a generated picture is private until used
        )
        if response.headers.get("Content-Type", "").startswith("image/"):
            return save_png(response.content, out, "Cloudflare Workers AI")
        try:  # models like flux answer JSON with a base64 image
            data = base64.b64decode(response.json()["result"]["image"])
        except (ValueError, KeyError, TypeError):
            raise errors.ServiceUnavailable("Cloudflare Workers AI", "answer has no image") from None
        return save_png(data, out, "Cloudflare Workers AI")

    def health_check(self) -> CheckResult:
        if not self.options.url:
            return CheckResult.fail("no endpoint URL", "set [shorts.images_cloudflare] url")
        return super().health_check()


@image_providers.register
class PexelsImages(ImageProvider):
    """Stock photos from Pexels search (free key). Each photo is used once per Short."""

    id: ClassVar[str] = "pexels"
    needs_key = True
    key_env_var = "PEXELS_API_KEY"
    Options = PexelsOptions

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self.used: set[int] = set()
        self._sources: dict[Path, dict] = {}

    def source_of(self, out):
        return self._sources.get(Path(out), {})

    def generate(self, prompt, out, size):
        from moneyprinter.http_client import get_http_client

        http = get_http_client()
        orientation = {"9:16": "portrait", "16:9": "landscape"}.get(_aspect(size), "square")
        query = " ".join(re.findall(r"\w+", prompt)[:6]) or "abstract"
        response = http.get(
            self.options.base_url.rstrip("/") + "/v1/search", service="Pexels",
            params={"query": query, "orientation": orientation, "per_page": 15},
            headers={"Authorization": self.key()},
        )
        photos = [p for p in response.json().get("photos", []) if p.get("id") not in self.used]
        if not photos:
            raise errors.NotFoundRemote("Pexels", f"no photos for '{query}'")
        photo = photos[0]
        self.used.add(photo.get("id"))
        src = photo.get("src", {})
        url = src.get("portrait" if orientation == "portrait" else "large2x") or src.get("original")
        if not url:
            raise errors.ServiceUnavailable("Pexels", "photo has no download URL")
        save_png(http.get(url, service="Pexels", max_bytes=MAX_IMAGE_BYTES).content, out, "Pexels")
        self._sources[Path(out)] = photo_source(photo)
        return out


def photo_source(photo: dict) -> dict:
    """Pexels asks to credit the photographer with a link to the photo's page: "Photo by NAME on Pexels"."""
    name = str(photo.get("photographer") or "").strip() or "a Pexels photographer"
    page = str(photo.get("url") or f"https://www.pexels.com/photo/{photo.get('id')}/")
    return {"provider": "pexels", "id": str(photo.get("id", "")), "page_url": page, "creator": name,
            "creator_url": str(photo.get("photographer_url") or ""), "attribution_required": True,
            "credit": f"Photo by {name} on Pexels: {page}"}


@image_providers.register
class LocalFolderImages(ImageProvider):
    """Your own pictures and clips: the file whose name or tags share most words with the sentence.

    Tags are words in a text file beside the media file with the same name and ``.txt``
    (``reef.mp4`` + ``reef.txt``: "octopus, coral, ocean"). With no match, any file not used yet.
    """

    id: ClassVar[str] = "local"
    Options = LocalImageOptions

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self.used: set[Path] = set()

    def folder(self) -> Path:
        folder = Path(self.options.folder).expanduser()
        return folder if folder.is_absolute() else paths.data_dir() / folder

    def files(self, suffixes=IMAGE_SUFFIXES + VIDEO_SUFFIXES) -> list[Path]:
        folder = self.folder()
        if not folder.is_dir():
            raise ProviderError(f"image folder not found: {folder}", hint="create it and add pictures or clips, or set [shorts.images_local] folder")
        found = sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes)
        if not found:
            raise ProviderError(f"no pictures or clips in {folder}", hint="add .png, .jpg, .webp, .mp4, .mov or .webm files")
        return found

    @staticmethod
    def words_of(path: Path) -> set[str]:
        text = path.stem
        tags = path.with_suffix(".txt")
        if tags.exists():
            text += " " + tags.read_text(encoding="utf-8", errors="replace")
        return {_stem_word(w) for w in re.findall(r"[a-z]{3,}", text.lower())}

    def pick(self, prompt: str, suffixes=IMAGE_SUFFIXES + VIDEO_SUFFIXES) -> Path:
        """The best-matching file for ``prompt``; files not used in this Short first."""
        files = self.files(suffixes)
        wanted = {_stem_word(w) for w in re.findall(r"[a-z]{3,}", prompt.lower())}
        rng = random.Random(prompt)
        scored = sorted(files, key=lambda f: (f in self.used, -len(wanted & self.words_of(f)), rng.random()))
        self.used.add(scored[0])
        return scored[0]

    def generate(self, prompt, out, size):
        return save_png(self.pick(prompt, IMAGE_SUFFIXES).read_bytes(), out, "image folder")

    def health_check(self) -> CheckResult:
        try:
            files = self.files()
        except ProviderError as exc:
            return CheckResult.fail(exc.message, exc.hint or "")
        clips = sum(1 for f in files if f.suffix.lower() in VIDEO_SUFFIXES)
        return CheckResult.ok(f"{len(files) - clips} pictures and {clips} clips in {self.folder()}")


def _stem_word(word: str) -> str:
    """'octopuses' and 'octopus', 'waves' and 'wave' match."""
    for suffix in ("es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            return word[: -len(suffix)]
    return word


def create_image_provider(settings, secrets, *, niche: str = "") -> ImageProvider:
    """The configured image provider; ``niche`` (the account's) styles the offline scenes."""
    name = settings.shorts.image_provider
    return image_providers.create(name, settings.shorts.options_for("images", name), secrets, settings.services,
                                  niche=niche)


# --- fetching a Short's pictures -----------------------------------------------------------------


@dataclass
class ImageLedger:
    """Claims and settles paid requests for one content item (see store.paid_requests)."""

    claim: Callable[[str], bool]
    finish: Callable[[str, str], None]
    charged: Callable[[], int]


@dataclass
class ImageBatch:
    paths: list[Path]
    warnings: list[str] = field(default_factory=list)
    from_provider: int = 0
    substituted: int = 0
    substituted_indices: list[int] = field(default_factory=list)


def generate_images(
    provider: ImageProvider,
    prompts: list[str],
    folder: Path,
    size: tuple[int, int],
    *,
    ledger: ImageLedger | None = None,
    max_paid: int = 6,
    fallback_style: str = "",
    indices: list[int] | None = None,
) -> ImageBatch:
    """One picture per prompt, named by its index in the Short (``indices``, default 0, 1, ...)."""
    folder.mkdir(parents=True, exist_ok=True)
    batch = ImageBatch([])
    stop_reason: str | None = None  # after a 401/429/quota, do not ask the provider again this time
    for index, prompt in zip(indices if indices is not None else range(len(prompts)), prompts):
        out = folder / f"{index:02d}.png"
        batch.paths.append(out)
        if out.exists():
            continue  # made by an earlier run: reuse
        reason = stop_reason or _try_provider(provider, prompt, out, size, index, ledger, max_paid)
        if reason is None:
            batch.from_provider += 1
            continue
        if reason in ("rate limited", "key rejected", "quota"):
            stop_reason = reason
        save_background(prompt, out, size, fallback_style)
        batch.substituted += 1
        batch.substituted_indices.append(index)
        batch.warnings.append(f"image {index + 1}: {provider.id} {reason}; used a procedural picture")
    if batch.substituted and batch.from_provider == 0 and provider.id != "procedural" and not any(
        "cap" in w for w in batch.warnings
    ):
        log.warning("every %s image failed; all pictures are procedural", provider.id)
    return batch


def _try_provider(provider, prompt, out, size, index, ledger, max_paid) -> str | None:
    """Make one picture; None on success, else a short reason for the warning."""
    purpose = f"image:{index}"
    if provider.paid and ledger is not None:
        if ledger.charged() >= max_paid:
            return f"cap of {max_paid} paid images reached"
        if not ledger.claim(purpose):
            return "was already requested for this Short (not repeated, to avoid paying twice)"
    try:
        provider.generate(prompt, out, size)
    except errors.RequestTimeout:
        log.warning("image %d: %s timed out; outcome unknown", index, provider.id)
        return "timed out"  # stays 'started': never repeated
    except (errors.MoneyPrinterError, OSError) as exc:
        if provider.paid and ledger is not None:
            ledger.finish(purpose, "failed")
        log.warning("image %d from %s failed: %s", index, provider.id, exc)
        if isinstance(exc, errors.RateLimited):
            return "rate limited"
        if isinstance(exc, errors.Unauthorized | errors.NeedsKey):
            return "key rejected"
        if isinstance(exc, errors.QuotaExceeded):
            return "quota"
        return f"failed ({getattr(exc, 'message', exc)})"
    if provider.paid and ledger is not None:
        ledger.finish(purpose, "done")
    return None
