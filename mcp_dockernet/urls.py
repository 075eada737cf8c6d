"""URLs as the tool reads and rewrites them: parse the parts that decide reachability, swap host or port."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from mcp_dockernet.model import SSE, STREAMABLE_HTTP

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
HOST_ALIAS = "host.docker.internal"  # the name Docker Desktop (and extra_hosts host-gateway) give the host
# Podman writes this one into every container's /etc/hosts by itself (seen on 4.3.1: the bridge's gateway,
# 10.88.0.1); 4.3 writes no host.docker.internal and refuses --add-host NAME:host-gateway.
PODMAN_HOST_ALIAS = "host.containers.internal"
HOST_ALIASES = frozenset({HOST_ALIAS, PODMAN_HOST_ALIAS})


def host_alias(engine: object) -> str:
    """The host's name inside this engine's containers (an EngineState, or Unavailable: Docker's name)."""
    return PODMAN_HOST_ALIAS if getattr(engine, "flavour", "") == "podman" else HOST_ALIAS


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


def is_gateway(host: str) -> bool:
    """A bridge gateway address (172.17.0.1 and the like): the host, seen from a container."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.version == 4 and address.is_private and str(address).endswith(".1")


def is_plain_name(host: str) -> bool:
    """A single-label name such as a Compose service (not an address, not loopback, no dots)."""
    try:
        ipaddress.ip_address(host)
        return False
    except ValueError:
        return "." not in host and not is_loopback(host)


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


def with_host(url: str, host: str, port: int) -> str:
    """The URL with another host and port; scheme, credentials, path, query kept as written."""
    parts = urlsplit(url)
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (userinfo + "@" if userinfo else "") + f"{host}:{port}"
    start = len(parts.scheme) + 3
    return url[:start] + netloc + url[start + len(parts.netloc) :]


MCP_PATHS = ("/mcp", "/mcp/", "/sse")  # the official SDKs' defaults (streamable HTTP, its slash twin, legacy SSE)


def path_variants(url: str) -> list[tuple[str, str]]:
    """(url, transport) of the same origin at the usual MCP paths, plus the trailing-slash twin."""
    parts = urlsplit(url)
    path = parts.path or "/"
    twin = path[:-1] if path.endswith("/") and len(path) > 1 else path + "/"
    found = []
    for candidate in (twin, *MCP_PATHS):
        if candidate != path:
            transport = SSE if candidate.rstrip("/").endswith("/sse") else STREAMABLE_HTTP
            found.append((urlunsplit((parts.scheme, parts.netloc, candidate, parts.query, "")), transport))
    return found


def slash_twins(a: str, b: str) -> bool:
    """Two URLs that differ only by a trailing slash on the path (``/sse`` and ``/sse/``)."""
    x, y = urlsplit(a), urlsplit(b)
    return (
        a != b
        and (x.scheme, x.netloc, x.query) == (y.scheme, y.netloc, y.query)
        and (x.path.rstrip("/") == y.path.rstrip("/"))
    )


def suggested_no_proxy(current: str | None, *hosts: str) -> str:
    """The NO_PROXY value that keeps every current entry and adds the hosts that must go direct."""
    entries = [e.strip() for e in (current or "").split(",") if e.strip()]
    for host in hosts:
        if host and host not in entries:
            entries.append(host)
    return ",".join(entries)
