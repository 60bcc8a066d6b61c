"""Fixtures of the task tests: the Shorts tests' local model server, and an app whose Shorts use it."""

from __future__ import annotations

import pytest

from tests.shorts.conftest import model_server, write_config  # noqa: F401 - fixtures shared with the Shorts tests


@pytest.fixture
def script_app(home, model_server):  # noqa: F811
    """Shorts written by the local model server; a task's process reads the same config file."""
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
    from moneyprinter.store.accounts import add_account

    application = App()
    add_account(application.db, "youtube", "sea", topic="sea animals")
    yield application
    application.close()
