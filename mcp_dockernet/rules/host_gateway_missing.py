"""host.docker.internal does not resolve in this container: a plain Linux engine needs host-gateway.

Fails when: the client's URL (or the URL mcp-dockernet suggests) uses ``host.docker.internal``,
the engine is a plain Linux engine (not Docker Desktop, OrbStack, Colima or Podman, which
resolve it themselves), and the client container has no ``host.docker.internal:host-gateway``
entry.
Passes when: the entry is there, or the engine resolves the name by itself.
Fix: in the client's Compose service ``extra_hosts: ["host.docker.internal:host-gateway"]``
(``mcp-dockernet fix --compose-override FILE`` writes it), or ``docker run --add-host
host.docker.internal:host-gateway``.

Podman names the host ``host.containers.internal`` in every container's /etc/hosts (the gateway of
the container's network; rootless with slirp4netns or pasta, an address of theirs that leads to
the host). Seen on Podman 4.3.1: it writes no ``host.docker.internal`` and refuses
``--add-host NAME:host-gateway`` ("invalid IP address"); newer Podman writes both names. So on
Podman this fails only when a probe from the client's own container saw ``host.docker.internal``
not resolve, and the fix is the URL with ``host.containers.internal``.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import EngineState, Outcome, Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._common import host_bound_url, probe_lines
from mcp_dockernet.urls import HOST_ALIAS, PODMAN_HOST_ALIAS

CODE = "host-gateway-missing"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES: frozenset[str] = frozenset()


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        place = route.place
        url = host_bound_url(route)
        if url is None or HOST_ALIAS not in url or not _needs_gateway_entry(snap, route):
            continue
        if getattr(snap.engine, "flavour", "") == "podman":
            yield _on_podman(route, url)
            continue
        engine = "a plain Linux engine" if isinstance(snap.engine, EngineState) else "an engine we could not ask"
        if place.service:
            fix = f'add to service {place.service}:  extra_hosts: ["{HOST_ALIAS}:host-gateway"]'
        else:
            fix = f"re-create {place.name} with  --add-host {HOST_ALIAS}:host-gateway"
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=f"{HOST_ALIAS} does not resolve in {place.name}: on {engine} it needs a host-gateway entry",
            fix=fix,
            evidence=(f"{place.name} extra hosts: {', '.join(f'{h}:{ip}' for h, ip in place.extra_hosts) or 'none'}",),
        )


def _needs_gateway_entry(snap: Snapshot, route: Route) -> bool:
    """A plain Linux engine resolves host.docker.internal only through extra_hosts host-gateway; Podman
    when it writes the name itself (seen failing only by a probe: the version that began to is not ours to guess)."""
    flavour = getattr(snap.engine, "flavour", "linux")
    if route.place.has_host(HOST_ALIAS):
        return False
    if flavour == "podman":
        return route.probe is not None and route.probe.outcome is Outcome.DNS
    return flavour in ("linux", "rancher-desktop")


def _on_podman(route: Route, url: str) -> Finding:
    place = route.place
    return Finding(
        code=CODE,
        severity=SEVERITY,
        subject=route.id,
        message=f"{HOST_ALIAS} does not resolve in {place.name}: this Podman names the host {PODMAN_HOST_ALIAS}",
        fix=f"use {url.replace(HOST_ALIAS, PODMAN_HOST_ALIAS, 1)} (Podman writes {PODMAN_HOST_ALIAS} into every "
        "container's /etc/hosts; Podman 4.3 refuses --add-host NAME:host-gateway)",
        evidence=probe_lines(route),
    )
