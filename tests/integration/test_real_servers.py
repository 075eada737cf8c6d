"""Real servers nobody here wrote (standalone FastMCP 2 and 4, the TypeScript SDK's server-everything and
a TS SDK server), judged by real clients nobody here wrote (mcp-remote, the Inspector CLI) beside the SDK's
(issue 10, "Done when"). One Compose project per family, beside the noise project; each failure is found
by doctor, fixed (the config by ``fix --write``, or the server the way the fix says), and the fixed set-up
is proved by the real clients from where the client runs: the host, or the project's agent container.

Container ports are distinct per service (server 8000, loop 8001, sse 8002, hosts 8003, auth 8004), so
``localhost:8000`` from the agent means one server of its project, while the noise project serves 8000 too.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.integration.helpers import cli, codes, doctor_json, inspector_tools, remote_tools, sdk_tools, server
from tests.lab.compose_lab import ComposeLab
from tests.lab.docker_lab import free_port, in_ci
from tests.lab.real_parts import client_service, everything_service, fastmcp_service, missing, ts_service

pytestmark = pytest.mark.docker

FAMILIES = ("fastmcp2", "fastmcp4", "everything")
PORTS = {"server": 8000, "loop": 8001, "sse": 8002, "hosts": 8003, "auth": 8004}
TOOL = "echo"  # each family's server has a tool of that name (server-everything's own, ours in the others)


@dataclass
class Family:
    """One family's running project: its compose file, agent, host ports and the token its auth server takes."""

    name: str
    lab: ComposeLab
    path: Path
    published: dict[str, int]
    token: str

    @property
    def agent(self) -> str:
        return f"{self.lab.project(self.name)}-agent-1"

    @property
    def agent_config(self) -> Path:
        return self.path.parent / "config" / "mcp.json"

    def service(self, name: str) -> dict[str, Any]:
        return dict(yaml.safe_load(self.path.read_text())["services"][name])

    def host_url(self, service: str, path: str = "/mcp") -> str:
        return f"http://localhost:{self.published[service]}{path}"

    def replace(self, service: str, svc: dict[str, Any]) -> None:
        """Recreate one service with a new definition: the server-side change a finding names."""
        doc = yaml.safe_load(self.path.read_text())
        doc["services"][service] = {**svc, "labels": doc["services"][service]["labels"]}
        self.path.write_text(yaml.safe_dump(doc, sort_keys=False))
        self.lab.up(self.path, service)


def _services(name: str, published: dict[str, int], token: str) -> dict[str, Any]:
    def ports(service: str) -> list[str]:
        return [f"127.0.0.1:{published[service]}:{PORTS[service]}"]

    if name == "everything":
        return {
            "server": everything_service("streamableHttp", PORTS["server"], ports=ports("server")),
            "loop": ts_service(PORTS["loop"], host="127.0.0.1", ports=ports("loop")),
            "sse": everything_service("sse", PORTS["sse"], ports=ports("sse")),
            "hosts": ts_service(PORTS["hosts"], allowed_hosts=f"localhost:{PORTS['hosts']},127.0.0.1:{PORTS['hosts']}"),
        }
    major = int(name[-1])
    services = {
        "server": fastmcp_service(major, PORTS["server"], ports=ports("server")),
        "loop": fastmcp_service(major, PORTS["loop"], host=None, ports=ports("loop")),  # FastMCP's default host
        "sse": fastmcp_service(major, PORTS["sse"], transport="sse", ports=ports("sse")),
        "auth": fastmcp_service(major, PORTS["auth"], token=token, ports=ports("auth")),
    }
    if major == 4:  # 4.x checks Host only when told to (settings.http_host_origin_protection defaults to False)
        services["hosts"] = fastmcp_service(4, PORTS["hosts"], environment=_fastmcp4_hosts("localhost", "127.0.0.1"))
    return services


def _fastmcp4_hosts(*names: str) -> dict[str, str]:
    return {"FASTMCP_HTTP_HOST_ORIGIN_PROTECTION": "true", "FASTMCP_HTTP_ALLOWED_HOSTS": json.dumps(list(names))}


@pytest.fixture(scope="module", params=FAMILIES)
def family(request, docker_client, noise, tmp_path_factory) -> Iterator[Family]:  # type: ignore[no-untyped-def]
    why = missing()
    if why:
        if in_ci():
            pytest.fail(f"CI=true but the lab's real parts are missing: {why}")
        pytest.skip(why)
    name = request.param
    lab = ComposeLab(tmp_path_factory.mktemp(f"real-{name}"), uuid.uuid4().hex[:8])
    published = {service: free_port() for service in PORTS}
    token = secrets.token_hex(12)
    services = _services(name, published, token)
    (lab.directory / name / "config").mkdir(parents=True)
    services["agent"] = client_service(config_dir=lab.directory / name / "config")
    path = lab.write(name, services)
    try:
        lab.up(path)
        yield Family(name, lab, path, published, token)
    finally:
        lab.down()


def _entry(url: str, transport: str = "http", headers: dict[str, str] | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": transport, "url": url}
    if headers:
        entry["headers"] = headers
    return entry


def _write(path: Path, servers: dict[str, dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"mcpServers": servers}, indent=2) + "\n")
    return path


# Probes get 10 s: the engine here is shared by parallel test sessions on 2 cores, and a probe that
# times out under load turns a confirmed suggestion into a mere candidate.
PROBE_TIMEOUT = ("--timeout", "10")


def _doctor(config: Path) -> tuple[int, dict[str, Any]]:
    return doctor_json("--config", str(config), *PROBE_TIMEOUT)


def _why(entry: dict[str, Any]) -> str:
    """What doctor said, for an assertion message: status, each finding and the probe's outcome."""
    found = "; ".join(f"{f['code']}: {f['message']}" for f in entry["findings"])
    probe = (entry.get("probe") or {}).get("outcome")
    return f"{entry['name']}: {entry['status']}, probe {probe}, suggested {entry.get('suggested_url')}; {found}"


def _entries(config: Path) -> dict[str, Any]:
    return dict(json.loads(config.read_text())["mcpServers"])


def _fix_twice(config: Path) -> dict[str, Any]:
    """``fix --write``, then again: the second run must change nothing (no flip-flop, issue item 4)."""
    done = cli("fix", "--config", str(config), "--write", *PROBE_TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    after = config.read_text()
    again = cli("fix", "--config", str(config), "--write", *PROBE_TIMEOUT)
    assert again.returncode == 0, again.stdout + again.stderr
    assert config.read_text() == after, f"the second fix --write changed the file again: {done.stderr}{again.stderr}"
    return _entries(config)


def _all_clients(url: str, transport: str, vantage: str, tool: str, headers: dict[str, str] | None = None) -> None:
    assert tool in remote_tools(url, transport, vantage, headers=headers)
    assert tool in inspector_tools(url, transport, vantage, headers=headers)
    assert tool in sdk_tools(url, transport, vantage, headers=headers)


def test_healthy_is_ok_from_the_host_and_from_the_agent(family, tmp_path):
    host_cfg = _write(
        tmp_path / ".mcp.json",
        {"http": _entry(family.host_url("server")), "sse": _entry(family.host_url("sse", "/sse"), "sse")},
    )
    code, report = _doctor(host_cfg)
    assert [server(report, n)["status"] for n in ("http", "sse")] == ["ok", "ok"], [_why(x) for x in report["servers"]]
    assert code == 0
    _all_clients(family.host_url("server"), "http", "host", TOOL)
    _all_clients(family.host_url("sse", "/sse"), "sse", "host", TOOL)

    by_name = f"http://server:{PORTS['server']}/mcp"
    _write(family.agent_config, {"tools": _entry(by_name)})
    code, report = _doctor(family.agent_config)
    tools = server(report, "tools")
    assert tools["client"] == f"container:{family.agent}"
    assert tools["status"] == "ok" and code == 0, _why(tools)
    _all_clients(by_name, "http", f"container:{family.agent}", TOOL)


def test_loopback_bind_is_found_and_the_named_setting_fixes_it(family, tmp_path):
    cfg = _write(tmp_path / ".mcp.json", {"loop": _entry(family.host_url("loop"))})
    code, report = _doctor(cfg)
    loop = server(report, "loop")
    assert code == 1 and codes(loop) == ["loopback-bind"], _why(loop)
    fix = loop["findings"][0]["fix"]
    if family.name == "everything":
        # Known from the container's command (node): the TS setting alone, not the generic list.
        assert f'TypeScript SDK app.listen({PORTS["loop"]}, "0.0.0.0")' in fix and "Python SDK" not in fix, fix
        family.replace(
            "loop", ts_service(PORTS["loop"], ports=[f"127.0.0.1:{family.published['loop']}:{PORTS['loop']}"])
        )
    else:
        # Standalone FastMCP honours FASTMCP_HOST (fastmcp/settings.py), unlike the SDK's bundled copy.
        assert "FASTMCP_HOST=0.0.0.0" in fix, fix
        svc = family.service("loop")
        family.replace("loop", {**svc, "environment": {**svc["environment"], "FASTMCP_HOST": "0.0.0.0"}})
    code, report = _doctor(cfg)
    assert server(report, "loop")["status"] == "ok" and code == 0, _why(server(report, "loop"))
    assert TOOL in remote_tools(family.host_url("loop"), "http", "host")


def test_wrong_port_from_the_agent_is_rewritten_and_the_clients_connect_there(family):
    _write(family.agent_config, {"tools": _entry(f"http://server:{family.published['server']}/mcp")})
    code, report = _doctor(family.agent_config)
    tools = server(report, "tools")
    fixed = f"http://server:{PORTS['server']}/mcp"
    assert code == 1 and codes(tools) == ["wrong-port"] and tools["suggested_url"] == fixed, _why(tools)
    assert _fix_twice(family.agent_config)["tools"]["url"] == fixed
    _all_clients(fixed, "http", f"container:{family.agent}", TOOL)


def test_transport_mismatch_rewrites_the_type_and_the_bridge_flag(family, tmp_path):
    url = family.host_url("sse", "/sse")
    bridge = {"command": "npx", "args": ["-y", "mcp-remote", url, "--transport", "http-only"]}
    cfg = _write(tmp_path / ".mcp.json", {"typed": _entry(url, "http"), "bridge": bridge})
    code, report = _doctor(cfg)
    assert code == 1
    for name in ("typed", "bridge"):
        assert codes(server(report, name)) == ["transport-mismatch"], _why(server(report, name))

    entries = _fix_twice(cfg)
    assert entries["typed"]["type"] == "sse" and entries["typed"]["url"] == url, entries
    args = entries["bridge"]["args"]
    assert args[args.index("--transport") + 1] == "sse-only" and url in args, args
    code, report = _doctor(cfg)
    assert [server(report, n)["status"] for n in ("typed", "bridge")] == ["ok", "ok"], [
        _why(x) for x in report["servers"]
    ]
    assert code == 0
    _all_clients(entries["typed"]["url"], "sse", "host", TOOL)


def test_localhost_in_the_agent_names_its_own_project_server(family):
    _write(family.agent_config, {"tools": _entry(f"http://localhost:{PORTS['server']}/mcp")})
    code, report = _doctor(family.agent_config)
    tools = server(report, "tools")
    fixed = f"http://server:{PORTS['server']}/mcp"
    assert code == 1 and codes(tools) == ["localhost-in-container"] and tools["suggested_url"] == fixed, _why(tools)
    assert _fix_twice(family.agent_config)["tools"]["url"] == fixed
    _all_clients(fixed, "http", f"container:{family.agent}", TOOL)


def test_host_header_rejection_names_the_value_to_allow(family):
    if family.name == "fastmcp2":
        pytest.skip("standalone FastMCP 2.14 has no Host check of its own")
    url = f"http://hosts:{PORTS['hosts']}/mcp"
    _write(family.agent_config, {"tools": _entry(url)})
    code, report = _doctor(family.agent_config)
    tools = server(report, "tools")
    assert code == 1 and codes(tools) == ["host-header-rejected"], _why(tools)
    fix = tools["findings"][0]["fix"]
    if family.name == "everything":
        # The transport's allowedHosts compares Host with its port: 403 "Invalid Host header: hosts:8003".
        assert f"hosts:{PORTS['hosts']}" in fix and "allowedHosts" in fix, fix
        family.replace(
            "hosts", ts_service(PORTS["hosts"], allowed_hosts=f"localhost:{PORTS['hosts']},hosts:{PORTS['hosts']}")
        )
    else:
        # FastMCP 4 answers 421 "Misdirected Request"; its allowed hosts are names without the port.
        assert "hosts" in fix and ("allowed_hosts" in fix or "FASTMCP_HTTP_ALLOWED_HOSTS" in fix), fix
        family.replace("hosts", fastmcp_service(4, PORTS["hosts"], environment=_fastmcp4_hosts("localhost", "hosts")))
    code, report = _doctor(family.agent_config)
    assert server(report, "tools")["status"] == "ok" and code == 0, _why(server(report, "tools"))
    _all_clients(url, "http", f"container:{family.agent}", TOOL)


def test_bearer_auth_is_its_own_verdict_and_the_right_token_is_ok(family, tmp_path):
    if family.name == "everything":
        pytest.skip("server-everything has no auth of its own; FastMCP's static tokens stand for it")
    url = family.host_url("auth")
    good = {"Authorization": f"Bearer {family.token}"}
    cfg = _write(tmp_path / ".mcp.json", {"none": _entry(url), "good": _entry(url, headers=good)})
    before = cfg.read_text()
    code, report = _doctor(cfg)
    none, with_token = server(report, "none"), server(report, "good")
    assert codes(none) == ["auth-required"], _why(none)
    assert with_token["status"] == "ok", _why(with_token)
    assert code == 0  # a warning: the network and the URL are right
    assert family.token not in json.dumps(report)
    done = cli("fix", "--config", str(cfg), "--write", *PROBE_TIMEOUT)
    assert done.returncode == 0 and cfg.read_text() == before, "the URL is right: nothing to rewrite"
    _all_clients(url, "http", "host", TOOL, headers=good)
    with pytest.raises(ConnectionError, match="auth_required"):  # the Inspector agrees: a login is asked for
        inspector_tools(url, "http", "host", timeout=20)


def test_the_clients_fail_where_the_verdict_says_they_do(family, tmp_path):
    """The clients are judges that can fail: a broken URL is refused by each of them."""
    broken = f"http://localhost:{PORTS['server']}/mcp"  # from the agent: the agent itself
    vantage = f"container:{family.agent}"
    for client in (remote_tools, inspector_tools, sdk_tools):
        with pytest.raises(ConnectionError):
            client(broken, "http", vantage, timeout=20)
