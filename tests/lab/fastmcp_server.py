"""A standalone FastMCP server (PyPI ``fastmcp``: 2.x or the current major, whichever /site holds), one tool.

Run in a container of the lab base image with the FastMCP folder of scripts/lab-parts at /site. Host and
port are FastMCP's own settings, read from FASTMCP_HOST / FASTMCP_PORT (fastmcp/settings.py: env_prefix
"FASTMCP_", host defaults to 127.0.0.1), so a test binds it the way a user's deployment would; 4.x also
reads FASTMCP_HTTP_HOST_ORIGIN_PROTECTION and FASTMCP_HTTP_ALLOWED_HOSTS there (its Host check).
"""

from __future__ import annotations

import argparse

from fastmcp import FastMCP

parser = argparse.ArgumentParser()
parser.add_argument("--transport", default="http", choices=["http", "sse"])
parser.add_argument("--token", help="accept only this static bearer token")
args = parser.parse_args()

auth = None
if args.token:
    # Both majors ship StaticTokenVerifier (fastmcp/server/auth/providers/jwt.py): bearer auth without an IdP.
    from fastmcp.server.auth.providers.jwt import StaticTokenVerifier

    auth = StaticTokenVerifier(tokens={args.token: {"client_id": "lab", "scopes": []}})

mcp = FastMCP("lab-fastmcp", auth=auth)


@mcp.tool
def echo(text: str) -> str:
    """Say it back."""
    return text


mcp.run(transport=args.transport)
