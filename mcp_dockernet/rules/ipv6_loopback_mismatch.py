"""``localhost`` leads to one IP family while the server listens on the other.

Fails when: ``localhost`` resolves to ::1 first and only 127.0.0.1 accepts (or the reverse), so a
client that tries only the first address (Node.js before 20, many small HTTP clients) is refused
while others fall back; or the URL's address is refused and the only listener on that port is the
other family's loopback (a server bound to ::1 behind a URL that resolves to 127.0.0.1).
Passes when: the first address accepts, or both families do.
Fix: use the literal address that accepts (``http://127.0.0.1:PORT`` or ``http://[::1]:PORT``), or
bind the server to both families: Node listens on both when ``listen`` gets no host; uvicorn (the
Python SDK, FastMCP) on ``::`` is IPv6 only, an empty host (``FASTMCP_HOST=``) binds both.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from mcp_dockernet.model import HostState, Outcome, Snapshot
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.library import library_of, library_of_setup
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._bind_fix import dual_stack_fix
from mcp_dockernet.rules._common import layer_lines
from mcp_dockernet.urls import with_host

CODE = "ipv6-loopback-mismatch"
SEVERITY = Severity.WARNING
NEEDS: frozenset[str] = frozenset()
SUPERSEDES = frozenset({"server-not-running"})


def _family(address: str) -> int:
    try:
        return ipaddress.ip_address(address).version
    except ValueError:
        return 0


def _literal(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        url, probe, parts = route.url, route.probe, route.parts
        if probe is None or probe.proxy:
            continue
        connects = probe.connects
        good = [a for a, o in connects if o == "connected"]
        if connects and connects[0][1] != "connected" and good and _family(good[0]) != _family(connects[0][0]):
            first = connects[0][0]
            fixed = with_host(url, _literal(good[0]), parts.port)
            yield Finding(
                code=CODE,
                severity=SEVERITY,
                subject=route.id,
                message=f"{parts.host} resolves to {first} first, where the connection is {connects[0][1]}; "
                f"only {good[0]} accepts, so clients that try one address fail",
                fix=f"use {redact_url(fixed)}, {dual_stack_fix(library_of(probe))}",
                evidence=layer_lines(probe),
                suggested_url=fixed,
                writable=True,  # the same server, seen accepting on that address
            )
            continue
        if probe.outcome is not Outcome.REFUSED or not isinstance(snap.host, HostState):
            continue
        if not route.from_host or parts.host not in ("localhost", "127.0.0.1", "::1"):
            continue
        tried = {_family(a) for a, _ in connects}
        others = [
            x for x in snap.host.listeners if x.port == parts.port and x.loopback_only and _family(x.ip) not in tried
        ]
        if others:
            fixed = with_host(url, _literal(others[0].ip), parts.port)
            yield Finding(
                code=CODE,
                severity=Severity.ERROR,
                subject=route.id,
                message=f"{parts.host} leads to IPv{min(tried, default=4)}, but the server listens on {others[0].ip} only",
                fix=f"use {redact_url(fixed)}, {dual_stack_fix(library_of_setup(process=others[0].process))}",
                evidence=layer_lines(probe)
                + (f"host listener: {others[0].process or '?'} on {others[0].ip}:{parts.port}",),
                suggested_url=fixed,
            )
