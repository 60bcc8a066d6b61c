"""Fixtures of the Twitter capability: a scripted text provider, an X account, a local shop."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pytest

from moneyprinter.providers.llm import TextProvider, text_providers
from moneyprinter.store.accounts import add_account
from tests.support.httpserver import Reply

FIXTURES = Path(__file__).parent / "fixtures"


class ScriptedTextProvider(TextProvider):
    """A real TextProvider whose answers are set by the test, in order; it records every prompt."""

    id: ClassVar[str] = "scripted"
    answers: ClassVar[list] = []
    prompts: ClassVar[list[str]] = []

    def complete(self, prompt, *, system=None, max_tokens=400, temperature=0.7, **options) -> str:
        type(self).prompts.append(prompt)
        if not type(self).answers:
            raise AssertionError("the scripted provider ran out of answers")
        answer = type(self).answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer(prompt) if callable(answer) else answer


class Script:
    """What a test controls: ``script.say("a", "b")`` queues answers; ``script.prompts`` holds what was asked."""

    def say(self, *answers: str | Callable[[str], str]) -> None:
        ScriptedTextProvider.answers.extend(answers)

    @property
    def prompts(self) -> list[str]:
        return ScriptedTextProvider.prompts

    @property
    def unused(self) -> int:
        return len(ScriptedTextProvider.answers)


@pytest.fixture
def script(monkeypatch):
    text_providers.register(ScriptedTextProvider)
    ScriptedTextProvider.answers = []
    ScriptedTextProvider.prompts = []
    monkeypatch.setenv("MONEYPRINTER_TWITTER__TEXT_PROVIDER", "scripted")
    yield Script()
    text_providers.unregister("scripted")


@pytest.fixture(autouse=True)
def loopback_shops(home, monkeypatch):
    """The fake shops listen on 127.0.0.1, which product links may reach only when allowed."""
    monkeypatch.setenv("MONEYPRINTER_TWITTER__ALLOW_PRIVATE_ADDRESSES", "true")


@pytest.fixture
def account(db):
    return add_account(db, "x", "brewbot", topic="home coffee brewing", language="en")


@pytest.fixture
def shop(server):
    """A local shop serving the fixture pages; anything else is a 404."""
    def page(name: str, status: int = 200) -> Reply:
        return Reply(status, (FIXTURES / name).read_text(encoding="utf-8"))

    server.route("GET", "/products/aeropress-go", page("product_jsonld.html"))
    server.route("GET", "/timemore-c2", page("product_opengraph.html"))
    server.route("GET", "/Fellow-Stagg-Kettle/dp/B07D9SWQV8/*", page("product_amazon.html"))
    server.route("GET", "/captcha/dp/B000CAPTCH/", page("captcha.html"))
    server.route("GET", "/blocked/dp/B000BLOCKD/", page("captcha.html", 503))
    server.route("GET", "/blog/ten-ways", page("no_product.html"))
    huge = (FIXTURES / "product_jsonld.html").read_text().replace(
        "<p>Brew anywhere.</p>", "<p>" + "Brew anywhere. " * 400_000 + "</p>"
    )
    server.route("GET", "/huge-page", Reply(200, huge))
    server.route("GET", "/feed.json", Reply(200, {"not": "html"}))
    return server
