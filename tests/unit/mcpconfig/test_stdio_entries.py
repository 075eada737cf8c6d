"""stdio entries read into StdioCommand by each client's keys, in every format, with spans into the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcpconfig.clients import CLIENTS
from mcp_dockernet.mcpconfig.mcp_config import load_config
from mcp_dockernet.model import ConfigFile, StdioCommand
from mcp_dockernet.redact import MASK, redact_text


def read(tmp_path: Path, name: str, text: str, client: str) -> ConfigFile:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return load_config(str(path), CLIENTS[client], explicit=True)


def command(config: ConfigFile, name: str) -> StdioCommand:
    entry = next(e for e in config.entries if e.name == name)
    assert entry.stdio is not None and entry.url is None and entry.transport == "stdio"
    return entry.stdio


def token(config: ConfigFile, span: object) -> str:
    assert span is not None
    return config.text[span.start : span.end]  # type: ignore[attr-defined]


def test_claude_code_docker_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_IMAGE_TAG", "1.2")
    config = read(tmp_path, ".mcp.json", """{
  "mcpServers": {
    "github": {
      "command": "docker",
      "args": ["run", "-i", "--rm", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server:${MY_IMAGE_TAG}"],
      "env": {"GITHUB_TOKEN": "ghp_0123456789abcdef"}
    }
  }
}
""", "claude-code")  # fmt: skip
    cmd = command(config, "github")
    assert cmd.command == "docker"
    assert cmd.args[-1] == "ghcr.io/github/github-mcp-server:1.2"
    assert cmd.raw_args[-1] == "ghcr.io/github/github-mcp-server:${MY_IMAGE_TAG}"
    assert dict(cmd.env) == {"GITHUB_TOKEN": "ghp_0123456789abcdef"}
    assert token(config, cmd.command_span) == '"docker"'
    assert [token(config, s) for s in cmd.arg_spans] == [f'"{a}"' for a in cmd.raw_args]
    assert token(config, dict(cmd.env_spans)["GITHUB_TOKEN"]) == '"ghp_0123456789abcdef"'
    assert cmd.docker is not None and cmd.docker.image == "ghcr.io/github/github-mcp-server:1.2"
    assert cmd.docker.image_index == 5 and cmd.docker.on("interactive")
    assert "ghp_" not in redact_text(config.text, config.secret_spans)


def test_unknown_placeholders_are_kept_and_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOT_SET_HERE", raising=False)
    config = read(tmp_path, ".cursor/mcp.json", '{"mcpServers": {"x": {"command": "npx", "args": ["-y", "${env:NOT_SET_HERE}"]}}}', "cursor")  # fmt: skip
    cmd = command(config, "x")
    assert cmd.args == ("-y", "${env:NOT_SET_HERE}") and cmd.unresolved == ("env:NOT_SET_HERE",)


def test_vscode_jsonc_with_env_file_cwd_and_comments(tmp_path: Path) -> None:
    config = read(tmp_path, ".vscode/mcp.json", """{
  // a comment
  "servers": {
    "db": {
      "type": "stdio",
      "command": "uvx",
      "args": [
        "mcp-server-postgres", // trailing comment
        "postgresql://localhost/db",
      ],
      "envFile": "${workspaceFolder}/.env",
      "cwd": "/srv",
    },
  },
}
""", "vscode")  # fmt: skip
    cmd = command(config, "db")
    assert (cmd.command, cmd.args, cmd.cwd, cmd.env_file) == (
        "uvx", ("mcp-server-postgres", "postgresql://localhost/db"), "/srv", "${workspaceFolder}/.env"
    )  # fmt: skip
    assert cmd.unresolved == ("workspaceFolder",)
    assert [token(config, s) for s in cmd.arg_spans] == ['"mcp-server-postgres"', '"postgresql://localhost/db"']
    assert cmd.docker is None


def test_continue_yaml_list(tmp_path: Path) -> None:
    config = read(tmp_path, ".continue/config.yaml", """mcpServers:
  - name: Docker fs
    command: docker
    args:
      - run
      - -it
      - 'mcp/filesystem'
    env:
      LOG: debug
""", "continue")  # fmt: skip
    cmd = command(config, "Docker fs")
    assert cmd.args == ("run", "-it", "mcp/filesystem") and dict(cmd.env) == {"LOG": "debug"}
    assert [token(config, s) for s in cmd.arg_spans] == ["run", "-it", "'mcp/filesystem'"]
    assert cmd.docker is not None and cmd.docker.on("tty")


def test_codex_toml_env_vars_and_cwd(tmp_path: Path) -> None:
    config = read(tmp_path, ".codex/config.toml", """[mcp_servers.github]
command = "docker"
args = ["run", "-i", "--rm", "-e", "GITHUB_TOKEN", 'ghcr.io/github/github-mcp-server']
env_vars = ["GITHUB_TOKEN"]
cwd = "/tmp"

[mcp_servers.github.env]
LOG_LEVEL = "info"
""", "codex")  # fmt: skip
    cmd = command(config, "github")
    assert cmd.passthrough_env == ("GITHUB_TOKEN",) and cmd.cwd == "/tmp" and dict(cmd.env) == {"LOG_LEVEL": "info"}
    assert token(config, cmd.arg_spans[5]) == "'ghcr.io/github/github-mcp-server'"
    assert token(config, dict(cmd.env_spans)["LOG_LEVEL"]) == '"info"'


def test_goose_cmd_envs_env_keys(tmp_path: Path) -> None:
    config = read(tmp_path, ".config/goose/config.yaml", """extensions:
  github:
    type: stdio
    cmd: docker
    args: [run, -i, --rm, ghcr.io/github/github-mcp-server]
    envs: {GITHUB_PERSONAL_ACCESS_TOKEN: ghp_0123456789abcdef}
    env_keys: [OTHER_KEY]
    enabled: true
  off:
    type: stdio
    cmd: nope
    enabled: false
""", "goose")  # fmt: skip
    cmd = command(config, "github")
    assert cmd.command == "docker" and cmd.args[-1] == "ghcr.io/github/github-mcp-server"
    assert cmd.passthrough_env == ("OTHER_KEY",)
    assert token(config, cmd.command_span) == "docker"
    off = next(e for e in config.entries if e.name == "off")
    assert off.skip_reason is not None and "disabled" in off.skip_reason
    assert "ghp_" not in redact_text(config.text, config.secret_spans)


def test_zed_command_string_and_the_older_nested_form(tmp_path: Path) -> None:
    config = read(tmp_path, ".zed/settings.json", """{
  "context_servers": {
    "new": {"command": "npx", "args": ["-y", "x-mcp"], "env": {}},
    "old": {"source": "custom", "command": {"path": "docker", "args": ["run", "-i", "img"], "env": {"A": "1"}}}
  }
}
""", "zed")  # fmt: skip
    assert command(config, "new").args == ("-y", "x-mcp")
    old = command(config, "old")
    assert old.command == "docker" and old.docker is not None and old.docker.image == "img"
    assert token(config, old.command_span) == '"docker"' and token(config, old.arg_spans[2]) == '"img"'


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('{"command": 3}', "command must be a non-empty string"),
        ('{"command": "docker", "args": "run -i img"}', "args must be a list of strings"),
        ('{"command": "docker", "args": ["run", {"x": 1}]}', "args[1] must be a string"),
        ('{"command": "docker", "env": ["A=1"]}', "env must map names to strings"),
        ('{"command": "docker", "env": {"A": null}}', "env.A must be a string"),
        ('{"command": "docker", "cwd": 1}', "cwd must be a string"),
    ],
)
def test_bad_stdio_entries_are_named_with_their_line(tmp_path: Path, body: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        read(tmp_path, ".mcp.json", '{\n  "mcpServers": {\n    "s": ' + body + "\n  }\n}\n", "claude-code")
    assert problem in str(caught.value) and ":3" in str(caught.value)


def test_secret_docker_env_values_and_tokens_in_args_are_masked(tmp_path: Path) -> None:
    config = read(tmp_path, ".mcp.json", """{"mcpServers": {"s": {"command": "docker", "args": [
  "run", "-i", "-e", "OPENAI_API_KEY=sk-proj-abcdef0123456789", "--env=DB_PASSWORD=hunter2",
  "-eSLACK_TOKEN=xoxb-1-2-3", "img", "--api-key", "plainsecret", "ghp_0123456789abcdef0123", "LOG=debug"]}}}
""", "claude-code")  # fmt: skip
    shown = redact_text(config.text, config.secret_spans)
    for secret in ("sk-proj", "hunter2", "xoxb-", "plainsecret", "ghp_"):
        assert secret not in shown, secret
    assert '"LOG=debug"' in shown and '"img"' in shown and MASK in shown
