"""The web app on a real Uvicorn server (port 0, in a thread), a logged-in HTTP session, and seeded data:
a Short (a real H.264 MP4 made by ffmpeg) and an X thread waiting for review, a schedule with a run,
an outreach campaign with a business, and secrets in the environment that no page may show."""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import requests
import uvicorn

from moneyprinter.media.ffmpeg_run import ffmpeg_exe

SECRETS = {
    "MISTRAL_API_KEY": "mistral-secret-7c1f0e9a",
    "PEXELS_API_KEY": "pexels-secret-55aa19b2",
    "SMTP_PASSWORD": "smtp-secret-0d9e8c7b",
    "OPENAI_API_KEY": "openai-secret-3b4c5d6e",
}
X_KEYS = {"consumer_key": "x-consumer-key-secret-11", "consumer_secret": "x-consumer-secret-22",
          "access_token": "x-access-token-secret-33", "access_token_secret": "x-access-secret-44"}


class WebServer:
    """``create_app(app)`` served by Uvicorn on 127.0.0.1, a free port, in a daemon thread."""

    def __init__(self, app, *, public_only: bool = False) -> None:
        from moneyprinter.web.server import create_app

        self.web = create_app(app, public_only=public_only)
        config = uvicorn.Config(self.web, host="127.0.0.1", port=0, log_level="warning", access_log=False,
                                timeout_keep_alive=600)  # no keep-alive race when a loaded machine stalls
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    def __enter__(self) -> WebServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    @property
    def token(self) -> str:
        return self.web.state.token


def login(base: str, token: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{base}/login")
    nonce = re.search(r'name="login_nonce" value="([^"]+)"', form.text).group(1)
    answer = session.post(f"{base}/login", data={"token": token, "login_nonce": nonce, "next": "/"},
                          allow_redirects=False)
    assert answer.status_code == 303, answer.text
    return session


def csrf_of(page_html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page_html).group(1)


def make_video(path: Path, seconds: float = 4.0) -> Path:
    """A real, seekable H.264/AAC MP4 (moov atom first), 9:16 like a Short."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([
        ffmpeg_exe(), "-y", "-loglevel", "error",
        "-f", "lavfi", "-i", f"testsrc2=size=270x480:rate=25:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "25", "-c:a", "aac", "-shortest",
        "-movflags", "+faststart", str(path),
    ], check=True, timeout=60)
    return path


@dataclass
class Seeded:
    short_id: int
    thread_id: int
    youtube: object
    x: object
    schedule_id: int
    campaign: str
    business_id: int
    contact: str
    video: Path


def seed(app, home: Path) -> Seeded:
    from moneyprinter.outreach import businesses, campaigns
    from moneyprinter.outreach.businesses import BusinessIn
    from moneyprinter.platforms.outreach import Outreach
    from moneyprinter.publishers import credentials, submit
    from moneyprinter.scheduler import schedules as sched
    from moneyprinter.scheduler.triggers import Trigger, parse_times
    from moneyprinter.store.accounts import add_account
    from moneyprinter.store import schedules as run_store
    from moneyprinter.store.content import create_item

    yt = add_account(app.db, "youtube", "spacefacts", topic="space", approval="manual")
    x = add_account(app.db, "x", "poster", topic="tech", publisher="x_api", approval="manual")
    credentials.save(app.db, "x", x, {**X_KEYS, "user_id": "42", "username": "testbot"})
    video = make_video(home / "shorts" / "demo" / "short.mp4")
    short = create_item(app.db, yt.id, "short", status="ready", title="Why Mars is red", body="Mars is red because of rust.",
                        metadata={"description": "Iron oxide covers Mars.", "tags": ["mars", "space"],
                                  "review_reasons": ["written by the local model"]}, media_path=str(video))
    submit(app, short)
    posts = ["Threads start here 1/2", "And end here 2/2"]
    thread = create_item(app.db, x.id, "thread", status="ready", body="\n\n".join(posts),
                         metadata={"posts": posts, "weighted_lengths": [len(p) for p in posts]})
    submit(app, thread)
    schedule = sched.add_schedule(app.db, "twitter.post", "poster",
                                  Trigger(times=parse_times(("10:00",)), timezone="UTC"))
    for outcome, tail in (("success", "wrote post 17\nposted to the outbox"), ("failed", "X API: 403 duplicate content")):
        run_id = sched.claim_cron_run(app.db, schedule.id, "twitter.post", "poster", pid=os.getpid(),
                                      grace=timedelta(minutes=30))
        run_store.close_run(app.db, run_id, outcome_if_open=outcome, exit_code=0 if outcome == "success" else 1,
                            output_tail=tail, message="done" if outcome == "success" else "the post was refused")
    campaigns.create(app.db, "bakeries", niche="bakery", location="Berlin", sender_name="Ann Example",
                     sender_email="ann@ann-example.com", postal_address="1 Main Street, 10115 Berlin")
    outreach = Outreach(app, "bakeries")
    outreach.add_businesses([BusinessIn(name="Crumb & Co", city="Berlin", website="https://crumb-bakery.de",
                                        source="csv", emails=["hello@crumb-bakery.de"])])
    business = businesses.for_campaign(app.db, outreach.campaign.id)[0]
    return Seeded(short.id, thread.id, yt, x, schedule.id, "bakeries", business.id, "hello@crumb-bakery.de", video)


@pytest.fixture
def secrets_env(monkeypatch):
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return SECRETS


@pytest.fixture
def site(app, home, secrets_env):
    """Seeded data served by a real server: (server, seeded)."""
    seeded = seed(app, home)
    with WebServer(app) as server:
        yield server, seeded


@pytest.fixture
def session(site):
    server, _ = site
    return login(server.url, server.token)
