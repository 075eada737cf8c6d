"""MCP URLs in Compose `environment` values are client entries of that service.

``MCP_URL=http://gateway:9011/mcp`` in service ``agent`` is judged like a URL in an MCP config
file whose client is the ``agent`` container, and fixed on that very line.
"""

from __future__ import annotations

import re
from typing import Any

from mcp_dockernet.mcpconfig.mcp_config import read_text
from mcp_dockernet.model import HTTP_THEN_SSE, SSE, ConfigFile, ServerEntry, Span

URL = re.compile(r"^https?://", re.I)
MCP_NAME = re.compile(r"MCP", re.I)
MCP_PATH = re.compile(r"/(mcp|sse)/?($|\?)", re.I)


def is_mcp_url(name: str, value: str | None) -> bool:
    return (
        bool(value)
        and bool(URL.match(value or ""))
        and (bool(MCP_NAME.search(name)) or bool(MCP_PATH.search(value or "")))
    )


def compose_configs(project: Any) -> tuple[ConfigFile, ...]:
    """One ConfigFile per Compose file that holds MCP URLs, with an entry per variable."""
    by_file: dict[str, list[ServerEntry]] = {}
    for svc in project.services:
        for var in svc.environment:
            if not is_mcp_url(var.name, var.value) or var.file is None:
                continue
            by_file.setdefault(var.file, []).append(_entry(svc.name, var))
    configs = []
    for path, entries in by_file.items():
        text, digest, has_bom = read_text(path)
        configs.append(ConfigFile(path, "compose", text, digest, tuple(entries), (), has_bom))
    return tuple(configs)


def _entry(service: str, var: Any) -> ServerEntry:
    value = var.value or ""
    raw = var.raw if var.raw is not None else value
    transport = SSE if value.rstrip("/").endswith("/sse") else HTTP_THEN_SSE
    span = Span(*var.span) if var.span else None
    return ServerEntry(
        name=var.name,
        config=var.file,
        client="compose",
        scope=f"services.{service}.environment",
        line=var.line or 0,
        url=raw,
        url_span=span,
        transport=transport,
        transport_declared=False,
        resolved_url=value if value != raw else None,
    )


def service_of(entry: ServerEntry) -> str:
    return entry.scope.split(".")[1]
