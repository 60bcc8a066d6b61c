"""Fixtures of the foundation tests: an HTTPClient that records its backoff waits instead of sleeping."""

from __future__ import annotations

import pytest

from moneyprinter.http_client import HTTPClient
from moneyprinter.settings.core import HttpSettings


class Sleeps(list):
    """Records the waits the client asked for; never sleeps. ``clock`` is the real clock moved on
    by every recorded wait, so the client's deadline sees the time those waits would have taken."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)

    def clock(self) -> float:
        import time

        return time.monotonic() + sum(self)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make_client(sleeps):
    made: list[HTTPClient] = []

    def make(**settings) -> HTTPClient:
        client = HTTPClient(HttpSettings(**settings), sleep=sleeps, clock=sleeps.clock)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(make_client) -> HTTPClient:
    return make_client()


@pytest.fixture(autouse=True)
def forget_secrets():
    """Secrets registered by one test must not make another test's redaction pass by accident."""
    from moneyprinter import redact

    before = set(redact._secrets)
    yield
    with redact._lock:
        redact._secrets.clear()
        redact._secrets.update(before)


@pytest.fixture
def log_file(home):
    """Undo ``setup_logging`` after the test so the next test's handlers start clean."""
    import logging

    from moneyprinter import paths

    root = logging.getLogger()
    level = root.level
    yield paths.logs_dir() / "moneyprinter.log"
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_moneyprinter", False):
            root.removeHandler(handler)
            handler.close()
    for noisy in ("urllib3",):
        logging.getLogger(noisy).setLevel(logging.NOTSET)
