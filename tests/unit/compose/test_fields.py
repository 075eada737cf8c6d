"""The syntax of ports, expose, extra_hosts and volumes (research doc 1.6), as tables."""

from __future__ import annotations

import pytest

from mcp_dockernet.compose.fields import (
    FieldError,
    parse_expose,
    parse_extra_hosts,
    parse_port,
    parse_volume,
    scalar,
    unique_ports,
)
from mcp_dockernet.compose.model import ComposePort, Mount

P = ComposePort


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (3000, [P(3000, None, None, "tcp")]),
        ("3000", [P(3000, None, None, "tcp")]),
        ("3000-3001", [P(3000, None, None, "tcp"), P(3001, None, None, "tcp")]),
        ("8000:8000", [P(8000, "8000", None, "tcp")]),
        ("49100:22", [P(22, "49100", None, "tcp")]),
        ("9090-9091:8080-8081", [P(8080, "9090", None, "tcp"), P(8081, "9091", None, "tcp")]),
        ("8000-9000:80", [P(80, "8000-9000", None, "tcp")]),
        ("127.0.0.1:8001:8001", [P(8001, "8001", "127.0.0.1", "tcp")]),
        ("127.0.0.1:5000-5001:5000-5001", [P(5000, "5000", "127.0.0.1", "tcp"), P(5001, "5001", "127.0.0.1", "tcp")]),
        ("::1:6000:6000", [P(6000, "6000", "::1", "tcp")]),
        ("[::1]:6001:6001", [P(6001, "6001", "::1", "tcp")]),
        ("6060:6060/udp", [P(6060, "6060", None, "udp")]),
        ("7070/SCTP", [P(7070, None, None, "sctp")]),
        ("127.0.0.1::80", [P(80, None, "127.0.0.1", "tcp")]),
        ({"target": "81", "published": 8081}, [P(81, "8081", None, "tcp")]),
        (
            {"target": 82, "published": "8000-8010", "host_ip": "10.0.0.1", "protocol": "UDP", "mode": "host"},
            [P(82, "8000-8010", "10.0.0.1", "udp", "host")],
        ),
    ],
)
def test_ports(item: object, expected: list[ComposePort]) -> None:
    assert parse_port(item) == expected


@pytest.mark.parametrize(
    "item",
    ["", "80/icmp", "bad:80:80", "1-3:80-81", "99999", "a:b", "80-70", True, 1.5, {"published": 80}],
)
def test_bad_ports(item: object) -> None:
    with pytest.raises(FieldError):
        parse_port(item)


def test_port_uniqueness_replaces_in_place() -> None:
    ports = parse_port("8080:80") + parse_port("127.0.0.1:8080:80") + parse_port({"target": 80, "published": "8080"})
    assert unique_ports(ports) == (P(80, "8080", None, "tcp"), P(80, "8080", "127.0.0.1", "tcp"))


def test_expose() -> None:
    assert parse_expose(["3000", 4000, "5000-5002/udp", 4000]) == (3000, 4000, 5000, 5001, 5002)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["host.docker.internal:host-gateway"], (("host.docker.internal", "host-gateway"),)),
        (["a=1.2.3.4", "a=1.2.3.4"], (("a", "1.2.3.4"),)),
        (["v6:::1"], (("v6", "::1"),)),
        (["v6=[::1]"], (("v6", "::1"),)),
        (["m=10.0.0.1,10.0.0.2"], (("m", "10.0.0.1"), ("m", "10.0.0.2"))),
        (["z=1.1.1.1", "a=2.2.2.2"], (("a", "2.2.2.2"), ("z", "1.1.1.1"))),
        (
            {"h": "host-gateway", "lb": ["1.1.1.1", "2.2.2.2"]},
            (("h", "host-gateway"), ("lb", "1.1.1.1"), ("lb", "2.2.2.2")),
        ),
        (None, ()),
    ],
)
def test_extra_hosts(value: object, expected: tuple[tuple[str, str], ...]) -> None:
    assert parse_extra_hosts(value) == expected


@pytest.mark.parametrize("value", [["nohost"], ["=1.2.3.4"], {"": "1.2.3.4"}])
def test_bad_extra_hosts(value: object) -> None:
    with pytest.raises(FieldError):
        parse_extra_hosts(value)


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("./data:/data:ro", Mount("bind", "/proj/data", "/data", True)),
        ("../up:/up/", Mount("bind", "/up", "/up")),
        ("/abs:/abs:rw,z", Mount("bind", "/abs", "/abs")),
        ("~/cfg:/cfg", Mount("bind", "/home/u/cfg", "/cfg")),
        ("named:/named", Mount("volume", "named", "/named")),
        ("/anon", Mount("volume", None, "/anon")),
        (
            {"type": "bind", "source": "conf", "target": "/c/", "read_only": True},
            Mount("bind", "/proj/conf", "/c", True),
        ),
        ({"type": "tmpfs", "target": "/tmp"}, Mount("tmpfs", None, "/tmp")),
    ],
)
def test_volumes(item: object, expected: Mount) -> None:
    assert parse_volume(item, "/proj", "/home/u") == expected


def test_empty_volume_section() -> None:
    with pytest.raises(FieldError, match="empty section"):
        parse_volume(":/media/", "/proj", None)


@pytest.mark.parametrize(
    ("value", "expected"), [(True, "true"), (1.1, "1.1"), (15, "15"), (2.0, "2"), (None, None), ("x", "x")]
)
def test_scalar_strings(value: object, expected: str | None) -> None:
    assert scalar(value) == expected
