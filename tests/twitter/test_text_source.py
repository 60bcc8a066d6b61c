"""X posts and pitches reach the text provider through [services] like the Shorts pipeline does."""

from __future__ import annotations

from moneyprinter.platforms.text_source import create_text_provider
from tests.shorts.conftest import chat_reply


def test_mistral_for_x_posts_uses_the_configured_base_url(app, server, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_X__TEXT_PROVIDER", "mistral")
    monkeypatch.setenv("MONEYPRINTER_SERVICES__MISTRAL_BASE_URL", server.base_url)
    monkeypatch.setenv("MISTRAL_API_KEY", "mk-test-456")
    server.route("POST", "/v1/chat/completions", chat_reply("Tides follow the moon."))
    assert create_text_provider(app).complete("Say a fact", max_tokens=20) == "Tides follow the moon."
    assert server.requests[-1].header("Authorization") == "Bearer mk-test-456"
