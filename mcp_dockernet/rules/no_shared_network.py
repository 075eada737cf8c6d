"""The URL names a container or service that exists, but on no network the client is on.

Fails when: the agent container is on ``proj-a_default`` and its URL names ``tools`` of another
project on ``proj-b_default`` (or any network the agent is not attached to).
Passes when: they share a user-defined network.
Fix: put both on one network (an external network in both Compose files, or ``docker network
connect``), or go through the host: ``host.docker.internal`` and the server's published port.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.reach import HOST_ALIAS, container_entries, with_host
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import Finding, Severity, entry_key
from mcp_dockernet.topology import is_self, named, shared_networks

CODE = "no-shared-network"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()


def check(snap: Snapshot) -> Iterator[Finding]:
    for entry, place, parts in container_entries(snap):
        targets = [p for p in named(snap, parts.host) if not is_self(place, p)]
        if not targets or any(shared_networks(place, p) for p in targets):
            continue
        peer = targets[0]
        target_port = parts.port if parts.port in peer.container_ports() else peer.target_of_host_port(parts.port)
        published = peer.host_port_of(target_port) if target_port else None
        via_host = with_host(entry.effective_url or "", HOST_ALIAS, published) if published else None
        network = sorted(peer.networks)[0] if peer.networks else "a shared network"
        join = (
            f"attach {place.name} to {network}: in its Compose file  networks: {{shared: {{external: true, "
            f"name: {network}}}}}  and list `shared` under service {place.service or place.name}'s networks "
            f"(or: docker network connect {network} {place.name})"
        )
        fix = join + (f"; or go through the host: {redact_url(via_host)}" if via_host else "")
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry_key(entry),
            message=(
                f"{parts.host} ({peer.name}) is on {', '.join(sorted(peer.networks)) or 'no network'}; "
                f"{place.name} is on {', '.join(place.networks) or 'no network'}: no network in common"
            ),
            fix=fix,
            suggested_url=via_host,
        )
