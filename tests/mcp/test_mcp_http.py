"""MCP over streamable HTTP at /mcp of the web app, with the same Bearer token as the API."""

from __future__ import annotations

import anyio
import httpx2
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from moneyprinter.store.accounts import add_account
from tests.api.conftest import serve
from tests.mcp.conftest import data, error_text
from tests.mcp.test_mcp import TOOLS


def test_mcp_over_http_needs_the_token_and_serves_the_same_tools(app):
    add_account(app.db, "x", "alice", topic="ai")
    server, api = serve(app)
    try:
        for token in (None, "wrong"):
            refused = api.post("/mcp", token=token, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
            assert refused.status_code == 401 and refused.headers["WWW-Authenticate"] == "Bearer"

        async def session():
            async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {api.token}"}, trust_env=False) as http:
                async with streamable_http_client(f"{api.base}/mcp", http_client=http) as streams:
                    async with ClientSession(streams[0], streams[1]) as mcp:
                        assert (await mcp.initialize()).server_info.name == "moneyprinter"
                        assert {t.name for t in (await mcp.list_tools()).tools} == TOOLS
                        posted = data(await mcp.call_tool("post_to_x", {"account": "alice", "text": "Over HTTP."}))
                        assert posted["status"] == "outbox"
                        assert api.get(f"/api/v1/items/{posted['item_id']}").json()["status"] == "outbox"
                        missing = await mcp.call_tool("short_status", {"task_id": 42})
                        assert "error: no task with id 42" in error_text(missing)

        anyio.run(session)
    finally:
        server.close()
