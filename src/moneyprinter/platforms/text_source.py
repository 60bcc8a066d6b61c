"""Which text provider writes posts and pitches: one place, so a new provider option is one edit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from moneyprinter.platforms.x_accounts import require_x
from moneyprinter.providers.llm import TextProvider
from moneyprinter.providers.llm import create_text_provider as build_text_provider
from moneyprinter.store.accounts import Account

if TYPE_CHECKING:
    from moneyprinter.app import App


def text_provider_name(app: App) -> str:
    """``[x] text_provider`` if set, else the ``[shorts] text_provider`` the Shorts pipeline uses."""
    return app.settings.x.text_provider or app.settings.shorts.text_provider


def create_text_provider(app: App) -> TextProvider:
    """Built exactly as the Shorts pipeline builds its own: with ``[shorts.llm_*]`` options and service URLs."""
    return build_text_provider(app.settings, app.config.secrets, text_provider_name(app))


class XWriter:
    """What the X bot and affiliate pitches share: an X account and a text provider made on first use."""

    def __init__(self, app: App, account: Account, *, provider: TextProvider | None = None) -> None:
        self.app = app
        self.account = require_x(account)
        self.settings = app.settings.x
        self._provider = provider
        self.review: list[str] = []  # why the last written text needs a person's reading first

    @property
    def provider(self) -> TextProvider:
        if self._provider is None:
            self._provider = create_text_provider(self.app)
        return self._provider
