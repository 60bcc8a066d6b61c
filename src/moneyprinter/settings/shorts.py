"""Settings of the YouTube Shorts pipeline (owned by the Shorts capability)."""

from __future__ import annotations

from pydantic import Field

from moneyprinter.settings.base import Section


class ShortsSettings(Section):
    text_provider: str = Field("local", description="local | mistral | openai_compatible")
    voice_provider: str = Field("piper", description="piper")
    image_provider: str = Field("procedural", description="procedural | venice | cloudflare | pexels | local")
    subtitle_provider: str = Field("tts", description="tts (exact, from voice timings) | assemblyai")
