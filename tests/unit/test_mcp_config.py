from __future__ import annotations

import pytest

from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcpconfig.mcp_config import load_config
from mcp_dockernet.model import HTTP_THEN_SSE, SSE, STREAMABLE_HTTP

CLAUDE_JSON = """{
  "numStartups": 12,
  "mcpServers": {
    "user-wide": {"type": "sse", "url": "http://localhost:9000/sse"}
  },
  "projects": {
    "/home/me/repo": {
      "allowedTools": [],
      "mcpServers": {
        "local": {"type": "http", "url": "http://127.0.0.1:8000/mcp", "headers": {"X-Api-Key": "k-123"}},
        "fs": {"command": "npx", "args": ["-y", "fs"], "env": {"TOKEN": "t-456"}}
      }
    }
  }
}
"""


def test_reads_user_and_per_project_servers_of_claude_json(tmp_path):
    path = tmp_path / ".claude.json"
    path.write_text(CLAUDE_JSON)
    config = load_config(str(path))
    by_name = {e.name: e for e in config.entries}
    assert config.client == "claude-code"
    assert by_name["user-wide"].transport == SSE and by_name["user-wide"].scope == "mcpServers"
    assert by_name["local"].scope == "projects[/home/me/repo].mcpServers"
    assert by_name["local"].transport == STREAMABLE_HTTP and by_name["local"].line == 10
    assert by_name["fs"].url is None and by_name["fs"].transport == "stdio"
    span = by_name["local"].url_span
    assert config.text[span.start : span.end] == '"http://127.0.0.1:8000/mcp"'
    secrets = [config.text[s.start : s.end] for s in config.secret_spans]
    assert '"k-123"' in secrets and '"t-456"' in secrets


def test_untyped_url_entry_gets_the_clients_default(tmp_path):
    path = tmp_path / ".cursor" / "mcp.json"
    path.parent.mkdir()
    path.write_text('{"mcpServers": {"a": {"url": "http://localhost:1/mcp"}}}')
    config = load_config(str(path))
    assert config.client == "cursor"
    assert config.entries[0].transport == HTTP_THEN_SSE and not config.entries[0].transport_declared


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b'{"mcpServers": {"a": {"url": 1}}}', "mcpServers.a.url must be a string"),
        (b'{"mcpServers": []}', "mcpServers must be an object"),
        (b"[1, 2]", "the top level must be a JSON object"),
        (b'{"mcpServers": {"a": {"url": "http://x", "type": "carrier-pigeon"}}}', "not a transport"),
        (b'{\n "mcpServers": {\n  "a": {"url": "\xff"}}}', "not UTF-8"),
        (b'{\n "mcpServers": {\n  "a": {"url": "x",}}}', "invalid JSON"),
    ],
)
def test_bad_files_give_one_clear_error_with_path_and_line(tmp_path, content, expected):
    path = tmp_path / ".mcp.json"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        load_config(str(path))
    assert expected in str(caught.value)
    assert str(caught.value).startswith(str(path))
    assert caught.value.line is not None or "top level" not in expected


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        load_config(str(tmp_path / "nope.json"))


def test_bom_is_kept_out_of_the_text_but_remembered(tmp_path):
    path = tmp_path / ".mcp.json"
    path.write_bytes(b'\xef\xbb\xbf{"mcpServers": {}}')
    config = load_config(str(path))
    assert config.has_bom and config.text.startswith("{")
