"""Podman from recorded answers of a real Podman 4.3.1 (Debian 12, `podman system service`, rootful):
the flavour, its pods mapped onto Docker's terms, and the name of the host that suggestions use."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from mcp_dockernet.collectors.docker_engine import collect_engine, flavour_of, product_of
from mcp_dockernet.collectors.podman import pod_slots
from mcp_dockernet.model import EngineState, Listener, Outcome, Unavailable
from mcp_dockernet.urls import HOST_ALIAS, PODMAN_HOST_ALIAS, host_alias
from tests.unit.rules.factory import box, client_in, judge, probe, snapshot

RECORDED = Path(__file__).resolve().parent.parent / "fixtures" / "podman"


def recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text())


class Response:
    def __init__(self, body: Any) -> None:
        self.body = body

    def raise_for_status(self) -> None:
        if isinstance(self.body, Exception):
            raise self.body

    def json(self) -> Any:
        return self.body


class FakePodman:
    """The compat calls collect_engine makes, and the session GET it makes for Podman's own list."""

    base_url = "http+docker://localhost"
    api_version = "1.41"
    timeout = 10

    def __init__(self, libpod: Any = None) -> None:
        self.libpod = recorded("libpod-containers-4.3.1.json") if libpod is None else libpod
        self.urls: list[str] = []

    def info(self) -> dict[str, Any]:
        return recorded("info-4.3.1.json")

    def containers(self, all: bool = False) -> list[dict[str, Any]]:
        return recorded("containers-4.3.1.json")

    def inspect_container(self, container: str) -> dict[str, Any]:
        raise AssertionError("running containers need no inspect")

    def logs(self, container: str, **kw: Any) -> bytes:
        return b""

    def get(self, url: str, params: Any = None, timeout: Any = None) -> Response:
        self.urls.append(url)
        return Response(self.libpod)


def test_podman_is_told_by_its_info_and_by_its_version():
    info, version = recorded("info-4.3.1.json"), recorded("version-4.3.1.json")
    assert info["ServerVersion"] == "4.3.1" and info["OperatingSystem"] == "debian"  # neither names Podman
    assert flavour_of(info) == "podman"  # BuildahVersion does
    assert flavour_of({"ServerVersion": "4.3.1"}, version) == "podman"  # "Podman Engine" in Components


def test_docker_engine_is_not_podman():
    assert flavour_of(recorded("docker-info-20.10.json"), recorded("docker-version-20.10.json")) == "linux"


def test_pod_members_share_the_infra_containers_namespace_and_ports():
    api = FakePodman()
    state = collect_engine(api)
    assert isinstance(state, EngineState) and state.flavour == "podman" and not state.rootless
    assert api.urls == ["http+docker://localhost/v1.41/libpod/containers/json"]
    by_name = {c.name: c for c in state.containers}
    infra = next(c for c in state.containers if c.name.endswith("-infra"))
    for member in ("pmsrv", "pmcli"):
        c = by_name[member]
        assert c.pod == "pmpod" and c.network_mode == f"container:{infra.id}"
        assert c.ports == ()  # the compat list gave each member the pod's ports: they are the infra's
        assert c.label == f"{member} (pod pmpod)"
    assert infra.pod == "pmpod" and infra.network_mode == "" and [p.host_port for p in infra.ports] == [18123]
    alone = by_name["pmagent"]
    assert alone.pod is None and alone.network_mode == "" and [n.network for n in alone.networks] == ["podman"]
    assert product_of(state) == "Podman 4.3.1, rootful"


def test_containers_on_no_network_are_inspected_for_their_mode():
    """--network host, none and container:X show no network in the compat list (recorded on 4.3.1)."""
    rec = recorded("no-network-4.3.1.json")

    class NoNetwork(FakePodman):
        def containers(self, all: bool = False) -> list[dict[str, Any]]:
            return rec["containers"]

        def inspect_container(self, container: str) -> dict[str, Any]:
            return {"HostConfig": {"NetworkMode": rec["network_modes"][container]}}

    state = collect_engine(NoNetwork(libpod=rec["libpod"]))
    assert isinstance(state, EngineState)
    modes = {c.name: c.network_mode for c in state.containers}
    none_id = next(c.id for c in state.containers if c.name == "pmnone")
    assert modes == {"pmhost": "host", "pmnone": "none", "pmjoin": f"container:{none_id}"}


def test_without_podmans_own_list_the_compat_facts_stay():
    state = collect_engine(FakePodman(libpod=OSError("404")))
    assert isinstance(state, EngineState) and all(c.pod is None for c in state.containers)


def test_pod_slots_ignore_containers_outside_pods():
    listed = [
        {"Id": "a", "Pod": "p1", "PodName": "web", "IsInfra": True},
        {"Id": "b", "Pod": "p1", "PodName": "web", "IsInfra": False},
        {"Id": "c", "Pod": "", "IsInfra": False},
        {"Id": "d", "Pod": "p2", "PodName": "lost", "IsInfra": False},  # no infra listed: left alone
    ]
    slots = pod_slots(listed)
    assert set(slots) == {"a", "b"} and slots["b"].infra_id == "a" and slots["a"].is_infra


@pytest.mark.parametrize(
    ("engine", "alias"),
    [
        (EngineState((), flavour="podman"), PODMAN_HOST_ALIAS),
        (EngineState((), flavour="linux"), HOST_ALIAS),
        (EngineState((), flavour="docker-desktop"), HOST_ALIAS),
        (Unavailable("static"), HOST_ALIAS),
    ],
)
def test_the_hosts_name_follows_the_engine(engine, alias):
    assert host_alias(engine) == alias


def test_product_names_only_engines_that_are_not_plain_docker():
    assert product_of(EngineState((), server_version="20.10.24")) is None
    assert (
        product_of(EngineState((), server_version="5.2.0", flavour="podman", rootless=True)) == "Podman 5.2.0, rootless"
    )
    assert product_of(Unavailable("x")) is None


# --- the rules on a Podman engine (tables over the factory's snapshots, the engine made Podman) ---

AGENT = box("agent", networks=("podman",))


def on_podman(snap: Any) -> Any:
    return replace(snap, engine=replace(snap.engine, flavour="podman", server_version="4.3.1"))


@pytest.mark.parametrize(
    ("url", "listeners", "probes", "codes"),
    [
        # localhost in the agent, the server a host process: host.containers.internal, which needs no entry
        ("http://localhost:9000/mcp", (Listener("0.0.0.0", 9000, 7, "python3"),), (), ["localhost-in-container"]),
        ("http://host.containers.internal:9000/mcp", (Listener("0.0.0.0", 9000, 7, "python3"),), (), []),
        (
            "http://host.containers.internal:9000/mcp",
            (Listener("127.0.0.1", 9000, 7, "python3"),),
            (),
            ["host-loopback-bind"],
        ),
        # Docker's name: not judged without evidence, a finding once the agent's probe saw it not resolve
        ("http://host.docker.internal:9000/mcp", (Listener("0.0.0.0", 9000, 7, "python3"),), (), []),
        (
            "http://host.docker.internal:9000/mcp",
            (Listener("0.0.0.0", 9000, 7, "python3"),),
            (probe("http://host.docker.internal:9000/mcp", ok=False, vantage="container:agent", outcome=Outcome.DNS),),
            ["host-gateway-missing"],
        ),
    ],
    ids=["localhost-to-host", "podman-name", "host-loopback", "docker-name-unjudged", "docker-name-unresolved"],
)
def test_from_a_podman_container_to_the_host(url, listeners, probes, codes):
    snap = on_podman(snapshot(url, [AGENT], client=client_in(AGENT), host_listeners=listeners, probes=probes))
    found, server = judge(snap)
    assert found == codes
    if "localhost-in-container" in codes:
        assert server.suggested_url == "http://host.containers.internal:9000/mcp"
        assert "host.docker.internal" not in " ".join(f.fix or "" for f in server.findings)
    if "host-gateway-missing" in codes:
        fix = server.findings[0].fix or ""
        assert "http://host.containers.internal:9000/mcp" in fix and "--add-host" not in fix.split("(")[0]


def test_the_same_entry_on_docker_still_needs_the_gateway_entry():
    snap = snapshot(
        "http://localhost:9000/mcp",
        [AGENT],
        client=client_in(AGENT),
        host_listeners=(Listener("0.0.0.0", 9000, 7, "python3"),),
    )
    found, server = judge(snap)
    assert found == ["localhost-in-container", "host-gateway-missing"]
    assert server.suggested_url == "http://host.docker.internal:9000/mcp"


def test_conmon_holding_a_published_port_is_the_container_not_a_host_server():
    """Rootful Podman's conmon keeps the host port open (seen on 4.3.1): the port leads to the container."""
    srv = box("srv", networks=("podman",), publish={8000: 18123}, listen=(("127.0.0.1", 8000),))
    held = (Listener("127.0.0.1", 18123, 99, "conmon"),)
    found, _ = judge(on_podman(snapshot("http://localhost:18123/mcp", [srv], host_listeners=held)))
    assert found == ["loopback-bind"]


def test_names_do_not_resolve_on_podmans_default_network():
    srv = box("srv", networks=("podman",), expose=(8000,), listen=(8000,))
    found, server = judge(on_podman(snapshot("http://srv:8000/mcp", [AGENT, srv], client=client_in(AGENT))))
    assert found == ["default-bridge-no-dns"]
    assert (server.findings[0].fix or "").startswith("podman network create mcp")


def test_rootless_podman_names_its_own_way_to_the_hosts_loopback():
    snap = on_podman(
        snapshot(
            "http://host.containers.internal:9000/mcp",
            [AGENT],
            client=client_in(AGENT),
            host_listeners=(Listener("127.0.0.1", 9000, 7, "python3"),),
        )
    )
    snap = replace(snap, engine=replace(snap.engine, rootless=True))
    found, server = judge(snap)
    assert found == ["host-loopback-bind"]
    fix = server.findings[0].fix or ""
    assert "slirp4netns:allow_host_loopback=true" in fix and "DOCKERD_ROOTLESS" not in fix


def test_members_of_one_pod_are_each_others_localhost():
    infra = box("p-infra", networks=("podman",), publish={8000: 18123}, listen=(8000,))
    member = box("agent", networks=("podman",), network_mode="container:" + "p-infra" * 4)
    found, server = judge(on_podman(snapshot("http://localhost:8000/mcp", [infra, member], client=client_in(member))))
    assert found == []
