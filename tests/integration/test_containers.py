"""Clients in containers and Compose projects, on a real engine with the real Compose plugin:
every finding code of the containers issue, both ways of placing the client (the mount and
--client), the Compose environment entries, static mode with no engine, and the fixes proved
by a real MCP client inside the agent's container."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.integration.helpers import cli, codes, doctor_json, mcp_config_in, server
from tests.lab.compose_lab import agent_service, compose, mcp_service, wait_for_mcp_log
from tests.lab.docker_lab import LAB_DIR, free_port

pytestmark = pytest.mark.docker


def _one_project(compose_lab, tmp_path, url, *, agent_extra=None, server_extra=None, single_file=False):
    config = mcp_config_in(tmp_path / "cfg", url)
    agent = agent_service(config_file=config) if single_file else agent_service(config_dir=config.parent)
    agent.update(agent_extra or {})
    path = compose_lab.write("one", {"agent": agent, "server": mcp_service(8000, **(server_extra or {}))})
    compose_lab.up(path)
    project = compose_lab.project("one")
    wait_for_mcp_log(f"{project}-server-1")
    return config, path, f"{project}-agent-1"


def test_localhost_in_container_found_by_mount_fixed_and_proved_from_the_agent(compose_lab, tmp_path):
    config, _, agent = _one_project(compose_lab, tmp_path, "http://localhost:8000/mcp")

    code, report = doctor_json("--config", str(config))

    tools = server(report, "tools")
    assert code == 1
    assert tools["client"] == f"container:{agent}"
    assert "mounted at /config/mcp.json" in tools["client_reason"]
    assert codes(tools) == ["localhost-in-container"]
    assert tools["suggested_url"] == "http://server:8000/mcp"
    # probed from inside the agent's network namespace: what the agent itself would get
    evidence = tools["findings"][0]["evidence"]
    assert any(f"from container:{agent}" in e and "refused" in e for e in evidence)
    assert any("server:8000" in e and "answered" in e for e in evidence)
    assert tools["probe"]["vantage"] == f"container:{agent}"

    done = cli("fix", "--config", str(config), "--write")
    assert done.returncode == 0, done.stderr
    assert json.loads(config.read_text())["mcpServers"]["tools"]["url"] == "http://server:8000/mcp"
    assert "echo" in compose_lab.mcp_tools_from(agent, "http://server:8000/mcp")


def test_single_file_mount_is_written_in_place_and_the_container_sees_it(compose_lab, tmp_path):
    config, _, agent = _one_project(compose_lab, tmp_path, "http://localhost:8000/mcp", single_file=True)
    inode = os.stat(config).st_ino

    done = cli("fix", "--config", str(config), "--write")

    assert done.returncode == 0, done.stderr
    assert "written in place" in done.stderr
    assert os.stat(config).st_ino == inode
    seen = subprocess.run(["docker", "exec", agent, "cat", "/config/mcp.json"], capture_output=True, text=True)
    assert "http://server:8000/mcp" in seen.stdout


def test_service_name_with_the_host_port_is_wrong_port(compose_lab, tmp_path):
    host_port = free_port()
    config, _, _ = _one_project(
        compose_lab, tmp_path, f"http://server:{host_port}/mcp", server_extra={"ports": [f"127.0.0.1:{host_port}:8000"]}
    )
    _, report = doctor_json("--config", str(config))
    tools = server(report, "tools")
    assert codes(tools) == ["wrong-port"]
    assert tools["suggested_url"] == "http://server:8000/mcp"


def test_unknown_host_suggests_the_service_that_has_the_port(compose_lab, tmp_path):
    config, _, _ = _one_project(compose_lab, tmp_path, "http://mcp-srvr:8000/mcp")
    project = compose_lab.project("one")
    _, report = doctor_json("--config", str(config), "--client", "service:agent", "--project-name", project)
    tools = server(report, "tools")
    assert codes(tools) == ["unknown-host"]
    assert tools["client_reason"] == "--client service:agent"
    assert tools["suggested_url"] == "http://server:8000/mcp"


def test_two_projects_share_no_network(compose_lab, tmp_path):
    host_port = free_port()
    config = mcp_config_in(tmp_path / "cfg", "http://server:8000/mcp")
    a = compose_lab.write("a", {"agent": agent_service(config_dir=config.parent)})
    b = compose_lab.write("b", {"server": mcp_service(8000, ports=[f"127.0.0.1:{host_port}:8000"])})
    compose_lab.up(a)
    compose_lab.up(b)
    wait_for_mcp_log(f"{compose_lab.project('b')}-server-1")  # listening: a busy machine may take a while

    _, report = doctor_json("--config", str(config))

    tools = server(report, "tools")
    assert "no-shared-network" in codes(tools)
    finding = next(f for f in tools["findings"] if f["code"] == "no-shared-network")
    assert f"{compose_lab.project('b')}_default" in finding["fix"]
    # The noise project has a `server` too: which one is meant is the user's to say, so nothing is chosen.
    assert "several projects" in finding["fix"]
    assert f"http://host.docker.internal:{host_port}/mcp" in finding["candidates"]
    assert tools["suggested_url"] is None


def test_default_bridge_has_no_names(lab, tmp_path):
    config = mcp_config_in(tmp_path / "cfg", "http://SERVER:8000/mcp")
    srv = lab.mcp_server("bridge-srv", port=8000)
    url = f"http://{srv.name}:8000/mcp"
    config.write_text(config.read_text().replace("http://SERVER:8000/mcp", url))
    agent = lab.client.containers.run(
        "mcp-dockernet-lab/base:bookworm",
        ["sleep", "infinity"],
        name=lab.name("bridge-agent"),
        detach=True,
        labels={"mcp-dockernet-test": lab.run_id},
        volumes={str(config.parent): {"bind": "/config", "mode": "rw"}},
    )
    _, report = doctor_json("--config", str(config))
    tools = server(report, "tools")
    assert tools["client"] == f"container:{agent.name}"
    assert codes(tools) == ["default-bridge-no-dns"]


class HostServer:
    """A real MCP server as a host process, bound where the test says."""

    def __init__(self, host: str, port: int):
        self.port = port
        self.proc = subprocess.Popen(
            [sys.executable, str(LAB_DIR / "mcp_server.py"), "--host", host, "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for line in self.proc.stderr:  # bounded: the server prints this within a few seconds or dies
            if "Uvicorn running" in line or self.proc.poll() is not None:
                break

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def _bridge_gateway() -> str:
    done = subprocess.run(
        ["docker", "network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Gateway}}"],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or "172.17.0.1"


def test_server_on_the_host_needs_host_gateway_then_the_override_fixes_it(compose_lab, tmp_path):
    port = free_port()
    host_server = HostServer(_bridge_gateway(), port)  # reachable from containers, not from other machines
    try:
        config = mcp_config_in(tmp_path / "cfg", f"http://localhost:{port}/mcp")
        path = compose_lab.write("hg", {"agent": agent_service(config_dir=config.parent)})
        compose_lab.up(path)
        agent = f"{compose_lab.project('hg')}-agent-1"

        _, report = doctor_json("--config", str(config))
        tools = server(report, "tools")
        assert codes(tools) == ["localhost-in-container", "host-gateway-missing"]
        assert tools["suggested_url"] == f"http://host.docker.internal:{port}/mcp"

        override = tmp_path / "override.yaml"
        done = cli("fix", "--config", str(config), "--write", "--compose-override", str(override))
        assert done.returncode in (0, 1), done.stderr
        assert "host.docker.internal:host-gateway" in override.read_text()
        compose(path, "-f", str(override), "up", "-d", "--wait")

        _, after = doctor_json("--config", str(config))
        assert server(after, "tools")["findings"] == []
        assert "echo" in compose_lab.mcp_tools_from(agent, f"http://host.docker.internal:{port}/mcp")
    finally:
        host_server.stop()


def test_host_server_bound_to_loopback_is_unreachable_from_containers(compose_lab, tmp_path):
    port = free_port()
    host_server = HostServer("127.0.0.1", port)
    try:
        config = mcp_config_in(tmp_path / "cfg", f"http://host.docker.internal:{port}/mcp")
        agent = agent_service(config_dir=config.parent, extra_hosts=["host.docker.internal:host-gateway"])
        compose_lab.up(compose_lab.write("lb", {"agent": agent}))
        _, report = doctor_json("--config", str(config))
        tools = server(report, "tools")
        assert codes(tools) == ["host-loopback-bind"]
        assert "127.0.0.1" in tools["findings"][0]["evidence"][0]
    finally:
        host_server.stop()


def test_compose_environment_url_is_an_entry_of_its_service(compose_lab, tmp_path):
    agent = agent_service(environment={"PYTHONPATH": "/site", "TOOLS_MCP_URL": "http://localhost:8000/mcp"})
    path = compose_lab.write("env", {"agent": agent, "server": mcp_service(8000)})

    # Static mode first: the project is not up and there is no engine at all.
    env = {"DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"}
    code, report = doctor_json("--compose", str(path), "--no-probe", env=env, cwd=str(tmp_path))
    entry = server(report, "TOOLS_MCP_URL")
    assert code == 1
    assert entry["client"] == "container:agent" and codes(entry) == ["localhost-in-container"]
    assert entry["suggested_url"] == "http://server:8000/mcp"
    assert entry["line"] > 0

    compose_lab.up(path)
    _, live = doctor_json("--compose", str(path), cwd=str(tmp_path))
    assert server(live, "TOOLS_MCP_URL")["client"] == f"container:{compose_lab.project('env')}-agent-1"
