"""The MCP server with the SDK's client over stdio: tools, resources, errors, and the review rule."""

from __future__ import annotations

import json

import anyio

from moneyprinter.store.accounts import add_account
from tests.mcp.conftest import data, error_text, mcp_session

TOOLS = {"make_short", "short_status", "list_review", "approve", "reject", "edit_item", "post_to_x", "add_schedule",
         "list_schedules", "health"}


def test_an_agent_lists_tools_posts_through_review_edits_approves_and_schedules(app, monkeypatch):
    monkeypatch.setenv("SMTP_PASSWORD", "smtp-secret-in-env-31c5")
    add_account(app.db, "x", "bob", topic="ai", approval="manual")
    add_account(app.db, "x", "alice", topic="ai")

    async def session():
        async with mcp_session() as (mcp, init):
            assert init.server_info.name == "moneyprinter" and "review" in init.instructions
            tools = {t.name: t for t in (await mcp.list_tools()).tools}
            assert set(tools) == TOOLS
            assert tools["make_short"].input_schema["required"] == ["account"]
            assert tools["make_short"].input_schema["properties"]["aspect"]["anyOf"][0]["enum"] == ["9:16", "16:9", "1:1"]

            missing = await mcp.call_tool("make_short", {"account": "nobody"})
            assert "error: no youtube account named 'nobody' - existing: none yet" in error_text(missing)

            held = data(await mcp.call_tool("post_to_x", {"account": "bob", "text": "Read by a person first."}))
            assert held["status"] == "review"  # manual approval: the agent cannot skip it
            waiting = data(await mcp.call_tool("list_review", {}))["items"]
            assert [w["id"] for w in waiting] == [held["item_id"]] and waiting[0]["account"] == "x:bob"
            too_long = await mcp.call_tool("edit_item", {"item_id": held["item_id"], "text": "x" * 400})
            assert "error: " in error_text(too_long) and "280" in error_text(too_long)
            edited = data(await mcp.call_tool("edit_item", {"item_id": held["item_id"], "text": "Edited by an agent."}))
            assert edited["texts"] == ["Edited by an agent."]
            approved = data(await mcp.call_tool("approve", {"item_id": held["item_id"]}))
            assert approved["status"] == "outbox"
            again = await mcp.call_tool("approve", {"item_id": held["item_id"]})
            assert f"item {held['item_id']} was approved already" in error_text(again)

            other = data(await mcp.call_tool("post_to_x", {"account": "bob", "text": "Not this one."}))
            assert data(await mcp.call_tool("reject", {"item_id": other["item_id"], "reason": "dull"}))["status"] == "rejected"
            leaked = data(await mcp.call_tool("post_to_x", {"account": "alice", "text": "pw smtp-secret-in-env-31c5"}))
            assert leaked["status"] == "outbox" and "smtp-secret-in-env-31c5" not in json.dumps(leaked)

            added = data(await mcp.call_tool("add_schedule", {"kind": "twitter.post", "target": "alice",
                                                             "at": ["09:30"], "tz": "Europe/Berlin"}))
            assert added["enabled"] and added["trigger"] == "09:30 daily (Europe/Berlin)"
            both = await mcp.call_tool("add_schedule", {"kind": "twitter.post", "target": "alice", "preset": "once",
                                                        "every": "2h"})
            assert "give exactly one of --preset, --at or --every" in error_text(both)
            assert [s["id"] for s in data(await mcp.call_tool("list_schedules", {}))] == [added["id"]]

            recent = await mcp.read_resource("moneyprinter://items/recent")
            items = json.loads(recent.contents[0].text)
            assert [i["id"] for i in items][-1] == held["item_id"] and items[-1]["status"] == "outbox"
            assert "smtp-secret-in-env-31c5" not in recent.contents[0].text
            one = json.loads((await mcp.read_resource(f"moneyprinter://items/{held['item_id']}")).contents[0].text)
            assert one["publications"][0]["status"] == "outbox" and one["texts"] == ["Edited by an agent."]

    anyio.run(session)
