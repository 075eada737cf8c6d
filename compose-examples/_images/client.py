"""A tiny real MCP client (the official Python SDK): connect, list the tools, print them.

  python3 client.py URL          one URL
  python3 client.py              every HTTP server in $MCP_CONFIG (default /config/mcp.json)

Exit 0 when every server answered; 1 otherwise, with the error. This is the proof an example
works from where the agent runs.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

from mcp.client import Client


async def tools(url: str) -> list[str]:
    async with Client(url) as client:
        return [t.name for t in (await client.list_tools()).tools]


def urls_in_config(path: str) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    servers = doc.get("mcpServers") or doc.get("servers") or {}
    return [(name, s["url"]) for name, s in servers.items() if isinstance(s, dict) and s.get("url")]


def main() -> int:
    targets = (
        [("url", sys.argv[1])] if sys.argv[1:] else urls_in_config(os.environ.get("MCP_CONFIG", "/config/mcp.json"))
    )
    failed = 0
    for name, url in targets:
        try:
            found = asyncio.run(asyncio.wait_for(tools(url), 20))
            print(f"{name}: {url} -> tools: {', '.join(found)}")  # noqa: T201 - a command's output
        except BaseException as e:  # the SDK wraps errors in exception groups; show the innermost one
            while isinstance(e, BaseExceptionGroup) and e.exceptions:
                e = e.exceptions[0]
            print(f"{name}: {url} -> FAILED: {type(e).__name__}: {e}", file=sys.stderr)  # noqa: T201
            failed += 1
    return 1 if failed or not targets else 0


if __name__ == "__main__":
    sys.exit(main())
