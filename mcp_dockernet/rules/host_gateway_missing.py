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
from mcp_dockernet.reach import HOST_ALIAS, container_entries, goes_to_host, host_needs_gateway_entry
from mcp_dockernet.report import Finding, Severity, entry_key

CODE = "host-gateway-missing"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()


def check(snap: Snapshot) -> Iterator[Finding]:
    for entry, place, parts in container_entries(snap):
        url = goes_to_host(snap, entry, place, parts)
        if url is None or HOST_ALIAS not in url or not host_needs_gateway_entry(snap, place):
            continue
        engine = "a plain Linux engine" if isinstance(snap.engine, EngineState) else "an engine we could not ask"
        if place.service:
            fix = f'add to service {place.service}:  extra_hosts: ["{HOST_ALIAS}:host-gateway"]'
        else:
            fix = f"re-create {place.name} with  --add-host {HOST_ALIAS}:host-gateway"
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry_key(entry),
            message=f"{HOST_ALIAS} does not resolve in {place.name}: on {engine} it needs a host-gateway entry",
            fix=fix,
            evidence=(f"{place.name} extra hosts: {', '.join(f'{h}:{ip}' for h, ip in place.extra_hosts) or 'none'}",),
        )
