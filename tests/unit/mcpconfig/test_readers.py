"""Every client's file read into entries: transports (declared and default), placeholders, secrets."""

from __future__ import annotations

import shutil

import pytest

from mcp_dockernet.mcpconfig.clients import CLIENTS
from mcp_dockernet.mcpconfig.mcp_config import load_config
from mcp_dockernet.model import HTTP_THEN_SSE, SSE, STREAMABLE_HTTP
from tests.unit.mcpconfig.golden import CASES, place

H, S, B = STREAMABLE_HTTP, SSE, HTTP_THEN_SSE
# name -> transport, "stdio", "skip" (reported as skipped, with a reason) or "?" (placeholder unknown here)
EXPECTED = {
    "claude-code": {"api-server": H, "stripe-local": H, "events": S, "filesystem": "stdio"},
    "claude-code-user": {"user-wide": S, "stripe": H},
    "claude-desktop": {"remote-example": B, "linear": S, "filesystem": "stdio"},
    "cursor": {"userjot": B, "docs": B, "sqlite": "stdio"},
    "vscode": {"context7": H, "events": S, "untyped": B, "remote-dev": "?", "github": "stdio"},
    "vscode-devcontainer": {"gateway": H},
    "windsurf": {"you-com": B, "talaria": B, "mescius": H},
    "cline": {"remote-server": H, "legacy-sse": S, "old-http": H, "cli-server": H},
    "roo-code": {"modern-remote-server": H, "legacy-remote": "?", "untyped": "skip"},
    "continue": {"Local gateway": H, "Events": S, "Untyped": B, "Remote via bridge": B, "Hub URL": "?"},
    "continue-block": {"Gateway": H},
    "zed": {"brijio": H, "local-fs": "stdio"},
    "codex": {"figma": H, "docs": H, "remote": B, "github": "stdio"},
    "gemini": {"httpServerWithAuth": H, "typed": H, "events": S, "env-port": B},
    "goose": {"developer": "stdio", "musicwire": H, "legacy": "skip", "remote": B},
    "lmstudio": {"hf-mcp-server": B},
}
SECRETS = {
    "claude-code": ["Bearer ${API_KEY}"],
    "claude-code-user": ["Bearer sk_test_123"],
    "claude-desktop": ["Bearer lin_api_secret", "Authorization:${AUTH_HEADER}"],
    "cursor": ["Bearer ${env:USERJOT_API_TOKEN}"],
    "vscode": ["${input:api-key}"],
    "windsurf": ["Bearer ${env:TALARIA_MCP_TOKEN}"],
    "cline": ["Bearer your-token"],
    "roo-code": ["your-secure-api-key"],
    "continue": ["Bearer ${{ secrets.GATEWAY_TOKEN }}"],
    "continue-block": ["gw-secret-key"],
    "zed": ["Bearer <MCP_HTTP_AUTH_TOKEN>"],
    "codex": ["us-east-1", "ghp_example", "FIGMA_OAUTH_TOKEN"],
    "gemini": ["Bearer your-api-token"],
    "goose": ["Bearer mw-secret"],
    "lmstudio": ["Bearer <YOUR_HF_TOKEN>"],
}


def _what(entry) -> str:  # type: ignore[no-untyped-def]
    if entry.url is None:
        return "stdio"
    if entry.skip_reason:
        return "skip"
    return "?" if entry.unresolved else entry.transport


@pytest.mark.parametrize("client", list(CASES))
def test_each_client_file_gives_its_servers_and_transports(tmp_path, client):
    config = load_config(str(place(tmp_path, client)))
    assert config.client == CASES[client].kind
    assert {e.name: _what(e) for e in config.entries} == EXPECTED[client]
    for entry in config.entries:
        if entry.url is not None and entry.url_span is not None:
            token = config.text[entry.url_span.start : entry.url_span.end]
            assert token.strip("\"'") == entry.url  # the span is the URL's own characters (quotes included)
    shown = [config.text[s.start : s.end].strip("\"'") for s in config.secret_spans]
    for secret in SECRETS.get(client, []):
        assert secret in shown


def test_placeholders_are_resolved_where_the_value_is_known(tmp_path):
    by = {e.name: e for e in load_config(str(place(tmp_path, "claude-code"))).entries}
    assert by["api-server"].resolved_url == "http://localhost:8000/mcp"  # ${API_BASE_URL:-...} unset: default
    by = {e.name: e for e in load_config(str(place(tmp_path, "gemini"))).entries}
    assert by["env-port"].effective_url == "http://localhost:8001/mcp"  # Gemini's bare $MCP_PORT
    by = {e.name: e for e in load_config(str(place(tmp_path, "vscode"))).entries}
    assert by["remote-dev"].unresolved == ("input:dev-url",) and by["remote-dev"].effective_url is None
    by = {e.name: e for e in load_config(str(place(tmp_path, "continue"))).entries}
    assert by["Hub URL"].unresolved == ("secrets.MCP_URL",)


def test_reasons_for_skipped_entries_name_the_fix(tmp_path):
    by = {e.name: e for e in load_config(str(place(tmp_path, "roo-code"))).entries}
    assert 'without "type"' in (by["untyped"].skip_reason or "") and by["untyped"].effective_url is None
    by = {e.name: e for e in load_config(str(place(tmp_path, "goose"))).entries}
    assert "SSE" in (by["legacy"].skip_reason or "")


def test_scopes_and_lines(tmp_path):
    config = load_config(str(place(tmp_path, "claude-code-user")))
    by = {e.name: e for e in config.entries}
    assert by["stripe"].scope == "projects[/home/me/repo].mcpServers" and by["stripe"].line == 18
    config = load_config(str(place(tmp_path, "continue")))
    by = {e.name: e for e in config.entries}
    assert by["Events"].scope == "mcpServers[1]" and by["Events"].line == 16
    config = load_config(str(place(tmp_path, "codex")))
    assert {e.name: e.line for e in config.entries}["docs"] == 10


# Without a telling path, the keys decide (or the generic mcpServers reader takes the file).
BY_SHAPE = {
    "claude-code-user": "claude-code",
    "claude-desktop": "generic",
    "vscode": "vscode",
    "vscode-devcontainer": "vscode",
    "windsurf": "windsurf",
    "cline": "cline",
    "continue": "continue",
    "continue-block": "continue",
    "zed": "zed",
    "codex": "codex",
    "gemini": "gemini",
    "goose": "goose",
    "lmstudio": "generic",
}


@pytest.mark.parametrize("client, kind", BY_SHAPE.items())
def test_a_file_anywhere_is_recognised_by_its_shape(tmp_path, client, kind):
    original = CASES[client].original(client)
    path = tmp_path / f"exported{original.suffix.replace('.jsonc', '.json')}"
    shutil.copyfile(original, path)
    assert load_config(str(path)).client == kind


def test_client_type_overrides_detection(tmp_path):
    path = tmp_path / "servers.json"
    path.write_text('{"mcpServers": {"a": {"url": "http://localhost:1/mcp"}}}')
    assert load_config(str(path)).entries[0].transport == HTTP_THEN_SSE
    as_cline = load_config(str(path), CLIENTS["cline"])
    assert as_cline.client == "cline" and as_cline.entries[0].transport == SSE
    as_roo = load_config(str(path), CLIENTS["roo-code"])
    assert as_roo.entries[0].skip_reason


@pytest.mark.parametrize(
    "args, transport, declared",
    [
        (["-y", "mcp-remote", "http://localhost:1/mcp"], HTTP_THEN_SSE, False),
        (["mcp-remote", "http://localhost:1/mcp", "--transport", "http-only"], STREAMABLE_HTTP, True),
        (["mcp-remote", "http://localhost:1/sse", "--transport=sse-only"], SSE, True),
        (["mcp-proxy", "http://localhost:1/sse"], SSE, False),
        (["mcp-proxy", "--transport", "streamablehttp", "http://localhost:1/mcp"], STREAMABLE_HTTP, True),
        (["-y", "supergateway", "--streamableHttp", "http://localhost:1/mcp"], STREAMABLE_HTTP, True),
        (["-y", "supergateway", "--sse", "http://localhost:1/sse"], SSE, True),
    ],
)
def test_bridges_in_args_are_http_entries_with_their_transport(tmp_path, args, transport, declared):
    import json

    path = tmp_path / "claude_desktop_config.json"
    path.write_text(json.dumps({"mcpServers": {"b": {"command": "npx", "args": args}}}, indent=2))
    config = load_config(str(path))
    entry = config.entries[0]
    assert (entry.transport, entry.transport_declared) == (transport, declared)
    assert entry.url is not None and entry.url_span is not None
    assert config.text[entry.url_span.start : entry.url_span.end] == json.dumps(entry.url)


def test_disabled_servers_are_skipped_with_a_reason(tmp_path):
    path = tmp_path / "cline_mcp_settings.json"
    path.write_text('{"mcpServers": {"off": {"type": "sse", "url": "http://localhost:1/sse", "disabled": true}}}')
    assert "disabled" in (load_config(str(path)).entries[0].skip_reason or "")


def test_json_files_in_a_continue_folder_are_read_as_continue(tmp_path):
    path = tmp_path / ".continue" / "mcpServers" / "from-claude.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"mcpServers": {"gw": {"type": "sse", "url": "http://localhost:9000/sse"}}}')
    config = load_config(str(path))
    assert (config.client, config.format, config.entries[0].transport) == ("continue", "json", SSE)


def test_a_repeated_key_keeps_the_last_value_like_json_parse(tmp_path):
    path = tmp_path / ".mcp.json"
    path.write_text('{"mcpServers": {"a": {"url": "http://localhost:1/mcp"}}, "mcpServers": {"b": {"command": "x"}}}')
    config = load_config(str(path))
    assert [e.name for e in config.entries] == ["b"]
