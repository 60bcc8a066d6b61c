"""Running the ffmpeg binary that ships in imageio-ffmpeg: bounded in time, failures made readable."""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import subprocess
import sys
from pathlib import Path

from moneyprinter.errors import ProviderError

STDERR_TAIL_LINES = 6
_PR_SET_PDEATHSIG = 1


def _load_prctl():
    """libc's prctl, resolved once in the parent so the forked child only calls it (no imports, no locks)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()


def die_with_parent() -> None:
    """``preexec_fn``: the kernel kills the child when its parent dies, even by kill -9, so an encoder
    never runs on as an orphan. (Elsewhere than Linux this does nothing.)"""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def child_options() -> dict:
    """Popen/run keyword arguments for every ffmpeg child."""
    return {"preexec_fn": die_with_parent} if _PRCTL is not None else {}


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
                            stderr=subprocess.PIPE, text=True, errors="replace", **child_options())
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
