"""Client and server share only Docker's default bridge, where container names do not resolve.

Fails when: both containers were started with plain ``docker run`` (network ``bridge``) and the
URL names the server by container name.
Passes when: they share a user-defined network (Compose creates one per project).
Fix: ``docker network create mcp``, ``docker network connect mcp <client>`` and ``... <server>``,
then use the server's name and container port (links are legacy and not suggested).
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.reach import container_entries
from mcp_dockernet.report import Finding, Severity, entry_key
from mcp_dockernet.topology import DEFAULT_BRIDGE, is_self, named, shared_networks

CODE = "default-bridge-no-dns"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()


def check(snap: Snapshot) -> Iterator[Finding]:
    for entry, place, parts in container_entries(snap):
        targets = [p for p in named(snap, parts.host) if not is_self(place, p)]
        if not targets or not all(shared_networks(place, p) == {DEFAULT_BRIDGE} for p in targets):
            continue
        peer = targets[0]
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry_key(entry),
            message=f"{place.name} and {peer.name} share only the default bridge, where {parts.host!r} does not resolve",
            fix=(
                f"docker network create mcp && docker network connect mcp {place.name} && "
                f"docker network connect mcp {peer.name}; then keep the URL's name {parts.host}"
            ),
        )
