"""The X bot and its health check build their text provider with the configured provider settings,
exactly as the Shorts pipeline does (base URL, model, model path), against a local server."""

from __future__ import annotations

from moneyprinter.app import App
from moneyprinter.config import load_config
from moneyprinter.health import HealthChecker, HealthContext, Status, load_checks
from moneyprinter.http_client import HTTPClient
from moneyprinter.platforms.text_source import XWriter
from moneyprinter.store.accounts import add_account
from tests.support.httpserver import Reply


def write_config(home, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text, encoding="utf-8")


def openai_config(server) -> str:
    return f"""
[twitter]
text_provider = "openai_compatible"

[shorts.llm_openai_compatible]
base_url = "{server.url('/v1')}"
model = "house-model"
"""


def twitter_health(home):
    config = load_config()
    http = HTTPClient(config.settings.http)
    checks = [c for c in load_checks() if c.name == "twitter text provider"]
    try:
        report = HealthChecker(HealthContext(config=config, http=http, data_dir=home), checks).run()
    finally:
        http.close()
    return report.outcomes[0].result


def test_x_bot_text_provider_uses_the_configured_base_url_and_model(home, server):
    server.route("POST", "/v1/chat/completions",
                 Reply(200, {"choices": [{"message": {"role": "assistant", "content": "Grind fresh."}}]}))
    write_config(home, openai_config(server))
    app = App()
    try:
        account = add_account(app.db, "x", "brewbot", topic="coffee")
        assert XWriter(app, account).provider.complete("a tip?") == "Grind fresh."
    finally:
        app.close()
    assert server.count("POST", "/v1/chat/completions") == 1
    assert server.requests[-1].json()["model"] == "house-model"


def test_x_text_provider_health_probes_the_configured_server(home, server):
    server.route("GET", "/v1/models", Reply(200, {"object": "list", "data": [{"id": "house-model"}]}))
    write_config(home, openai_config(server))
    result = twitter_health(home)
    assert result.status is Status.PASS, result.message
    assert server.count("GET", "/v1/models") == 1 and server.url("/v1") in result.message


def test_x_text_provider_health_checks_the_configured_model_path(home, tmp_path):
    missing = tmp_path / "my-model.gguf"
    write_config(home, f'[shorts]\ntext_provider = "local"\n\n[shorts.llm_local]\nmodel_path = "{missing}"\n')
    result = twitter_health(home)
    assert result.status is Status.FAIL and str(missing) in result.message
