"""Settings of the renderer and the subtitle style (owned by the rendering capability)."""

from __future__ import annotations

from pydantic import Field

from moneyprinter.settings.base import Section


class RenderSettings(Section):
    backend: str = Field("ffmpeg", description="ffmpeg (fast, default) | moviepy (reference, custom effects)")
    ken_burns: bool = Field(True, description="Gentle zoom/pan on each image")
    crossfade_s: float = Field(0.4, ge=0, le=2, description="Crossfade between images; 0 disables")


class SubtitleSettings(Section):
    font: str = Field("DejaVu Sans", description="Font family for burned-in subtitles")
    font_size: int = Field(64, ge=8, le=200, description="Font size in pixels at 1080 px width")
