"""From a client inside a container: where its URL leads, and which URL would reach the server.

Pure functions over a Snapshot (docker-networking.md section 6 is the checklist followed here):
a peer on a shared user-defined network is reached by name and *container* port; anything
else (a host process, a container on no shared network) through the host, at
host.docker.internal and the *published* port.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from mcp_dockernet.model import ClientPlace, Listener, ServerEntry, Snapshot
from mcp_dockernet.resolve import UrlParts, host_servers, is_loopback, parse_url
from mcp_dockernet.topology import DEFAULT_BRIDGE, Peer, is_self, peers, shared_networks

HOST_ALIAS = "host.docker.internal"


@dataclass(frozen=True, slots=True)
class Candidate:
    url: str
    why: str
    via_host: bool  # the route goes out through the host (needs host.docker.internal to resolve)


def container_entries(snap: Snapshot) -> Iterator[tuple[ServerEntry, ClientPlace, UrlParts]]:
    for entry in snap.entries:
        place = snap.place_of(entry)
        url = entry.effective_url
        if place.kind != "container" or url is None or place.network_mode == "host":
            continue
        parts = parse_url(url)
        if parts is not None:
            yield entry, place, parts


def with_host(url: str, host: str, port: int) -> str:
    """The URL with another host and port; scheme, credentials, path, query kept as written."""
    parts = urlsplit(url)
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (userinfo + "@" if userinfo else "") + f"{host}:{port}"
    start = len(parts.scheme) + 3
    return url[:start] + netloc + url[start + len(parts.netloc) :]


def user_networks(place: ClientPlace, peer: Peer) -> frozenset[str]:
    return frozenset(n for n in shared_networks(place, peer) if n != DEFAULT_BRIDGE)


def other_peers(snap: Snapshot, place: ClientPlace) -> list[Peer]:
    return [p for p in peers(snap) if not is_self(place, p)]


def candidates_for_port(snap: Snapshot, place: ClientPlace, url: str, port: int) -> list[Candidate]:
    """Where a server on `port` (the container port, or a published host port) can be reached."""
    found: list[Candidate] = []
    for peer in other_peers(snap, place):
        target = port if port in peer.container_ports() else peer.target_of_host_port(port)
        if target is None:
            continue
        if user_networks(place, peer):
            why = f"{peer.preferred_name} shares a network with the client and listens on port {target}"
            found.append(Candidate(with_host(url, peer.preferred_name, target), why, via_host=False))
        elif (published := peer.host_port_of(target)) is not None:
            why = f"{peer.name} shares no network with the client but publishes port {target} on host port {published}"
            found.append(Candidate(with_host(url, HOST_ALIAS, published), why, via_host=True))
    for listener in host_servers(snap, port):
        why = f"host process {listener.process or '?'} listens on {listener.ip}:{port}"
        found.append(Candidate(with_host(url, HOST_ALIAS, port), why, via_host=True))
    return _unique(found)


def _unique(found: list[Candidate]) -> list[Candidate]:
    seen: dict[str, Candidate] = {}
    for c in found:
        seen.setdefault(c.url, c)
    direct = [c for c in seen.values() if not c.via_host]
    return direct or list(seen.values())  # a shared network beats a trip through the host


def pick(snap: Snapshot, found: list[Candidate], place: ClientPlace) -> Candidate | None:
    """One candidate, or None when it is ambiguous (probes from the client, when they ran, break the tie)."""
    answering = [c for c in found if (p := snap.probe(c.url, place.vantage)) is not None and p.ok]
    chosen = answering or found
    return chosen[0] if len(chosen) == 1 else None


def localhost_candidates(snap: Snapshot, entry: ServerEntry, place: ClientPlace, parts: UrlParts) -> list[Candidate]:
    if not is_loopback(parts.host):
        return []
    return candidates_for_port(snap, place, entry.effective_url or "", parts.port)


def goes_to_host(snap: Snapshot, entry: ServerEntry, place: ClientPlace, parts: UrlParts) -> str | None:
    """The URL the client will use to reach the host, if its URL (or the suggested one) goes there."""
    if parts.host == HOST_ALIAS or _is_gateway(parts.host):
        return entry.effective_url
    chosen = pick(snap, localhost_candidates(snap, entry, place, parts), place)
    return chosen.url if chosen is not None and chosen.via_host else None


def _is_gateway(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.version == 4 and address.is_private and str(address).endswith(".1")


def host_needs_gateway_entry(snap: Snapshot, place: ClientPlace) -> bool:
    """A plain Linux engine resolves host.docker.internal only through extra_hosts host-gateway."""
    flavour = getattr(snap.engine, "flavour", "linux")
    return flavour in ("linux", "rancher-desktop") and not place.has_host(HOST_ALIAS)


def loopback_only_listeners(snap: Snapshot, port: int) -> tuple[Listener, ...]:
    listeners = host_servers(snap, port)
    return listeners if listeners and all(x.loopback_only for x in listeners) else ()


def describe_from_container(snap: Snapshot, entry: ServerEntry, place: ClientPlace) -> str:
    parts = parse_url(entry.effective_url or "")
    if parts is None:
        return "a URL mcp-dockernet cannot judge"
    if is_loopback(parts.host):
        return f"{place.name} itself (localhost inside a container), port {parts.port}"
    if parts.host == HOST_ALIAS or _is_gateway(parts.host):
        return f"the host, port {parts.port}"
    found = [p for p in peers(snap) if parts.host in p.names or parts.host == p.name]
    if found:
        p = found[0]
        state = "from the Compose file, not running" if p.from_compose_file else ("running" if p.running else "stopped")
        return f"{p.name} ({state}) on {', '.join(sorted(p.networks)) or 'no network'}, port {parts.port}"
    return f"{parts.host}:{parts.port}"


def container_targets(snap: Snapshot) -> dict[str, list[tuple[str, str]]]:
    """Per client container vantage: its entries' URLs and every candidate URL worth trying from there."""
    targets: dict[str, list[tuple[str, str]]] = {}
    for entry, place, parts in container_entries(snap):
        if place.vantage is None or place.vantage == "host":
            continue
        url = entry.effective_url or ""
        found = candidates_for_port(snap, place, url, parts.port)
        urls = [url] + [c.url for c in found]
        targets.setdefault(place.vantage, []).extend((u, entry.transport) for u in urls)
    return targets
