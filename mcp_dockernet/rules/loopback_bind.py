"""The server inside its container listens on 127.0.0.1 / ::1 only, so nothing outside it can reach it.

Fails when: the container the URL leads to (the one publishing the URL's port, or the one the URL
names) listens on the port only on its own loopback. Through a published port this shows as a
connection reset, not a refusal (docker-proxy accepts, then finds nothing at the container's
address); from another container as a refusal.
Passes when: the server listens on 0.0.0.0 or :: (or its address on the network), or its sockets
could not be read.
Fix: bind the server to 0.0.0.0, in the words of its library when its process, image or Compose
environment tells it (route/library.py; docs/server-libraries.md): official Python SDK 2.x
``server.run("streamable-http", host="0.0.0.0")`` (no environment variable), 1.x
``FastMCP("name", host="0.0.0.0")`` in the constructor (its ``FASTMCP_HOST`` is ignored since 1.12.3);
standalone FastMCP 2.x and later ``FASTMCP_HOST=0.0.0.0`` (or ``run(host=...)``, ``fastmcp run --host``);
TypeScript SDK ``app.listen(port, "0.0.0.0")`` (``createMcpExpressApp({ host })`` binds nothing, it
only sets the Host check). uvicorn/others: ``--host 0.0.0.0``.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.library import fastmcp_host_env, library_of_peer
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._bind_fix import bind_fix
from mcp_dockernet.rules._common import layer_lines, ref

CODE = "loopback-bind"
SEVERITY = Severity.ERROR
NEEDS = frozenset({"engine"})
SUPERSEDES = frozenset({"transport-mismatch", "port-not-published"})


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        if route.works:
            continue
        for peer, port in route.target.peers:
            bound = peer.listening_on(port)
            if not bound or not all(x.loopback_only for x in bound) or peer.container_id == route.place.container_id:
                continue
            where = ", ".join(f"{x.ip}:{x.port}" for x in bound)
            lib = library_of_peer(snap, peer, port)
            knew = (f"server library: {lib.label}, from its {lib.why}",) if lib else ()
            yield Finding(
                code=CODE,
                severity=SEVERITY,
                subject=route.id,
                message=f"{peer.label} listens on {where} only, its own loopback: "
                "no published port and no other container can reach it",
                fix=bind_fix(lib, port, fastmcp_host_env(snap, peer)),
                evidence=(layer_lines(route.probe) if route.probe else ())
                + (f"sockets of {peer.name}: listening on {where}",)
                + knew,
                server=ref(peer, port),
            )
