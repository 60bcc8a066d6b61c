"""``/media/<path>``: media files of the data directory, with HTTP range requests (seeking in a video).

Only files inside the data directory, after resolving ``..`` and symbolic links, and only media
types are served: the token, keys and ``.env`` live there too. Starlette's ``FileResponse``
answers ``Range`` with 206 and streams the file in chunks, never reading it whole.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse

from moneyprinter.web.auth import protected

MEDIA_TYPES = {
    ".mp4": "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime", ".png": "image/png",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".gif": "image/gif",
    ".wav": "audio/wav", ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".srt": "text/plain",
    ".vtt": "text/vtt",
}

router = APIRouter(dependencies=[protected], include_in_schema=False)


def media_file(data_dir: Path, relative: str) -> Path:
    """The file ``relative`` names inside ``data_dir``; 404 for anything else (outside, missing, not media)."""
    root = data_dir.resolve()
    try:
        path = (root / relative).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        raise HTTPException(404, "no such media file") from None
    if not path.is_relative_to(root) or not path.is_file() or path.suffix.lower() not in MEDIA_TYPES:
        raise HTTPException(404, "no such media file")
    return path


def media_url(data_dir: Path, file: str | None) -> str | None:
    """The ``/media/...`` address of a file inside the data directory, None for a file elsewhere."""
    if not file:
        return None
    try:
        relative = Path(file).resolve().relative_to(data_dir.resolve())
    except (ValueError, OSError):
        return None
    return "/media/" + relative.as_posix() if Path(file).suffix.lower() in MEDIA_TYPES else None


@router.get("/media/{relative:path}")
def media(request: Request, relative: str):
    path = media_file(request.app.state.app.data_dir, relative)
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix.lower()])
