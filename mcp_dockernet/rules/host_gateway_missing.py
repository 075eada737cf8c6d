"""host.docker.internal does not resolve in this container: a plain Linux engine needs host-gateway.

Fails when: the client's URL (or the URL mcp-dockernet suggests) uses ``host.docker.internal``,
the engine is a plain Linux engine (not Docker Desktop, OrbStack, Colima or Podman, which
resolve it themselves), and the client container has no ``host.docker.internal:host-gateway``
entry.
Passes when: the entry is there, or the engine resolves the name by itself.
Fix: in the client's Compose service ``extra_hosts: ["host.docker.internal:host-gateway"]``
(``mcp-dockernet fix --compose-override FILE`` writes it), or ``docker run --add-host
host.docker.internal:host-gateway``.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import EngineState, Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._common import host_bound_url
from mcp_dockernet.urls import HOST_ALIAS

CODE = "host-gateway-missing"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES: frozenset[str] = frozenset()


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        place = route.place
        url = host_bound_url(route)
        if url is None or HOST_ALIAS not in url or not _needs_gateway_entry(snap, route):
            continue
        engine = "a plain Linux engine" if isinstance(snap.engine, EngineState) else "an engine we could not ask"
        if place.service:
            fix = f'add to service {place.service}:  extra_hosts: ["{HOST_ALIAS}:host-gateway"]'
        else:
            fix = f"re-create {place.name} with  --add-host {HOST_ALIAS}:host-gateway"
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=f"{HOST_ALIAS} does not resolve in {place.name}: on {engine} it needs a host-gateway entry",
            fix=fix,
            evidence=(f"{place.name} extra hosts: {', '.join(f'{h}:{ip}' for h, ip in place.extra_hosts) or 'none'}",),
        )


def _needs_gateway_entry(snap: Snapshot, route: Route) -> bool:
    """A plain Linux engine resolves host.docker.internal only through extra_hosts host-gateway."""
    flavour = getattr(snap.engine, "flavour", "linux")
    return flavour in ("linux", "rancher-desktop") and not route.place.has_host(HOST_ALIAS)
