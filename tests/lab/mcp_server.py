"""A real MCP server (the official Python SDK) for the test lab.

Run inside a lab container: python3 mcp_server.py --host 0.0.0.0 --port 8000
It serves streamable HTTP at /mcp (or legacy SSE at /sse with --transport sse).
"""

from __future__ import annotations

import argparse

from mcp.server.mcpserver import MCPServer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--transport", choices=["streamable-http", "sse"], default="streamable-http")
    parser.add_argument("--name", default="lab-server")
    args = parser.parse_args()

    server = MCPServer(name=args.name, version="1.0.0")

    @server.tool()
    def echo(text: str) -> str:
        """Return the text it is given."""
        return text

    server.run(args.transport, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
