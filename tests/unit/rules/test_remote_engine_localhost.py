"""remote-engine-localhost: a host client's localhost URL while the engine runs on another machine."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mcp_dockernet.model import ENGINE_HOST_VANTAGE, EngineState, HostState, Listener, Unavailable
from mcp_dockernet.route import probe_targets
from tests.unit.rules.factory import box, client_in, judge, probe, snapshot

URL = "http://localhost:8080/mcp"
THERE = "http://127.0.0.1:8080/mcp"  # the published port, from the engine's host itself


def remote(snap, endpoint: str = "ssh://me@build.example", here: tuple[Listener, ...] | None = ()):  # type: ignore[no-untyped-def]
    """The factory's snapshot with its engine on another machine, as run.py marks it (host state unavailable)."""
    assert isinstance(snap.engine, EngineState)
    return replace(
        snap,
        engine=replace(snap.engine, remote_endpoint=endpoint),
        host=Unavailable("the engine is on another machine"),
        here=HostState(here) if here is not None else None,
    )


SERVER = box("srv", project="p", publish={8000: 8080}, listen=(8000,))
SSH = Listener("127.0.0.1", 8080, 42, "ssh")
OTHER = Listener("0.0.0.0", 8080, 43, "python3")


@pytest.mark.parametrize(
    "probes, here, codes, severity",
    [
        # nothing here answers: localhost is this machine, the server publishes on the engine's host
        ([probe(URL, False), probe(THERE, vantage=ENGINE_HOST_VANTAGE)], (), ["remote-engine-localhost"], "error"),
        # something else here answers on 8080: not the engine's container (unless a tunnel)
        ([probe(URL), probe(THERE, vantage=ENGINE_HOST_VANTAGE)], (OTHER,), ["remote-engine-localhost"], "warning"),
        # an ssh tunnel listens here on 8080: localhost:8080 is meant to be the engine host's
        ([probe(URL), probe(THERE, vantage=ENGINE_HOST_VANTAGE)], (SSH,), [], None),
    ],
    ids=["nothing-here", "another-server-here", "ssh-tunnel"],
)
def test_a_host_url_on_localhost_is_judged_on_the_engines_host(probes, here, codes, severity):
    found, server = judge(remote(snapshot(URL, [SERVER], probes=tuple(probes)), here=here))
    assert found == codes
    if codes:
        finding = server.findings[0]
        assert finding.severity.name.lower() == severity
        assert "build.example" in finding.message and "srv" in finding.message
        assert any("on the engine's host" in line and THERE in line for line in finding.evidence)


def test_the_engine_hosts_name_is_written_only_when_a_probe_from_here_answered_there():
    direct = "http://build.example:8080/mcp"
    refused = remote(snapshot(URL, [SERVER], probes=(probe(URL, False), probe(direct, False))))
    found, server = judge(refused)
    assert found == ["remote-engine-localhost"] and server.suggested_url is None and not server.writable
    unconfirmed = remote(snapshot(URL, [SERVER], probes=(probe(URL, False),)))
    found, server = judge(unconfirmed)
    assert server.suggested_url == direct and not server.writable  # observed name, reachability not proven
    confirmed = remote(snapshot(URL, [SERVER], probes=(probe(URL, False), probe(direct))))
    found, server = judge(confirmed)
    assert found == ["remote-engine-localhost"] and server.suggested_url == direct and server.writable


def test_a_loopback_ssh_target_gives_a_tunnel_not_a_url():
    snap = remote(snapshot(URL, [SERVER], probes=(probe(URL, False),)), endpoint="ssh://root@127.0.0.1:2222")
    found, server = judge(snap)
    assert found == ["remote-engine-localhost"] and server.suggested_url is None and not server.writable
    assert "`ssh -NL 8080:localhost:8080 root@127.0.0.1 -p 2222`" in server.findings[0].fix


def test_the_published_port_is_probed_on_the_engines_host_not_here():
    plan = probe_targets(remote(snapshot(URL, [SERVER], probes=(probe(URL, False),))))
    assert [t.url for t in plan[ENGINE_HOST_VANTAGE]] == [THERE]
    assert [t.url for t in plan["host"]] == [URL, "http://build.example:8080/mcp"]


def test_a_local_engine_and_a_container_client_are_not_concerned():
    found, _ = judge(snapshot(URL, [SERVER], probes=(probe(URL),)))
    assert found == []  # the same snapshot, local engine: localhost:8080 is the published port
    agent = box("agent", project="p", networks=("p_default",))
    snap = remote(snapshot(URL, [SERVER, agent], client=client_in(agent)))
    found, _ = judge(snap)
    assert "remote-engine-localhost" not in found  # localhost in a container is its own (localhost-in-container)
