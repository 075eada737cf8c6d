"""Routes of entries whose client runs inside a container (docker-networking.md section 6).

A peer on a user-defined network the client shares is reached by name and *container* port; a
name resolves only on such networks, and within them the client's own project comes first, never
a same-named service of another project. Anything else (a host process, a container on no shared
network) is reached through the host: host.docker.internal (Podman: host.containers.internal) and the
*published* port.
"""

from __future__ import annotations

from mcp_dockernet.model import ClientPlace, Outcome, ProbeResult, ServerEntry, Snapshot
from mcp_dockernet.route.evidence import evidence_of, scope_of, served_port
from mcp_dockernet.route.from_host import host_servers, publishers
from mcp_dockernet.route.model import (
    ELSEWHERE,
    HOST,
    PEER,
    SELF,
    UNKNOWN_NAME,
    UNREACHABLE_PEER,
    Candidate,
    Evidence,
    Reach,
    Scope,
    Target,
)
from mcp_dockernet.route.peers import Peer, is_self, named, peers, user_networks
from mcp_dockernet.urls import (
    HOST_ALIAS,
    HOST_ALIASES,
    UrlParts,
    host_alias,
    is_gateway,
    is_loopback,
    is_plain_name,
    with_host,
)


def route_from_container(
    snap: Snapshot, entry: ServerEntry, place: ClientPlace, url: str, parts: UrlParts
) -> tuple[Target, list[Candidate]]:
    port = parts.port
    if is_loopback(parts.host):
        own = tuple((p, port) for p in peers(snap) if is_self(place, p))
        return Target(SELF, own, port=port), candidates_for_port(snap, entry, place, url, port)
    if parts.host in HOST_ALIASES or is_gateway(parts.host):
        return Target(HOST, publishers(snap, port), host_servers(snap, port), port), []
    others = [p for p in named(snap, parts.host) if not is_self(place, p)]
    resolving = [p for p in others if user_networks(place, p)]
    if resolving:
        resolving.sort(key=lambda p: p.project != place.project)  # the client's own project first
        if any(p.project == place.project for p in resolving):
            resolving = [p for p in resolving if p.project == place.project]
        return Target(PEER, tuple((p, port) for p in resolving), port=port), _at_peer(
            snap, entry, place, url, resolving[0], parts
        )
    if others:
        others.sort(key=lambda p: scope_of(snap, place, entry, p))
        return Target(UNREACHABLE_PEER, tuple((p, port) for p in others), port=port), _through_host(
            snap, entry, place, url, others, port
        )
    if is_plain_name(parts.host) and not place.has_host(parts.host):
        return Target(UNKNOWN_NAME, port=port), candidates_for_port(snap, entry, place, url, port)
    return Target(ELSEWHERE, port=port), []


def candidates_for_port(snap: Snapshot, entry: ServerEntry, place: ClientPlace, url: str, port: int) -> list[Candidate]:
    """Every server that may be what `port` means (a container port, or a published host port)."""
    found: list[Candidate] = []
    for peer in peers(snap):
        if is_self(place, peer) or (peer.container is not None and not peer.running):
            continue
        served = served_port(peer, port)
        if served is not None:
            found.append(_reaching(snap, entry, place, url, peer, *served))
    for listener in host_servers(snap, port):
        fixed = with_host(url, host_alias(snap.engine), port)
        probe = _via_host_probe(snap, place, fixed)
        evidence = Evidence.ANSWERED if probe is not None and probe.ok else Evidence.LISTENING
        found.append(
            Candidate(
                None, port, Scope.SELECTED, evidence, Reach.HOST_PROCESS, fixed, probe, (listener,), port, listener
            )
        )
    return found


def _reaching(
    snap: Snapshot, entry: ServerEntry, place: ClientPlace, url: str, peer: Peer, inside: int, evidence: Evidence
) -> Candidate:
    """How the client would reach ``peer``'s ``inside`` port: by name on a shared network, or through the host."""
    published = peer.host_port_of(inside)
    if user_networks(place, peer):
        reach, fixed = Reach.BY_NAME, with_host(url, peer.preferred_name, inside)
    elif published:
        reach, fixed = Reach.VIA_HOST, with_host(url, host_alias(snap.engine), published)
    else:
        reach, fixed = Reach.ISOLATED, None
    probe = (
        (_via_host_probe(snap, place, fixed) if reach is Reach.VIA_HOST else snap.probe(fixed, place.vantage))
        if fixed
        else None
    )
    evidence = evidence_of(peer, inside, probe) or evidence
    scope = scope_of(snap, place, entry, peer)
    return Candidate(peer, inside, scope, evidence, reach, fixed, probe, peer.listening_on(inside), published)


def _via_host_probe(snap: Snapshot, place: ClientPlace, url: str) -> ProbeResult | None:
    """The probe of a URL through host.docker.internal, unless its failure is only that the name is missing.

    Without the host-gateway entry the name does not resolve in the client (host-gateway-missing
    says so and gives the fix); that failure says nothing against the server behind it. Podman's own
    name needs no entry, so there a failure to resolve it is evidence like any other.
    """
    probe = snap.probe(url, place.vantage)
    docker_name = host_alias(snap.engine) == HOST_ALIAS
    if probe is not None and probe.outcome is Outcome.DNS and docker_name and not place.has_host(HOST_ALIAS):
        return None
    return probe


def _at_peer(
    snap: Snapshot, entry: ServerEntry, place: ClientPlace, url: str, peer: Peer, parts: UrlParts
) -> list[Candidate]:
    """The named peer resolves: when it does not serve the URL's port, the port it does serve."""
    port = parts.port
    if evidence_of(peer, port) not in (None, Evidence.CONTRADICTED):
        return _task_addresses(snap, entry, place, url, peer, parts)
    inside = peer.target_of_host_port(port)  # the URL has its published host port
    evidence = Evidence.DECLARED
    if inside is None and len(peer.listening_ports()) == 1:
        inside, evidence = peer.listening_ports()[0], Evidence.LISTENING  # it listens on one other port
    if inside is None:
        return []
    fixed = with_host(url, parts.host, inside)
    probe = snap.probe(fixed, place.vantage)
    evidence = evidence_of(peer, inside, probe) or evidence
    scope = scope_of(snap, place, entry, peer)
    return [Candidate(peer, inside, scope, evidence, Reach.BY_NAME, fixed, probe, peer.listening_on(inside))]


def _through_host(
    snap: Snapshot, entry: ServerEntry, place: ClientPlace, url: str, others: list[Peer], port: int
) -> list[Candidate]:
    """A named container on no shared network: through the host, when it publishes the port."""
    found = []
    for peer in others:
        inside, evidence = served_port(peer, port) or (port, Evidence.DECLARED)  # the name says it is the one
        found.append(_reaching(snap, entry, place, url, peer, inside, evidence))
    return found


def _task_addresses(
    snap: Snapshot, entry: ServerEntry, place: ClientPlace, url: str, peer: Peer, parts: UrlParts
) -> list[Candidate]:
    """A Swarm service's name resolves to its virtual IP; ``tasks.NAME`` to its tasks' own addresses.

    The VIP needs the kernel's IPVS on the node: where it is missing the VIP does not answer while
    the tasks do (swarm-vip-unreachable). Probing both tells the two apart.
    """
    service = peer.swarm
    if service is None or service.endpoint_mode != "vip" or parts.host.startswith("tasks."):
        return []
    fixed = with_host(url, f"tasks.{parts.host}", parts.port)
    probe = snap.probe(fixed, place.vantage)
    evidence = evidence_of(peer, parts.port, probe) or Evidence.DECLARED
    scope = scope_of(snap, place, entry, peer)
    return [Candidate(peer, parts.port, scope, evidence, Reach.BY_NAME, fixed, probe, peer.listening_on(parts.port))]
