"""fix --write changes the transport with the URL, in JSON and in TOML, and a second run changes nothing.

A real server (the official SDK) speaking one transport, an entry declaring the other; after the fix
the SDK's own client connects with the transport the file now declares, and a second fix --write
leaves the file's bytes as they are (no flip-flop).
"""

from __future__ import annotations

import pytest

from mcp_dockernet.mcpconfig.mcp_config import load_config
from mcp_dockernet.model import SSE, STREAMABLE_HTTP
from tests.integration.helpers import cli, codes, doctor_json, mcp_tools, server
from tests.lab.docker_lab import free_port

pytestmark = pytest.mark.docker

CASES = {
    # a Claude Code entry "type": "http" at the SDK's legacy SSE endpoint
    "json-http-at-sse": (
        "sse",
        ".mcp.json",
        '{\n  "mcpServers": {\n    "s": {\n      "type": "http",\n      "url": "http://localhost:{port}/sse"\n    }\n  }\n}\n',
        '"type": "sse"',
    ),
    # the reverse: "type": "sse" at the streamable /mcp
    "json-sse-at-mcp": (
        "streamable-http",
        ".mcp.json",
        '{"mcpServers": {"s": {"type": "sse", "url": "http://localhost:{port}/mcp"}}}\n',
        '"type": "http"',
    ),
    # Codex speaks streamable HTTP only: its SSE server is reached through mcp-remote, whose flag was wrong
    "toml-mcp-remote": (
        "sse",
        ".codex/config.toml",
        '# through the bridge\n[mcp_servers.s]\ncommand = "npx"\n'
        'args = ["-y", "mcp-remote", "http://localhost:{port}/sse", "--transport", "http-only"]  # keep\n',
        '"--transport", "sse-only"]  # keep',
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_fix_writes_the_transport_and_a_second_fix_changes_nothing(lab, tmp_path, case):
    transport, where, template, expected = CASES[case]
    port = free_port()
    lab.mcp_server("fixtype", port=8000, publish={8000: port}, transport=transport)
    cfg = tmp_path / where
    cfg.parent.mkdir(parents=True, exist_ok=True)
    original = template.replace("{port}", str(port))
    cfg.write_text(original)

    code, report = doctor_json("--config", str(cfg), "--timeout", "3")
    s = server(report, "s")
    assert code == 1 and codes(s) == ["transport-mismatch"], s
    assert s["suggested_transport"] == transport and s["suggestion_writable"], s
    if "mcp-remote" in template:
        assert "--transport sse-only" in s["findings"][0]["fix"] and "type" not in s["findings"][0]["fix"]

    done = cli("fix", "--config", str(cfg), "--write", "--timeout", "3")
    assert done.returncode == 0, done.stdout + done.stderr
    written = cfg.read_bytes()
    assert expected in written.decode()
    # only the transport changed: the rest of the file, byte for byte
    old_word = {"json-http-at-sse": '"type": "http"', "json-sse-at-mcp": '"type": "sse"'}.get(case, '"http-only"]')
    assert written.decode() == original.replace(old_word, expected if case != "toml-mcp-remote" else '"sse-only"]')

    entry = load_config(str(cfg)).entries[0]
    assert entry.transport == transport and entry.url is not None
    assert "echo" in mcp_tools(entry.url, transport=SSE if transport == SSE else STREAMABLE_HTTP)

    again = cli("fix", "--config", str(cfg), "--write", "--timeout", "3")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "nothing to change" in again.stdout
    assert cfg.read_bytes() == written
