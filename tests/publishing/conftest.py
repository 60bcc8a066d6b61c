"""Fixtures for publishing tests: config pointing at local peers, accounts, items, credentials."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import subprocess_env
from tests.publishing.fakes import X_KEYS, FakeX, FakeYouTube

PUBLISHING_SECRETS = ("YOUTUBE_CLIENT_ID", "YOUTUBE_CLIENT_SECRET", "X_API_KEY", "X_API_SECRET",
                      "INSTAGRAM_APP_ID", "INSTAGRAM_APP_SECRET", "THREADS_APP_ID", "THREADS_APP_SECRET")


@pytest.fixture(autouse=True)
def _no_publishing_secrets(monkeypatch):
    for var in PUBLISHING_SECRETS:
        monkeypatch.delenv(var, raising=False)


def write_config(home: Path, publishing: dict, http: dict | None = None) -> None:
    home.mkdir(parents=True, exist_ok=True)
    lines = ["[publishing]"]
    for key, value in publishing.items():
        lines.append(f"{key} = {_toml(value)}")
    lines += ["", "[http]"]
    for key, value in {"backoff_base_s": 0.0, "max_retries": 1, "read_timeout_s": 10.0, **(http or {})}.items():
        lines.append(f"{key} = {_toml(value)}")
    (home / "config.toml").write_text("\n".join(lines) + "\n")


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture
def make_app(home):
    """Build an App after the test has written its config; closed at the end."""
    from moneyprinter.app import App

    apps = []

    def build():
        app = App()
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.close()


@pytest.fixture
def youtube(server, home, monkeypatch):
    fake = FakeYouTube(server)
    monkeypatch.setenv("YOUTUBE_CLIENT_ID", "client-id.apps.example")
    monkeypatch.setenv("YOUTUBE_CLIENT_SECRET", "csecret")
    write_config(home, {**fake.settings(), "upload_chunk_bytes": 256 * 1024, "upload_backoff_base_s": 0.0})
    return fake


@pytest.fixture
def xapi(server, home):
    fake = FakeX(server)
    write_config(home, {**fake.settings(), "x_post_timeout_s": 1.0})
    return fake


def video_file(folder: Path, size: int = 256 * 1024 * 3 + 1000) -> Path:
    path = folder / "short.mp4"
    path.write_bytes(os.urandom(size))
    return path


def youtube_account(app, *, approval="auto", token="access-1", refresh="refresh-1", expiry=None):
    from moneyprinter.publishers import youtube_oauth
    from moneyprinter.store.accounts import add_account

    account = add_account(app.db, "youtube", "chan", topic="facts", publisher="youtube_api", approval=approval)
    youtube_oauth.store_token(app, account, {"access_token": token, "refresh_token": refresh, "expiry": expiry,
                                             "scopes": youtube_oauth.SCOPES, "client_id": "client-id.apps.example"})
    return account


def x_account(app, *, approval="auto", keys=None):
    from moneyprinter.publishers import credentials
    from moneyprinter.store.accounts import add_account

    account = add_account(app.db, "x", "poster", topic="tech", publisher="x_api", approval=approval)
    credentials.save(app.db, "x", account, {**(keys or X_KEYS), "user_id": "42", "username": "testbot"})
    return account


def short_item(app, account, media: Path | None, title="A fact about owls"):
    from moneyprinter.store.content import create_item

    return create_item(app.db, account.id, "short", status="ready", title=title,
                       metadata={"description": "Owls can rotate their heads.", "tags": ["owls", "facts"]},
                       media_path=str(media) if media else None)


def post_item(app, account, text="Hello from moneyprinter & friends https://example.com/a-long-link", media=None):
    from moneyprinter.store.content import create_item

    return create_item(app.db, account.id, "post", status="ready", body=text, media_path=str(media) if media else None)


class Child:
    """``moneyprinter publish ID`` in a child process that a fake server can SIGKILL mid-flight."""

    def __init__(self, item_id: int) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "moneyprinter", "publish", str(item_id)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=subprocess_env())
        self.killed = False

    def kill(self) -> None:
        self.killed = True
        os.kill(self.proc.pid, signal.SIGKILL)

    def wait(self, timeout: float = 60) -> tuple[int, str, str]:
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out, err
