"""The lab's engine reached as a remote one, over a real ssh hop (tests/lab/sshd.py): judged from the engine's host.

`DOCKER_HOST=ssh://root@127.0.0.1:PORT` (and a context naming it) leads to the same engine through a
loopback sshd with a test key; the report must treat it as remote all the same (the ssh target is the
engine's host). A Compose project with a real SDK server, beside the noise project: the report says
which machine is which, the containers' sockets are read through the one helper on the engine's host,
a host client's localhost URL is judged as remote (and a real `ssh -L` tunnel, the fix it suggests,
makes it work and pass), and a client container's verdicts and fix stay right, proven by the SDK client
inside it.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.helpers import codes, mcp_tools, server
from tests.lab.compose_lab import agent_service, mcp_service, wait_for_mcp_log
from tests.lab.docker_lab import free_port
from tests.lab.sshd import SSHD, SshEngine

pytestmark = [
    pytest.mark.docker,
    pytest.mark.skipif(not Path(SSHD).exists(), reason="no sshd: run scripts/lab-sshd (scripts/lab-parts runs it)"),
    pytest.mark.skipif(shutil.which("docker") is None, reason="no docker CLI for `docker system dial-stdio`"),
]
FIXED = "http://server:8000/mcp"
TUNNEL_WAIT = 20.0  # seconds for the ssh tunnel to listen
# Seen on the shared lab engine while another session's Swarm tests joined and left a swarm: a name
# lookup on a Compose network failed once ("Name or service not known") and passed on the next try.
# Steps that need the agent's DNS are tried up to TRIES times; a wrong verdict fails every time.
TRIES = 3
PROBE_TIMEOUT = "10"


@pytest.fixture
def ssh_engine(docker_client, tmp_path) -> Iterator[SshEngine]:  # type: ignore[no-untyped-def]
    pytest.importorskip("paramiko", reason="the remote extra (paramiko): pip install -e '.[test]'")
    engine = SshEngine(tmp_path / "ssh")
    engine.start()
    try:
        yield engine
    finally:
        engine.stop()


def run(*args: str, env: dict[str, str], cwd: str) -> subprocess.CompletedProcess[str]:
    """The real CLI; probes get PROBE_TIMEOUT (a shared 2-core machine under three sessions' tests)."""
    argv = [sys.executable, "-m", "mcp_dockernet", *args, "--timeout", PROBE_TIMEOUT]
    return subprocess.run(argv, env=env, capture_output=True, text=True, cwd=cwd, timeout=240)


def doctor(env: dict[str, str], cwd: str, *args: str) -> dict[str, Any]:
    done = run("doctor", "--format", "json", *args, env=env, cwd=cwd)
    assert done.returncode in (0, 1) and done.stdout, done.stderr
    return dict(json.loads(done.stdout))


def cli_env(engine: SshEngine, **extra: str) -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[2])
    return engine.env(PYTHONPATH=root, NO_COLOR="1", COLUMNS="250", **extra)


@pytest.fixture
def project(compose_lab, tmp_path):  # type: ignore[no-untyped-def]
    """Project `rem`: an SDK server published on the engine host's 127.0.0.2 only (so this machine's localhost
    does not reach it, as with a real remote host); an agent mounting ./config whose URL is localhost inside;
    an agent on the engine host's network (network_mode host) mounting ./hostnet with the published URL."""
    host_port = free_port()
    agent = agent_service()
    agent["volumes"].append("./config:/config")
    on_host = agent_service(network_mode="host")
    on_host["volumes"].append("./hostnet:/config")
    services = {
        "agent": agent,
        "hostagent": on_host,
        "server": mcp_service(8000, ports=[f"127.0.0.2:{host_port}:8000"]),
    }
    path = compose_lab.write("rem", services)
    config = _config(path.parent / "config" / "mcp.json", "tools", "http://localhost:8000/mcp")
    _config(path.parent / "hostnet" / "mcp.json", "published", f"http://127.0.0.2:{host_port}/mcp")
    compose_lab.up(path)
    name = compose_lab.project("rem")
    wait_for_mcp_log(f"{name}-server-1")
    host_cfg = _config(tmp_path / "host" / ".mcp.json", "far", f"http://localhost:{host_port}/mcp")
    return path, config, host_cfg, host_port, name


def _config(path: Path, name: str, url: str) -> Path:
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"mcpServers": {name: {"type": "http", "url": url}}}))
    return path


def test_an_ssh_engine_is_judged_from_its_host(compose_lab, noise, ssh_engine, project, tmp_path):
    path, config, host_cfg, host_port, name = project
    env = cli_env(ssh_engine, DOCKER_HOST=ssh_engine.url)
    cwd = str(tmp_path)
    report = doctor(env, cwd, "--compose", str(path), "--config", str(host_cfg))

    engine = report["engine"]
    assert engine["endpoint"] == ssh_engine.url and engine["chosen_by"] == "DOCKER_HOST"
    assert engine["local"] is False and engine["host"] == "127.0.0.1" and engine["reachable"] is True
    assert engine["machines"] == "host clients: this machine; engine, containers and servers: 127.0.0.1 over ssh"
    assert "a loopback ssh target is still the engine's host" in engine["note"]
    assert engine["sockets_read"].startswith("helper:mcp-dockernet")  # one --pid host helper, not our /proc

    far = server(report, "far")
    assert far["client"] == "host" and far["status"] == "error"
    assert codes(far) == ["remote-engine-localhost"]
    finding = far["findings"][0]
    assert f"{name}-server-1" in finding["message"] and "not the engine's host" in finding["message"]
    assert not finding["writable"] and far["suggested_url"] is None  # 127.0.0.1 is the ssh target: no name to use
    assert any("on the engine's host (via helper:mcp-dockernet" in e and "answered" in e for e in finding["evidence"])
    assert far["probe"]["vantage"] == "host" and far["probe"]["outcome"] == "refused"  # the client's own view

    tools = server(report, "tools")
    agent = f"{name}-agent-1"
    assert tools["client"] == f"container:{agent}" and codes(tools) == ["localhost-in-container"]
    assert tools["suggested_url"] == FIXED and tools["suggestion_writable"] is True, tools
    assert tools["probe"]["vantage"] == f"container:{agent}"

    # on the engine host's network, a client is probed on the engine's host (a --network host helper), not here
    published = server(report, "published")
    assert published["client"] == f"container:{name}-hostagent-1" and published["status"] == "ok", published
    assert published["probe"]["vantage"] == "engine-host" and published["probe"]["outcome"] == "mcp"
    assert "echo" in compose_lab.mcp_tools_from(f"{name}-hostagent-1", f"http://127.0.0.2:{host_port}/mcp")

    text = run("doctor", "--compose", str(path), "--config", str(host_cfg), env=env, cwd=cwd)
    lines = text.stdout.splitlines()
    assert lines[0].endswith(f"; engine {ssh_engine.url} (DOCKER_HOST)"), text.stdout
    assert lines[1].strip() == "machines: " + engine["machines"]
    assert "container sockets read on the engine's host through helper:mcp-dockernet" in text.stdout

    # the agent's fix, written and read back through the remote engine, and proven by the SDK client inside it
    fixed = _tries(lambda: run("fix", "--config", str(config), "--compose", str(path), "--write", env=env, cwd=cwd))
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert json.loads(config.read_text())["mcpServers"]["tools"]["url"] == FIXED
    assert "echo" in _tries(lambda: compose_lab.mcp_tools_from(agent, FIXED))

    # the tunnel the host finding suggests, run as printed: then localhost here is the engine host's port
    (command,) = re.findall(r"`(ssh -NL [^`]+)`", finding["fix"])
    assert command == f"ssh -NL {host_port}:127.0.0.2:{host_port} root@127.0.0.1 -p {ssh_engine.port}"
    tunnel = subprocess.Popen(shlex.split(command), env=ssh_engine.env(), stderr=subprocess.PIPE)
    try:
        _wait_listening(host_port, tunnel)
        assert "echo" in mcp_tools(f"http://localhost:{host_port}/mcp")
        again = doctor(env, cwd, "--config", str(host_cfg))
        assert server(again, "far")["status"] == "ok", server(again, "far")
        assert "ssh (pid " in server(again, "far")["target"]
    finally:
        tunnel.terminate()
        tunnel.wait(timeout=10)


def test_a_context_naming_an_ssh_engine_is_remote_too(compose_lab, noise, ssh_engine, project, tmp_path):
    path, config, host_cfg, host_port, name = project
    docker_config = tmp_path / "dockercfg"
    made = subprocess.run(
        ["docker", "context", "create", "far", "--docker", f"host={ssh_engine.url}"],
        env=ssh_engine.env(DOCKER_CONFIG=str(docker_config)),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert made.returncode == 0, made.stderr
    env = cli_env(ssh_engine, DOCKER_CONFIG=str(docker_config), DOCKER_CONTEXT="far")
    report = doctor(env, str(tmp_path), "--no-probe", "--config", str(host_cfg))
    engine = report["engine"]
    assert engine["chosen_by"] == "DOCKER_CONTEXT=far" and engine["endpoint"] == ssh_engine.url
    assert engine["local"] is False and engine["sockets_read"].startswith("helper:mcp-dockernet")
    far = server(report, "far")
    assert codes(far) == ["remote-engine-localhost"] and far["status"] == "error"
    assert "nothing here is seen listening on port" in far["findings"][0]["message"]  # no probe: the sockets say so


def _tries(step: Any) -> Any:
    """``step()`` until it succeeds (no exception, exit 0 for a process), at most TRIES times."""
    for attempt in range(TRIES):
        try:
            done = step()
        except ConnectionError:
            if attempt == TRIES - 1:
                raise
            time.sleep(2)
            continue
        if getattr(done, "returncode", 0) == 0 or attempt == TRIES - 1:
            return done
        time.sleep(2)
    raise AssertionError("unreachable")


def _wait_listening(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + TUNNEL_WAIT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the tunnel exited: {proc.stderr.read() if proc.stderr else b''!r}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"the ssh tunnel did not listen on {port} within {TUNNEL_WAIT:g} s")
