"""Every probe-based finding code against real SDK servers in real containers, and probes from
inside a client container's network namespace. Traffic goes only to loopback and to networks
these tests create (labelled, removed by the lab)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.integration.helpers import cli, codes, doctor_json, mcp_tools, server, write_config
from tests.lab.docker_lab import LAB_DIR, LABEL, free_port

pytestmark = pytest.mark.docker


def doctor_for(tmp_path, entry, env=None):
    cfg = tmp_path / ".mcp.json"
    write_config(cfg, {"s": entry})
    code, report = doctor_json("--config", str(cfg), "--timeout", "2", env=env)
    return code, server(report, "s")


def network(lab, stem):
    return lab.client.networks.create(lab.name(stem), labels={LABEL: lab.run_id})


def test_loopback_bind_is_read_from_the_container_sockets(lab, tmp_path):
    port = free_port()
    lab.mcp_server("lo", port=8000, host="127.0.0.1", publish={8000: port})
    code, s = doctor_for(tmp_path, {"type": "http", "url": f"http://localhost:{port}/mcp"})
    assert code == 1 and "loopback-bind" in codes(s), s
    assert s["probe"]["outcome"] == "reset"
    found = next(f for f in s["findings"] if f["code"] == "loopback-bind")
    assert "127.0.0.1:8000" in found["message"] and 'host="0.0.0.0"' in found["fix"]


def test_wrong_path_suggests_the_path_that_answers_and_it_connects(lab, tmp_path):
    port = free_port()
    lab.mcp_server("path", port=8000, publish={8000: port})
    code, s = doctor_for(tmp_path, {"type": "http", "url": f"http://localhost:{port}/mcp/"})
    # The SDK's 307 /mcp/ -> /mcp is followed as its httpx client follows it: the entry works.
    assert s["probe"]["outcome"] == "mcp", s["probe"]
    assert codes(s) in ([], ["wrong-path"]) and all(f["severity"] == "warning" for f in s["findings"])
    assert "echo" in mcp_tools(f"http://localhost:{port}/mcp")


def test_transport_mismatch_names_the_type_to_set(lab, tmp_path):
    port = free_port()
    lab.mcp_server("sse", port=8000, publish={8000: port}, transport="sse")
    code, s = doctor_for(tmp_path, {"type": "http", "url": f"http://localhost:{port}/sse"})
    assert code == 1 and codes(s) == ["transport-mismatch"], s
    assert '"sse"' in s["findings"][0]["fix"]


def test_not_mcp_says_what_answered(lab, tmp_path):
    port = free_port()
    health = lab.mcp_server("health", port=8000, publish={8000: port}, wait=False, extra_args=("--health",))
    lab.wait_for_log(health, "Uvicorn running")
    code, s = doctor_for(tmp_path, {"type": "http", "url": f"http://localhost:{port}/health"})
    assert codes(s) == ["not-mcp"], s
    assert "status" in s["findings"][0]["message"] and "200" in s["findings"][0]["message"]


def test_host_header_rejected_names_the_value_to_allow(lab, tmp_path):
    net = network(lab, "hosts")
    srv = lab.mcp_server("hosts", port=8000, extra_args=("--allowed-hosts", "localhost:*,127.0.0.1:*"))
    net.connect(srv)
    ip = lab.client.api.inspect_container(srv.id)["NetworkSettings"]["Networks"][net.name]["IPAddress"]
    code, s = doctor_for(tmp_path, {"type": "http", "url": f"http://{ip}:8000/mcp"})
    assert "host-header-rejected" in codes(s), s
    assert f'"{ip}:*"' in next(f for f in s["findings"] if f["code"] == "host-header-rejected")["fix"]


def test_timeout_names_the_layer_and_the_paused_container(lab, tmp_path):
    port = free_port()
    srv = lab.mcp_server("paused", port=8000, publish={8000: port})
    srv.pause()
    try:
        code, s = doctor_for(tmp_path, {"type": "http", "url": f"http://localhost:{port}/mcp"})
    finally:
        srv.unpause()
    found = next(f for f in s["findings"] if f["code"] == "timeout")
    assert "HTTP exchange" in found["message"] and f"docker unpause {srv.name}" == found["fix"]


def test_proxy_interference_gives_the_exact_no_proxy_value(lab, tmp_path):
    port, dead_proxy = free_port(), free_port()
    lab.mcp_server("proxied", port=8000, publish={8000: port})
    env = {"HTTP_PROXY": f"http://127.0.0.1:{dead_proxy}", "NO_PROXY": "", "no_proxy": "example.internal"}
    code, s = doctor_for(tmp_path, {"type": "http", "url": f"http://localhost:{port}/mcp"}, env=env)
    found = next(f for f in s["findings"] if f["code"] == "proxy-interference")
    assert "NO_PROXY=example.internal,localhost,127.0.0.1,::1" in found["fix"]
    assert s["probe"]["outcome"] == "refused"  # the dead proxy refused: the server was never asked


def test_ipv6_loopback_mismatch_with_a_host_server_on_ipv6_loopback(tmp_path):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(LAB_DIR / "mcp_server.py"), "--host", "::1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):  # bounded: about 20 s
            done = cli("probe", f"http://[::1]:{port}/mcp", "--timeout", "1")
            if done.returncode == 0:
                break
        code, s = doctor_for(tmp_path, {"type": "http", "url": f"http://localhost:{port}/mcp"})
    finally:
        proc.kill()
        proc.wait()
    assert "ipv6-loopback-mismatch" in codes(s), s
    assert s["suggested_url"] == f"http://[::1]:{port}/mcp"


def test_probe_from_inside_a_client_container_uses_its_names_and_says_how(lab):
    net = network(lab, "vantage")
    srv = lab.mcp_server("named", port=8000)
    net.connect(srv, aliases=["mcp-server"])
    client = lab._run("client", ["sleep", "300"], None, {}, site=False)
    net.connect(client)
    url = "http://mcp-server:8000/mcp"

    done = cli("probe", url, "--from", f"container:{client.name}", "--format", "json", "--timeout", "5")

    probe = json.loads(done.stdout)["probe"]
    assert done.returncode == 0, done.stdout + done.stderr
    assert probe["outcome"] == "mcp" and probe["server_name"] == "lab-server"
    assert probe["vantage"] == f"container:{client.name}"
    assert probe["method"].split(":")[0] in ("helper", "client-image", "exec")
    assert [x["name"] for x in probe["layers"]][:2] == ["dns", "tcp"]
    helpers = lab.client.containers.list(all=True, filters={"label": "mcp-dockernet.helper"})
    assert helpers == []


def test_a_probe_with_entry_headers_from_inside_a_client_container(lab):
    from dataclasses import replace

    import docker

    from mcp_dockernet.model import STREAMABLE_HTTP, ProbeTarget
    from mcp_dockernet.probes.codec import to_dict
    from mcp_dockernet.probes.vantage import probe_all

    net = network(lab, "headers")
    srv = lab.mcp_server("hdr", port=8000)
    net.connect(srv, aliases=["mcp-server"])
    client = lab._run("client", ["sleep", "300"], None, {}, site=False)
    net.connect(client)
    target = ProbeTarget("http://mcp-server:8000/mcp", STREAMABLE_HTTP, (("Authorization", "Bearer sekrit-123"),))

    api = docker.APIClient()
    (result,) = probe_all([target], 5.0, vantage=f"container:{client.name}", docker_api=api)

    assert result.ok and result.sent_headers == ("Authorization",), result
    assert result.headers_id == target.headers_id and result.method.split(":")[0] in ("client-image", "exec", "helper")
    assert "sekrit-123" not in json.dumps(to_dict(replace(result)))
    assert lab.client.containers.list(all=True, filters={"label": "mcp-dockernet.helper"}) == []
