"""A small real MCP server (the official Python SDK), configured by environment variables.

MCP_HOST           address to bind (default 127.0.0.1: the SDK's own default)
MCP_PORT           port (default 8000)
MCP_TRANSPORT      streamable-http (at /mcp, default) or sse (at /sse)
MCP_ALLOWED_HOSTS  comma list of Host header values to accept (e.g. "localhost:*,server:*"); turns
                   the SDK's DNS-rebinding protection on with exactly that list. Unset: the SDK's
                   default (on, localhost only, when bound to loopback; off otherwise).
MCP_NAME           the server's name (default example-server)

`server.py --check` exits 0 when something accepts TCP on 127.0.0.1:MCP_PORT (a healthcheck).
"""

from __future__ import annotations

import os
import socket
import sys

from mcp.server.mcpserver import MCPServer


def main() -> None:
    host = os.environ.get("MCP_HOST", "127.0.0.1")
    port = int(os.environ.get("MCP_PORT", "8000"))
    if sys.argv[1:] == ["--check"]:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return
    server = MCPServer(name=os.environ.get("MCP_NAME", "example-server"), version="1.0.0")

    @server.tool()
    def echo(text: str) -> str:
        """Return the text it is given."""
        return text

    extra = {}
    allowed = os.environ.get("MCP_ALLOWED_HOSTS")
    if allowed:
        from mcp.server.transport_security import TransportSecuritySettings

        hosts = [h.strip() for h in allowed.split(",") if h.strip()]
        extra["transport_security"] = TransportSecuritySettings(
            enable_dns_rebinding_protection=True, allowed_hosts=hosts
        )
    server.run(os.environ.get("MCP_TRANSPORT", "streamable-http"), host=host, port=port, **extra)


if __name__ == "__main__":
    main()
