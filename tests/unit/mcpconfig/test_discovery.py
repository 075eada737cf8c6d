"""Discovery: with no --config, every known file of this user and project is read and reported."""

from __future__ import annotations

import json

import pytest

from mcp_dockernet.mcpconfig.discovery import discover
from tests.integration.helpers import cli
from tests.unit.mcpconfig.golden import CASES, place
from tests.unit.mcpconfig.test_readers import EXPECTED

USER = ["claude-code-user", "claude-desktop", "cursor", "windsurf", "cline", "continue", "zed", "codex", "gemini",
        "goose", "lmstudio"]  # fmt: skip
PROJECT = ["claude-code", "vscode", "vscode-devcontainer", "roo-code", "continue-block"]


@pytest.fixture
def machine(tmp_path):  # type: ignore[no-untyped-def]
    home, project = tmp_path / "home", tmp_path / "project"
    for client in USER:
        place(home, client)
    for client in PROJECT:
        place(project, client)
    return home, project


def test_every_known_file_is_found_with_its_client(machine):
    home, project = machine
    found = {(path, kind.name) for path, kind in discover(str(project), str(home), environ={}, system=False)}
    expected = {(str(home / CASES[c].place), CASES[c].kind) for c in USER}
    expected |= {(str(project / CASES[c].place), CASES[c].kind) for c in PROJECT}
    assert found == expected


def test_variables_move_files_and_empty_files_are_left_out(tmp_path):
    codex_home = tmp_path / "elsewhere"
    codex_home.mkdir()
    (codex_home / "config.toml").write_text('[mcp_servers.a]\nurl = "http://localhost:1/mcp"\n')
    (tmp_path / ".cursor").mkdir()
    (tmp_path / ".cursor" / "mcp.json").write_text("")
    found = discover(str(tmp_path / "p"), str(tmp_path), environ={"CODEX_HOME": str(codex_home)}, system=False)
    assert [(p, k.name) for p, k in found] == [(str(codex_home / "config.toml"), "codex")]


@pytest.mark.docker
def test_doctor_reports_every_http_server_of_every_client(machine, docker_client):
    home, project = machine
    env = {"HOME": str(home), "DOCS_HOST": "localhost", "MCP_PORT": "8001"}
    for unset in ("CODEX_HOME", "CLAUDE_CONFIG_DIR", "CONTINUE_GLOBAL_DIR", "XDG_CONFIG_HOME", "CLINE_DIR",
                  "CLINE_DATA_DIR", "CLINE_MCP_SETTINGS_PATH", "GEMINI_CLI_SYSTEM_SETTINGS_PATH"):  # fmt: skip
        env[unset] = ""
    done = cli("doctor", "--no-probe", "--format", "json", env=env, cwd=str(project))
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    for client in USER:
        assert str(home / CASES[client].place) in report["configs"]
    for client in PROJECT:
        assert any(c.endswith(CASES[client].place) for c in report["configs"])
    http = {(s["client_type"], s["name"]) for s in report["servers"] if s["url"]}
    assert {("zed", "brijio"), ("codex", "figma"), ("goose", "musicwire"), ("continue", "Local gateway"),
            ("windsurf", "you-com"), ("claude-desktop", "remote-example"), ("vscode", "gateway"),
            ("gemini", "env-port"), ("cline", "cli-server"), ("lmstudio", "hf-mcp-server")} <= http  # fmt: skip
    assert len(http) == sum(1 for c in USER + PROJECT for what in EXPECTED[c].values() if what != "stdio")
    text = cli("doctor", "--no-probe", env=env, cwd=str(project)).stdout
    for title in ("Zed", "Codex CLI", "Goose", "Continue", "Windsurf", "Cline", "Roo Code", "Gemini CLI", "LM Studio"):
        assert title in text
    for secret in ("your-token", "sk_test_123", "lin_api_secret", "mw-secret", "gw-secret-key", "ghp_example"):
        assert secret not in done.stdout and secret not in text
