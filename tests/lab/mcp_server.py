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
    parser.add_argument("--allowed-hosts", default=None, help="comma list: turn the Host check on with these")
    parser.add_argument("--health", action="store_true", help="serve only GET/POST /health, no MCP (not-mcp)")
    args = parser.parse_args()
    if args.health:
        return _health(args.host, args.port)

    server = MCPServer(name=args.name, version="1.0.0")

    @server.tool()
    def echo(text: str) -> str:
        """Return the text it is given."""
        return text

    extra = {}
    if args.allowed_hosts is not None:
        from mcp.server.transport_security import TransportSecuritySettings

        hosts = [h for h in args.allowed_hosts.split(",") if h]
        extra["transport_security"] = TransportSecuritySettings(
            enable_dns_rebinding_protection=True, allowed_hosts=hosts
        )
    server.run(args.transport, host=args.host, port=args.port, **extra)


def _health(host: str, port: int) -> None:
    """Another service on the port: a health endpoint everywhere, answering {"status": "ok"}."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def ok(request):  # type: ignore[no-untyped-def]
        return JSONResponse({"status": "ok"})

    app = Starlette(routes=[Route("/{path:path}", ok, methods=["GET", "POST"])])
    uvicorn.run(app, host=host, port=port)


if __name__ == "__main__":
    main()
