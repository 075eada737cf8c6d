"""Bad input in every format: one ConfigError naming the file and the line; exit 2 from the CLI."""

from __future__ import annotations

import pytest

from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcpconfig.mcp_config import load_config
from tests.integration.helpers import cli

JSON, JSONC, YAML, TOML = ".mcp.json", ".vscode/mcp.json", ".continue/config.yaml", ".codex/config.toml"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)
CASES = [
    (JSON, b'{\n  "mcpServers": {\n    "a": {"url": "x",}\n  }\n}', "invalid JSON", 3),
    (JSON, b"[1, 2]", "top level must be a JSON object", 1),
    (JSON, b'{\n "mcpServers": {\n  "a": {"url": "\xff"}}}', "not UTF-8", 3),
    (JSON, b"", "the file is empty", 1),
    (JSON, b"[" * 300 + b"]" * 300, "nested more than", 1),
    (JSON, b'{"mcpServers": {"a": {"url": "http://x", "type": "pigeon"}}}', "not a transport", 1),
    (JSONC, b'{\n  "servers": {} /* never closed\n}', "unterminated /* comment", 2),
    (JSONC, b'{\n  "servers": []\n}', "servers must be an object", 2),
    (YAML, b"mcpServers:\n  - name: a\n    url: [unclosed\n", "invalid YAML", 4),
    (YAML, b"mcpServers:\n\t- name: a\n", "invalid YAML", 2),
    (YAML, b"- just\n- a list\n", "top level must be a YAML mapping", 1),
    (YAML, BOMB.encode(), "alias bomb", 5),
    (YAML, b"a: " + b"[" * 300 + b"]" * 300 + b"\n", "nested more than", 1),
    (YAML, b"name: a\n---\nname: b\n", "more than one YAML document", 2),
    (YAML, b"# only a comment\n", "no YAML document", 1),
    (YAML, b"name: caf\xe9\n", "not UTF-8", 1),
    (YAML, b"mcpServers: 5\n", "mcpServers must be a mapping", 1),
    (YAML, b"name: \x07bell\n", "not allowed in YAML", 1),
    (YAML, b"\n\n   \n", "the file is empty", 1),
    (TOML, b'model = "o3"\n[mcp_servers.a\nurl = "http://x"\n', "invalid TOML", 2),
    (TOML, b'[mcp_servers.a]\nurl = "http://x"\nurl = "http://y"\n', "invalid TOML", 3),
    (TOML, b"a = " + b"[" * 300 + b"]" * 300 + b"\n", "nested more than", 1),
    (TOML, b'mcp_servers = "none"\n', "mcp_servers must be a table", 1),
    (TOML, b"[mcp_servers.a]\nurl = 8000\n", "mcp_servers.a.url must be a string", 1),
    (TOML, b'model = "\xc3"\n', "not UTF-8", 1),
]


@pytest.mark.parametrize("where, content, expected, line", CASES)
def test_bad_file_is_one_clear_error(tmp_path, where, content, expected, line):
    path = tmp_path / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        load_config(str(path))
    assert expected in caught.value.reason
    assert str(caught.value).startswith(f"{path}:")
    assert caught.value.line == line


@pytest.mark.parametrize("where", [JSON, JSONC, YAML, TOML])
def test_a_50_mb_file_is_refused_without_reading_it(tmp_path, where):
    path = tmp_path / where
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: nothing to read, the size alone refuses it
    with pytest.raises(ConfigError, match="over 16 MiB"):
        load_config(str(path))


@pytest.mark.parametrize("where, content", [(YAML, BOMB.encode()), (TOML, b"[mcp_servers.a\n"), (JSONC, b"{,}")])
def test_cli_exits_2_with_one_line_and_writes_nothing(tmp_path, where, content):
    path = tmp_path / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    for command in ("doctor", "fix"):
        done = cli(command, "--config", str(path), "--no-probe")
        assert done.returncode == 2 and done.stdout == ""
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and f"{path}:" in lines[0] and "Traceback" not in done.stderr
    assert path.read_bytes() == content
    assert [p.name for p in path.parent.iterdir()] == [path.name]
