"""Running the ffmpeg binary that ships in imageio-ffmpeg: bounded in time, failures made readable."""

from __future__ import annotations

import subprocess
from pathlib import Path

from moneyprinter.errors import ProviderError

STDERR_TAIL_LINES = 6


def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as exc:
        raise ProviderError(
            f"ffmpeg not found ({exc})", hint="reinstall the dependencies: pip install -r requirements.txt"
        ) from exc


def run_ffmpeg(args: list[str], *, what: str, timeout: float, cwd: Path | None = None) -> str:
    """Run ffmpeg with ``args``; return its stderr. Kill it after ``timeout`` seconds.

    Raises ProviderError naming ``what`` failed, with the last lines ffmpeg wrote.
    """
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *args]
    proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, errors="replace")
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except BaseException as exc:  # a timeout or Ctrl-C: never leave ffmpeg running
        proc.kill()
        proc.communicate()
        if not isinstance(exc, subprocess.TimeoutExpired):
            raise
        raise ProviderError(
            f"{what}: ffmpeg did not finish within {timeout:g} s and was stopped",
            hint="raise render.timeout_s or choose a faster render.x264_preset",
        ) from None
    if proc.returncode != 0:
        raise ProviderError(f"{what}: ffmpeg failed (exit {proc.returncode}): {stderr_tail(stderr)}",
                            hint="see the ffmpeg message; check the input files")
    return stderr


def stderr_tail(stderr: str, lines: int = STDERR_TAIL_LINES) -> str:
    kept = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    return " | ".join(kept[-lines:]) or "(no output)"
