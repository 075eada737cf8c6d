"""host-gateway-missing, host-loopback-bind, loopback-bind, transport-mismatch (stdio): tables over routes."""

from __future__ import annotations

import pytest

from mcp_dockernet.model import Listener
from tests.unit.rules.factory import box, client_in, judge, snapshot

AGENT = box("a-agent-1", service="agent", project="a", networks=("a_default",))
GATEWAY = (("host.docker.internal", "host-gateway"),)


@pytest.mark.parametrize(
    "url, extra_hosts, host_listeners, codes",
    [
        ("http://host.docker.internal:9000/mcp", (), (), ["host-gateway-missing"]),
        ("http://host.docker.internal:9000/mcp", GATEWAY, (), []),
        (
            "http://host.docker.internal:9000/mcp",
            GATEWAY,
            (Listener("127.0.0.1", 9000, 7, "python3"),),
            ["host-loopback-bind"],
        ),
        ("http://host.docker.internal:9000/mcp", GATEWAY, (Listener("0.0.0.0", 9000, 7, "python3"),), []),
        # localhost in the agent, the server a host process: go through the host, which needs the entry
        (
            "http://localhost:9000/mcp",
            (),
            (Listener("0.0.0.0", 9000, 7, "python3"),),
            ["localhost-in-container", "host-gateway-missing"],
        ),
    ],
    ids=["no-entry", "entry", "host-loopback", "host-wildcard", "localhost-to-host"],
)
def test_from_a_container_to_the_host(url, extra_hosts, host_listeners, codes):
    found, server = judge(
        snapshot(url, [AGENT], client=client_in(AGENT, extra_hosts=extra_hosts), host_listeners=host_listeners)
    )
    assert found == codes
    if "localhost-in-container" in codes:
        assert server.suggested_url == "http://host.docker.internal:9000/mcp"


def test_a_peer_bound_to_its_own_loopback():
    srv = box("a-tools-1", service="tools", project="a", networks=("a_default",), listen=(("127.0.0.1", 8000),))
    found, _ = judge(snapshot("http://tools:8000/mcp", [AGENT, srv], client=client_in(AGENT)))
    assert found == ["loopback-bind"]


def test_a_container_that_listens_on_no_port_is_a_stdio_server():
    from mcp_dockernet.model import Outcome
    from tests.unit.rules.factory import probe

    srv = box("stdio", publish={8000: 8000}, listen=())
    refused = probe("http://localhost:8000/mcp", ok=False, outcome=Outcome.RESET)
    found, _ = judge(snapshot("http://localhost:8000/mcp", [srv], probes=(refused,)))
    assert found == ["transport-mismatch"]


def test_the_engines_dns_resolver_socket_is_not_a_server():
    srv = box("a-tools-1", service="tools", project="a", networks=("a_default",), listen=(("127.0.0.11", 41234), 8001))
    found, server = judge(snapshot("http://tools:8000/mcp", [AGENT, srv], client=client_in(AGENT)))
    assert found == ["wrong-port"] and server.suggested_url == "http://tools:8001/mcp"
