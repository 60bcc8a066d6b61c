"""Inspecting rendered MP4s with the real ffmpeg: stream info, boxes, loudness, black frames, frames.

imageio-ffmpeg ships ffmpeg without ffprobe, so stream facts are read from ``ffmpeg -i``.
"""

from __future__ import annotations

import functools
import re
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from moneyprinter.media.ffmpeg_run import ffmpeg_exe


def _ffmpeg(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", *args], capture_output=True, timeout=timeout)


@dataclass
class Info:
    duration: float
    video: str  # the "Video: ..." line
    audio: str

    @property
    def size(self) -> tuple[int, int]:
        w, h = re.search(r", (\d{2,5})x(\d{2,5})", self.video).groups()
        return int(w), int(h)

    @property
    def fps(self) -> float:
        return float(re.search(r", ([\d.]+) fps", self.video).group(1))


def header(path: Path) -> str:
    """What ``ffmpeg -i`` prints about the file (streams, metadata)."""
    return _ffmpeg("-i", str(path)).stderr.decode(errors="replace")


def info(path: Path) -> Info:
    stat = Path(path).stat()
    return _info(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _info(path: str, mtime_ns: int, size: int) -> Info:
    """Read once per version of the file: ``frame_at`` asks for every frame it decodes."""
    err = _ffmpeg("-i", path).stderr.decode(errors="replace")
    h, m, s = re.search(r"Duration: (\d+):(\d+):([\d.]+)", err).groups()
    video = re.search(r"Stream #\S+: Video: (.*)", err)
    audio = re.search(r"Stream #\S+: Audio: (.*)", err)
    duration = int(h) * 3600 + int(m) * 60 + float(s)
    return Info(duration, video.group(1) if video else "", audio.group(1) if audio else "")


def top_level_boxes(path: Path) -> list[str]:
    """The MP4's top-level box types in file order (``moov`` before ``mdat`` = faststart)."""
    boxes, data = [], path.read_bytes()
    offset = 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8:offset + 16])[0]
        elif size == 0:
            size = len(data) - offset
        boxes.append(kind.decode("latin-1"))
        offset += size
    return boxes


@dataclass
class Loudness:
    integrated: float
    true_peak: float


def loudness(path: Path) -> Loudness:
    err = _ffmpeg("-i", str(path), "-map", "0:a", "-af", "ebur128=peak=true", "-f", "null", "-").stderr.decode()
    summary = err[err.rindex("Summary:"):]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))
    return Loudness(integrated, peak)


def black_intervals(path: Path) -> list[str]:
    err = _ffmpeg("-i", str(path), "-map", "0:v", "-vf", "blackdetect=d=0.03:pix_th=0.10", "-f", "null", "-").stderr
    return re.findall(r"black_start:\S+ black_end:\S+", err.decode())


def frame_at(path: Path, seconds: float) -> np.ndarray:
    """The decoded RGB frame at ``seconds`` (accurate seek)."""
    i = info(path)
    w, h = i.size
    out = _ffmpeg("-ss", f"{seconds:.3f}", "-i", str(path), "-frames:v", "1",
                  "-f", "rawvideo", "-pix_fmt", "rgb24", "-")
    assert out.returncode == 0, out.stderr.decode()[-500:]
    return np.frombuffer(out.stdout, np.uint8).reshape(h, w, 3)


def frame_count(path: Path) -> int:
    err = _ffmpeg("-i", str(path), "-map", "0:v", "-f", "null", "-").stderr.decode()
    return int(re.findall(r"frame=\s*(\d+)", err)[-1])


def gray_frames(path: Path) -> np.ndarray:
    """Every frame, grey, as an array (frames, height, width): for short, small renders only."""
    w, h = info(path).size
    out = _ffmpeg("-i", str(path), "-f", "rawvideo", "-pix_fmt", "gray", "-")
    return np.frombuffer(out.stdout, np.uint8).reshape(-1, h, w)


def frozen_intervals(path: Path, longest: float = 2.0) -> list[str]:
    """Stretches where the picture does not change for longer than ``longest`` seconds (freezedetect)."""
    err = _ffmpeg("-i", str(path), "-map", "0:v", "-vf", f"freezedetect=n=0.001:d={longest}", "-f", "null", "-").stderr
    return re.findall(r"freeze_start: \S+", err.decode())
