"""The MCP server (``moneyprinter mcp``): make Shorts, review, post and schedule from an MCP client,
over the same domain functions and the same review and exactly-once rules as the CLI."""
