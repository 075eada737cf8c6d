"""The MCP clients whose config files we read: where each keeps its servers, and its defaults.

A client is data, not code: a new client is a new ``ClientKind`` in ``CLIENTS``, plus, when it
stores servers somewhere new, a new entry locator in ``mcp_config``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mcp_dockernet.model import HTTP_THEN_SSE, SSE, STREAMABLE_HTTP


@dataclass(frozen=True, slots=True)
class ClientKind:
    name: str  # stable id used in reports and --client-type
    title: str
    jsonc: bool  # the client accepts comments and trailing commas
    default_transport: str  # what a URL entry with no "type" gets
    user_files: tuple[str, ...] = ()  # relative to the home directory
    project_files: tuple[str, ...] = ()  # relative to the project directory


CLIENTS: dict[str, ClientKind] = {
    kind.name: kind
    for kind in (
        ClientKind(
            "claude-code",
            "Claude Code",
            jsonc=False,
            # Claude Code writes "type" itself; an untyped URL entry is taken as streamable HTTP.
            default_transport=STREAMABLE_HTTP,
            user_files=(".claude.json",),
            project_files=(".mcp.json",),
        ),
        ClientKind(
            "claude-desktop",
            "Claude Desktop",
            jsonc=False,
            default_transport=HTTP_THEN_SSE,
            user_files=(".config/Claude/claude_desktop_config.json",),
        ),
        ClientKind(
            "cursor",
            "Cursor",
            jsonc=False,
            default_transport=HTTP_THEN_SSE,
            user_files=(".cursor/mcp.json",),
            project_files=(".cursor/mcp.json",),
        ),
        ClientKind("generic", "MCP client (mcpServers JSON)", jsonc=False, default_transport=HTTP_THEN_SSE),
    )
}

TYPE_ALIASES = {
    "http": STREAMABLE_HTTP,
    "streamable-http": STREAMABLE_HTTP,
    "streamablehttp": STREAMABLE_HTTP,
    "streamable_http": STREAMABLE_HTTP,
    "sse": SSE,
    "stdio": "stdio",
}


def detect_client(path: str) -> ClientKind:
    """The client a file belongs to, judged from its path."""
    p = Path(path)
    name = p.name
    if name in (".mcp.json", ".claude.json", "managed-mcp.json"):
        return CLIENTS["claude-code"]
    if name == "claude_desktop_config.json":
        return CLIENTS["claude-desktop"]
    if name == "mcp.json" and p.parent.name == ".cursor":
        return CLIENTS["cursor"]
    return CLIENTS["generic"]


def discover(project_dir: str, home: str | None = None) -> list[tuple[str, ClientKind]]:
    """Every known config file that exists, for this user and this project directory."""
    home = home or os.path.expanduser("~")
    found: list[tuple[str, ClientKind]] = []
    seen: set[str] = set()
    for kind in CLIENTS.values():
        candidates = [os.path.join(project_dir, f) for f in kind.project_files]
        candidates += [os.path.join(home, f) for f in kind.user_files]
        for path in candidates:
            real = os.path.realpath(path)
            if real not in seen and os.path.isfile(path):
                seen.add(real)
                found.append((path, kind))
    return found
