"""Health checks of the Shorts pipeline: one per configured provider, cheap (no model is loaded)."""

from __future__ import annotations

from moneyprinter import paths
from moneyprinter.errors import MoneyPrinterError
from moneyprinter.health.registry import CheckResult, HealthContext, health_check


def _provider_check(ctx: HealthContext, factory) -> CheckResult:
    try:
        provider = factory(ctx.config.settings, ctx.config.secrets)
    except MoneyPrinterError as exc:
        return CheckResult.fail(exc.message, exc.hint or "fix [shorts] in config.toml")
    return provider.health_check()


@health_check("shorts: text provider", group="shorts")
def text_provider(ctx: HealthContext) -> CheckResult:
    from moneyprinter.providers.llm import create_text_provider

    return _provider_check(ctx, create_text_provider)


@health_check("shorts: voice provider", group="shorts")
def voice_provider(ctx: HealthContext) -> CheckResult:
    from moneyprinter.providers.tts import create_voice_provider

    return _provider_check(ctx, create_voice_provider)


@health_check("shorts: image provider", group="shorts", critical=False)
def image_provider(ctx: HealthContext) -> CheckResult:
    """Not critical: failed pictures are replaced by procedural ones."""
    from moneyprinter.providers.images import create_image_provider

    result = _provider_check(ctx, create_image_provider)
    if result.status.value == "FAIL":
        return CheckResult.warn(result.message + "; procedural pictures will be used instead", result.remediation)
    return result


@health_check("shorts: stock clips", group="shorts", critical=False)
def clip_provider(ctx: HealthContext) -> CheckResult:
    """Not critical: without clips, shots are pictures or offline scenes."""
    from moneyprinter.providers.stock_video import create_video_provider

    try:
        provider = create_video_provider(ctx.config.settings, ctx.config.secrets)
    except MoneyPrinterError as exc:
        return CheckResult.fail(exc.message, exc.hint or "fix [shorts] video_provider in config.toml")
    if provider is None:
        return CheckResult.ok("none (set PEXELS_API_KEY or PIXABAY_API_KEY for stock clips)")
    result = provider.health_check()
    if result.status.value == "FAIL":
        return CheckResult.warn(result.message + "; pictures and offline scenes will be used instead", result.remediation)
    return result


@health_check("shorts: subtitles", group="shorts", critical=False)
def subtitle_provider(ctx: HealthContext) -> CheckResult:
    name = ctx.config.settings.shorts.subtitle_provider
    if name == "tts":
        return CheckResult.ok("from the voice timings (exact, offline)")
    from moneyprinter.providers.stt import create_stt_provider

    result = _provider_check(ctx, create_stt_provider)
    if result.status.value == "FAIL":
        return CheckResult.warn(result.message + "; subtitles will come from the voice timings", result.remediation)
    return result


@health_check("shorts: music", group="shorts", critical=False)
def music_source(ctx: HealthContext) -> CheckResult:
    s = ctx.config.settings.shorts
    if s.music == "generated":
        return CheckResult.ok("generated loops (bundled)")
    if s.music == "none":
        return CheckResult.ok("no music")
    if s.music == "library":
        from moneyprinter.media.music import library_tracks

        tracks = library_tracks()
        if not tracks:
            return CheckResult.warn("the music library is not installed; generated loops are used",
                                    "pip install immich-memories-music")
        return CheckResult.ok(f"{sum(len(t) for t in tracks.values())} library tracks in {len(tracks)} moods")
    if s.music != "songs":
        return CheckResult.fail(f"unknown music source '{s.music}'", "set [shorts] music to library, generated, songs or none")
    from pathlib import Path

    from moneyprinter.media.music import SONG_SUFFIXES

    folder = Path(s.songs_folder).expanduser()
    folder = folder if folder.is_absolute() else paths.data_dir() / folder
    songs = [p for p in folder.iterdir() if p.suffix.lower() in SONG_SUFFIXES] if folder.is_dir() else []
    if not songs:
        return CheckResult.warn(f"no songs in {folder}", "add .mp3/.wav files or set [shorts] music = \"generated\"")
    return CheckResult.ok(f"{len(songs)} songs in {folder}")
