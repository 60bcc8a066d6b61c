"""The REST API served by a real Uvicorn server on 127.0.0.1:0, called with requests."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
import requests
import uvicorn

from tests.shorts.conftest import model_server, write_config  # noqa: F401 - fixtures shared with the Shorts tests
from tests.twitter.conftest import script, shop  # noqa: F401 - the X tests' scripted model and local shop

SECRETS = {  # seeded into the environment: no response may contain any of them
    "MISTRAL_API_KEY": "mistral-secret-4f1c9a",
    "OPENAI_API_KEY": "sk-openai-secret-77aa21",
    "SMTP_PASSWORD": "smtp-secret-pass-0b9d",
    "X_API_KEY": "x-consumer-secret-5e2f",
    "X_API_SECRET": "x-consumer-secret-2-6a1d",
    "PEXELS_API_KEY": "pexels-secret-93c0",
}


class LiveServer:
    """Uvicorn in a thread of this process, on a free port; stopped by ``close``."""

    def __init__(self, asgi) -> None:
        # A long keep-alive: on a loaded machine this process can stall for seconds, after which uvicorn's
        # keep-alive timer and a client thread reusing the pooled connection race (a reset, not an answer).
        self.server = uvicorn.Server(uvicorn.Config(asgi, host="127.0.0.1", port=0, log_level="warning",
                                                    lifespan="on", timeout_keep_alive=600))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "uvicorn did not start"
            time.sleep(0.02)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@dataclass
class Api:
    base: str
    token: str
    session: requests.Session
    seen: list  # every response body, to search for secrets
    web: object = None  # the FastAPI application served

    def call(self, method: str, path: str, *, token: str | None = "", **kw) -> requests.Response:
        headers = kw.pop("headers", {})
        token = self.token if token == "" else token
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        response = self.session.request(method, self.base + path, headers=headers, timeout=60, **kw)
        self.seen.append(response.text)
        return response

    def get(self, path: str, **kw):
        return self.call("GET", path, **kw)

    def post(self, path: str, **kw):
        return self.call("POST", path, **kw)

    def patch(self, path: str, **kw):
        return self.call("PATCH", path, **kw)

    def delete(self, path: str, **kw):
        return self.call("DELETE", path, **kw)


def serve(app):
    from moneyprinter.web.server import create_app

    web = create_app(app)
    server = LiveServer(web)
    session = requests.Session()
    session.trust_env = False  # never a proxy for loopback
    return server, Api(f"http://127.0.0.1:{server.port}", web.state.token, session, [], web)


@pytest.fixture
def secrets_env(monkeypatch):
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return SECRETS


@pytest.fixture
def api_app(home, secrets_env, model_server):  # noqa: F811
    """Shorts and posts written by the local model server (a task's process reads the same config file)."""
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
def api(api_app):
    server, client = serve(api_app)
    yield client
    server.close()


OFFLINE_CONFIG = """
# The bundled offline defaults (local model, Piper, procedural pictures, library music, the real
# renderer), made small so the test is quick: two sentences, two shots, no pan or crossfade.
[shorts]
sentences = 2
images = 2

[render]
ken_burns = false
crossfade_s = 0
x264_preset = "ultrafast"
"""


@pytest.fixture
def offline_api(home, secrets_env):
    from moneyprinter.app import App

    write_config(home, OFFLINE_CONFIG)
    application = App()
    server, client = serve(application)
    yield client
    server.close()
    application.close()
