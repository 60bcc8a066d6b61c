"""make_short over MCP on the offline defaults: a task id at once, short_status polled to done, then approve."""

from __future__ import annotations

import time

import anyio
import pytest

from moneyprinter.store.accounts import add_account
from tests.api.conftest import OFFLINE_CONFIG
from tests.mcp.conftest import data, mcp_session
from tests.shorts.conftest import write_config

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def test_make_short_then_poll_short_status_to_done_and_approve(home, app):
    write_config(home, OFFLINE_CONFIG)
    add_account(app.db, "youtube", "demo", topic="surprising science facts")

    async def session():
        async with mcp_session() as (mcp, _):
            began = time.monotonic()
            started = data(await mcp.call_tool("make_short", {"account": "demo", "aspect": "1:1"}))
            assert time.monotonic() - began < 20 and started["status"] in ("queued", "running")
            stages = []
            while True:
                status = data(await mcp.call_tool("short_status", {"task_id": started["task_id"]}))
                if status["stage"] and status["stage"] not in stages:
                    stages.append(status["stage"])
                if status["status"] not in ("queued", "running"):
                    break
                assert time.monotonic() - began < 280, status
                await anyio.sleep(0.5)
            assert status["status"] == "done", status
            assert status["progress"] == 1.0 and stages[-1] == "publish"
            item = status["item"]
            assert item["status"] == "review" and item["metadata"]["aspect"] == "1:1" and item["media_path"]
            assert [w["id"] for w in data(await mcp.call_tool("list_review", {}))["items"]] == [item["id"]]
            assert data(await mcp.call_tool("approve", {"item_id": item["id"]}))["status"] == "outbox"

    anyio.run(session)
