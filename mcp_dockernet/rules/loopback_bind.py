"""The server inside its container listens on 127.0.0.1 / ::1 only, so nothing outside it can reach it.

Fails when: the container the URL leads to (the one publishing the URL's port, or the one the URL
names) listens on the port only on its own loopback. Through a published port this shows as a
connection reset, not a refusal (docker-proxy accepts, then finds nothing at the container's
address); from another container as a refusal.
Passes when: the server listens on 0.0.0.0 or :: (or its address on the network), or its sockets
could not be read.
Fix: bind the server to 0.0.0.0. Official Python SDK: since 1.9.1 the default host is 127.0.0.1,
and since 1.12.3 FASTMCP_HOST is ignored; pass it in code: 1.x ``FastMCP("name", host="0.0.0.0")``
(the constructor, not ``mcp.settings.host`` afterwards), 2.x ``server.run("streamable-http",
host="0.0.0.0")``. TypeScript SDK: ``app.listen(port, "0.0.0.0")``, and with
``createMcpExpressApp({ host: "0.0.0.0", allowedHosts: [...] })`` its Host check. uvicorn/others:
``--host 0.0.0.0``.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._common import layer_lines, ref

CODE = "loopback-bind"
SEVERITY = Severity.ERROR
NEEDS = frozenset({"engine"})
SUPERSEDES = frozenset({"transport-mismatch", "port-not-published"})
FIX = (
    'bind the server to 0.0.0.0: Python SDK 2.x server.run("streamable-http", host="0.0.0.0"), '
    '1.x FastMCP("name", host="0.0.0.0") in the constructor (FASTMCP_HOST is ignored since 1.12.3; '
    'the default is 127.0.0.1 since 1.9.1); TypeScript SDK app.listen(port, "0.0.0.0") with '
    'createMcpExpressApp({ host: "0.0.0.0", allowedHosts: [...] }); uvicorn --host 0.0.0.0'
)


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        if route.works:
            continue
        for peer, port in route.target.peers:
            bound = peer.listening_on(port)
            if not bound or not all(x.loopback_only for x in bound) or peer.container_id == route.place.container_id:
                continue
            where = ", ".join(f"{x.ip}:{x.port}" for x in bound)
            yield Finding(
                code=CODE,
                severity=SEVERITY,
                subject=route.id,
                message=f"{peer.label} listens on {where} only, its own loopback: "
                "no published port and no other container can reach it",
                fix=FIX,
                evidence=(layer_lines(route.probe) if route.probe else ())
                + (f"sockets of {peer.name}: listening on {where}",),
                server=ref(peer, port),
            )
