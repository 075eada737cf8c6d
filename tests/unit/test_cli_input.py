"""Bad input and an absent engine: exit 2, one line naming the file (or socket), no traceback."""

from __future__ import annotations

import pytest

from tests.integration.helpers import cli


@pytest.mark.parametrize(
    "content, expected",
    [
        ('{\n  "mcpServers": {\n    "a": {"url": "http://localhost:1/mcp",}\n  }\n}', ":3:"),
        ("", "the file is empty"),
        ("[]", "top level must be a JSON object"),
    ],
)
def test_bad_config_exits_2_with_one_line(tmp_path, content, expected):
    path = tmp_path / ".mcp.json"
    path.write_text(content)
    for command in ("doctor", "fix"):
        done = cli(command, "--config", str(path), "--no-probe")
        assert done.returncode == 2
        assert done.stdout == ""
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and expected in lines[0]
        assert "Traceback" not in done.stderr
    assert path.read_text() == content


def test_missing_config_file(tmp_path):
    done = cli("doctor", "--config", str(tmp_path / "absent.json"))
    assert done.returncode == 2 and "no such file" in done.stderr


def test_unreachable_engine_names_the_socket(tmp_path):
    path = tmp_path / ".mcp.json"
    path.write_text('{"mcpServers": {"a": {"type": "http", "url": "http://localhost:1/mcp"}}}')
    socket = f"unix://{tmp_path}/no-docker.sock"
    done = cli("doctor", "--config", str(path), env={"DOCKER_HOST": socket})
    assert done.returncode == 2
    assert socket in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_unknown_rule_code():
    assert cli("rules", "explain", "no-such-code").returncode == 2
    listed = cli("rules", "list")
    assert listed.returncode == 0 and "wrong-port" in listed.stdout
