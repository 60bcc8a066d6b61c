"""Fixtures of the Shorts tests: a local OpenAI-compatible model server, a configured app, a small renderer."""

from __future__ import annotations

import json
import re

import pytest

from tests.support.httpserver import Reply

SCRIPT = [
    "Octopuses can change the colour of their skin in less than a second.",
    "Special cells called chromatophores hold tiny sacks of pigment.",
    "Muscles stretch these sacks to show more red, yellow or brown.",
    "Deeper layers of cells reflect light to make blues and greens.",
    "An octopus uses this trick to hide from sharks and to hunt crabs.",
    "Some species even flash patterns to talk to each other.",
    "Scientists still do not know how they match colours they cannot see.",
]


def chat_reply(content: str) -> Reply:
    return Reply(200, {
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "test-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    })


def answer_for(body: dict) -> str:
    """What a cooperative model answers to each of the pipeline's prompts (with typical chatter)."""
    prompt = body["messages"][-1]["content"]
    if body["messages"][0]["content"].startswith("You are a careful fact checker"):
        return '{"false_claims": []}'
    if prompt.startswith("Suggest one short video idea"):
        return "Sure! Here is an idea:\n\n**How octopuses change their colour**"
    if prompt.startswith("Write a title"):
        return '"Title: The Octopus Colour Trick"'
    if "picture descriptions" in prompt:
        count = int(re.search(r"Write (\d+)", prompt).group(1))
        return "```json\n" + json.dumps([f"an octopus in a coral reef, scene {i}" for i in range(count)]) + ",\n]```"
    count = int(re.search(r"Write (\d+)", prompt).group(1))
    return "Here is your script:\n\nNarrator: " + " ".join(SCRIPT[:count])


@pytest.fixture
def model_server(server):
    server.route("POST", "/v1/chat/completions", lambda req: chat_reply(answer_for(req.json())))
    server.route("GET", "/v1/models", Reply(200, {"object": "list", "data": [{"id": "test-model", "object": "model"}]}))
    return server


def write_config(home, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text, encoding="utf-8")


@pytest.fixture
def small_renderer(monkeypatch):
    """The real pipeline renders with media.render.render_short (tested in tests/render); these tests use a tiny one."""
    from moneyprinter.shorts import stages as short_stages
    from tests.shorts import simple_render

    monkeypatch.setattr(short_stages, "load_renderer", lambda: simple_render.render_short)
    return simple_render.render_short


@pytest.fixture
def shorts_app(home, model_server, small_renderer):
    """An app whose Shorts use the local model server, the real Piper voice, procedural images, 3 sentences."""
    write_config(home, f"""
[shorts]
text_provider = "openai_compatible"
sentences = 3
images = 2

[shorts.llm_openai_compatible]
base_url = "{model_server.url('/v1')}"
model = "test-model"
""")
    from moneyprinter.app import App

    application = App()
    yield application
    application.close()


@pytest.fixture
def unbuilt_mastodon():
    """The mastodon_api id pointing at a module this installation lacks: that destination's publish fails."""
    from tests.support.publishers import unbuilt_publisher

    with unbuilt_publisher("mastodon_api", "MastodonAPIPublisher"):
        yield
