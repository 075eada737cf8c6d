"""The client fixtures: where each file sits, which client it is, and the rewrites its goldens hold.

tests/fixtures/clients/<client>/original.<ext> is a realistic file written from the client's
documented examples; after-<change>.<ext> is that file after the rewrites of <change>, byte for byte.
UPDATE_GOLDEN=1 rewrites the after-files (then review them with git diff).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from mcp_dockernet.model import ConfigFile
from mcp_dockernet.report import Report, ServerReport

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "clients"
# Values the fixtures' placeholders see; the rest of these names are unset.
ENV = {"DOCS_HOST": "localhost", "MCP_PORT": "8001"}
UNSET = ("API_BASE_URL", "LEGACY_HOST", "MCP_URL", "USERJOT_API_TOKEN", "TALARIA_MCP_TOKEN", "AUTH_HEADER", "API_KEY")
HDI = "host.docker.internal"


@dataclass(frozen=True)
class Case:
    place: str  # where the file sits under a home or project directory (its path names the client)
    kind: str
    rewrites: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # change -> [(server, new URL)]

    def original(self, client: str) -> Path:
        return next(FIXTURES.joinpath(client).glob("original.*"))

    def after(self, client: str, change: str) -> Path:
        return FIXTURES / client / f"after-{change}{self.original(client).suffix}"


CASES: dict[str, Case] = {
    "claude-code": Case(
        ".mcp.json",
        "claude-code",
        {
            "port": [("stripe-local", "http://localhost:3000/mcp")],
            "host": [("events", f"http://{HDI}:9000/sse")],
            "placeholder": [("api-server", "http://localhost:3000/mcp")],
        },
    ),
    "claude-code-user": Case(
        ".claude.json",
        "claude-code",
        {"port": [("stripe", "http://localhost:3000/mcp")], "host": [("user-wide", f"http://{HDI}:9000/sse")]},
    ),
    "claude-desktop": Case(
        ".config/Claude/claude_desktop_config.json",
        "claude-desktop",
        {
            "port": [("linear", "http://localhost:3000/sse")],
            "bridge": [("remote-example", f"http://{HDI}:8000/mcp"), ("linear", "http://gateway:8080/sse")],
        },
    ),
    "cursor": Case(
        ".cursor/mcp.json",
        "cursor",
        {
            "port": [("userjot", "http://localhost:3000/mcp")],
            "host": [("userjot", f"http://{HDI}:8000/mcp")],
            "placeholder": [("docs", "http://localhost:3001/mcp")],
        },
    ),
    "vscode": Case(
        ".vscode/mcp.json",
        "vscode",
        {"port": [("context7", "http://localhost:3000/mcp")], "host": [("events", f"http://{HDI}:9000/sse")]},
    ),
    "vscode-devcontainer": Case(
        ".devcontainer/devcontainer.json", "vscode", {"port": [("gateway", "http://localhost:3000/mcp")]}
    ),
    "windsurf": Case(
        ".codeium/windsurf/mcp_config.json",
        "windsurf",
        {
            "port": [("you-com", "http://localhost:3000/mcp?profile=free")],
            "host": [("mescius", f"http://{HDI}:8002/mcp")],
        },
    ),
    "cline": Case(
        ".config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json",
        "cline",
        {"port": [("remote-server", "http://localhost:3000/mcp")], "host": [("cli-server", f"http://{HDI}:8002/mcp")]},
    ),
    "roo-code": Case(
        ".roo/mcp.json",
        "roo-code",
        {
            "port": [("modern-remote-server", "http://localhost:3000/mcp")],
            "host": [("modern-remote-server", f"http://{HDI}:8000/mcp")],
        },
    ),
    "continue": Case(
        ".continue/config.yaml",
        "continue",
        {
            "port": [("Local gateway", "http://localhost:3000/mcp"), ("Untyped", "http://localhost:3001/mcp")],
            "host": [("Events", f"http://{HDI}:9000/sse")],
            "bridge": [("Remote via bridge", f"http://{HDI}:8002/mcp")],
        },
    ),
    "continue-block": Case(
        ".continue/mcpServers/gateway.yaml", "continue", {"port": [("Gateway", "http://localhost:3000/mcp")]}
    ),
    "zed": Case(
        ".config/zed/settings.json",
        "zed",
        {"port": [("brijio", "http://127.0.0.1:3000/mcp")], "host": [("brijio", f"http://{HDI}:8788/mcp")]},
    ),
    "codex": Case(
        ".codex/config.toml",
        "codex",
        {
            "port": [("figma", "http://localhost:3000/mcp")],
            "host": [("docs", f"http://{HDI}:8001/mcp")],
            "bridge": [("remote", f"http://{HDI}:8002/mcp")],
        },
    ),
    "gemini": Case(
        ".gemini/settings.json",
        "gemini",
        {
            "port": [("httpServerWithAuth", "http://localhost:3001/mcp")],
            "host": [("typed", f"http://{HDI}:8000/mcp")],
            "placeholder": [("env-port", f"http://{HDI}:8001/mcp")],
        },
    ),
    "goose": Case(
        ".config/goose/config.yaml",
        "goose",
        {"port": [("musicwire", "http://localhost:3000/mcp")], "bridge": [("remote", f"http://{HDI}:8002/mcp")]},
    ),
    "lmstudio": Case(".lmstudio/mcp.json", "lmstudio", {"port": [("hf-mcp-server", "http://localhost:3000/mcp")]}),
}


def place(root: Path, client: str) -> Path:
    """A copy of the client's original file at its usual place under root."""
    case = CASES[client]
    path = root / case.place
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(case.original(client), path)
    return path


def report_for(config: ConfigFile, changes: list[tuple[str, str]]) -> Report:
    """A report whose only verdicts are the suggested URLs (what the rules would hand to fix)."""
    wanted = dict(changes)
    servers = tuple(
        ServerReport(e, "host", "", "error" if e.name in wanted else "ok", (), wanted.get(e.name), None, writable=True)
        for e in config.entries
    )
    return Report(servers, (config.path,))
