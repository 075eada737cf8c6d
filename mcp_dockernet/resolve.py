"""Where a URL leads and which URL would lead to the server: pure functions over a Snapshot."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from mcp_dockernet.model import Container, HostState, Listener, ServerEntry, Snapshot
from mcp_dockernet.redact import redact_url

DOCKER_PROXY = "docker-proxy"  # the engine's userland proxy: a published port, not a host server
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


@dataclass(frozen=True, slots=True)
class UrlParts:
    scheme: str
    host: str
    port: int
    explicit_port: bool


def parse_url(url: str) -> UrlParts | None:
    """The scheme, host and port of an http(s) URL; None when it is not one we can judge."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    default = 443 if parts.scheme == "https" else 80
    return UrlParts(parts.scheme, parts.hostname.lower(), port or default, port is not None)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def with_port(url: str, port: int) -> str:
    """The same URL with another port; every other character is kept as written."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    hostname = host
    if host.startswith("["):
        hostname = host[: host.index("]") + 1]
    elif ":" in host:
        hostname = host.rpartition(":")[0]
    userinfo = parts.netloc[: len(parts.netloc) - len(host)]
    start = len(parts.scheme) + 3
    return url[:start] + userinfo + f"{hostname}:{port}" + url[start + len(parts.netloc) :]


def local_http_entries(snap: Snapshot) -> Iterator[tuple[ServerEntry, UrlParts]]:
    """Entries whose client runs on the host and whose URL names this host's loopback."""
    for entry in snap.entries:
        url = entry.effective_url
        place = snap.place_of(entry)
        if url is None or (place.kind != "host" and place.network_mode != "host"):
            continue
        parts = parse_url(url)
        if parts is not None and is_loopback(parts.host):
            yield entry, parts


def publishers(snap: Snapshot, host_port: int) -> tuple[Container, ...]:
    return tuple(c for c in snap.containers if c.running and c.published(host_port))


def host_servers(snap: Snapshot, port: int) -> tuple[Listener, ...]:
    """Host processes (not the engine's port proxy) listening on this port."""
    if not isinstance(snap.host, HostState):
        return ()
    return tuple(x for x in snap.host.listeners if x.port == port and x.process != DOCKER_PROXY)


def something_listens(snap: Snapshot, entry: ServerEntry, port: int) -> bool:
    """Whether the URL's port on this host leads anywhere at all."""
    probe = snap.probe(entry.effective_url or "")
    if probe is not None and probe.ok:
        return True
    if publishers(snap, port) or host_servers(snap, port):
        return True
    if isinstance(snap.host, HostState):
        return any(x.port == port for x in snap.host.listeners)
    return False


def describe_target(snap: Snapshot, entry: ServerEntry) -> str:
    parts = parse_url(entry.effective_url or "")
    if parts is None:
        return "a URL mcp-dockernet cannot judge"
    if not is_loopback(parts.host):
        return f"{parts.host}:{parts.port} (not this host's loopback)"
    found = publishers(snap, parts.port)
    if found:
        return "container " + ", ".join(c.label for c in found)
    procs = host_servers(snap, parts.port)
    if procs:
        return "host process " + ", ".join(f"{p.process or '?'} (pid {p.pid}) on {p.ip}:{p.port}" for p in procs)
    return f"nothing listening on port {parts.port}"


def moved_port_candidates(snap: Snapshot, port: int) -> tuple[tuple[Container, int], ...]:
    """Running containers that serve ``port`` inside but publish it on another host port."""
    return tuple(
        (c, b.host_port)
        for c in snap.containers
        if c.running
        for b in c.binding_of(port)
        if b.host_port is not None and b.host_port != port
    )


MAX_RELOCATION_PROBES = 64  # bound the search for a server whose published port changed


def published_ports(snap: Snapshot, besides: int) -> tuple[tuple[Container, int], ...]:
    """Every host port a running container publishes (tcp), but `besides`."""
    found = {
        b.host_port: c
        for c in snap.containers
        if c.running
        for b in c.ports
        if b.host_port is not None and b.protocol == "tcp" and b.host_port != besides
    }
    return tuple((c, port) for port, c in sorted(found.items()))[:MAX_RELOCATION_PROBES]


def relocated(snap: Snapshot, entry: ServerEntry, parts: UrlParts) -> tuple[tuple[Container, int, str], ...]:
    """Published ports where an MCP server answers at the URL's path, when nothing is at its port.

    This finds a server whose port mapping changed (re-created with another -p). Another MCP
    server answering elsewhere is no proof, so it needs the name of the server that answered at
    this entry before (a watcher remembers it) and a probe; plain doctor never guesses.
    """
    remembered = dict(snap.remembered).get(f"{entry.config}#{entry.scope}.{entry.name}")
    if remembered is None:
        return ()
    url = entry.effective_url or ""
    found = []
    for container, port in published_ports(snap, parts.port):
        candidate = with_port(url, port)
        probe = snap.probe(candidate)
        if probe is None or not probe.ok or not probe.server_name:
            continue
        if remembered_identity(probe.server_name, container_identity(container)) == remembered:
            found.append((container, port, candidate))
    return tuple(found)


def container_identity(c: Container) -> str:
    """What stays the same when a container is re-created: its Compose service, else its name."""
    return f"{c.compose_project}/{c.compose_service}" if c.compose_service else c.name


def remembered_identity(server_name: str, container: str) -> str:
    return f"{server_name} in {container}"


def served_by(snap: Snapshot, entry: ServerEntry) -> str | None:
    parts = parse_url(entry.effective_url or "")
    if parts is None or not is_loopback(parts.host):
        return None
    found = publishers(snap, parts.port)
    return container_identity(found[0]) if len(found) == 1 else None


def candidate_urls(snap: Snapshot) -> Iterator[tuple[str, str]]:
    """URLs worth probing besides the configured ones: the same URL on each moved port."""
    for entry, parts in local_http_entries(snap):
        moved = moved_port_candidates(snap, parts.port)
        for _container, host_port in moved:
            yield with_port(entry.effective_url or "", host_port), entry.transport
        remembered = dict(snap.remembered).get(f"{entry.config}#{entry.scope}.{entry.name}")
        if remembered and not moved and not something_listens(snap, entry, parts.port):
            for _container, host_port in published_ports(snap, parts.port):
                yield with_port(entry.effective_url or "", host_port), entry.transport


def probe_evidence(snap: Snapshot, *urls: str, vantage: str | None = "host") -> tuple[str, ...]:
    """What the probes saw at these URLs, as evidence lines (credentials masked)."""
    where = "" if vantage in (None, "host") else f" from {vantage}"
    return tuple(
        f"probe {redact_url(u)}{where}: {p.summary()}" for u in urls if (p := snap.probe(u, vantage)) is not None
    )
