"""Settings of the X bot and affiliate pitches, section [x] ([twitter] is accepted as its old name)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from moneyprinter.settings.base import Section

FIVE_MB = 5 * 1024 * 1024


class XSettings(Section):
    text_provider: str = Field("", description="Text provider for posts and pitches; empty = the one in [shorts]")
    max_hashtags: int = Field(2, ge=0, le=10, description="Most hashtags a generated post keeps")
    similarity_threshold: float = Field(
        0.75, gt=0, le=1, description="A new post this similar (0-1) to a recent one is written again"
    )
    history_size: int = Field(50, ge=0, le=500, description="Recent posts compared against and shown as 'do not repeat'")
    history_prompt_chars: int = Field(
        1500, ge=0, description="At most this much of the recent posts goes into the prompt (small models have short contexts)"
    )
    max_attempts: int = Field(3, ge=1, le=10, description="Tries to write a usable, new post before giving up")
    max_tokens: int = Field(120, ge=16, le=2000, description="Token budget of one generated post")
    temperature: float = Field(0.8, ge=0, le=2, description="Sampling temperature of the text provider")
    disclosure: str = Field("#ad", pattern=r"\S", description="Endorsement disclosure added to every affiliate pitch (FTC)")
    disclosure_position: Literal["start", "end"] = Field("start", description="Where the disclosure goes: start | end")
    repitch_after_days: int = Field(14, ge=0, description="The same product is not pitched again within this many days")
    max_page_bytes: int = Field(
        FIVE_MB, ge=1024, le=FIVE_MB, description="Largest product page read (bytes, at most 5 MB)"
    )
    browser_fallback: bool = Field(
        False, description="Load product pages in headless Chrome when plain requests are blocked or need JavaScript"
    )
    browser_timeout_s: float = Field(30.0, gt=0, description="Page-load timeout of the headless browser")
    page_deadline_s: float = Field(20.0, gt=0, description="Whole-fetch time cap of one product page (redirects included)")
    allow_private_addresses: bool = Field(
        False, description="Let product links point at loopback/private addresses (a LAN shop, tests); off = public only"
    )
