"""The MCP clients whose config files we read: where each keeps its servers, and its defaults.

A client is data, not code: a new client is a new ``ClientKind`` in ``CLIENTS``. The facts (paths,
keys, transport values and defaults) and their sources are in docs/research/mcp-clients.md, PART 1.
Paths are for Linux and macOS: user files relative to the home directory, project files relative
to the project directory, system files absolute; ``env_files`` name the variables that move them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mcp_dockernet.transports import HTTP_THEN_SSE, SSE, STREAMABLE_HTTP

JSON, JSONC, YAML, TOML = "json", "jsonc", "yaml", "toml"
MAC = "Library/Application Support"
VSCODE_USER = (".config/Code/User", f"{MAC}/Code/User", ".config/Code - Insiders/User", f"{MAC}/Code - Insiders/User")


@dataclass(frozen=True, slots=True)
class ClientKind:
    name: str  # stable id used in reports and --client-type
    title: str
    format: str  # json (strict), jsonc (comments, trailing commas), yaml, toml
    # What a URL entry with no type gets; None: the client refuses such an entry (Roo Code).
    default_transport: str | None
    user_files: tuple[str, ...] = ()  # relative to the home directory; may end in a glob
    project_files: tuple[str, ...] = ()  # relative to the project directory
    system_files: tuple[str, ...] = ()  # absolute
    env_files: tuple[tuple[str, str], ...] = ()  # (variable, file under the directory it names, or "")
    server_maps: tuple[tuple[str, ...], ...] = (("mcpServers",),)  # "*" matches any key
    url_keys: tuple[str, ...] = ("url",)  # the first present wins
    placeholders: str = "brace"  # brace: ${...}; brace+bare: also $VAR (Gemini CLI); none
    # Declared types that the client knows but that are not HTTP MCP for us, with the reason shown.
    skip_types: tuple[tuple[str, str], ...] = ()

    @property
    def jsonc(self) -> bool:
        return self.format == JSONC


def _vscode_storage(extension: str, file: str) -> tuple[str, ...]:
    return tuple(f"{base}/globalStorage/{extension}/settings/{file}" for base in VSCODE_USER)


_KINDS = (
    ClientKind(
        "claude-code",
        "Claude Code",
        JSON,
        # Claude Code writes "type" itself; an untyped URL entry is taken as streamable HTTP.
        STREAMABLE_HTTP,
        user_files=(".claude.json",),
        project_files=(".mcp.json",),
        system_files=("/etc/claude-code/managed-mcp.json", f"/{MAC}/ClaudeCode/managed-mcp.json"),
        env_files=(("CLAUDE_CONFIG_DIR", ".claude.json"),),
        server_maps=(("mcpServers",), ("projects", "*", "mcpServers")),
    ),
    ClientKind(
        "claude-desktop",
        "Claude Desktop",
        JSON,
        HTTP_THEN_SSE,  # remote servers come through mcp-remote in args; its default is http-first
        user_files=(".config/Claude/claude_desktop_config.json", f"{MAC}/Claude/claude_desktop_config.json"),
    ),
    ClientKind(
        "cursor", "Cursor", JSON, HTTP_THEN_SSE, user_files=(".cursor/mcp.json",), project_files=(".cursor/mcp.json",)
    ),
    ClientKind(
        "vscode",
        "VS Code / Copilot",
        JSONC,
        HTTP_THEN_SSE,  # "VS Code first tries the HTTP Stream transport and falls back to SSE"
        user_files=tuple(f"{base}/mcp.json" for base in VSCODE_USER),
        project_files=(".vscode/mcp.json", ".devcontainer/devcontainer.json", ".devcontainer.json"),
        server_maps=(("servers",), ("mcp", "servers"), ("customizations", "vscode", "mcp", "servers")),
        placeholders="brace",
    ),
    ClientKind(
        "windsurf",
        "Windsurf",
        JSON,
        HTTP_THEN_SSE,
        user_files=(".codeium/windsurf/mcp_config.json",),
        url_keys=("serverUrl", "url"),
    ),
    ClientKind(
        "cline",
        "Cline",
        JSON,
        SSE,  # "Omitting it defaults to the legacy sse transport" (cline/cline schemas.ts)
        user_files=(
            *_vscode_storage("saoudrizwan.claude-dev", "cline_mcp_settings.json"),
            ".cline/data/settings/cline_mcp_settings.json",
        ),
        env_files=(
            ("CLINE_MCP_SETTINGS_PATH", ""),
            ("CLINE_DATA_DIR", "settings/cline_mcp_settings.json"),
            ("CLINE_DIR", "data/settings/cline_mcp_settings.json"),
        ),
    ),
    ClientKind(
        "roo-code",
        "Roo Code",
        JSON,
        None,  # "Configuration with 'url' must explicitly specify 'type'" (Roo-Code McpHub.ts)
        user_files=_vscode_storage("rooveterinaryinc.roo-cline", "mcp_settings.json"),
        project_files=(".roo/mcp.json",),
    ),
    ClientKind(
        "continue",
        "Continue",
        YAML,
        HTTP_THEN_SSE,  # "if type isn't explicit: try http and fall back to sse"
        user_files=(".continue/config.yaml", ".continue/mcpServers/*"),
        project_files=(".continue/mcpServers/*",),
        env_files=(("CONTINUE_GLOBAL_DIR", "config.yaml"), ("CONTINUE_GLOBAL_DIR", "mcpServers/*")),
        server_maps=(("mcpServers",), ("projects", "*", "mcpServers")),
        skip_types=(("websocket", "a WebSocket server: mcp-dockernet checks HTTP transports only"),),
    ),
    ClientKind(
        "zed",
        "Zed",
        JSONC,
        # Zed's Http variant has no type key; it speaks streamable HTTP (third-party reports, not Zed's code).
        STREAMABLE_HTTP,
        user_files=(".config/zed/settings.json",),
        project_files=(".zed/settings.json",),
        env_files=(("XDG_CONFIG_HOME", "zed/settings.json"),),
        server_maps=(("context_servers",),),
        placeholders="none",
    ),
    ClientKind(
        "codex",
        "Codex CLI",
        TOML,
        STREAMABLE_HTTP,  # url => StreamableHttp; Codex has no SSE transport (codex-rs config/types.rs)
        user_files=(".codex/config.toml",),
        project_files=(".codex/config.toml",),
        env_files=(("CODEX_HOME", "config.toml"),),
        server_maps=(("mcp_servers",),),
        placeholders="none",  # no ${} expansion; indirection through *_env_var keys
    ),
    ClientKind(
        "gemini",
        "Gemini CLI",
        JSONC,
        HTTP_THEN_SSE,  # >= v0.21.0: url without type is streamable HTTP with an SSE retry
        user_files=(".gemini/settings.json",),
        project_files=(".gemini/settings.json",),
        system_files=("/etc/gemini-cli/settings.json", f"/{MAC}/GeminiCli/settings.json"),
        env_files=(("GEMINI_CLI_SYSTEM_SETTINGS_PATH", ""),),
        url_keys=("httpUrl", "url"),  # httpUrl (deprecated) still wins, and means streamable HTTP
        placeholders="brace+bare",
    ),
    ClientKind(
        "goose",
        "Goose",
        YAML,
        STREAMABLE_HTTP,
        user_files=(".config/goose/config.yaml",),
        env_files=(("XDG_CONFIG_HOME", "goose/config.yaml"),),
        server_maps=(("extensions",),),
        url_keys=("uri",),
        placeholders="none",
        skip_types=(("sse", "Goose no longer supports SSE extensions (kept only for config compatibility)"),),
    ),
    ClientKind(
        "lmstudio", "LM Studio", JSON, HTTP_THEN_SSE, user_files=(".lmstudio/mcp.json", ".cache/lm-studio/mcp.json")
    ),
    ClientKind("generic", "MCP client (mcpServers JSON)", JSON, HTTP_THEN_SSE),
)
CLIENTS: dict[str, ClientKind] = {kind.name: kind for kind in _KINDS}

# Every transport discriminator value the clients write, spelled as they spell it.
TYPE_ALIASES = {
    "http": STREAMABLE_HTTP,
    "streamable-http": STREAMABLE_HTTP,
    "streamablehttp": STREAMABLE_HTTP,
    "streamable_http": STREAMABLE_HTTP,
    "sse": SSE,
    "stdio": "stdio",
}
# Declared types that are not a server at a URL (Goose's built-ins, Continue's websocket, ...).
NOT_HTTP_TYPES = frozenset({"stdio", "builtin", "platform", "frontend", "inline_python", "local"})


def title_of(name: str) -> str:
    kind = CLIENTS.get(name)
    return kind.title if kind else name


def detect_client(path: str, doc: Any = None) -> ClientKind:
    """The client a file belongs to, from its path and, failing that, its shape (see discovery)."""
    from mcp_dockernet.mcpconfig import discovery

    return discovery.detect_client(path, doc)


def discover(project_dir: str, home: str | None = None) -> list[tuple[str, ClientKind]]:
    """Every known config file that exists, for this user and this project directory."""
    from mcp_dockernet.mcpconfig import discovery

    return discovery.discover(project_dir, home)
