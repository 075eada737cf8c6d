"""compose-examples/, end to end: each example brought up with the real Compose plugin, judged by
mcp-dockernet (the CLI, as a subprocess), fixed the way its README says, and proved with the real
MCP client (the official SDK) from where the agent runs. The sidecar examples prove that the
shared config is corrected with no command run, and measure how fast the watcher reacts."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from tests.integration.helpers import cli, codes, doctor_json, mcp_tools, server
from tests.integration.test_containers import HostServer, _bridge_gateway
from tests.lab.docker_lab import free_port
from tests.lab.examples_lab import TOOL_IMAGE, ExampleLab, build_images, http_json, wait_until

pytestmark = pytest.mark.docker


@pytest.fixture(scope="session")
def example_images(docker_client, tmp_path_factory):  # type: ignore[no-untyped-def]
    took = build_images(tmp_path_factory.mktemp("example-images"))
    size = docker_client.images.get(TOOL_IMAGE).attrs["Size"]
    print(f"\nimages built: {', '.join(f'{k} {v:.0f}s' for k, v in took.items())}; {TOOL_IMAGE} {size / 1e6:.1f} MB")
    return took


@pytest.fixture
def examples(lab, tmp_path, example_images):  # type: ignore[no-untyped-def]
    the_lab = ExampleLab(lab.run_id, tmp_path)
    try:
        yield the_lab
    finally:
        the_lab.down()


def _doctor(config_dir, *extra):  # type: ignore[no-untyped-def]
    """The verdict as JSON, and the text a user sees (printed: the READMEs quote it)."""
    config = str(config_dir / "mcp.json")
    text = cli("doctor", "--config", config, *extra)
    print(text.stdout)
    return doctor_json("--config", config, *extra)


def _url(config_dir) -> str:  # type: ignore[no-untyped-def]
    return json.loads((config_dir / "mcp.json").read_text())["mcpServers"]["tools"]["url"]


def test_one_project_localhost_is_the_agent_itself(examples):
    cfg = examples.config_dir("one-project")
    examples.env["MCP_CONFIG_DIR"] = str(cfg)
    examples.up("one-project")
    assert examples.client("one-project").returncode == 1  # the symptom, from the agent

    code, report = _doctor(cfg)

    tools = server(report, "tools")
    assert code == 1 and codes(tools) == ["localhost-in-container"]
    assert tools["client"] == f"container:{examples.container('one-project', 'agent')}"
    assert tools["suggested_url"] == "http://server:8000/mcp"
    done = cli("fix", "--config", str(cfg / "mcp.json"), "--write")
    assert done.returncode == 0, done.stderr
    proof = examples.client("one-project")
    assert proof.returncode == 0 and "tools: echo" in proof.stdout, proof.stderr


def test_host_agent_needs_the_port_published(examples):
    port = free_port()
    cfg = examples.config_dir("host-agent")
    (cfg / "mcp.json").write_text((cfg / "mcp.json").read_text().replace("localhost:8000", f"localhost:{port}"))
    examples.env.update(MCP_CONFIG_DIR=str(cfg), MCP_PORT=str(port))
    examples.up("host-agent")

    code, report = _doctor(cfg)

    tools = server(report, "tools")
    assert code == 1 and codes(tools) == ["port-not-published"]
    assert tools["client"] == "host"
    override = cfg.parent / "host-agent-override.yaml"
    cli("fix", "--config", str(cfg / "mcp.json"), "--compose-override", str(override))
    assert f"{port}:{port}" in override.read_text()  # the tool's override; we apply the loopback-only one
    examples.up("host-agent", "compose.published.yaml")
    _, after = _doctor(cfg)
    assert server(after, "tools")["findings"] == []
    assert "echo" in mcp_tools(f"http://localhost:{port}/mcp")


def test_host_server_needs_host_gateway(examples):
    port = free_port()
    host_server = HostServer(_bridge_gateway(), port)  # on docker0's address: containers only
    try:
        cfg = examples.config_dir("host-server")
        (cfg / "mcp.json").write_text((cfg / "mcp.json").read_text().replace("localhost:8000", f"localhost:{port}"))
        examples.env["MCP_CONFIG_DIR"] = str(cfg)
        examples.up("host-server")

        code, report = _doctor(cfg)

        tools = server(report, "tools")
        assert code == 1 and codes(tools) == ["localhost-in-container", "host-gateway-missing"]
        assert tools["suggested_url"] == f"http://host.docker.internal:{port}/mcp"
        override = cfg.parent / "host-server-override.yaml"
        done = cli("fix", "--config", str(cfg / "mcp.json"), "--write", "--compose-override", str(override))
        assert done.returncode in (0, 1), done.stderr
        assert "host.docker.internal:host-gateway" in override.read_text()
        examples.up("host-server", override)
        proof = examples.client("host-server")
        assert proof.returncode == 0 and "tools: echo" in proof.stdout, proof.stderr
    finally:
        host_server.stop()


def test_two_projects_join_an_external_network(examples):
    cfg = examples.config_dir("two-projects/agent")
    examples.env.update(MCP_CONFIG_DIR=str(cfg), MCP_SHARED_NETWORK=f"mdn-shared-{examples.run_id}")
    examples.up("two-projects/server")
    examples.up("two-projects/agent")

    code, report = _doctor(cfg)

    tools = server(report, "tools")
    assert code == 1 and "no-shared-network" in codes(tools)
    override = cfg.parent / "two-projects-override.yaml"
    cli("fix", "--config", str(cfg / "mcp.json"), "--compose-override", str(override))
    text = override.read_text()
    assert "external: true" in text and f"mdn-shared-{examples.run_id}" in text
    examples.up("two-projects/agent", override)  # the tool's own override, applied as it says
    proof = examples.client("two-projects/agent")
    assert proof.returncode == 0 and "tools: echo" in proof.stdout, proof.stderr


@pytest.mark.parametrize(
    ("example", "code"), [("loopback-bind", "loopback-bind"), ("host-header", "host-header-rejected")]
)
def test_server_side_mistakes_fixed_on_the_server(examples, example, code):
    cfg = examples.config_dir(example)
    examples.env["MCP_CONFIG_DIR"] = str(cfg)
    examples.up(example)
    assert examples.client(example).returncode == 1

    exit_code, report = _doctor(cfg)

    tools = server(report, "tools")
    assert exit_code == 1 and codes(tools) == [code]
    examples.up(example, "compose.fix.yaml")  # the server-side change the README names
    _, after = _doctor(cfg)
    assert server(after, "tools")["findings"] == []
    proof = examples.client(example)
    assert proof.returncode == 0 and "tools: echo" in proof.stdout, proof.stderr


def test_sidecar_beside_another_project_with_a_server_that_declares_no_port(examples, noise, tmp_path):
    """The sidecar example, its server's `expose` removed, beside the noise project (which publishes
    container port 8000 and has a server listening on 8000 with no ports): it writes the agent's own
    server, the agent starts, and a quiet project gets no further checks."""
    cfg = examples.config_dir("sidecar")
    listen = free_port()
    examples.env.update(MCP_CONFIG_DIR=str(cfg), MCP_DOCKERNET_PORT=str(listen))
    no_ports = tmp_path / "no-ports.yaml"
    no_ports.write_text("services:\n  server:\n    expose: !reset []\n")
    examples.up("sidecar", no_ports)

    assert _url(cfg) == "http://server:8000/mcp"
    proof = examples.client("sidecar")
    assert proof.returncode == 0 and "tools: echo" in proof.stdout, proof.stderr
    sidecar = examples.container("sidecar", "mcp-dockernet")
    time.sleep(8)  # quiet: no event of ours (helpers, execs) may start another check
    logs = subprocess.run(["docker", "logs", sidecar], capture_output=True, text=True).stderr
    assert noise.name not in logs
    checks = [line for line in logs.splitlines() if "checking:" in line]
    assert len(checks) <= 3, checks  # the first check, the one after the write, and at most one more
    left = subprocess.run(
        ["docker", "ps", "-aq", "--filter", "label=mcp-dockernet.helper"], capture_output=True, text=True
    )
    assert left.stdout.strip() == ""


@pytest.mark.parametrize("example", ["sidecar", "sidecar-socket-proxy"])
def test_sidecar_fixes_the_shared_config_with_no_command_run(examples, example):
    cfg = examples.config_dir(example)
    listen = free_port()
    examples.env.update(MCP_CONFIG_DIR=str(cfg), MCP_DOCKERNET_PORT=str(listen))
    started = time.monotonic()
    examples.up(example)  # --wait: the agent starts only once the sidecar is healthy
    print(f"{example}: up --wait took {time.monotonic() - started:.1f}s")
    sidecar, base = examples.container(example, "mcp-dockernet"), f"http://127.0.0.1:{listen}"

    assert _url(cfg) == "http://server:8000/mcp"
    status, report = http_json(f"{base}/report")
    assert status == 200 and report["servers"][0]["status"] == "ok"
    assert report["servers"][0]["url"] == "http://server:8000/mcp"
    logs = subprocess.run(["docker", "logs", sidecar], capture_output=True, text=True).stderr
    assert "tools: http://localhost:8000/mcp -> http://server:8000/mcp" in logs
    health = subprocess.run(["docker", "inspect", "-f", "{{.State.Health.Status}}", sidecar], capture_output=True)
    assert health.stdout.decode().strip() == "healthy"
    proof = examples.client(example)
    assert proof.returncode == 0 and "tools: echo" in proof.stdout, proof.stderr

    # Someone breaks the URL another way: corrected with no command run. (Writing back the very URL
    # it replaced would not be: the watcher does not fight a revert, by design.)
    (cfg / "mcp.json").write_text((cfg / "mcp.json").read_text().replace("server:8000", "127.0.0.1:8000"))
    t0 = time.monotonic()
    fixed = wait_until(lambda: _url(cfg) == "http://server:8000/mcp", timeout=60)
    assert fixed, (
        _url(cfg),
        subprocess.run(["docker", "logs", sidecar], capture_output=True, text=True).stderr[-4000:],
    )
    edited = time.monotonic() - t0

    # The server restarts: /ready drops while it is gone and comes back after a fresh check.
    t0, wall = time.monotonic(), time.time()
    subprocess.run(
        ["docker", "restart", "-t", "1", examples.container(example, "server")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    restarted = time.monotonic() - t0
    assert wait_until(lambda: _ready_after(base, wall), timeout=90), http_json(f"{base}/ready")
    reacted = time.monotonic() - t0
    print(
        f"{example}: config edit corrected in {edited:.2f}s; server restart ({restarted:.2f}s for docker restart) "
        f"-> /ready 200 on a fresh check {reacted:.2f}s after the restart began"
    )
    if example == "sidecar-socket-proxy":
        _proxy_refuses_writes(sidecar)


def _ready_after(base: str, wall: float) -> bool:
    status, body = http_json(f"{base}/ready")
    return status == 200 and body["last_check"] > wall


def _proxy_refuses_writes(sidecar: str) -> None:
    code = (
        "import urllib.request, urllib.error\n"
        "base = 'http://socket-proxy:2375/v1.41'\n"
        "print(urllib.request.urlopen(base + '/containers/json', timeout=5).status)\n"
        "try:\n"
        "    urllib.request.urlopen(urllib.request.Request(base + '/containers/create', data=b'{}', method='POST'))\n"
        "except urllib.error.HTTPError as e:\n"
        "    print(e.code)\n"
    )
    done = subprocess.run(["docker", "exec", sidecar, "python3", "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["200", "403"], done.stderr
