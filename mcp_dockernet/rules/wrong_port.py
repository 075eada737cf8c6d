"""The URL's port is not where the server can be reached.

Fails when: from the host, the URL says ``localhost:8000`` and nothing answers there, while a
container serves port 8000 inside (declared, or seen listening) and publishes it on another host
port (``-p 3000:8000``, also when the Compose file says so and the service is not running yet);
or, from a container, the URL names a service on a shared network with its published *host*
port (``http://tools:3000``) instead of its container port (``http://tools:8000``), or with a port
the server does not listen on while it listens on one other.
Passes when: something listens on the URL's port, or no container serves that port at all.
Fix: the published port from the host, the container port from a shared network;
``mcp-dockernet fix --write`` rewrites it when the evidence points at one server in the client's scope.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import NOTHING, PEER, Reach, Route
from mcp_dockernet.rules._common import ambiguous, fix_words, lead, probe_lines, ref, serving, suggestion

CODE = "wrong-port"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES = frozenset({"server-not-running"})


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        if route.works:
            continue
        if route.from_host and route.target.kind == NOTHING:
            yield from _from_host(route)
        elif not route.from_host and route.target.kind == PEER:
            yield from _at_peer(route)


def _from_host(route: Route) -> Iterator[Finding]:
    first = lead(route)
    if first is None or first.reach is not Reach.MOVED:
        return
    shown = route.choice.among if ambiguous(route) else (first,)
    where = "; ".join(serving(c, route.parts.port) for c in shown)
    yield Finding(
        code=CODE,
        severity=SEVERITY,
        subject=route.id,
        message=f"nothing listens on host port {route.parts.port}, but {where}",
        fix=fix_words(route, "use the host port of the container you mean"),
        evidence=probe_lines(route, *shown),
        server=ref(first.peer, first.port, first.published) if first.peer else None,
        **suggestion(route, (Reach.MOVED,)),  # type: ignore[arg-type]
    )


def _at_peer(route: Route) -> Iterator[Finding]:
    first = lead(route)
    if first is None or first.peer is None or first.port == route.parts.port:
        return
    peer = first.peer
    if peer.target_of_host_port(route.parts.port) == first.port:
        message = (
            f"{route.parts.port} is {peer.name}'s published host port; on the shared network it listens on {first.port}"
        )
    else:
        message = f"{peer.name} does not listen on port {route.parts.port}; its process listens on {first.port}"
    fixed = first.url or ""
    yield Finding(
        code=CODE,
        severity=SEVERITY,
        subject=route.id,
        message=message,
        fix=f"use {redact_url(fixed)}",
        evidence=probe_lines(route, first),
        server=ref(peer, first.port),
        **suggestion(route, (Reach.BY_NAME,)),  # type: ignore[arg-type]
    )
