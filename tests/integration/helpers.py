"""Run the real CLI in a subprocess and a real MCP client (the official SDK) against a URL."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from typing import Any

from mcp.client import Client
from mcp.client.sse import sse_client

# The real clients nobody here wrote (mcp-remote, the Inspector CLI) and the SDK's with a transport and
# headers, each from a vantage ("host" or "container:NAME"): tests/lab/real_clients.py.
from tests.lab.real_clients import inspector_tools as inspector_tools
from tests.lab.real_clients import remote_tools as remote_tools
from tests.lab.real_clients import sdk_stdio_tools as sdk_stdio_tools
from tests.lab.real_clients import sdk_tools as sdk_tools


def cli(*args: str, env: dict[str, str] | None = None, cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}  # a test may set COLUMNS
    return subprocess.run(
        [sys.executable, "-m", "mcp_dockernet", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=120,
    )


def doctor_json(*args: str, **kw: Any) -> tuple[int, dict[str, Any]]:
    done = cli("doctor", "--format", "json", *args, **kw)
    assert done.returncode in (0, 1) and done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def server(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in report["servers"] if s["name"] == name)


def codes(entry: dict[str, Any]) -> list[str]:
    return [f["code"] for f in entry["findings"]]


def mcp_tools(url: str, timeout: float = 20, transport: str = "streamable-http") -> list[str]:
    """Connect with the SDK's own client (streamable HTTP, or "sse") and list the tools: the proof a URL works."""

    async def go() -> list[str]:
        async with Client(sse_client(url) if transport == "sse" else url) as client:
            result = await client.list_tools()
            return [t.name for t in result.tools]

    return asyncio.run(asyncio.wait_for(go(), timeout))


def write_config(path: Any, servers: dict[str, dict[str, Any]]) -> str:
    text = json.dumps({"mcpServers": servers}, indent=2) + "\n"
    path.write_text(text)
    return text


def mcp_config_in(folder: Any, url: str, name: str = "tools") -> Any:
    """A Claude Code style mcp.json with one HTTP entry, in ``folder`` (made if missing): an agent's config."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mcp.json"
    path.write_text(json.dumps({"mcpServers": {name: {"type": "http", "url": url}}}, indent=2) + "\n")
    return path
