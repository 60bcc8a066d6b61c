"""Shared fixtures: every test gets its own data directory, and nothing reaches the internet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from moneyprinter import redact
from moneyprinter.http_client import reset_http_client
from tests.support.httpserver import LocalServer

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"

SECRET_VARS = ("MISTRAL_API_KEY", "ASSEMBLYAI_API_KEY", "VENICE_API_KEY", "PEXELS_API_KEY",
               "CLOUDFLARE_API_TOKEN", "OPENAI_API_KEY", "SMTP_PASSWORD", "IMAP_PASSWORD")


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh MONEYPRINTER_HOME per test, no real keys, no proxies for loopback servers."""
    data = tmp_path / "home"
    monkeypatch.setenv("MONEYPRINTER_HOME", str(data))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    for var in list(os.environ):
        if var.startswith("MONEYPRINTER_") and var != "MONEYPRINTER_HOME":
            monkeypatch.delenv(var)
    for var in SECRET_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    # Secrets another test registered ("wrong", say) must not mask this test's output.
    monkeypatch.setattr(redact, "_secrets", set())
    reset_http_client()
    yield data
    reset_http_client()


@pytest.fixture
def fast_http():
    """The process-wide HTTP client with millisecond backoffs, for tests that go through retries."""
    from moneyprinter.http_client import configure_http_client
    from moneyprinter.settings.core import HttpSettings

    return configure_http_client(HttpSettings(backoff_base_s=0.01, backoff_max_s=0.05))


@pytest.fixture
def server():
    with LocalServer() as srv:
        yield srv


@pytest.fixture
def app(home):
    from moneyprinter.app import App

    application = App()
    yield application
    application.close()


@pytest.fixture
def db(app):
    return app.db


@pytest.fixture
def cli():
    """Invoke the CLI in-process: ``cli("accounts", "list")`` returns click's Result."""
    from moneyprinter.cli import main

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


def subprocess_env(**extra: str) -> dict[str, str]:
    """Environment for running ``python -m moneyprinter`` from this checkout in a child process."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def run_moneyprinter(*args: str, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "moneyprinter", *args],
        capture_output=True, text=True, timeout=timeout, env=subprocess_env(), **kw,
    )
