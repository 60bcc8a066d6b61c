"""Settings of the X bot and affiliate pitches (owned by the Twitter capability)."""

from __future__ import annotations

from moneyprinter.settings.base import Section


class TwitterSettings(Section):
    pass
