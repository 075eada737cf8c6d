"""Which client a file belongs to (from its path, then its shape), and which known files exist."""

from __future__ import annotations

import glob
import os
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from mcp_dockernet.mcpconfig.clients import CLIENTS, JSON, TOML, YAML, ClientKind


def format_of(path: str, kind: ClientKind) -> str:
    """The file's format: its extension decides (a Continue folder holds YAML and JSON), else the client's."""
    suffix = PurePath(path).suffix.lower()
    if suffix == ".toml":
        return TOML
    if suffix in (".yaml", ".yml"):
        return YAML
    if suffix in (".json", ".jsonc") and kind.format in (YAML, TOML):
        return JSON
    return kind.format


def detect_by_path(path: str) -> ClientKind | None:
    p = PurePath(os.path.abspath(path))
    name, parents = p.name, [x.name for x in p.parents]
    parent = parents[0] if parents else ""

    def under(*names: str) -> bool:
        return any(n in parents for n in names)

    if name in (".mcp.json", ".claude.json", "managed-mcp.json"):
        return CLIENTS["claude-code"]
    if name == "claude_desktop_config.json":
        return CLIENTS["claude-desktop"]
    if name == "cline_mcp_settings.json":
        return CLIENTS["cline"]
    if name == "mcp_settings.json" or (name == "mcp.json" and parent == ".roo"):
        return CLIENTS["roo-code"]
    if name == "mcp_config.json" and under("windsurf", ".codeium"):
        return CLIENTS["windsurf"]
    if name in ("devcontainer.json", ".devcontainer.json") or (name == "mcp.json" and parent in (".vscode", "User")):
        return CLIENTS["vscode"]
    if name == "mcp.json" and parent in (".cursor", ".lmstudio", "lm-studio"):
        return CLIENTS["cursor" if parent == ".cursor" else "lmstudio"]
    if under(".continue") and (name.startswith("config.") or parent == "mcpServers"):
        return CLIENTS["continue"]
    if name == "settings.json" and parent in ("zed", ".zed"):
        return CLIENTS["zed"]
    if name == "settings.json" and parent in (".gemini", "gemini-cli", "GeminiCli"):
        return CLIENTS["gemini"]
    if name == "config.toml" and parent == ".codex":
        return CLIENTS["codex"]
    if name.startswith("config.y") and parent == "goose":
        return CLIENTS["goose"]
    return None


def detect_by_shape(path: str, doc: Any) -> ClientKind:
    """For a file whose path says nothing: the keys that hold its servers tell the client."""
    suffix = PurePath(path).suffix.lower()
    if not isinstance(doc, dict):
        return CLIENTS["generic"]
    if suffix == ".toml" or "mcp_servers" in doc:
        return CLIENTS["codex"]
    if isinstance(doc.get("extensions"), dict) and suffix in (".yaml", ".yml"):
        return CLIENTS["goose"]
    if _named_list(doc.get("mcpServers")) or suffix in (".yaml", ".yml"):
        return CLIENTS["continue"]
    if "context_servers" in doc:
        return CLIENTS["zed"]
    if "servers" in doc or "customizations" in doc or isinstance(doc.get("mcp"), dict):
        return CLIENTS["vscode"]
    if "projects" in doc:
        return CLIENTS["claude-code"]
    bodies = [b for b in (doc.get("mcpServers") or {}).values() if isinstance(b, dict)]
    if any("serverUrl" in b for b in bodies):
        return CLIENTS["windsurf"]
    if any("httpUrl" in b for b in bodies):
        return CLIENTS["gemini"]
    if any(isinstance(b.get("transport"), dict) or "transportType" in b for b in bodies):
        return CLIENTS["cline"]
    return CLIENTS["generic"]


def _named_list(servers: Any) -> bool:
    """Continue's shape: a list of servers that carry their name. An empty list says nothing about the
    client, so such a JSON file stays generic, whose reader calls a list the wrong type (not "no servers")."""
    return isinstance(servers, list) and any(isinstance(b, dict) and "name" in b for b in servers)


def detect_client(path: str, doc: Any = None) -> ClientKind:
    """The client a file belongs to, judged from its path and, failing that, its shape."""
    return detect_by_path(path) or detect_by_shape(path, doc)


def candidates(kind: ClientKind, project_dir: str, home: str, environ: Mapping[str, str], system: bool) -> list[str]:
    paths = [os.path.join(project_dir, f) for f in kind.project_files]
    paths += [os.path.join(home, f) for f in kind.user_files]
    for variable, rel in kind.env_files:
        base = environ.get(variable)
        if base:
            paths.append(os.path.join(base, rel) if rel else base)
    if system:
        paths += list(kind.system_files)
    found: list[str] = []
    for path in paths:
        if "*" in path:
            found += sorted(p for p in glob.glob(path) if p.endswith((".yaml", ".yml", ".json")))
        else:
            found.append(path)
    return found


def discover(
    project_dir: str,
    home: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    system: bool = True,
) -> list[tuple[str, ClientKind]]:
    """Every known config file that exists, for this user and this project directory.

    A file of zero bytes is left out: clients create empty files (an empty config.toml is valid for
    Codex), and such a file holds no servers.
    """
    home = home or os.path.expanduser("~")
    environ = os.environ if environ is None else environ
    found: list[tuple[str, ClientKind]] = []
    seen: set[str] = set()
    for kind in CLIENTS.values():
        for path in candidates(kind, project_dir, home, environ, system):
            real = os.path.realpath(path)
            if real in seen or not os.path.isfile(path) or not os.access(path, os.R_OK):
                continue  # another user's or a root-only file is not this user's config
            seen.add(real)
            if os.path.getsize(path) > 0:
                found.append((path, kind))
    return found
