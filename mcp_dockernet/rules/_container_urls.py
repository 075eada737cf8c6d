"""localhost in a ``docker run`` entry's container (not a rule): the URLs, their rewrite, the evidence.

A URL in the container's args (``postgresql://localhost:5432/db``) or in an env value passed to
it (``-e API_URL=http://localhost:8080``, or ``-e API_URL`` with the value in the entry's env) is
read by the server inside the container, where localhost is the container itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from mcp_dockernet.model import FLAVOURS_WITH_HOST_DNS, DockerRun, EngineState, HostState, Snapshot, StdioCommand
from mcp_dockernet.report import ArgEdit
from mcp_dockernet.urls import HOST_ALIAS, is_loopback

ADD_HOST = f"--add-host={HOST_ALIAS}:host-gateway"
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]+")
# Ports of URL schemes a server's upstream often has, for URLs that write none (IANA registry).
DEFAULT_PORTS = {
    "http": 80,
    "https": 443,
    "ws": 80,
    "wss": 443,
    "postgres": 5432,
    "postgresql": 5432,
    "mysql": 3306,
    "mariadb": 3306,
    "redis": 6379,
    "rediss": 6379,
    "mongodb": 27017,
    "amqp": 5672,
    "nats": 4222,
}


@dataclass(frozen=True, slots=True)
class LocalUrl:
    where: str  # "the container's argument 2", "env API_URL"
    url: str
    new_url: str
    port: int | None
    edit: ArgEdit


def local_urls(cmd: StdioCommand, run: DockerRun, alias: str = HOST_ALIAS) -> Iterator[LocalUrl]:
    """Every loopback URL the container is given, with the edit that names the host (``alias``) instead."""
    args = cmd.args
    if run.image_index is not None:
        for k, word in enumerate(run.container_args):
            index = run.image_index + 1 + k
            for url, new, port in _loopback(word, alias):
                yield LocalUrl(f"the container's argument {k + 1}", url, new, port, _word(index, args, url, new))
    own_env = dict(cmd.env)
    for f in run.all("env"):
        if f.value is None:
            continue
        name, eq, value = f.value.partition("=")
        if eq:
            index = f.value_index if f.value_index is not None else f.index
            for url, new, port in _loopback(value, alias):
                yield LocalUrl(f"env {name}", url, new, port, _word(index, args, url, new))
        elif name in own_env:  # -e NAME: the docker CLI takes the value from the entry's env
            value = own_env[name]
            for url, new, port in _loopback(value, alias):
                edit = ArgEdit("replace-env", words=(value.replace(url, new),), old=value, env_name=name)
                yield LocalUrl(f"env {name} (from the entry's env)", url, new, port, edit)


def _word(index: int, args: tuple[str, ...], url: str, new: str) -> ArgEdit:
    return ArgEdit("replace-arg", index, (args[index].replace(url, new),), args[index])


def _loopback(text: str, alias: str) -> Iterator[tuple[str, str, int | None]]:
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;)")
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError:
            continue
        if not host or not is_loopback(host):
            continue
        start = len(parts.scheme) + 3
        userinfo, at, hostport = parts.netloc.rpartition("@")
        written = hostport[: hostport.index("]") + 1] if hostport.startswith("[") else hostport.partition(":")[0]
        netloc = userinfo + at + alias + hostport[len(written) :]
        new = url[:start] + netloc + url[start + len(parts.netloc) :]
        yield url, new, port or DEFAULT_PORTS.get(parts.scheme.lower())


def needs_add_host(snap: Snapshot, run: DockerRun) -> bool:
    """A plain Linux engine resolves host.docker.internal only with --add-host ...:host-gateway (docs.docker.com,
    docker run --add-host: "the special host-gateway value"). Podman names the host itself (its own name)."""
    flavour = snap.engine.flavour if isinstance(snap.engine, EngineState) else "linux"
    given = any(v.replace("=", ":").split(":")[0] == HOST_ALIAS for v in run.values("add-host"))
    return flavour not in FLAVOURS_WITH_HOST_DNS and not given


def host_evidence(snap: Snapshot, port: int | None) -> tuple[bool, tuple[str, ...]]:
    """(something on the host takes connections to host.docker.internal:port, the lines that say so).

    On a plain Linux engine the container reaches the host at the bridge gateway, a non-loopback
    address: a socket bound to 127.0.0.1 alone refuses it (research/docker-networking.md 3.3).
    """
    if port is None:
        return False, ("the URL names no port mcp-dockernet knows: nothing to check on the host",)
    lines: list[str] = []
    reachable = False
    if isinstance(snap.host, HostState):
        for listener in (x for x in snap.host.listeners if x.port == port):
            who = f" ({listener.process})" if listener.process else ""
            lines.append(f"host: {listener.ip}:{port} listening{who}")
            reachable = reachable or not listener.loopback_only
    for c in snap.containers:
        for b in c.published(port):
            if c.running:
                lines.append(f"container {c.name} publishes {b.container_port} on {b.host_ip or '0.0.0.0'}:{port}")
                reachable = reachable or (b.host_ip or "0.0.0.0") in ("0.0.0.0", "::")
    if isinstance(snap.engine, EngineState) and snap.engine.rootless:
        lines.append("rootless engine: the host's ports are reached only with the loopback opt-in (not written)")
        reachable = False
    return reachable, tuple(lines)
