"""Which text provider writes posts and pitches: one place, so a new provider option is one edit."""

from __future__ import annotations

from moneyprinter.providers.llm import TextProvider, text_providers


def text_provider_name(app) -> str:
    """``[twitter] text_provider`` if set, else the ``[shorts] text_provider`` the Shorts pipeline uses."""
    return app.settings.twitter.text_provider or app.settings.shorts.text_provider


def create_text_provider(app) -> TextProvider:
    return text_providers.create(text_provider_name(app), None, app.config.secrets)
