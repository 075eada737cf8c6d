"""Proxy decisions (httpx trust_env semantics) and /proc/net/tcp parsing (docker-networking.md 4.1)."""

from __future__ import annotations

import pytest

from mcp_dockernet.collectors.listeners import parse_proc_net_tcp
from mcp_dockernet.probes.proxy import decide
from mcp_dockernet.urls import suggested_no_proxy

P = "http://proxy:3128"


@pytest.mark.parametrize(
    "env, url, proxied",
    [
        ({"HTTP_PROXY": P}, "http://localhost:8000/mcp", True),
        ({"HTTP_PROXY": P, "NO_PROXY": "localhost"}, "http://localhost:8000/mcp", False),
        ({"HTTP_PROXY": P, "NO_PROXY": "127.0.0.0/8"}, "http://127.0.0.1:8000/mcp", True),  # CIDR: ignored
        ({"HTTP_PROXY": P, "NO_PROXY": "internal"}, "http://mcp.internal/mcp", False),
        ({"HTTP_PROXY": P, "NO_PROXY": ".internal"}, "http://internal/mcp", True),
        ({"HTTP_PROXY": P, "NO_PROXY": "*"}, "http://anything/mcp", False),
        ({"HTTP_PROXY": P, "NO_PROXY": "localhost", "no_proxy": ""}, "http://localhost/mcp", True),
        ({"HTTPS_PROXY": P}, "http://localhost/mcp", False),
        ({"ALL_PROXY": P}, "http://localhost/mcp", True),
        ({"HTTP_PROXY": P, "REQUEST_METHOD": "GET"}, "http://localhost/mcp", False),
    ],
)
def test_proxy_decision(env, url, proxied):
    assert (decide(url, env).proxy is not None) is proxied


def test_suggested_no_proxy_keeps_entries():
    assert suggested_no_proxy("a.example, localhost", "localhost", "::1") == "a.example,localhost,::1"


def test_proc_net_tcp_listeners():
    text = (
        "  sl  local_address rem_address   st\n"
        "   0: 0100007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n"
        "   1: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 2\n"
        "   2: 0100007F:1F41 0100007F:9C40 01 00000000:00000000 00:00000000 00000000 0 0 3\n"
        "   0: 00000000000000000000000001000000:1F93 00000000000000000000000000000000:0000 0A 0 0 0 0 0 4\n"
    )
    found = [(x.ip, x.port, x.loopback_only) for x in parse_proc_net_tcp(text, little_endian=True)]
    assert found == [("0.0.0.0", 80, False), ("127.0.0.1", 8000, True), ("::1", 8083, True)]
