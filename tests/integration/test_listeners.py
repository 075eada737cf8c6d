"""Listening sockets of every running container, read for real on the lab's engine: the local way
(cgroup pass + netlink or /proc on this host) and the helper way (one container in the engine
host's PID namespace), which a remote engine or Docker Desktop needs; and nothing left behind."""

from __future__ import annotations

import docker
import pytest

from mcp_dockernet.collectors.docker_engine import collect_engine
from mcp_dockernet.collectors.listeners import read_listeners
from mcp_dockernet.probes.vantage import HELPER_LABEL
from tests.integration.helpers import codes, doctor_json, server, write_config
from tests.lab.docker_lab import BASE_IMAGE, LAB_DIR, LABEL, SITE_PACKAGES, free_port

pytestmark = pytest.mark.docker


class RecordingApi:
    """The real low-level client, noting every container the code under test creates."""

    def __init__(self, api: docker.APIClient) -> None:
        self._api, self.created = api, []

    def create_container(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        created = self._api.create_container(*args, **kwargs)
        self.created.append((created["Id"], kwargs))
        return created

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self._api, name)


def ipv6_server(lab, stem: str, host: str, port: int):  # type: ignore[no-untyped-def]
    """The lab's SDK server on an IPv6 address: the engine disables IPv6 in containers unless asked."""
    api = lab.client.api
    binds = {SITE_PACKAGES: {"bind": "/site", "mode": "ro"}, str(LAB_DIR): {"bind": "/lab", "mode": "ro"}}
    sysctls = {"net.ipv6.conf.all.disable_ipv6": "0", "net.ipv6.conf.lo.disable_ipv6": "0"}
    created = api.create_container(
        BASE_IMAGE,
        ["python3", "/lab/mcp_server.py", "--host", host, "--port", str(port)],
        name=lab.name(stem),
        labels={LABEL: lab.run_id},
        environment={"PYTHONPATH": "/site", "PYTHONUNBUFFERED": "1"},
        host_config=api.create_host_config(binds=binds, sysctls=sysctls),
    )
    api.start(created["Id"])
    container = lab.client.containers.get(created["Id"])
    lab.wait_for_log(container, "Uvicorn running")
    return container


@pytest.fixture
def servers(lab):  # type: ignore[no-untyped-def]
    """No EXPOSE and no -p on any of them: only their sockets say where they serve."""
    wild = lab.mcp_server("wild", port=8000, expose=False)
    loop = lab.mcp_server("loop", port=8001, host="127.0.0.1", expose=False)
    six = ipv6_server(lab, "six", "::1", 8002)
    sidecar = lab.client.containers.run(
        BASE_IMAGE,
        ["sleep", "300"],
        name=lab.name("side"),
        labels={LABEL: lab.run_id},
        network_mode=f"container:{wild.id}",
        detach=True,
    )
    return wild, loop, six, sidecar


def pairs(scan, container) -> set[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return {(x.ip, x.port) for x in dict(scan.listeners).get(container.id, ())}


@pytest.mark.parametrize("way", ["auto", "helper"])
def test_sockets_of_servers_that_declare_no_port(docker_client, servers, way):
    wild, loop, six, sidecar = servers
    api = RecordingApi(docker.APIClient(version="auto"))
    engine = collect_engine(api)
    scan = read_listeners(api, engine.containers, way=way)
    assert ("0.0.0.0", 8000) in pairs(scan, wild)
    assert ("127.0.0.1", 8001) in pairs(scan, loop) and ("0.0.0.0", 8001) not in pairs(scan, loop)
    assert ("::1", 8002) in pairs(scan, six)
    assert sidecar.id not in dict(scan.listeners) and dict(scan.shared)[sidecar.id] == wild.id
    ours = {wild.id, loop.id, six.id}
    assert not [why for cid, why in scan.unread if cid in ours]
    if way == "auto":  # this lab's engine is local and we are root: netlink, and no container made
        assert scan.ways == ("netlink",) and api.created == []
    else:
        assert len(scan.ways) == 1 and scan.ways[0].startswith("helper:mcp-dockernet")
        assert len(api.created) == 1, "one helper serves every container"
        helper_id, kwargs = api.created[0]
        assert kwargs["labels"] == {HELPER_LABEL: "listeners"}
        assert kwargs["host_config"]["PidMode"] == "host" and kwargs["host_config"]["NetworkMode"] == "none"
        with pytest.raises(docker.errors.NotFound):
            docker_client.api.inspect_container(helper_id)


def test_both_ways_agree_on_every_container(docker_client, servers):
    api = docker.APIClient(version="auto")
    containers = collect_engine(api).containers
    here, there = read_listeners(api, containers, way="auto"), read_listeners(api, containers, way="helper")
    both = set(dict(here.listeners)) & set(dict(there.listeners))
    assert {c.id for c in servers if c.id != servers[3].id} <= both
    for cid in {c.id for c in servers}:  # other sessions' containers may come and go meanwhile
        assert dict(here.listeners).get(cid) == dict(there.listeners).get(cid)


def test_no_probe_doctor_sees_a_loopback_bound_server(lab, tmp_path):
    """Through run.py's wiring: no probe is made, the socket alone says loopback-bind."""
    port = free_port()
    lab.mcp_server("nlo", port=8000, host="127.0.0.1", publish={8000: port})
    cfg = tmp_path / ".mcp.json"
    write_config(cfg, {"s": {"type": "http", "url": f"http://localhost:{port}/mcp"}})
    code, report = doctor_json("--config", str(cfg), "--no-probe")
    s = server(report, "s")
    assert code == 1 and "loopback-bind" in codes(s), s
