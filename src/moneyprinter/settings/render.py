"""Settings of the renderer and the subtitle style (owned by the rendering capability)."""

from __future__ import annotations

import re
from dataclasses import dataclass
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
    crossfade_s: float = Field(0.4, ge=0, le=2, description="Transition between shots (crossfade, slide or zoom) in seconds; 0 = cuts")
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


CaptionPreset = Literal["karaoke", "classic", "boxed"]
Transitions = Literal["preset", "fade", "slide", "zoom", "mixed"]

# Starting points; every field can be overridden in [subtitles] (a value left unset takes the preset's).
# Sizes are pixels at 1080 px (the short side); position is the caption block's bottom, % of height from the bottom.
CAPTION_PRESETS: dict[str, dict] = {
    "karaoke": dict(font="Anton", weight=400, font_size=110, uppercase=True, colour="#FFFFFF",
                    highlight_colour="#FFD23F", outline_colour="#000000", box_colour="#000000", box_opacity=0.0,
                    outline_px=7, shadow_px=3, max_words=3, max_lines=2, position_pct=30, pop=True,
                    transitions="mixed"),
    "classic": dict(font="DejaVu Sans", weight=700, font_size=58, uppercase=False, colour="#FFFFFF",
                    highlight_colour="#FFD23F", outline_colour="#000000", box_colour="#000000", box_opacity=0.0,
                    outline_px=4, shadow_px=1, max_words=0, max_lines=2, position_pct=24, pop=False,
                    transitions="fade"),
    "boxed": dict(font="Bebas Neue", weight=400, font_size=84, uppercase=True, colour="#FFFFFF",
                  highlight_colour="#7CF29A", outline_colour="#000000", box_colour="#101018", box_opacity=0.72,
                  outline_px=0, shadow_px=0, max_words=5, max_lines=2, position_pct=28, pop=True,
                  transitions="slide"),
}


class SubtitleSettings(Section):
    enabled: bool = Field(True, description="Burn captions into the video")
    preset: CaptionPreset = Field(
        "karaoke", description="karaoke (1-3 words, spoken word highlighted) | classic (two-line sentences) | "
        "boxed (text on a rounded translucent box); the fields below override it"
    )
    font: str | None = Field(None, description="Font family (a packaged font such as Anton, or a system font) "
                                                "or a path to a .ttf/.otf file; unset = the preset's")
    weight: int | None = Field(None, ge=100, le=900, description="Font weight for variable fonts; unset = the preset's")
    font_size: int | None = Field(
        None, ge=8, le=200, description="Font size in pixels at 1080 px (the short side); one size per Short: "
        "text is wrapped or paged to fit, and only a word too long for the safe area lowers it for the whole Short"
    )
    bold: bool = Field(True, description="Bold captions (fonts without a bold face are drawn as they are)")
    uppercase: bool | None = Field(None, description="Upper-case captions; unset = the preset's")
    colour: str | None = Field(None, description="Text colour, #RRGGBB; unset = the preset's")
    highlight_colour: str | None = Field(None, description="Colour of the spoken word, #RRGGBB")
    outline_colour: str | None = Field(None, description="Outline colour, #RRGGBB")
    box_colour: str | None = Field(None, description="Box colour (boxed preset), #RRGGBB")
    box_opacity: float | None = Field(None, ge=0, le=1, description="Box opacity, 0-1 (0 = no box)")
    outline_px: float | None = Field(None, ge=0, le=20, description="Outline width in pixels at 1080 px")
    shadow_px: float | None = Field(None, ge=0, le=20, description="Shadow offset in pixels at 1080 px")
    max_words: int | None = Field(None, ge=0, le=12, description="Words per caption page; 0 = whole phrases")
    position_pct: float | None = Field(
        None, ge=22, le=60, description="Bottom of the captions, % of the height from the bottom "
        "(9:16 keeps them within 15%-78% of the height; 16:9 and 1:1 within 8% margins)"
    )
    pop: bool | None = Field(None, description="Each caption page pops in")
    transitions: Transitions = Field(
        "preset", description="Between shots: fade | slide | zoom | mixed; preset = the caption preset's choice"
    )
    max_chars_per_line: int = Field(32, ge=10, le=80, description="Line length of the .srt file beside the video")
    word_highlight: bool = Field(True, description="Highlight each word as it is spoken")
    hook: bool = Field(True, description="Show the title as a title card for the first 1.5 s")

    @field_validator("colour", "highlight_colour", "outline_colour", "box_colour")
    @classmethod
    def _hex(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not HEX_COLOUR.match(value):
            raise ValueError("must be a colour like #FFD23F")
        return value.upper()

    def style(self, preset: str | None = None) -> CaptionStyle:
        """The preset (``preset`` or the configured one) with every field set here applied over it."""
        name = preset or self.preset
        if name not in CAPTION_PRESETS:
            raise ValueError(f"unknown caption preset '{name}' (use {', '.join(CAPTION_PRESETS)})")
        values = dict(CAPTION_PRESETS[name])
        values.update({k: v for k, v in self.model_dump().items()
                       if k in values and k != "transitions" and v is not None})
        if self.transitions != "preset":
            values["transitions"] = self.transitions
        return CaptionStyle(preset=name, bold=self.bold, word_highlight=self.word_highlight, **values)


@dataclass(frozen=True)
class CaptionStyle:
    """A caption preset with the user's overrides applied: what the subtitle writer draws with."""

    preset: str
    font: str
    weight: int
    font_size: int
    uppercase: bool
    colour: str
    highlight_colour: str
    outline_colour: str
    box_colour: str
    box_opacity: float
    outline_px: float
    shadow_px: float
    max_words: int
    max_lines: int
    position_pct: float
    pop: bool
    transitions: str
    bold: bool = True
    word_highlight: bool = True
