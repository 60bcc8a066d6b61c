"""Health checks of the renderer: the ffmpeg build has what the graph uses, the subtitle font exists."""

from __future__ import annotations

import subprocess

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.health.registry import CheckResult, HealthContext, health_check

FILTERS = ("ass", "xfade", "loop", "loudnorm", "sidechaincompress", "amix")
ENCODERS = ("libx264", "aac", "utvideo")


@health_check("renderer", group="shorts")
def renderer_ready(ctx: HealthContext) -> CheckResult:
    if ctx.config_error:
        return CheckResult.skip("configuration did not load")
    from moneyprinter.media.ffmpeg_run import ffmpeg_exe
    from moneyprinter.media.subtitles import resolve_font

    settings = ctx.config.settings
    try:
        exe = ffmpeg_exe()
        filters = _listing(exe, "-filters")
        encoders = _listing(exe, "-encoders")
    except (MoneyPrinterError, OSError, subprocess.TimeoutExpired) as exc:
        return CheckResult.fail(f"ffmpeg does not run ({exc})", "reinstall with 'make setup'")
    missing = [f for f in FILTERS if f" {f} " not in filters] + [e for e in ENCODERS if f" {e} " not in encoders]
    if missing:
        return CheckResult.fail(f"ffmpeg lacks {', '.join(missing)}",
                                "use the ffmpeg shipped by imageio-ffmpeg ('make setup')")
    try:
        font = resolve_font(settings.subtitles.style().font, bold=settings.subtitles.bold)
    except MoneyPrinterError as exc:
        return CheckResult.fail(exc.message, exc.hint or "")
    if settings.render.backend == "moviepy":
        try:
            import moviepy  # noqa: F401
        except ImportError:
            return CheckResult.fail("render.backend is moviepy but MoviePy is not installed", "pip install moviepy")
    return CheckResult.ok(f"{settings.render.backend} backend, subtitles in {font.name}")


def _listing(exe: str, flag: str) -> str:
    return subprocess.run([exe, "-hide_banner", flag], capture_output=True, text=True, timeout=10).stdout
