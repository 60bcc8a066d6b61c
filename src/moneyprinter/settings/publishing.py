"""Settings of publishing (owned by the publishing capability)."""

from __future__ import annotations

from moneyprinter.settings.base import Section


class PublishingSettings(Section):
    pass
