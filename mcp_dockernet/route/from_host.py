"""Routes of entries whose client runs on the host (or in a container on the host's network).

A loopback URL reaches what listens on the host's port: a container that publishes it, or a host
process. When nothing does, the candidates are the servers that serve that port *inside* a
container (declared or, better, seen listening) and how the host could reach them.
"""

from __future__ import annotations

from mcp_dockernet.model import ClientPlace, HostState, Listener, ServerEntry, Snapshot
from mcp_dockernet.route.evidence import evidence_of, scope_of, served_port
from mcp_dockernet.route.model import (
    CONTAINER,
    DOCKER_NAME,
    ELSEWHERE,
    HOST_PROCESS,
    NOTHING,
    Candidate,
    Evidence,
    Reach,
    Target,
)
from mcp_dockernet.route.peers import Peer, named, peers
from mcp_dockernet.route.remote import remote_host, route_to_engine_host
from mcp_dockernet.urls import UrlParts, is_loopback, is_plain_name, with_host, with_port

DOCKER_PROXY = "docker-proxy"  # the engine's userland proxy: a published port, not a host server
# Podman's holders of published ports: conmon (rootful, seen on 4.3.1: it keeps the host port open while
# iptables forwards it), rootlessport and slirp4netns/pasta (rootless). A published port, not a host server.
ENGINE_PROXIES = frozenset({DOCKER_PROXY, "conmon", "rootlessport", "rootlessport-child", "slirp4netns", "pasta"})
MAX_RELOCATION_PROBES = 64  # bound the search for a server whose published port changed


def host_servers(snap: Snapshot, port: int) -> tuple[Listener, ...]:
    """Host processes (not the engine's port proxy) listening on this port."""
    if not isinstance(snap.host, HostState):
        return ()
    return tuple(x for x in snap.host.listeners if x.port == port and x.process not in ENGINE_PROXIES)


def publishers(snap: Snapshot, host_port: int) -> tuple[tuple[Peer, int], ...]:
    """Running containers that publish this host port, each with the container port it leads to."""
    found = []
    for peer in peers(snap):
        target = peer.target_of_host_port(host_port)
        if peer.running and target is not None:
            found.append((peer, target))
    return tuple(found)


def route_from_host(
    snap: Snapshot, entry: ServerEntry, place: ClientPlace, url: str, parts: UrlParts
) -> tuple[Target, list[Candidate]]:
    if is_loopback(parts.host):
        if place.kind == "host" and remote_host(snap) is not None:  # this machine's localhost, not the engine's
            return route_to_engine_host(snap, entry, place, url, parts.port)
        return _loopback(snap, entry, place, url, parts.port)
    if is_plain_name(parts.host) and (found := named(snap, parts.host)):
        return Target(DOCKER_NAME, tuple((p, parts.port) for p in found), port=parts.port), _by_name(
            snap, entry, place, url, found, parts.port
        )
    return Target(ELSEWHERE, port=parts.port), []


def _loopback(
    snap: Snapshot, entry: ServerEntry, place: ClientPlace, url: str, port: int
) -> tuple[Target, list[Candidate]]:
    found = publishers(snap, port)
    if found:
        return Target(CONTAINER, found, port=port), []
    processes = host_servers(snap, port)
    if processes:
        return Target(HOST_PROCESS, processes=processes, port=port), []
    if isinstance(snap.host, HostState) and any(x.port == port for x in snap.host.listeners):
        return Target(HOST_PROCESS, processes=tuple(x for x in snap.host.listeners if x.port == port), port=port), []
    return Target(NOTHING, port=port), _serving_inside(snap, entry, place, url, port) + _relocated(
        snap, entry, place, url, port
    )


def _serving_inside(snap: Snapshot, entry: ServerEntry, place: ClientPlace, url: str, port: int) -> list[Candidate]:
    """Containers (live or in the Compose file) that serve ``port`` inside, and how the host would reach them."""
    found = []
    for peer in peers(snap):
        if peer.network_mode == "host":
            continue  # its sockets are the host's: host_servers has them
        evidence = evidence_of(peer, port)
        inside = port
        if evidence is None and not peer.running and (target := peer.target_of_host_port(port)) is not None:
            inside, evidence = target, Evidence.DECLARED  # a stopped server that published this port
        if evidence is None:
            continue
        published = peer.host_port_of(inside)
        if peer.container is not None and not peer.running:
            reach = Reach.STOPPED
        elif peer.from_compose_file:
            reach = Reach.STOPPED if published == port else Reach.MOVED if published else Reach.UNPUBLISHED
        else:
            reach = Reach.MOVED if published and published != port else Reach.UNPUBLISHED
        moved = with_port(url, published) if reach is Reach.MOVED and published else None
        probe = snap.probe(moved, place.vantage) if moved else None
        found.append(
            Candidate(
                peer,
                inside,
                scope_of(snap, place, entry, peer),
                evidence_of(peer, inside, probe) or evidence,
                reach,
                moved,
                probe,
                peer.listening_on(inside),
                published,
            )
        )
    return found


def _relocated(snap: Snapshot, entry: ServerEntry, place: ClientPlace, url: str, port: int) -> list[Candidate]:
    """Where the server that answered at this entry before answers now (only a watcher remembers).

    Another MCP server answering elsewhere is no proof, so this needs the remembered name of the
    server and of the container that served it, and a probe that found both again.
    """
    remembered = dict(snap.remembered).get(str(entry.id))
    if remembered is None:
        return []
    found = []
    for peer, host_port, candidate in relocation_urls(snap, url, port):
        probe = snap.probe(candidate, place.vantage)
        if probe is None or not probe.ok or not probe.server_name:
            continue
        if remembered_identity(probe.server_name, peer_identity(peer)) == remembered:
            inside = peer.target_of_host_port(host_port) or host_port
            scope = scope_of(snap, place, entry, peer)
            found.append(
                Candidate(peer, inside, scope, Evidence.ANSWERED, Reach.MOVED, candidate, probe, (), host_port)
            )
    return found


def relocation_urls(snap: Snapshot, url: str, besides: int) -> list[tuple[Peer, int, str]]:
    """The URL on every host port a running container publishes (tcp), but ``besides``; bounded."""
    seen: dict[int, Peer] = {}
    for peer in peers(snap):
        for b in peer.ports:
            if peer.running and b.host_port and b.protocol == "tcp" and b.host_port != besides:
                seen.setdefault(b.host_port, peer)
    chosen = sorted(seen.items())[:MAX_RELOCATION_PROBES]
    return [(peer, port, with_port(url, port)) for port, peer in chosen]


def peer_identity(peer: Peer) -> str:
    """What stays the same when a container is re-created: its Compose service, else its name."""
    return f"{peer.project}/{peer.service}" if peer.service else peer.name


def remembered_identity(server_name: str, container: str) -> str:
    return f"{server_name} in {container}"


def _by_name(
    snap: Snapshot, entry: ServerEntry, place: ClientPlace, url: str, found: tuple[Peer, ...], port: int
) -> list[Candidate]:
    """A Docker name used on the host: localhost and the port the named container publishes."""
    out = []
    for peer in found:
        served = served_port(peer, port)
        if served is None:
            continue
        inside, evidence = served
        published = peer.host_port_of(inside)
        fixed = with_host(url, "localhost", published) if published else None
        probe = snap.probe(fixed, place.vantage) if fixed else None
        evidence = evidence_of(peer, inside, probe) or evidence
        reach = Reach.MOVED if published else Reach.UNPUBLISHED
        scope = scope_of(snap, place, entry, peer)
        out.append(Candidate(peer, inside, scope, evidence, reach, fixed, probe, peer.listening_on(inside), published))
    return out
