"""The server is a host process listening on 127.0.0.1 only, so no container can reach it.

Fails when: a client in a container goes to the host (host.docker.internal, the bridge gateway,
or the URL mcp-dockernet suggests) and the only host process on that port listens on loopback.
On a Linux engine containers reach the host through the bridge, never its loopback.
Passes when: the host process listens on 0.0.0.0 / :: (or the docker0 address).
Fix: start the server bound to 0.0.0.0 (or the bridge address, e.g. 172.17.0.1, to stay off other
networks), with the setting of its library when the process name tells it (``fastmcp``, ``node``,
``python``: route/library.py): SDK ``host=``, FastMCP ``FASTMCP_HOST``, TypeScript ``app.listen(port, host)``. Rootless Docker: the host's loopback is blocked unless the daemon runs with
DOCKERD_ROOTLESS_ROOTLESSKIT_DISABLE_HOST_LOOPBACK=false and host-gateway-ip 10.0.2.2.

Podman: rootful, as Docker (host.containers.internal is the bridge's gateway, never loopback).
Rootless Podman's containers reach the host through slirp4netns or pasta, not a bridge: with
slirp4netns the host's loopback only at 10.0.2.2 and only with ``--network
slirp4netns:allow_host_loopback=true``; with pasta through the address Podman writes for
host.containers.internal (older pasta set-ups need ``--map-gw``). Rootless Podman (as rootless
Docker) cannot publish a host port below ``net.ipv4.ip_unprivileged_port_start`` (1024 unless
lowered): ``podman run -p 80:8000`` fails to start, so publish a higher port. (Rootful Podman 4.3
was verified here; the rootless facts are from Podman's documentation.)
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import EngineState, Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.from_host import host_servers
from mcp_dockernet.route.library import library_of_setup
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._bind_fix import bind_fix
from mcp_dockernet.rules._common import host_bound_url
from mcp_dockernet.urls import parse_url

CODE = "host-loopback-bind"
SEVERITY = Severity.ERROR
NEEDS = frozenset({"host"})
SUPERSEDES: frozenset[str] = frozenset()


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        url = host_bound_url(route)
        target = parse_url(url) if url else None
        if target is None:
            continue
        listeners = host_servers(snap, target.port)
        if not listeners or not all(x.loopback_only for x in listeners):
            continue
        seen = ", ".join(f"{x.process or '?'} (pid {x.pid}) on {x.ip}:{x.port}" for x in listeners)
        rootless = isinstance(snap.engine, EngineState) and snap.engine.rootless
        lib = library_of_setup(process=listeners[0].process)
        fix = bind_fix(lib, target.port)
        if rootless and getattr(snap.engine, "flavour", "") == "podman":
            fix += (
                "; this Podman is rootless: its containers reach the host's loopback only with "
                "--network slirp4netns:allow_host_loopback=true, at 10.0.2.2"
            )
        elif rootless:
            fix += (
                "; this engine is rootless: also run it with DOCKERD_ROOTLESS_ROOTLESSKIT_DISABLE_HOST_LOOPBACK=false"
                " and host-gateway-ip 10.0.2.2"
            )
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=f"the host server on port {target.port} listens on loopback only; {route.place.name} cannot reach it",
            fix=fix,
            evidence=(f"listening: {seen}",),
        )
