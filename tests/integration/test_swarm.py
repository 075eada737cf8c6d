"""Swarm services on a real single-node swarm: a stack deployed from a Compose file with the official
SDK's server, beside the noise project, judged and fixed, each fix proven by the SDK's own client.

The stack: ``tools`` publishes 8000 in ``mode: host`` (a binding on its task, which routes here),
``mesh`` publishes 8100 through the ingress routing mesh (no binding on its task: only the service
spec says the port; the mesh does not route on this kernel, which has no IPVS), ``rr`` serves 8200
in ``endpoint_mode: dnsrr`` with no port published. Its overlay is attachable, so a client
container may join it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.helpers import cli, codes, doctor_json, mcp_config_in, mcp_tools, server
from tests.lab.compose_lab import ComposeLab, agent_service
from tests.lab.docker_lab import BASE_IMAGE, LABEL, SITE_PACKAGES, free_port, in_ci
from tests.lab.real_parts import everything_service, missing
from tests.lab.swarm_lab import Stack, docker, single_node_swarm, stack_service, swarm_state

pytestmark = [pytest.mark.docker]


@pytest.fixture(scope="module")
def stack(docker_client, noise, tmp_path_factory) -> Iterator[tuple[Stack, int, int, int | None]]:  # type: ignore[no-untyped-def]
    run = uuid.uuid4().hex[:8]
    name = f"mdnstack{run}"
    p_host, p_mesh, p_ts = free_port(), free_port(), free_port()
    services = {
        "tools": stack_service(8000, ports=[host_mode(8000, p_host)]),
        "mesh": stack_service(8100, ports=[f"{p_mesh}:8100"]),
        "rr": stack_service(8200, deploy={"endpoint_mode": "dnsrr"}),
        # a client deployed in the stack: its URL in its environment, judged from its task's container
        "agent": agent_service(
            environment={"PYTHONPATH": "/site", "MCP_URL": "http://tools:8000/mcp"},
            healthcheck={"test": ["CMD", "true"], "interval": "1s", "retries": 30},
        ),
    }
    if not missing():  # the TypeScript SDK's reference server too, when scripts/lab-parts has installed it
        services["everything"] = everything_service(port=3001, ports=[host_mode(3001, p_ts)])
        services["everything"].pop("expose")
    before = swarm_state()
    with single_node_swarm():
        deployed = Stack.write(
            tmp_path_factory.mktemp("stack") / name,
            name,
            services,
            {"default": {"attachable": True}},
            f"swarm-{run}",
        )
        try:
            deployed.deploy()
            yield deployed, p_host, p_mesh, p_ts if "everything" in services else None
        finally:
            deployed.remove()
    # the engine as it was found: out of the swarm it was put in, with neither of the swarm's networks
    assert swarm_state() == before
    if before == "inactive":
        assert not docker("network", "ls", "-q", "--filter", "name=^(ingress|docker_gwbridge)$").stdout.strip()


def host_mode(target: int, published: int) -> dict[str, object]:
    return {"target": target, "published": published, "protocol": "tcp", "mode": "host"}


def judged(stack: Stack, config: Path, *extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    return doctor_json("--config", str(config), "--compose", str(stack.file), "-p", stack.name, *extra)


def client_container(lab, network: str, stem: str) -> str:  # type: ignore[no-untyped-def]
    """An agent container with the SDK, on ``network`` (removed by the lab fixture)."""
    name = lab.name(stem)
    docker(
        "run", "-d", "--init", "--name", name, "--label", f"{LABEL}={lab.run_id}", "--network", network,
        "-v", f"{SITE_PACKAGES}:/site:ro", "-e", "PYTHONPATH=/site", BASE_IMAGE, "sleep", "infinity",
    )  # fmt: skip
    return name


def tools_from(container: str, url: str) -> list[str]:
    return ComposeLab(Path("/nonexistent"), "").mcp_tools_from(container, url)


def test_a_host_url_on_the_target_port_is_fixed_to_the_port_mode_host_publishes(stack, lab, tmp_path):
    deployed, p_host, _, _ = stack
    config = mcp_config_in(tmp_path, "http://localhost:8000/mcp")
    _, report = judged(deployed, config)
    entry = server(report, "tools")
    assert codes(entry) == ["wrong-port"], entry
    finding = entry["findings"][0]
    # the service and its stack are named, not a task container; the noise project serving 8000 is not chosen
    assert f"Swarm service tools of stack {deployed.name}" in finding["message"]
    assert finding["server"]["service"] == "tools" and finding["server"]["project"] == deployed.name
    assert finding["suggested_url"] == f"http://localhost:{p_host}/mcp" and finding["writable"]

    done = cli("fix", "--config", str(config), "--compose", str(deployed.file), "-p", deployed.name, "--write")
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: the stack's agent still needs its fix
    url = json.loads(config.read_text())["mcpServers"]["tools"]["url"]
    assert url == f"http://localhost:{p_host}/mcp"
    assert "echo" in mcp_tools(url)  # the SDK's client, from the host
    _, report = judged(deployed, config)
    assert codes(server(report, "tools")) == []


def test_an_ingress_published_port_is_judged_from_the_service_spec(stack, lab, tmp_path):
    deployed, _, p_mesh, _ = stack
    assert deployed.ports_of_task("mesh") == []  # the task has no binding: only the spec says p_mesh
    config = mcp_config_in(tmp_path, "http://localhost:8100/mcp")
    _, report = judged(deployed, config, "--no-probe")
    entry = server(report, "tools")
    assert codes(entry) == ["wrong-port"], entry
    finding = entry["findings"][0]
    assert f"Swarm service mesh of stack {deployed.name}" in finding["message"]
    assert finding["suggested_url"] == f"http://localhost:{p_mesh}/mcp"


def test_a_vip_that_does_not_answer_while_its_task_does(stack, lab, tmp_path):
    deployed, _, _, _ = stack
    agent = client_container(lab, f"{deployed.name}_default", "swarm-agent")
    config = mcp_config_in(tmp_path, "http://tools:8000/mcp")
    try:
        tools_from(agent, "http://tools:8000/mcp")
        vip_routes = True  # a kernel with IPVS: the VIP works, and nothing may be reported
    except ConnectionError:
        vip_routes = False
    status, report = doctor_json("--config", str(config), "--client", f"container:{agent}")
    entry = server(report, "tools")
    if vip_routes:
        assert status == 0 and codes(entry) == [], entry
        return
    assert status == 1 and codes(entry) == ["swarm-vip-unreachable"], entry
    finding = entry["findings"][0]
    assert finding["suggested_url"] == "http://tasks.tools:8000/mcp" and finding["writable"]
    assert finding["server"]["project"] == deployed.name

    done = cli("fix", "--config", str(config), "--client", f"container:{agent}", "--write")
    assert done.returncode == 0, done.stdout + done.stderr
    url = json.loads(config.read_text())["mcpServers"]["tools"]["url"]
    assert url == "http://tasks.tools:8000/mcp"
    assert "echo" in tools_from(agent, url)  # the SDK's client, from where the client runs
    status, report = doctor_json("--config", str(config), "--client", f"container:{agent}")
    assert status == 0 and codes(server(report, "tools")) == []


def test_a_client_on_no_overlay_of_the_service_is_told_to_join_the_stacks_network(stack, lab, tmp_path):
    deployed, _, _, _ = stack
    network = f"mdn-own-{lab.run_id}"
    docker("network", "create", "--label", f"{LABEL}={lab.run_id}", network)
    agent = client_container(lab, network, "swarm-outsider")
    config = mcp_config_in(tmp_path, "http://rr:8200/mcp")
    _, report = judged(deployed, config, "--client", f"container:{agent}")
    entry = server(report, "tools")
    assert "no-shared-network" in codes(entry), entry
    finding = next(f for f in entry["findings"] if f["code"] == "no-shared-network")
    overlay = f"{deployed.name}_default"
    assert f"Swarm service rr of stack {deployed.name}" in finding["message"]
    assert f"docker network connect {overlay} {agent}" in finding["fix"]

    docker("network", "connect", overlay, agent)  # the fix the finding gives
    assert "echo" in tools_from(agent, "http://rr:8200/mcp")  # dnsrr: the name resolves to the task
    _, report = judged(deployed, config, "--client", f"container:{agent}")
    assert codes(server(report, "tools")) == [], server(report, "tools")
    docker("network", "disconnect", overlay, agent)


def test_the_typescript_reference_server_as_a_service_is_found_on_its_published_port(stack, lab, tmp_path):
    deployed, _, _, p_ts = stack
    if p_ts is None:
        if in_ci():
            pytest.fail(f"CI=true but the lab's real parts are missing: {missing()}")
        pytest.skip(missing())
    config = mcp_config_in(tmp_path, "http://localhost:3001/mcp")
    _, report = judged(deployed, config)
    entry = server(report, "tools")
    assert codes(entry) == ["wrong-port"], entry
    assert f"Swarm service everything of stack {deployed.name}" in entry["findings"][0]["message"]
    done = cli("fix", "--config", str(config), "--compose", str(deployed.file), "-p", deployed.name, "--write")
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: the stack's agent still needs its fix
    url = json.loads(config.read_text())["mcpServers"]["tools"]["url"]
    assert url == f"http://localhost:{p_ts}/mcp"
    assert "echo" in mcp_tools(url)  # the Python SDK's client against the TypeScript server


def test_a_client_deployed_in_the_stack_is_judged_from_its_task_and_its_stack_file_fixed(stack, lab):
    deployed, _, _, _ = stack
    agent = deployed.task("agent")
    status, report = doctor_json("--compose", str(deployed.file), "-p", deployed.name)
    entry = server(report, "MCP_URL")
    assert entry["client"].startswith(f"container:{deployed.name}_agent.1."), entry  # its task, not the file
    try:
        tools_from(agent, "http://tools:8000/mcp")
        vip_routes = True
    except ConnectionError:
        vip_routes = False
    if vip_routes:
        assert codes(entry) == [], entry
        return
    assert status == 1 and codes(entry) == ["swarm-vip-unreachable"], entry
    assert entry["findings"][0]["suggested_url"] == "http://tasks.tools:8000/mcp"

    done = cli("fix", "--compose", str(deployed.file), "-p", deployed.name, "--write", "--edit-compose")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "MCP_URL: http://tasks.tools:8000/mcp" in deployed.file.read_text()  # the stack file, edited in place
    deployed.deploy()  # docker stack deploy -c compose.yaml again: the agent's task is replaced
    agent = deployed.task_with_env("agent", "MCP_URL=http://tasks.tools:8000/mcp")
    assert "echo" in tools_from(agent, "http://tasks.tools:8000/mcp")  # the SDK client, from the new task
    status, report = doctor_json("--compose", str(deployed.file), "-p", deployed.name)
    assert codes(server(report, "MCP_URL")) == [], server(report, "MCP_URL")
