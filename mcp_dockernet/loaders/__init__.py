"""Loaders read files (MCP client configs) into frozen facts."""
