"""Settings of the renderer and the subtitle style (owned by the rendering capability)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from moneyprinter.settings.base import Section

X264Preset = Literal["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"]


class RenderSettings(Section):
    backend: Literal["ffmpeg", "moviepy"] = Field(
        "ffmpeg", description="ffmpeg (fast, default) | moviepy (reference, custom effects in Python)"
    )
    ken_burns: bool = Field(True, description="Gentle pan across each image")
    ken_burns_travel: float = Field(
        0.06, ge=0.01, le=0.25, description="Ken Burns: how far each image moves, as a fraction of the frame"
    )
    crossfade_s: float = Field(0.4, ge=0, le=2, description="Crossfade between images in seconds; 0 disables")
    x264_preset: X264Preset = Field(
        "veryfast", description="libx264 preset: faster presets render quicker, larger files"
    )
    x264_params: str = Field(
        # Stills and whole-pixel pans need no sub-pixel motion search and no B-frames: on the
        # 60 s benchmark this is about 40% less CPU than plain veryfast, at about the same size.
        "partitions=none:subme=0:me=dia:bframes=0:rc-lookahead=5:weightp=0",
        pattern=r"^[A-Za-z0-9_.,:=+-]*$",
        description="Extra libx264 options (key=value:key=value); the default is tuned for slideshows; \"\" = none",
    )
    crf: int = Field(21, ge=0, le=51, description="libx264 quality (lower = better and larger; 18-23 is typical)")
    audio_bitrate_k: int = Field(160, ge=64, le=512, description="AAC bitrate in kbit/s")
    music_volume: float = Field(0.25, ge=0, le=1, description="Music level relative to the voice before ducking")
    music_ducking: bool = Field(True, description="Lower the music further while the voice speaks")
    loudness_lufs: float = Field(-14.0, ge=-30, le=-5, description="Integrated loudness target (Shorts: -14 LUFS)")
    true_peak_db: float = Field(-1.5, ge=-9, le=-0.5, description="True-peak ceiling in dBTP (stay below -1)")
    timeout_s: int = Field(900, ge=10, description="Stop a render that takes longer than this many seconds")


HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class SubtitleSettings(Section):
    enabled: bool = Field(True, description="Burn subtitles into the video")
    font: str = Field("DejaVu Sans", description="Font family (or a path to a .ttf/.otf file) for subtitles")
    font_size: int = Field(
        64, ge=8, le=200, description="Font size in pixels at 1080 px (the short side); long lines shrink to fit"
    )
    bold: bool = Field(True, description="Bold subtitles")
    colour: str = Field("#FFFFFF", description="Text colour, #RRGGBB")
    highlight_colour: str = Field("#FFD23F", description="Colour of the spoken word when word timings are known")
    outline_colour: str = Field("#000000", description="Outline colour, #RRGGBB")
    outline_px: float = Field(4, ge=0, le=20, description="Outline width in pixels at 1080 px (the short side)")
    shadow_px: float = Field(1, ge=0, le=20, description="Shadow offset in pixels at 1080 px (the short side)")
    max_chars_per_line: int = Field(32, ge=10, le=80, description="Break subtitle lines longer than this")
    bottom_margin_pct: float = Field(
        24, ge=0, le=60,
        description="Distance of the text from the bottom, % of height (9:16 safe area; 8% max otherwise)",
    )
    side_margin_pct: float = Field(8, ge=0, le=30, description="Left and right margins, % of width")
    word_highlight: bool = Field(True, description="Highlight each word as it is spoken (needs word timings)")

    @field_validator("colour", "highlight_colour", "outline_colour")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not HEX_COLOUR.match(value):
            raise ValueError("must be a colour like #FFD23F")
        return value.upper()
