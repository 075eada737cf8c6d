"""The client and the server share only Docker's default bridge, where names do not resolve.

Fails when: from a container, the URL names a container that shares only the default ``bridge``
network with the client: Docker's embedded DNS serves user-defined networks only. Podman's default
network ``podman`` is the same: no name resolution on it (its user-defined networks have it).
Passes when: they share a user-defined network.
Fix: create a network and connect both, then keep the name in the URL.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import UNREACHABLE_PEER, Route
from mcp_dockernet.route.peers import DEFAULT_NETWORKS, shared_networks
from mcp_dockernet.rules._common import ref

CODE = "default-bridge-no-dns"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES = frozenset({"no-shared-network"})


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        if route.works or route.target.kind != UNREACHABLE_PEER:
            continue
        named = [p for p, _ in route.target.peers]
        shared = {n for p in named for n in shared_networks(route.place, p)}
        if not all(len(shared_networks(route.place, p)) == 1 for p in named) or not shared <= DEFAULT_NETWORKS:
            continue
        peer, place = named[0], route.place
        cli = "podman" if shared == {"podman"} else "docker"
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=f"{place.name} and {peer.name} share only the default bridge, where {route.parts.host!r} does not resolve",
            fix=(
                f"{cli} network create mcp && {cli} network connect mcp {place.name} && "
                f"{cli} network connect mcp {peer.name}; then keep the URL's name {route.parts.host}"
            ),
            server=ref(peer, route.parts.port),
        )
