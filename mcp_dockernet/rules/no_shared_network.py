"""The client's container and the server's share no network.

Fails when: from a container, the URL names a container or service (of the client's project, or
another) that is on no network the client is on, so the name does not resolve there.
Passes when: they share a user-defined network (or only the default bridge: default-bridge-no-dns).
Fix: attach the client to the server's network (Compose ``networks:`` with ``external: true``, or
``docker network connect``); or go through the host at the port the server publishes. When the name
is a service in several projects, the one on a network made to be joined (declared with a ``name:``
of its own, not a project's ``<project>_default``) is the one meant; if none or several are, the
user says which, and ``fix --compose-override`` writes nothing for it.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import EngineState, Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.evidence import scope_of
from mcp_dockernet.route.model import UNREACHABLE_PEER, Reach, Route
from mcp_dockernet.route.peers import Peer, joinable, shared_network
from mcp_dockernet.rules._common import ambiguous, fix_words, lead, ref, suggestion

CODE = "no-shared-network"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES: frozenset[str] = frozenset()


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        if route.works or route.target.kind != UNREACHABLE_PEER:
            continue
        place = route.place
        first = lead(route)
        named = [p for p, _ in route.target.peers]
        scopes = [scope_of(snap, place, route.entry, p) for p in named]
        nearest = [p for p, scope in zip(named, scopes, strict=True) if scope == min(scopes)]
        by_network = len(nearest) > 1 and sum(map(joinable, nearest)) == 1
        if by_network:  # of the same name in several projects, the one on a network made to be joined is meant
            nearest = [p for p in nearest if joinable(p)]
        led = first is not None and first.peer is not None and len(nearest) == 1 and not by_network
        peer = first.peer if led and first is not None and first.peer is not None else nearest[0]
        if len(nearest) > 1:  # the same name in several projects: which one is meant is the user's to say
            fix = (
                f"{route.parts.host!r} is a name in several projects; attach {place.name} to the network of the one you mean: "
                + "; ".join(
                    f"docker network connect {sorted(p.networks)[0] if p.networks else '?'} {place.name} ({p.label})"
                    for p in nearest
                )
            )
        else:
            network = shared_network(peer) or "a shared network"
            fix = (
                f"attach {place.name} to {network}: in its Compose file  networks: {{shared: {{external: true, "
                f"name: {network}}}}}  and list `shared` under service {place.service or place.name}'s networks "
                f"(or: docker network connect {network} {place.name})"
            ) + (f"; {route.parts.host!r} is a name in several projects, and {network} is the one network of them "
                 "made to be joined (named without a project prefix)" if by_network else "")  # fmt: skip
            fix = _in_stack_file(snap, peer, network, place.name) or fix
        if ambiguous(route) or (first is not None and first.reach is Reach.VIA_HOST):
            fix += "; or go through the host: " + fix_words(route, "")
        projects = sorted({p.project or "no project" for p in named})
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=(
                f"{route.parts.host} ({peer.label}) is on {', '.join(sorted(peer.networks)) or 'no network'}; "
                f"{place.name} is on {', '.join(place.networks) or 'no network'}: no network in common"
                + (f" (that name is used in several projects: {', '.join(projects)})" if len(projects) > 1 else "")
            ),
            fix=fix,
            server=ref(peer, route.parts.port) if len(nearest) == 1 else None,  # no guess for the override to write
            **suggestion(route, (Reach.VIA_HOST,)),  # type: ignore[arg-type]
        )


def _in_stack_file(snap: Snapshot, peer: Peer, network: str, client: str) -> str | None:
    """For a Swarm service: its overlay takes a container that is no task only when it is attachable,
    and a stack's network is declared in the stack file (the Compose file it was deployed from)."""
    swarm = snap.engine.swarm if isinstance(snap.engine, EngineState) else None
    known = swarm.network(network) if swarm is not None and peer.swarm is not None else None
    if known is None or peer.swarm is None:
        return None
    stack = peer.swarm.stack
    files = getattr(snap.compose, "files", ()) if stack and getattr(snap.compose, "name", None) == stack else ()
    where = (
        f"the stack file ({', '.join(files)})" if files else "the stack file (the Compose file it was deployed from)"
    )
    key = network[len(stack) + 1 :] if stack and network.startswith(f"{stack}_") else network
    join = (
        f"attach {client} to {network}: docker network connect {network} {client}, or in its Compose file  "
        f"networks: {{shared: {{external: true, name: {network}}}}}  listed under its service's networks"
    )
    if known.attachable:
        return f"{join} (Swarm service {peer.swarm.short_name}'s overlay of stack {stack or '?'}, attachable)"
    deploy = (
        f"docker stack deploy -c {files[0] if files else 'compose.yaml'} {stack}" if stack else "docker stack deploy"
    )
    return (
        f"{network} is an overlay that only Swarm tasks may join: in {where} declare  networks: {{{key}: "
        f"{{attachable: true}}}}  and deploy again ({deploy}); then {join}; or run the client as a service of the "
        f"stack on {key}"
    )
