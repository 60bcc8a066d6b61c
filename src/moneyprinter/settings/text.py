"""Settings of text quality: how many candidates, which script format, review of local-model text, fact checks."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from moneyprinter.settings.base import Section


class TextSettings(Section):
    candidates: int = Field(
        2, ge=1, le=8, description="Scripts written per Short; the quality gate keeps the best (each costs ~3 s offline)"
    )
    post_candidates: int = Field(3, ge=1, le=8, description="Posts and pitches written per item; the best that passes is kept")
    format: Literal["auto", "listicle", "how_to", "myth_fact", "twist_story"] = Field(
        "auto", description="Script format: auto (by the niche) | listicle | how_to | myth_fact | twist_story"
    )
    formats: dict[str, Literal["listicle", "how_to", "myth_fact", "twist_story"]] = Field(
        default_factory=dict,
        description='Script format per niche word, before `format`: { "cooking" = "how_to", "history" = "twist_story" }',
    )
    local_model_review: bool = Field(
        True, description="Text written by the bundled local model waits in review (false: published unread, with a warning)"
    )
    fact_check: bool = Field(
        True, description="A cloud text provider checks its own script for false claims (mistral, openai_compatible)"
    )
