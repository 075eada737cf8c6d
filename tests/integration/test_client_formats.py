"""Every config format end to end: doctor finds the moved port, fix --write rewrites only the URL
(YAML comment, TOML literal string, JSONC comments and mcp-remote args kept), and the URL connects."""

from __future__ import annotations

import pytest

from tests.integration.helpers import cli, codes, doctor_json, mcp_tools, server
from tests.lab.docker_lab import free_port

pytestmark = pytest.mark.docker

FILES = {
    "codex": (".codex/config.toml", "[mcp_servers.moved]\nurl = 'http://localhost:{port}/mcp'   # gateway\n"),
    "continue": (
        ".continue/config.yaml",
        "name: cfg\nversion: 1.0.0\nschema: v1\nmcpServers:\n  - name: moved\n"
        "    type: streamable-http\n    url: http://localhost:{port}/mcp  # compose\n",
    ),
    "vscode": (
        ".vscode/mcp.json",
        '{\n  // team\n  "servers": {"moved": {"type": "http", "url": "http://localhost:{port}/mcp",},},\n}\n',
    ),
    "goose": (
        ".config/goose/config.yaml",
        "extensions:\n  moved:\n    type: streamable_http\n    uri: http://localhost:{port}/mcp\n    enabled: true\n",
    ),
    "claude-desktop": (
        "claude_desktop_config.json",
        '{"mcpServers": {"moved": {"command": "npx", "args": ["mcp-remote", "http://localhost:{port}/mcp"]}}}\n',
    ),
}


@pytest.mark.parametrize("client", list(FILES))
def test_moved_port_is_fixed_in_every_format(lab, tmp_path, client):
    inner, host_port = free_port(), free_port()
    lab.mcp_server("fmt", port=inner, publish={inner: host_port})
    where, template = FILES[client]
    cfg = tmp_path / where
    cfg.parent.mkdir(parents=True, exist_ok=True)
    original = template.replace("{port}", str(inner))
    cfg.write_text(original)

    code, report = doctor_json("--config", str(cfg))
    moved = server(report, "moved")
    assert code == 1 and codes(moved) == ["wrong-port"] and moved["client_type"] == client
    assert moved["suggested_url"] == f"http://localhost:{host_port}/mcp"

    done = cli("fix", "--config", str(cfg), "--write")
    assert done.returncode == 0, done.stderr
    assert cfg.read_text() == original.replace(f"localhost:{inner}", f"localhost:{host_port}")
    assert mcp_tools(f"http://localhost:{host_port}/mcp")  # a real MCP client connects at the fixed URL
