"""mcp-dockernet: explain and fix why an MCP client cannot reach an MCP server through Docker."""

__version__ = "0.1.0"
