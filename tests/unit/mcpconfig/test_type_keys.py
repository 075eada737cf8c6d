"""Transport edits in the corners the golden files do not reach: added keys in every layout, bridge flags."""

from __future__ import annotations

import pytest

from mcp_dockernet.fix.plan import apply_to_text, plan
from mcp_dockernet.mcpconfig import type_keys
from mcp_dockernet.mcpconfig.clients import CLIENTS
from mcp_dockernet.mcpconfig.mcp_config import load_config
from mcp_dockernet.model import SSE, STREAMABLE_HTTP
from mcp_dockernet.report import Report, ServerReport


def fixed(tmp_path, name, client, text, transport, url=None):
    path = tmp_path / name
    path.write_bytes(text.encode())
    config = load_config(str(path), CLIENTS[client])
    entry = config.entries[0]
    server = ServerReport(entry, "host", "", "error", (), url, None, writable=True, suggested_transport=transport)
    notes: list[str] = []
    edits = plan(Report((server,), (config.path,)), [config], notes)
    after = apply_to_text(config.text, edits)
    if edits:  # the result reads back as the transport asked for, and a second plan changes nothing
        path.write_bytes(after.encode())
        again = load_config(str(path), CLIENTS[client])
        assert again.entries[0].transport == transport
        server = ServerReport(again.entries[0], "host", "", "error", (), url, None, True, suggested_transport=transport)
        assert plan(Report((server,), (again.path,)), [again]) == ()
    return after, notes


@pytest.mark.parametrize(
    "name, client, before, transport, after",
    [
        (  # one line, Claude Code's default is HTTP: the key is added before "url", inline
            "mcp.json",
            "claude-code",
            '{"mcpServers": {"a": {"url": "http://x:1/sse"}}}',
            SSE,
            '{"mcpServers": {"a": {"type": "sse", "url": "http://x:1/sse"}}}',
        ),
        (  # compact separators are copied
            "mcp.json",
            "claude-code",
            '{"mcpServers":{"a":{"headers":{},"url":"http://x:1/sse"}}}',
            SSE,
            '{"mcpServers":{"a":{"headers":{},"type":"sse","url":"http://x:1/sse"}}}',
        ),
        (  # a line of its own, CRLF kept
            "mcp.json",
            "cline",
            '{\r\n  "mcpServers": {\r\n    "a": {\r\n      "url": "http://x:1/mcp"\r\n    }\r\n  }\r\n}\r\n',
            STREAMABLE_HTTP,
            '{\r\n  "mcpServers": {\r\n    "a": {\r\n      "type": "streamableHttp",\r\n      "url": "http://x:1/mcp"\r\n'
            "    }\r\n  }\r\n}\r\n",
        ),
        (  # YAML: the URL is the list item's first key
            "config.yaml",
            "continue",
            "mcpServers:\n  - url: http://x:1/sse   # legacy\n    name: a\n",
            SSE,
            "mcpServers:\n  - type: sse\n    url: http://x:1/sse   # legacy\n    name: a\n",
        ),
        (  # YAML: quoted key and value, quoted alike
            "config.yaml",
            "continue",
            'mcpServers:\n  - name: a\n    "url": "http://x:1/sse"\n',
            SSE,
            'mcpServers:\n  - name: a\n    "type": "sse"\n    "url": "http://x:1/sse"\n',
        ),
        (  # YAML flow mapping
            "config.yaml",
            "continue",
            "mcpServers:\n  - {name: a, url: http://x:1/sse}\n",
            SSE,
            "mcpServers:\n  - {name: a, type: sse, url: http://x:1/sse}\n",
        ),
        (  # supergateway: the flag before the URL is the transport
            "claude_desktop_config.json",
            "claude-desktop",
            '{"mcpServers": {"a": {"command": "npx", "args": ["-y", "supergateway", "--sse", "http://x:1/mcp"]}}}',
            STREAMABLE_HTTP,
            '{"mcpServers": {"a": {"command": "npx", "args": ["-y", "supergateway", "--streamableHttp", "http://x:1/mcp"]}}}',
        ),
        (  # mcp-remote's --transport=VALUE form
            "claude_desktop_config.json",
            "claude-desktop",
            '{"mcpServers": {"a": {"command": "npx", "args": ["mcp-remote", "http://x:1/sse", "--transport=http-only"]}}}',
            SSE,
            '{"mcpServers": {"a": {"command": "npx", "args": ["mcp-remote", "http://x:1/sse", "--transport=sse-only"]}}}',
        ),
    ],
    ids=[
        "json-inline",
        "json-compact",
        "json-crlf-line",
        "yaml-first-key",
        "yaml-quoted",
        "yaml-flow",
        "supergateway",
        "mcp-remote-equals",
    ],  # fmt: skip
)
def test_the_transport_is_set_in_the_files_own_style(tmp_path, name, client, before, transport, after):
    assert fixed(tmp_path, name, client, before, transport) == (after, [])


def test_mcp_remote_gets_allow_http_and_its_transport_in_one_insert(tmp_path):
    text = '{"mcpServers": {"a": {"command": "npx", "args": ["mcp-remote", "http://localhost:8000/mcp"]}}}'
    after, notes = fixed(tmp_path, "claude_desktop_config.json", "claude-desktop", text, SSE, "http://srv:8000/sse")
    assert notes == []
    assert after == (
        '{"mcpServers": {"a": {"command": "npx", "args": ["mcp-remote", "http://srv:8000/sse", "--allow-http", '
        '"--transport", "sse-only"]}}}'
    )


def test_gemini_with_both_url_keys_is_left_to_the_user(tmp_path):
    text = '{"mcpServers": {"a": {"httpUrl": "http://x:1/sse", "url": "http://x:1/sse"}}}'
    after, notes = fixed(tmp_path, "settings.json", "gemini", text, SSE)
    assert after == text and len(notes) == 1 and '"httpUrl"' in notes[0]


def test_a_supergateway_url_without_its_flag_is_not_guessed(tmp_path):
    text = '{"mcpServers": {"a": {"command": "supergateway", "args": ["http://x:1/sse"]}}}'
    after, notes = fixed(tmp_path, "claude_desktop_config.json", "claude-desktop", text, STREAMABLE_HTTP)
    assert after == text and "no --sse or --streamableHttp flag" in notes[0]


@pytest.mark.parametrize("bridge, flag", [("mcp-remote", "--transport sse-only"), ("supergateway", "--sse")])
def test_a_bridge_fix_names_its_flag_never_a_type(tmp_path, bridge, flag):
    args = (
        f'["{bridge}", "--streamableHttp", "http://x:1/sse"]'
        if bridge == "supergateway"
        else f'["{bridge}", "http://x:1/sse"]'
    )
    path = tmp_path / "claude_desktop_config.json"
    path.write_text(f'{{"mcpServers": {{"a": {{"command": "npx", "args": {args}}}}}}}')
    entry = load_config(str(path)).entries[0]
    words = type_keys.setting(entry, SSE).words
    assert entry.bridge == bridge and "type" not in words and flag.split()[-1] in words and flag.split()[0] in words
