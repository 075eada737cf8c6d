"""Read an MCP client's config file into ServerEntry facts, with the span of every URL.

Handles the ``mcpServers`` JSON shape (Claude Code, Claude Desktop, Cursor and the many clients
that copy it), including ``~/.claude.json`` whose per-project servers sit under
``projects["<abs path>"].mcpServers``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from typing import Any

from mcp_dockernet.errors import ConfigError
from mcp_dockernet.loaders import jsonc
from mcp_dockernet.loaders.clients import TYPE_ALIASES, ClientKind, detect_client
from mcp_dockernet.model import ConfigFile, ServerEntry, Span
from mcp_dockernet.redact import is_secret_name

MAX_BYTES = 16 * 1024 * 1024  # ~/.claude.json grows with history; real configs stay far below this
BOM = "\ufeff"
SECRET_CONTAINERS = frozenset({"headers", "env", "http_headers", "requestOptions"})


def read_text(path: str) -> tuple[str, str, bool]:
    """The file's text (BOM removed), the sha256 of its bytes, and whether it had a BOM."""
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise ConfigError(path, f"the file is {size // 1_048_576} MiB; an MCP config over 16 MiB is refused")
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise ConfigError(path, "no such file") from None
    except IsADirectoryError:
        raise ConfigError(path, "is a directory, not a config file") from None
    except PermissionError:
        raise ConfigError(path, "permission denied") from None
    except OSError as e:
        raise ConfigError(path, f"cannot read it: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise ConfigError(path, f"not UTF-8 text (byte 0x{raw[e.start]:02x})", line=line) from None
    has_bom = text.startswith(BOM)
    return (text[1:] if has_bom else text), hashlib.sha256(raw).hexdigest(), has_bom


def load_config(path: str, kind: ClientKind | None = None) -> ConfigFile:
    kind = kind or detect_client(path)
    text, digest, has_bom = read_text(path)
    if not text.strip():
        raise ConfigError(path, "the file is empty; an MCP config is a JSON object", line=1)
    try:
        parsed = jsonc.parse(text, jsonc=kind.jsonc)
    except jsonc.JsonSyntaxError as e:
        raise ConfigError(path, f"invalid JSON: {e.message}", line=e.line, column=e.column) from None
    if not isinstance(parsed.value, dict):
        raise ConfigError(path, "the top level must be a JSON object", line=1)
    entries = tuple(_entries(path, kind, parsed, text))
    return ConfigFile(
        path=path,
        client=kind.name,
        text=text,
        sha256=digest,
        entries=entries,
        secret_spans=tuple(_secret_spans(parsed)),
        has_bom=has_bom,
    )


def _server_maps(doc: dict[str, Any]) -> Iterator[tuple[jsonc.Path, str]]:
    """Where servers live: the top-level map and Claude Code's per-project maps."""
    if "mcpServers" in doc:
        yield ("mcpServers",), "mcpServers"
    projects = doc.get("projects")
    if isinstance(projects, dict):
        for project, body in projects.items():
            if isinstance(body, dict) and "mcpServers" in body:
                yield ("projects", project, "mcpServers"), f"projects[{project}].mcpServers"


def _entries(path: str, kind: ClientKind, parsed: jsonc.Parsed, text: str) -> Iterator[ServerEntry]:
    for map_path, scope in _server_maps(parsed.value):
        servers = _get(parsed.value, map_path)
        line = jsonc.line_of(text, parsed.spans[map_path][0])
        if servers is None:
            continue
        if not isinstance(servers, dict):
            raise ConfigError(path, f"{scope} must be an object mapping names to servers", line=line)
        for name, body in servers.items():
            entry_path = (*map_path, name)
            line = jsonc.line_of(text, parsed.spans[entry_path][0])
            if not isinstance(body, dict):
                raise ConfigError(path, f"{scope}.{name} must be an object", line=line)
            yield _entry(path, kind, scope, name, body, entry_path, parsed, line)


def _entry(
    path: str,
    kind: ClientKind,
    scope: str,
    name: str,
    body: dict[str, Any],
    entry_path: jsonc.Path,
    parsed: jsonc.Parsed,
    line: int,
) -> ServerEntry:
    declared = body.get("type")
    if declared is not None and (not isinstance(declared, str) or declared.lower() not in TYPE_ALIASES):
        raise ConfigError(path, f"{scope}.{name}.type {declared!r} is not a transport this client knows", line=line)
    url = body.get("url")
    if url is None:
        return ServerEntry(name, path, kind.name, scope, line, None, None, "stdio", declared is not None)
    if not isinstance(url, str):
        raise ConfigError(path, f"{scope}.{name}.url must be a string", line=line)
    start, end = parsed.spans[(*entry_path, "url")]
    transport = TYPE_ALIASES[declared.lower()] if isinstance(declared, str) else kind.default_transport
    return ServerEntry(name, path, kind.name, scope, line, url, Span(start, end), transport, declared is not None)


def _get(doc: Any, path: jsonc.Path) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def _secret_spans(parsed: jsonc.Parsed) -> Iterator[Span]:
    """Every string value that is, or sits under, a secret-looking key, or follows a --header arg."""
    for path, (start, end) in parsed.spans.items():
        value = _get(parsed.value, path)
        if not isinstance(value, str):
            continue
        keys = [k for k in path if isinstance(k, str)]
        if any(k in SECRET_CONTAINERS for k in keys[:-1]) or (keys and is_secret_name(keys[-1])):
            yield Span(start, end)
        elif isinstance(path[-1], int) and path[-1] > 0:
            previous = _get(parsed.value, (*path[:-1], path[-1] - 1))
            if isinstance(previous, str) and previous in ("--header", "-H"):
                yield Span(start, end)
