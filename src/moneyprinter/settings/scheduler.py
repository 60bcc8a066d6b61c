"""Settings of the scheduler daemon (owned by the scheduler capability)."""

from __future__ import annotations

from moneyprinter.settings.base import Section


class SchedulerSettings(Section):
    pass
