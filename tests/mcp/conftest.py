"""``moneyprinter mcp`` run as a child process and driven by the SDK's own client over stdio."""

from __future__ import annotations

import sys
from contextlib import asynccontextmanager

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from tests.conftest import subprocess_env


@asynccontextmanager
async def mcp_session():
    params = StdioServerParameters(command=sys.executable, args=["-m", "moneyprinter", "mcp"], env=subprocess_env())
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            yield session, await session.initialize()


def data(result) -> dict | list:
    """A tool's structured answer (a list comes wrapped as {"result": [...]})."""
    assert not result.is_error, result.content
    content = result.structured_content
    return content["result"] if set(content) == {"result"} else content


def error_text(result) -> str:
    assert result.is_error, result
    return result.content[0].text
