"""The verdict names the right server, and nothing is written without evidence (issue: observed truth).

Every test here runs beside the noise project (tests/lab/noise.py: another Compose project whose
services publish container ports 8000 and 8001, one listening with no ports declared, and its own
`agent` and `server`), and with servers that declare no ports: what a developer's laptop looks like.
"""

from __future__ import annotations

import json

import pytest

from tests.integration.helpers import cli, codes, doctor_json, mcp_config_in, mcp_tools, server, write_config
from tests.lab.compose_lab import agent_service, mcp_service, wait_for_mcp_log
from tests.lab.docker_lab import free_port

pytestmark = pytest.mark.docker


def _no_ports(port: int) -> dict:
    return {**mcp_service(port), "expose": []}  # listens on `port`, declares nothing


@pytest.mark.parametrize("probe", [True, False], ids=["probe", "no-probe"])
def test_a_sibling_with_no_ports_is_named_fixed_and_proved_from_the_agent(compose_lab, tmp_path, noise, probe):
    config = mcp_config_in(tmp_path / "cfg", "http://localhost:8001/mcp")
    path = compose_lab.write("a", {"agent": agent_service(config_dir=config.parent), "fastmcp": _no_ports(8001)})
    compose_lab.up(path)
    project = compose_lab.project("a")
    wait_for_mcp_log(f"{project}-fastmcp-1")
    flags = [] if probe else ["--no-probe"]

    code, report = doctor_json("--config", str(config), *flags)

    tools = server(report, "tools")
    assert code == 1
    assert codes(tools) == ["localhost-in-container"]
    assert tools["suggested_url"] == "http://fastmcp:8001/mcp"  # not the noise project's published 8001
    assert tools["suggestion_writable"] is True
    assert str(noise.host_port("tools", 8001)) not in json.dumps(tools["findings"])

    done = cli("fix", "--config", str(config), "--write", *flags)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(config.read_text())["mcpServers"]["tools"]["url"] == "http://fastmcp:8001/mcp"
    assert "echo" in compose_lab.mcp_tools_from(f"{project}-agent-1", "http://fastmcp:8001/mcp")


def test_three_projects_each_agent_gets_its_own_server(compose_lab, tmp_path, noise):
    """Two projects beside the noise one, each an agent whose config says localhost:8001 and a sibling on
    8001 that declares no port: each is pointed at its own sibling, and each agent connects after the fix."""
    configs = {}
    for name, sibling in (("one", "fastmcp"), ("two", "tsserver")):
        config = mcp_config_in(tmp_path / name / "cfg", "http://localhost:8001/mcp")
        path = compose_lab.write(name, {"agent": agent_service(config_dir=config.parent), sibling: _no_ports(8001)})
        compose_lab.up(path)
        wait_for_mcp_log(f"{compose_lab.project(name)}-{sibling}-1")
        configs[name] = (config, sibling)

    _, report = doctor_json(*(a for config, _ in configs.values() for a in ("--config", str(config))))

    for name, (config, sibling) in configs.items():
        entry = next(s for s in report["servers"] if s["config"] == str(config))
        assert entry["client"] == f"container:{compose_lab.project(name)}-agent-1"
        assert codes(entry) == ["localhost-in-container"]
        assert entry["suggested_url"] == f"http://{sibling}:8001/mcp" and entry["suggestion_writable"]
    done = cli("fix", *(a for config, _ in configs.values() for a in ("--config", str(config))), "--write")
    assert done.returncode == 0, done.stdout + done.stderr
    for name, (config, sibling) in configs.items():
        url = f"http://{sibling}:8001/mcp"
        assert json.loads(config.read_text())["mcpServers"]["tools"]["url"] == url
        assert "echo" in compose_lab.mcp_tools_from(f"{compose_lab.project(name)}-agent-1", url)


def test_another_projects_server_is_shown_but_never_written(compose_lab, tmp_path, noise):
    """Only the noise project serves 8001; the agent cannot reach it (no host-gateway): nothing is written."""
    config = mcp_config_in(tmp_path / "cfg", "http://localhost:8001/mcp")
    original = config.read_text()
    compose_lab.up(compose_lab.write("lonely", {"agent": agent_service(config_dir=config.parent)}))

    code, report = doctor_json("--config", str(config))

    tools = server(report, "tools")
    assert code == 1 and codes(tools)[0] == "localhost-in-container"
    assert tools["suggestion_writable"] is False
    done = cli("fix", "--config", str(config), "--write")
    assert config.read_text() == original, done.stdout + done.stderr


@pytest.mark.parametrize("probe", [True, False], ids=["probe", "no-probe"])
def test_docker_run_without_p_or_expose_is_named_beside_the_other_projects_server(lab, tmp_path, noise, probe):
    """`docker run` with no -p and no EXPOSE, listening on 8000; the noise project's `server` also serves
    container port 8000 (published elsewhere, a real MCP server). Neither is the host client's project:
    both are named, each with its own fix, and nothing is written."""
    bare = lab.mcp_server("bare", port=8000, expose=False)
    cfg = tmp_path / ".mcp.json"
    original = write_config(cfg, {"bare": {"type": "http", "url": "http://localhost:8000/mcp"}})
    flags = [] if probe else ["--no-probe"]

    code, report = doctor_json("--config", str(cfg), *flags)

    entry = server(report, "bare")
    assert code == 1
    assert len(entry["findings"]) == 1 and codes(entry)[0] in ("wrong-port", "port-not-published")
    finding = entry["findings"][0]
    assert "server-not-running" not in codes(entry)  # the old verdict about a running container
    assert bare.name in finding["message"] and "publishes no host port for it" in finding["message"]
    assert f"{noise.name}-server-1" in finding["message"]
    assert f"http://localhost:{noise.host_port('server', 8000)}/mcp" in finding["candidates"]
    assert entry["suggested_url"] is None and not finding["writable"]
    cli("fix", "--config", str(cfg), "--write", *flags)
    assert cfg.read_text() == original


def test_docker_run_without_p_or_expose_alone_is_port_not_published(lab, tmp_path, noise):
    """The same server on a port no other project serves: named, with the -p that publishes it."""
    port = free_port()
    bare = lab.mcp_server("bare", port=port, expose=False)
    cfg = tmp_path / ".mcp.json"
    original = write_config(cfg, {"bare": {"type": "http", "url": f"http://localhost:{port}/mcp"}})

    code, report = doctor_json("--config", str(cfg), "--no-probe")

    entry = server(report, "bare")
    assert code == 1 and codes(entry) == ["port-not-published"]
    assert bare.name in entry["findings"][0]["message"]
    assert f"-p 127.0.0.1:{port}:{port}" in entry["findings"][0]["fix"]
    cli("fix", "--config", str(cfg), "--write")
    assert cfg.read_text() == original


def test_published_to_the_wrong_container_port_says_where_the_server_listens(lab, tmp_path, noise):
    host_port = free_port()
    lab.mcp_server("mismapped", port=9000, publish={8000: host_port}, expose=True)
    cfg = tmp_path / ".mcp.json"
    write_config(cfg, {"m": {"type": "http", "url": f"http://localhost:{host_port}/mcp"}})

    code, report = doctor_json("--config", str(cfg), "--no-probe")

    entry = server(report, "m")
    assert code == 1 and codes(entry) == ["port-not-published"]
    assert "to container port 8000, but the server listens on 9000" in entry["findings"][0]["message"]
    assert f"127.0.0.1:{host_port}:9000" in entry["findings"][0]["fix"]


def test_a_compose_project_not_running_is_a_preflight_for_host_clients(compose_lab, tmp_path, noise):
    host_port = free_port()
    path = compose_lab.write(
        "pre", {"server": mcp_service(8000, ports=[f"127.0.0.1:{host_port}:8000"]), "side": mcp_service(8001)}
    )
    cfg = tmp_path / ".mcp.json"
    write_config(
        cfg,
        {
            "main": {"type": "http", "url": "http://localhost:8000/mcp"},
            "side": {"type": "http", "url": "http://localhost:8001/mcp"},
        },
    )

    code, report = doctor_json("--config", str(cfg), "--compose", str(path), "--no-probe", "--client", "host")
    # With no engine at all (a CI pre-flight), the Compose file decides the same verdicts.
    static_code, static = doctor_json(
        "--config",
        str(cfg),
        "--compose",
        str(path),
        "--no-probe",
        "--client",
        "host",
        env={"DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"},
    )
    assert static_code == code and [codes(s) for s in static["servers"]] == [codes(s) for s in report["servers"]]

    main, side = server(report, "main"), server(report, "side")
    assert code == 1
    assert codes(main) == ["wrong-port"]
    assert "the service is not running" in main["findings"][0]["message"]
    assert "compose.yaml" in main["findings"][0]["message"]
    assert main["suggested_url"] == f"http://localhost:{host_port}/mcp" and main["suggestion_writable"]
    assert codes(side) == ["port-not-published"]


def test_probe_from_a_service_stays_in_its_own_project(compose_lab, tmp_path, noise):
    """The noise project has an `agent` and a `server`; ours has only an agent."""
    path = compose_lab.write("own", {"agent": agent_service()})
    compose_lab.up(path)

    here = cli("probe", "http://server:8000/mcp", "--from", "service:agent", "--format", "json", cwd=str(path.parent))
    assert here.returncode == 1, here.stdout + here.stderr  # no `server` in our project
    probe = json.loads(here.stdout)["probe"]
    assert probe["vantage"] == f"container:{compose_lab.project('own')}-agent-1"
    assert probe["outcome"] == "dns-failure"

    anywhere = cli("probe", "http://server:8000/mcp", "--from", "service:agent", cwd=str(tmp_path))
    assert anywhere.returncode == 2 and "several Compose projects" in anywhere.stderr

    theirs = cli("probe", "http://server:8000/mcp", "--from", "service:agent", "-p", noise.name, cwd=str(tmp_path))
    assert theirs.returncode == 0, theirs.stdout + theirs.stderr


def test_healthy_setups_beside_the_noise_are_ok(compose_lab, tmp_path, noise):
    config = mcp_config_in(tmp_path / "cfg", "http://fastmcp:8001/mcp")
    path = compose_lab.write("ok", {"agent": agent_service(config_dir=config.parent), "fastmcp": _no_ports(8001)})
    compose_lab.up(path)
    wait_for_mcp_log(f"{compose_lab.project('ok')}-fastmcp-1")
    host_cfg = tmp_path / "host.json"
    write_config(
        host_cfg, {"noise": {"type": "http", "url": f"http://localhost:{noise.host_port('server', 8000)}/mcp"}}
    )

    code, report = doctor_json("--config", str(config), "--config", str(host_cfg))

    assert code == 0, [s["findings"] for s in report["servers"]]
    assert {s["status"] for s in report["servers"]} == {"ok"}
    assert "echo" in mcp_tools(f"http://localhost:{noise.host_port('server', 8000)}/mcp")
