"""What a publisher needs to know about a finished video: its frame size, read from ffmpeg's header report."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from moneyprinter.media.ffmpeg_run import child_options, ffmpeg_exe

# "Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive), 1080x1920 [SAR 1:1 DAR 9:16], ..."
_SIZE = re.compile(r"Stream #\S+.*?: Video: .*?(\d{2,5})x(\d{2,5})")


def video_size(path: Path) -> tuple[int, int] | None:
    """(width, height) of the first video stream, or None if ffmpeg finds none (no decoding is done)."""
    # Without an output file ffmpeg exits 1 after printing the input's header: that report is all we read.
    proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)], check=False,
                          capture_output=True, text=True, errors="replace", timeout=30, **child_options())
    match = _SIZE.search(proc.stderr)
    return (int(match.group(1)), int(match.group(2))) if match else None
