"""The client on the host, the server in a container: every finding code of the first slice,
against a real engine, a real MCP server (official SDK) and a real MCP client judging the fix."""

from __future__ import annotations

import pytest

from tests.integration.helpers import cli, codes, doctor_json, mcp_tools, server, write_config
from tests.lab.docker_lab import free_port

pytestmark = pytest.mark.docker


def test_healthy_server_is_ok_and_exit_0(lab, tmp_path):
    host_port = free_port()
    lab.mcp_server("ok", port=8000, publish={8000: host_port})
    cfg = tmp_path / ".mcp.json"
    write_config(cfg, {"good": {"type": "http", "url": f"http://localhost:{host_port}/mcp"}})

    code, report = doctor_json("--config", str(cfg))

    good = server(report, "good")
    assert code == 0
    assert report["schema"] == "mcp-dockernet/doctor/v1"
    assert good["status"] == "ok" and good["findings"] == []
    assert good["probe"]["outcome"] == "mcp" and good["probe"]["server_name"] == "lab-server"
    assert lab.name("ok") in good["target"]


@pytest.mark.parametrize("probe", [True, False], ids=["probe", "no-probe"])
def test_wrong_port_is_found_fixed_and_the_fixed_url_connects(lab, tmp_path, probe):
    inner, host_port = free_port(), free_port()  # the server listens on `inner`, published as host_port
    lab.mcp_server("moved", port=inner, publish={inner: host_port})
    cfg = tmp_path / ".mcp.json"
    original = write_config(
        cfg,
        {
            "moved": {
                "type": "http",
                "url": f"http://localhost:{inner}/mcp",
                "headers": {"Authorization": "Bearer s3cr3t"},
            },
            "local": {"command": "npx", "args": ["some-server"]},
        },
    )
    flags = [] if probe else ["--no-probe"]

    code, report = doctor_json("--config", str(cfg), *flags)

    moved = server(report, "moved")
    assert code == 1
    assert codes(moved) == ["wrong-port"]
    assert moved["suggested_url"] == f"http://localhost:{host_port}/mcp"
    local = server(report, "local")  # a stdio entry: judged from its command line, not started without --launch
    assert (local["transport"], local["status"], local["launch"]) == ("stdio", "ok", None)
    assert any("not launched" in n for n in local["notes"])

    assert moved["suggestion_writable"] is probe
    if not probe:
        # A container of no project, seen but not confirmed by an MCP answer: shown, never written.
        unconfirmed = cli("fix", "--config", str(cfg), "--write", *flags)
        assert "is only a candidate" in unconfirmed.stderr
        assert cfg.read_text() == original
        return

    shown = cli("fix", "--config", str(cfg), *flags)
    changed = [line for line in shown.stdout.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert [line[0] for line in changed] == ["-", "+"]
    assert f"localhost:{inner}/mcp" in changed[0] and f"localhost:{host_port}/mcp" in changed[1]
    assert "s3cr3t" not in shown.stdout + shown.stderr
    assert cfg.read_text() == original, "fix without --write must not write"

    written = cli("fix", "--config", str(cfg), "--write", *flags)
    assert written.returncode == 0, written.stdout + written.stderr
    assert cfg.read_text() == original.replace(f"localhost:{inner}/", f"localhost:{host_port}/")
    assert (tmp_path / ".mcp.json.bak").read_text() == original
    assert "echo" in mcp_tools(f"http://localhost:{host_port}/mcp")


def test_port_not_published_names_the_ports_line(lab, tmp_path):
    port = free_port()
    lab.mcp_server("unpub", port=port, expose=True)
    cfg = tmp_path / ".mcp.json"
    write_config(cfg, {"unpub": {"type": "http", "url": f"http://127.0.0.1:{port}/mcp"}})

    code, report = doctor_json("--config", str(cfg))

    unpub = server(report, "unpub")
    assert code == 1
    assert codes(unpub) == ["port-not-published"]
    assert unpub["suggested_url"] is None
    assert f"-p 127.0.0.1:{port}:{port}" in unpub["findings"][0]["fix"]
    assert "refused" in unpub["probe"]["detail"]
    with pytest.raises(ExceptionGroup, match="TaskGroup") as failed:  # the real client agrees
        mcp_tools(f"http://127.0.0.1:{port}/mcp", timeout=10)
    assert "ConnectError" in repr(failed.value.exceptions)


def test_crashed_container_is_named_with_exit_code_and_last_log_line(lab, tmp_path):
    host_port = free_port()
    lab.crashing("crash", publish={8000: host_port}, message="ERROR: DATABASE_URL is not set", code=3)
    cfg = tmp_path / "mcp.json"
    write_config(cfg, {"crash": {"type": "http", "url": f"http://localhost:{host_port}/mcp?api_key=hunter2"}})

    done = cli("doctor", "--config", str(cfg))

    assert done.returncode == 1
    assert "server-not-running" in done.stdout
    assert "exit code 3" in done.stdout and "DATABASE_URL is not set" in done.stdout
    assert lab.name("crash") in done.stdout
    assert "hunter2" not in done.stdout + done.stderr


def test_nothing_at_all_listening(docker_client, tmp_path):
    port = free_port()
    cfg = tmp_path / ".mcp.json"
    write_config(cfg, {"gone": {"type": "http", "url": f"http://localhost:{port}/mcp"}})

    code, report = doctor_json("--config", str(cfg))

    gone = server(report, "gone")
    assert code == 1 and codes(gone) == ["server-not-running"]
    assert "nothing listens" in gone["findings"][0]["message"]
    assert gone["probe"]["outcome"] == "refused"
