"""Settings of outreach: discovery, email finding, sending (owned by the outreach capability)."""

from __future__ import annotations

from moneyprinter.settings.base import Section


class OutreachSettings(Section):
    pass
