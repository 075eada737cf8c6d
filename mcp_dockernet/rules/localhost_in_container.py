"""localhost in a container's MCP config: that container itself, not the MCP server.

Fails when: the client runs in a container (found from the config's bind mount, told by
``--client``, or a Compose service's environment), its URL says ``localhost``/``127.0.0.1``, and
nothing in the client's own container listens on that port.
Passes when: the client runs on the host, shares another container's network namespace
(``network_mode: service:x``), or its own container serves the port (a process beside the client).
Fix: the server's service name and container port when it shares a network with the client
(``http://tools:8000/mcp``), else ``host.docker.internal`` and the published port;
``mcp-dockernet fix --write`` rewrites it when the evidence points at one server in the client's scope.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import SELF, Route
from mcp_dockernet.rules._common import fix_words, lead, probe_lines, ref, suggestion

CODE = "localhost-in-container"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()  # decidable from the Compose file alone
SUPERSEDES: frozenset[str] = frozenset()


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        place = route.place
        if route.target.kind != SELF or route.works or place.network_mode.startswith(("container:", "service:")):
            continue
        if any(peer.listening_on(route.parts.port) for peer, _ in route.target.peers):
            continue  # a process in the client's own container serves it: localhost is right
        first = lead(route)
        otherwise = (
            f"name the server instead: its service or container name and container port when it shares a "
            f"network with {place.name}, or host.docker.internal and the published port"
        )
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=f"{route.parts.host} inside container {place.name} is that container itself, not the MCP server",
            fix=fix_words(route, otherwise),
            evidence=probe_lines(route, *route.candidates[:4]),
            server=ref(first.peer, first.port) if first is not None and first.peer is not None else None,
            **suggestion(route),  # type: ignore[arg-type]
        )
