"""Cloud text providers against local servers speaking their documented APIs (200, 401, 429, 5xx)."""

from __future__ import annotations

import socket

import pytest

from moneyprinter import errors
from moneyprinter.config import Settings
from moneyprinter.providers.llm import create_text_provider, text_providers
from moneyprinter.settings.secrets import Secrets
from tests.shorts.conftest import chat_reply
from tests.support.httpserver import Reply


def mistral(server, key="mk-test-123"):
    settings = Settings.model_validate({"shorts": {"text_provider": "mistral"}, "services": {"mistral_base_url": server.base_url}})
    return create_text_provider(settings, Secrets(mistral_api_key=key))


def test_mistral_chat_completion_through_the_sdk(server):
    server.route("POST", "/v1/chat/completions", chat_reply("Honey never spoils."))
    text = mistral(server).complete("Say a fact", system="Be brief", examples=[("Q", "A")], max_tokens=20, temperature=0.3)
    assert text == "Honey never spoils."
    request = server.requests[-1]
    body = request.json()
    assert request.header("Authorization") == "Bearer mk-test-123"
    assert body["model"] == "mistral-small-latest" and body["max_tokens"] == 20 and body["temperature"] == 0.3
    assert [m["role"] for m in body["messages"]] == ["system", "user", "assistant", "user"]


@pytest.mark.parametrize("status, error", [
    (401, errors.Unauthorized), (429, errors.RateLimited), (500, errors.ServiceUnavailable), (503, errors.ServiceUnavailable),
])
def test_mistral_errors_are_translated(server, status, error):
    server.route("POST", "/v1/chat/completions", Reply(status, {"message": "nope", "request_id": "r1"}, headers={"Retry-After": "0"}))
    with pytest.raises(error) as info:
        mistral(server).complete("hi", max_tokens=5)
    assert info.value.status == status and "mk-test-123" not in str(info.value)
    assert server.count("POST", "/v1/chat/completions") == 1  # the SDK does not retry on its own


def test_mistral_without_key_says_which_variable():
    with pytest.raises(errors.NeedsKey, match="mistral needs an API key") as info:
        create_text_provider(Settings.model_validate({"shorts": {"text_provider": "mistral"}}), Secrets()).complete("hi")
    assert "MISTRAL_API_KEY" in info.value.hint


def openai(server, key=None):
    options = {"base_url": server.url("/v1"), "model": "llama3.2"}
    return text_providers.create("openai_compatible", options, Secrets(openai_api_key=key) if key else Secrets())


def test_openai_compatible_chat_completion(server):
    server.route("POST", "/v1/chat/completions", chat_reply("Bees dance to give directions."))
    assert openai(server, "sk-abc").complete("fact?", max_tokens=12) == "Bees dance to give directions."
    request = server.requests[-1]
    assert request.header("Authorization") == "Bearer sk-abc"
    assert request.json()["model"] == "llama3.2" and request.json()["messages"][-1] == {"role": "user", "content": "fact?"}


def test_openai_compatible_needs_no_key_for_local_servers(server):
    server.route("POST", "/v1/chat/completions", chat_reply("ok"))
    assert openai(server).complete("hi") == "ok"
    assert server.requests[-1].header("Authorization") is None


@pytest.mark.parametrize("status, error", [
    (401, errors.Unauthorized), (429, errors.RateLimited), (502, errors.ServiceUnavailable),
])
def test_openai_compatible_errors(server, status, error):
    server.route("POST", "/v1/chat/completions", Reply(status, {"error": {"message": "bad"}}, headers={"Retry-After": "0"}))
    with pytest.raises(error):
        openai(server, "sk-abc").complete("hi")
    assert server.count("POST", "/v1/chat/completions") == 1  # a POST is never retried blindly


def test_openai_compatible_rejects_a_non_completion_answer(server):
    server.route("POST", "/v1/chat/completions", Reply(200, {"unexpected": True}))
    with pytest.raises(errors.ServiceUnavailable, match="not a chat completion"):
        openai(server).complete("hi")


def test_openai_compatible_health_check_probes_models(server):
    server.route("GET", "/v1/models", [Reply(200, {"object": "list", "data": [{"id": "llama3.2"}]}), Reply(401, {"error": "bad key"})])
    assert openai(server).health_check().status.value == "PASS"
    assert openai(server).health_check().status.value == "FAIL"
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = text_providers.create("openai_compatible", {"base_url": f"http://127.0.0.1:{port}/v1"}).health_check()
    assert result.status.value == "FAIL" and "base_url" in result.remediation


SCHEMA = {"type": "object", "properties": {"hook": {"type": "string"}}, "required": ["hook"]}


def test_a_schema_asks_the_cloud_providers_for_their_json_mode(server):
    server.route("POST", "/v1/chat/completions", chat_reply('{"hook": "Honey never spoils."}'))
    assert mistral(server).complete("Say a fact as JSON", schema=SCHEMA) == '{"hook": "Honey never spoils."}'
    assert server.requests[-1].json()["response_format"] == {"type": "json_object"}
    openai(server).complete("Say a fact as JSON", schema=SCHEMA)
    assert server.requests[-1].json()["response_format"] == {"type": "json_object"}
    openai(server).complete("Say a fact")
    assert "response_format" not in server.requests[-1].json()  # plain text when no schema is given
