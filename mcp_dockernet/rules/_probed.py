"""What the probes saw, per entry: shared by the rules that judge from probe evidence (not a rule)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from mcp_dockernet.model import Container, Listener, ProbeResult, ServerEntry, Snapshot
from mcp_dockernet.probes.followup import path_variants
from mcp_dockernet.redact import redact_url
from mcp_dockernet.resolve import is_loopback, parse_url, publishers

TYPE_VALUES = {"streamable-http": "http", "sse": "sse"}  # the entry's "type" value for each transport


def probed(snap: Snapshot) -> Iterator[tuple[ServerEntry, str, ProbeResult]]:
    """Entries with a URL and the probe made of it (from where its client runs)."""
    for entry in snap.entries:
        url = entry.effective_url
        probe = snap.probe(url, snap.vantage_of(entry)) if url else None
        if url and probe is not None:
            yield entry, url, probe


def lines(p: ProbeResult) -> tuple[str, ...]:
    """The probe's layers as evidence lines."""
    where = p.vantage + (f" via {p.method}" if p.method not in ("host", p.vantage) else "")
    return tuple(f"probe {redact_url(p.url)} from {where}, {x.name}: {x.detail}" for x in p.layers)


def alternatives(snap: Snapshot, url: str, probe: ProbeResult) -> list[ProbeResult]:
    """Follow-up probes that found MCP at another path of the same server (redirect target first)."""
    urls = [urljoin(url, probe.location)] if probe.location else []
    urls += [u for u, _ in path_variants(url)]
    found = []
    for u in dict.fromkeys(urls):
        for transport in ("streamable-http", "sse"):
            p = snap.probe_as(u, transport, probe.vantage)
            if p is not None and p.ok and p not in found:
                found.append(p)
    return found


def targets(snap: Snapshot, entry: ServerEntry, url: str) -> list[tuple[Container, int]]:
    """(running container, container port) the URL leads to: a published port or a container's name/IP."""
    parts = parse_url(url)
    if parts is None:
        return []
    if is_loopback(parts.host) and snap.place_of(entry).kind == "host":
        return [(c, b.container_port) for c in publishers(snap, parts.port) for b in c.published(parts.port)]
    found = []
    for c in snap.containers:
        names = {c.name, c.compose_service, *(x for n in c.networks for x in (*n.aliases, n.ip))}
        if c.running and parts.host in names:
            found.append((c, parts.port))
    return found


def on_port(listeners: tuple[Listener, ...], port: int) -> list[Listener]:
    return [x for x in listeners if x.port == port]


def is_local_name(host: str) -> bool:
    """A name or address that no proxy should ever see: loopback, private, link-local, single-label names."""
    if is_loopback(host) or host == "host.docker.internal" or "." not in host.strip("[]"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host.endswith((".local", ".internal", ".localhost"))
    return address.is_private or address.is_link_local


def host_header(url: str) -> tuple[str, str]:
    """(host name, host:port) as a client sends them in the Host header."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    shown = f"[{host}]" if ":" in host else host
    return shown, parts.netloc.rpartition("@")[2] or shown
