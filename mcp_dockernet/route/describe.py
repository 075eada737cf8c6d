"""Where a route's URL leads, in words for the report ("host -> container srv (service ...)")."""

from __future__ import annotations

from mcp_dockernet.model import Snapshot
from mcp_dockernet.route.from_host import peer_identity
from mcp_dockernet.route.model import (
    CONTAINER,
    DOCKER_NAME,
    ENGINE_HOST,
    HOST,
    HOST_PROCESS,
    NOTHING,
    PEER,
    SELF,
    UNKNOWN_NAME,
    UNREACHABLE_PEER,
    Route,
)
from mcp_dockernet.route.peers import Peer
from mcp_dockernet.route.remote import remote_host, what_answers_here


def describe(snap: Snapshot, route: Route) -> str:
    target, port = route.target, route.parts.port
    kind = target.kind
    if kind == CONTAINER:
        return "container " + ", ".join(f"{p.label}{_listening(p, inside)}" for p, inside in target.peers)
    if kind == HOST_PROCESS:
        return "host process " + ", ".join(
            f"{x.process or '?'} (pid {x.pid}) on {x.ip}:{x.port}" for x in target.processes
        )
    if kind == NOTHING:
        return f"nothing listening on port {port}"
    if kind == ENGINE_HOST:
        there = ", ".join(p.label for p, _ in target.peers) or "no container"
        here = what_answers_here(target.processes) or "nothing known"
        return (
            f"this machine's port {port} ({here}); on the engine's host {remote_host(snap)}, "
            f"{there} publishes port {port}"
        )
    if kind == SELF:
        pod = next((p.container.pod for p, _ in target.peers if p.container is not None and p.container.pod), None)
        if pod:
            return f"pod {pod} of {route.place.name} (localhost inside a pod: one network namespace), port {port}"
        return f"{route.place.name} itself (localhost inside a container), port {port}"
    if kind == HOST:
        return f"the host, port {port}"
    if kind in (PEER, UNREACHABLE_PEER):
        p = target.peers[0][0]
        state = "from the Compose file, not running" if p.from_compose_file else ("running" if p.running else "stopped")
        reach = "" if kind == PEER else "; no network in common with the client"
        return f"{p.name} ({state}) on {', '.join(sorted(p.networks)) or 'no network'}, port {port}{reach}"
    if kind == DOCKER_NAME:
        return f"{route.parts.host}:{port} (a Docker name, which the host cannot resolve)"
    if kind == UNKNOWN_NAME:
        return f"{route.parts.host}:{port} (no such name where the client runs)"
    if route.from_host:
        return f"{route.parts.host}:{port} (not this host's loopback)"
    return f"{route.parts.host}:{port}"


def _listening(peer: Peer, inside: int) -> str:
    if peer.listeners is None:
        return f", container port {inside}"
    bound = peer.listening_on(inside)
    if bound:
        return f", listening on {', '.join(f'{x.ip}:{x.port}' for x in bound)}"
    return f", container port {inside} (nothing listens there)"


def served_by(route: Route) -> str | None:
    """Which container answers at a host URL: what a watcher remembers to follow a server that moves."""
    if not route.from_host or route.target.kind != CONTAINER or len(route.target.peers) != 1:
        return None
    return peer_identity(route.target.peers[0][0])
