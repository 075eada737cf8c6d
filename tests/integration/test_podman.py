"""Podman (issue 15 item 2) on a real Podman 4.3 engine through its Docker-compatible API socket
(``podman system service``, reached with DOCKER_HOST): the flavour named in the report, pods as one
network namespace, host.containers.internal instead of Docker's name and host-gateway, a server bound
to its loopback, a wrong port; each fix proven by the official SDK client from where the client runs.
An unrelated Podman container serving the same container port runs beside every test."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator

import pytest

from tests.integration.helpers import cli, codes, doctor_json, mcp_config_in, mcp_tools, server
from tests.integration.test_containers import HostServer  # a real SDK server as a host process
from tests.lab.docker_lab import free_port, in_ci
from tests.lab.podman_lab import PodmanLab

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def podman(docker_client) -> Iterator[PodmanLab]:  # type: ignore[no-untyped-def]
    """The Podman engine (started by scripts/lab-podman if it was not), with its noise beside the tests."""
    try:
        lab = PodmanLab.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
        if in_ci():
            pytest.fail(f"CI=true but Podman cannot be set up: {e}")
        pytest.skip(f"no Podman engine: {e}")
    try:
        # noise: another SDK server on the same container port, published elsewhere
        lab.mcp_server("noise", publish={8000: free_port()})
        yield lab
    finally:
        lab.cleanup()
        lab.stop()


@pytest.fixture
def pm(podman: PodmanLab) -> Iterator[PodmanLab]:
    """One test's containers, removed after it; the noise stays for the module."""
    yield podman
    selector = f"label=mcp-dockernet-test={podman.run_id}"
    keep = podman.name("noise")
    pods = podman.podman("pod", "ps", "-q", "--filter", selector).stdout.split()
    if pods:
        podman.podman("pod", "rm", "-f", *pods)
    names = [n for n in podman.podman("ps", "-a", "--format", "{{.Names}}", "--filter", selector).stdout.split()]
    if gone := [n for n in names if n != keep]:
        podman.podman("rm", "-f", *gone)


def test_the_report_names_podman_and_a_pod_is_one_network_namespace(pm, tmp_path):
    host_port = free_port()
    pod = pm.pod("pod", {8000: host_port})
    srv = pm.mcp_server("srv", pod=pod)
    inside = mcp_config_in(tmp_path / "cfg", "http://localhost:8000/mcp")
    agent = pm.agent("agent", inside.parent, pod=pod)
    outside = mcp_config_in(tmp_path / "host", f"http://localhost:{host_port}/mcp")

    code, report = doctor_json("--config", str(inside), env=pm.env)
    tools = server(report, "tools")
    assert report["engine"]["product"].startswith("Podman 4.") and report["engine"]["product"].endswith("rootful")
    assert tools["client"] == f"container:{agent}"
    assert code == 0 and codes(tools) == []  # localhost in a pod is the pod: the server beside the agent
    assert tools["target"].startswith(f"pod {pod} of {agent}")
    assert tools["probe"]["vantage"] == f"container:{agent}" and tools["probe"]["server_name"] == "lab-server"
    assert "echo" in pm.mcp_tools_from(agent, "http://localhost:8000/mcp")

    code, report = doctor_json("--config", str(outside), env=pm.env)
    assert code == 0 and codes(server(report, "tools")) == []
    assert "echo" in mcp_tools(f"http://localhost:{host_port}/mcp")
    text = cli("doctor", "--config", str(outside), env=pm.env).stdout
    assert "Podman 4." in text and f"(pod {pod})" in text  # the pod's infra container holds its ports
    assert srv  # the member runs; the port is the pod's


def test_localhost_in_a_podman_container_becomes_host_containers_internal(pm, tmp_path):
    port = free_port()
    host_server = HostServer(pm.gateway(), port)  # reachable from Podman's containers, not from other machines
    try:
        config = mcp_config_in(tmp_path / "cfg", f"http://localhost:{port}/mcp")
        agent = pm.agent("agent", config.parent)

        code, report = doctor_json("--config", str(config), env=pm.env)
        tools = server(report, "tools")
        assert code == 1 and tools["client"] == f"container:{agent}"
        assert codes(tools) == ["localhost-in-container"]  # and no host-gateway-missing: Podman writes the name
        assert tools["suggested_url"] == f"http://host.containers.internal:{port}/mcp"
        evidence = tools["findings"][0]["evidence"]
        assert any("host.containers.internal" in e and "answered" in e for e in evidence), evidence
        assert "host.docker.internal" not in json.dumps(tools)

        done = cli("fix", "--config", str(config), "--write", env=pm.env)
        assert done.returncode == 0, done.stderr
        assert json.loads(config.read_text())["mcpServers"]["tools"]["url"] == tools["suggested_url"]
        assert "echo" in pm.mcp_tools_from(agent, tools["suggested_url"])
        code, after = doctor_json("--config", str(config), env=pm.env)
        assert code == 0 and codes(server(after, "tools")) == []
    finally:
        host_server.stop()


def test_dockers_name_for_the_host_does_not_resolve_on_podman_4_3(pm, tmp_path):
    port = free_port()
    host_server = HostServer(pm.gateway(), port)
    try:
        config = mcp_config_in(tmp_path / "cfg", f"http://host.docker.internal:{port}/mcp")
        agent = pm.agent("agent", config.parent)
        code, report = doctor_json("--config", str(config), env=pm.env)
        tools = server(report, "tools")
        assert code == 1 and codes(tools) == ["host-gateway-missing"]
        finding = tools["findings"][0]
        assert f"http://host.containers.internal:{port}/mcp" in finding["fix"]
        assert any(f"from container:{agent}" in e and "resolve" in e for e in finding["evidence"]), finding
        assert "echo" in pm.mcp_tools_from(agent, f"http://host.containers.internal:{port}/mcp")
    finally:
        host_server.stop()


def test_server_bound_to_its_loopback_in_a_podman_container(pm, tmp_path):
    host_port = free_port()
    srv = pm.mcp_server("srv", host="127.0.0.1", publish={8000: host_port})
    config = mcp_config_in(tmp_path / "cfg", f"http://localhost:{host_port}/mcp")

    code, report = doctor_json("--config", str(config), env=pm.env)
    tools = server(report, "tools")
    assert code == 1 and codes(tools) == ["loopback-bind"]
    evidence = tools["findings"][0]["evidence"]
    assert any(f"sockets of {srv}: listening on 127.0.0.1:8000" in e for e in evidence), evidence  # read from /proc
    with pytest.raises(Exception):  # noqa: B017 - the SDK client fails as the finding says
        mcp_tools(f"http://localhost:{host_port}/mcp", timeout=10)


def test_wrong_port_on_podman_is_fixed_to_the_published_one(pm, tmp_path):
    inside, host_port = free_port(), free_port()
    pm.mcp_server("srv", port=inside, publish={inside: host_port})
    config = mcp_config_in(tmp_path / "cfg", f"http://localhost:{inside}/mcp")

    code, report = doctor_json("--config", str(config), env=pm.env)
    tools = server(report, "tools")
    assert code == 1 and codes(tools) == ["wrong-port"]
    assert tools["suggested_url"] == f"http://localhost:{host_port}/mcp"

    done = cli("fix", "--config", str(config), "--write", env=pm.env)
    assert done.returncode == 0, done.stderr
    assert "echo" in mcp_tools(json.loads(config.read_text())["mcpServers"]["tools"]["url"])


def test_no_rewrite_without_evidence_on_podman(pm, tmp_path):
    """Only the noise serves port 8000, published on the host's loopback, which host.containers.internal (the
    bridge's gateway) does not reach: the agent's probe says so, and nothing is written."""
    config = mcp_config_in(tmp_path / "cfg", "http://localhost:8000/mcp")
    agent = pm.agent("agent", config.parent)
    before = config.read_text()

    code, report = doctor_json("--config", str(config), env=pm.env)
    tools = server(report, "tools")
    assert code == 1 and tools["client"] == f"container:{agent}" and codes(tools)[0] == "localhost-in-container"
    assert tools["suggestion_writable"] is False
    done = cli("fix", "--config", str(config), "--write", env=pm.env)
    assert done.returncode in (0, 1), done.stderr
    assert config.read_text() == before
