"""A Short made through the API on the offline defaults, in the task's own process, polled to done."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def test_make_short_answers_202_and_polls_to_done_then_waits_for_review(offline_api):
    api = offline_api
    api.post("/api/v1/accounts", json={"platform": "youtube", "nickname": "demo", "topic": "surprising science facts"})
    started = api.post("/api/v1/shorts", json={"account": "demo", "aspect": "9:16", "preset": "boxed"})
    assert started.status_code == 202, started.text
    location = started.headers["Location"]
    seen_stages, deadline = [], time.monotonic() + 280
    while True:
        task = api.get(location).json()
        if task["stage"] and task["stage"] not in seen_stages:
            seen_stages.append(task["stage"])
        if task["status"] not in ("queued", "running"):
            break
        assert time.monotonic() < deadline, task
        time.sleep(0.3)
    assert task["status"] == "done", task
    assert task["progress"] == 1.0 and seen_stages[-1] == "publish" and len(seen_stages) >= 3
    short = api.get(task["links"]["item"]).json()
    assert Path(short["media_path"]).stat().st_size > 10_000 and short["metadata"]["captions"] == "boxed"
    # Every Short of the bundled local model waits for a person: the API cannot skip review.
    assert short["status"] == "review" and short["metadata"]["review_reasons"]
    waiting = api.get("/api/v1/review").json()["items"]
    assert [w["item"]["id"] for w in waiting] == [short["id"]]
    approved = api.post(f"/api/v1/review/{short['id']}/approve").json()
    assert approved["status"] == "outbox" and approved["item"]["status"] == "outbox"
    events = api.get(task["links"]["events"]).text
    for stage in ("topic", "script", "voice", "images", "subtitles", "music", "render", "publish"):
        assert f'"stage": "{stage}"' in events, stage
