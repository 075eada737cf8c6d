"""The text report of a real run (a real SDK server in a container, a real probe) at 60 and 120 columns."""

from __future__ import annotations

import pytest

from tests.integration.helpers import cli, mcp_tools, write_config
from tests.lab.docker_lab import free_port
from tests.unit.test_first_run import check_wrapped

pytestmark = pytest.mark.docker


def test_a_real_wrong_port_report_wraps_at_60_and_120_and_its_apply_line_works(lab, tmp_path):
    inner, host_port = free_port(), free_port()  # listens on `inner`, published on host_port
    lab.mcp_server("width", port=inner, publish={inner: host_port})
    write_config(tmp_path / ".mcp.json", {"moved": {"type": "http", "url": f"http://localhost:{inner}/mcp"}})
    home = tmp_path / "home"
    home.mkdir()

    def doctor(columns: int) -> str:
        done = cli("doctor", "--config", ".mcp.json", env={"COLUMNS": str(columns), "HOME": str(home)},
                   cwd=str(tmp_path))  # fmt: skip
        assert done.returncode == 1 and "wrong-port" in done.stdout, done.stdout + done.stderr
        return done.stdout

    wide = doctor(10_000)
    assert max(len(line) for line in wide.splitlines()) > 60  # the report has long lines to wrap
    for columns in (60, 120):
        check_wrapped(doctor(columns), wide, columns)
    (apply,) = [line.strip() for line in doctor(60).splitlines() if line.strip().startswith("apply:")]
    assert apply == "apply: mcp-dockernet fix --config .mcp.json --write"
    fixed = cli(*apply.removeprefix("apply: mcp-dockernet ").split(), cwd=str(tmp_path), env={"HOME": str(home)})
    assert fixed.returncode == 0, fixed.stderr
    assert "echo" in mcp_tools(f"http://localhost:{host_port}/mcp")
    assert f"localhost:{host_port}/mcp" in (tmp_path / ".mcp.json").read_text()
