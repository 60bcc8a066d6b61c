"""``moneyprinter mcp``: the MCP server over stdio."""

from __future__ import annotations

import click


@click.command("mcp")
@click.pass_obj
def mcp_cmd(app) -> None:
    """Serve moneyprinter to an MCP client (Claude Desktop, an IDE, an agent) over stdio."""
    from moneyprinter.mcp_server.server import serve_stdio

    serve_stdio(app)


def register(group: click.Group) -> None:
    group.add_command(mcp_cmd)
