"""MCP client configs: every client's file format, read with the position of each value, and discovery."""
