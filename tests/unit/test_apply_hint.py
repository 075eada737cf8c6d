"""The `apply:` hint is the fix command for that entry, with the options that found its file and client."""

from __future__ import annotations

import shlex

import pytest

from mcp_dockernet.model import ServerEntry
from mcp_dockernet.render.text import Selectors, apply_command
from mcp_dockernet.report import ServerReport
from tests.integration.helpers import cli

COMPOSE = "/p/My App/compose.yaml"


def _server(client: str, config: str = "/p/cfg/mcp.json") -> ServerReport:
    entry = ServerEntry(
        name="tools",
        config=config,
        client=client,
        scope="mcpServers",
        line=3,
        url="http://x/mcp",
        url_span=None,
        transport="streamable-http",
        transport_declared=True,
    )
    return ServerReport(entry, "container:agent", "t", "error", (), "http://server:8000/mcp", None)


@pytest.mark.parametrize(
    "client, config, sel, expected",
    [
        ("generic", "cfg/mcp.json", Selectors(), "fix --config cfg/mcp.json --write"),
        (
            "compose",
            COMPOSE,
            Selectors(compose_files=(COMPOSE,), project_name="demo"),
            f"fix --compose {shlex.quote(COMPOSE)} --project-name demo --write --edit-compose",
        ),
        (
            "generic",
            "/p/cfg/mcp.json",
            Selectors(compose_files=(COMPOSE,), mounted=frozenset({"/p/cfg/mcp.json"}), no_probe=True),
            f"fix --config /p/cfg/mcp.json --compose {shlex.quote(COMPOSE)} --write --no-probe",
        ),
        (
            "zed",
            "/p/cfg/mcp.json",
            Selectors(compose_files=(COMPOSE,), client="service:agent", client_type="zed", project_dir="/p"),
            f"fix --config /p/cfg/mcp.json --client-type zed --client service:agent "
            f"--compose {shlex.quote(COMPOSE)} --project-dir /p --write",
        ),
        (
            "generic",
            "/p/a.json",
            Selectors(client="container:x-1"),
            "fix --config /p/a.json --client container:x-1 --write",
        ),
    ],
)
def test_apply_hint_repeats_what_finds_the_entry_again(client, config, sel, expected):
    assert apply_command(_server(client, config), sel) == f"mcp-dockernet {expected}"


COMPOSE_TEXT = """services:
  agent:
    image: agent:local
    environment:
      TOOLS_MCP_URL: http://localhost:8000/mcp
  server:
    image: server:local
    expose: ["8000"]
"""


def test_a_compose_file_named_by_config_is_written_only_with_edit_compose(tmp_path):
    """Static mode (no engine): `--config compose.yaml` is read as the Compose file, and guarded as one."""
    path = tmp_path / "compose.yaml"
    path.write_text(COMPOSE_TEXT)
    env = {"DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"}
    doctor = cli("doctor", "--config", str(path), "--no-probe", env=env, cwd=str(tmp_path))
    assert doctor.returncode == 1, doctor.stderr
    assert "1 config file," in doctor.stdout  # once, as the Compose file, not also as an MCP config
    hint = next(line.split("apply: ", 1)[1] for line in doctor.stdout.splitlines() if "apply: " in line)
    assert hint == f"mcp-dockernet fix --compose {path} --write --edit-compose --no-probe"

    refused = cli("fix", "--config", str(path), "--write", "--no-probe", env=env, cwd=str(tmp_path))
    assert "not rewritten without --edit-compose" in refused.stderr
    assert path.read_text() == COMPOSE_TEXT

    done = cli(*shlex.split(hint)[1:], env=env, cwd=str(tmp_path))  # the hint, as printed
    assert f"wrote {path}" in done.stderr, done.stderr
    assert path.read_text() == COMPOSE_TEXT.replace("localhost:8000", "server:8000")
