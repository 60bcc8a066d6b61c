"""TikTok's FILE_UPLOAD media transfer: the chunk arithmetic of its media transfer guide and the PUTs.

The rules (developers.tiktok.com, Content Posting API, Media Transfer Guide):
- every chunk is 5-64 MB, except the last, which carries the trailing bytes (up to 128 MB);
- ``total_chunk_count`` = ``video_size`` / ``chunk_size`` rounded down;
- a video under 5 MB goes whole (``chunk_size`` = its size); one over 64 MB in several chunks;
- 1 to 1000 chunks, sent in order, each ``PUT`` with ``Content-Range: bytes first-last/total``.
"""

from __future__ import annotations

import mimetypes
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from moneyprinter.errors import PublishError

MB = 1024 * 1024
MIN_CHUNK, MAX_CHUNK, MAX_LAST_CHUNK, MAX_CHUNKS = 5 * MB, 64 * MB, 128 * MB, 1000
MIME_TYPES = {".mp4": "video/mp4", ".mov": "video/quicktime", ".webm": "video/webm"}


@dataclass(frozen=True)
class ChunkPlan:
    video_size: int
    chunk_size: int
    count: int

    def ranges(self) -> list[tuple[int, int]]:
        """(first byte, last byte) of every chunk; the last one runs to the end of the file."""
        starts = [i * self.chunk_size for i in range(self.count)]
        return [(s, (starts[i + 1] if i + 1 < self.count else self.video_size) - 1) for i, s in enumerate(starts)]

    def as_source_info(self) -> dict[str, int | str]:
        return {"source": "FILE_UPLOAD", "video_size": self.video_size, "chunk_size": self.chunk_size,
                "total_chunk_count": self.count}


def plan_chunks(video_size: int, preferred: int) -> ChunkPlan:
    """The chunking TikTok accepts for a file of ``video_size`` bytes, with chunks near ``preferred``."""
    if video_size <= 0:
        raise PublishError("the video file is empty", hint="render the Short again")
    chunk = min(max(preferred, MIN_CHUNK), MAX_CHUNK)
    if video_size < MIN_CHUNK or video_size <= chunk:
        return ChunkPlan(video_size, video_size, 1)
    if video_size // chunk > MAX_CHUNKS:
        chunk = -(-video_size // MAX_CHUNKS)
        if chunk > MAX_CHUNK:
            raise PublishError(f"the video is {video_size / MB:.0f} MB; TikTok's upload takes at most "
                               f"{MAX_CHUNKS} chunks of {MAX_CHUNK // MB} MB", hint="render a smaller file")
    if video_size // chunk == 1 and video_size > MAX_CHUNK:
        chunk = video_size // 2  # over 64 MB is never one chunk
    # The last chunk carries the remainder: chunk + (size mod chunk) < 2 * 64 MB = 128 MB.
    return ChunkPlan(video_size, chunk, video_size // chunk)


def mime_type(path: Path) -> str:
    return MIME_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "video/mp4"


def read_chunk(path: Path, first: int, last: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(first)
        data = handle.read(last - first + 1)
    if len(data) != last - first + 1:
        raise PublishError(f"{path} is shorter than when the upload started", hint="render the Short again")
    return data


def video_seconds(path: Path) -> float:
    """The container duration from ffmpeg's header report (no decoding); 0.0 when unknown."""
    from moneyprinter.media.ffmpeg_run import ffmpeg_exe

    try:
        proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True,
                              timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return 0.0
    match = re.search(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)", proc.stderr)
    if not match:
        return 0.0
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
