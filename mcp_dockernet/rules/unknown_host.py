"""The URL's host name resolves nowhere the client runs.

Fails when: from a container, the URL's host is a plain name that no service, container or alias
is called on the client's networks (nor in its extra hosts); or, from the host, the URL uses a
Docker name (a service or container name), which resolves only inside Docker networks.
Passes when: the name is known where the client runs.
Fix: from a container, the name of the server that serves the port; from the host,
``localhost`` and the port the container publishes.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import DOCKER_NAME, UNKNOWN_NAME, Route
from mcp_dockernet.rules._common import fix_words, lead, probe_lines, ref, suggestion

CODE = "unknown-host"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES: frozenset[str] = frozenset()


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        if route.works or route.target.kind not in (UNKNOWN_NAME, DOCKER_NAME):
            continue
        host = route.parts.host
        first = lead(route)
        if route.target.kind == UNKNOWN_NAME:
            message = f"no service, container or alias is called {host!r} where {route.place.name} runs"
            otherwise = "use the server's service or container name"
        else:
            message = f"{host!r} is a Docker name; it resolves only inside Docker networks, not on the host"
            otherwise = "publish the server's port and use localhost:<published port>"
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=message,
            fix=fix_words(route, otherwise),
            evidence=probe_lines(route, *route.candidates[:3]),
            server=ref(first.peer, first.port) if first is not None and first.peer is not None else None,
            **suggestion(route),  # type: ignore[arg-type]
        )
