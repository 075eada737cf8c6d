"""localhost in a container's MCP config: that container itself, not the MCP server.

Fails when: the client runs in a container (found from the config's bind mount, told by
``--client``, or a Compose service's environment), its URL says ``localhost``/``127.0.0.1``, and
nothing in the client's own container listens on that port.
Passes when: the client runs on the host, shares another container's network namespace
(``network_mode: service:x``), or its own container serves the port (a process beside the client).
Fix: the server's service name and container port when it shares a network with the client
(``http://tools:8000/mcp``), else ``host.docker.internal`` (on Podman ``host.containers.internal``,
which Podman writes into every container's /etc/hosts) and the published port;
``mcp-dockernet fix --write`` rewrites it when the evidence points at one server in the client's scope.

For a stdio entry that runs ``docker run``: a URL with ``localhost``/``127.0.0.1``/``::1`` in the
container's arguments, or in an env value passed to it (``-e NAME=VALUE``, or ``-e NAME`` whose
value is in the entry's env), is read by the server inside the container, where it is the
container itself (``postgresql://localhost:5432/db`` reaches no database). Fix: the same URL at
``host.docker.internal``, plus ``--add-host=host.docker.internal:host-gateway`` after ``run`` on a
plain Linux engine; written only when something on the host takes connections on that port from
containers (a listener on all addresses, or a container publishing it on all addresses). A host
listener on 127.0.0.1 alone is not reached through host.docker.internal either: it must listen on
0.0.0.0 first. Not judged with ``--network host`` or ``--network container:X`` (there localhost
is the host, or that container).
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import EngineState, EntryId, Snapshot
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import ArgEdit, Finding, Severity
from mcp_dockernet.route.model import SELF, Route
from mcp_dockernet.rules._common import fix_words, lead, probe_lines, ref, suggestion
from mcp_dockernet.rules._container_urls import ADD_HOST, LocalUrl, host_evidence, local_urls, needs_add_host
from mcp_dockernet.rules._stdio import DESKTOP_VMS, docker_runs, network_of
from mcp_dockernet.urls import host_alias

CODE = "localhost-in-container"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()  # decidable from the Compose file alone
SUPERSEDES: frozenset[str] = frozenset()


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    yield from _url_entries(snap, routes)
    yield from _docker_run_entries(snap)


def _url_entries(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        place = route.place
        if route.target.kind != SELF or route.works or place.network_mode.startswith(("container:", "service:")):
            continue
        if any(peer.listening_on(route.parts.port) for peer, _ in route.target.peers):
            continue  # a process in the client's own container serves it: localhost is right
        first = lead(route)
        otherwise = (
            f"name the server instead: its service or container name and container port when it shares a "
            f"network with {place.name}, or {host_alias(snap.engine)} and the published port"
        )
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=f"{route.parts.host} inside container {place.name} is that container itself, not the MCP server",
            fix=fix_words(route, otherwise),
            evidence=probe_lines(route, *route.candidates[:4]),
            server=ref(first.peer, first.port) if first is not None and first.peer is not None else None,
            **suggestion(route),  # type: ignore[arg-type]
        )


def _docker_run_entries(snap: Snapshot) -> Iterator[Finding]:
    for entry, cmd, run in docker_runs(snap):
        network = network_of(run)
        if network in ("host", "none") or network.startswith("container:"):
            continue  # localhost is the host (Linux), that other container, or nothing at all
        add_host = needs_add_host(snap, run)
        for found in local_urls(cmd, run, host_alias(snap.engine)):
            yield _docker_run_finding(snap, entry.id, run.run_index, found, add_host)


def _docker_run_finding(snap: Snapshot, subject: EntryId, run_index: int, found: LocalUrl, add_host: bool) -> Finding:
    reachable, lines = host_evidence(snap, found.port)
    port = f" port {found.port}" if found.port else ""
    fix = f"use {redact_url(found.new_url)} in {found.where}"
    edits: tuple[ArgEdit, ...] = (found.edit,)
    if add_host:
        fix += f", and add {ADD_HOST} after run (a plain Linux engine does not resolve {host_alias(snap.engine)} by itself)"
        edits += (ArgEdit("insert-args", run_index + 1, (ADD_HOST,)),)
    loopback_only = any(line.startswith("host: ") for line in lines) and not reachable
    if loopback_only and isinstance(snap.engine, EngineState) and snap.engine.flavour in DESKTOP_VMS:
        fix += f"; the host's server on{port} listens on loopback only, which this engine's VM may still reach (not written)"
    elif loopback_only:
        fix += (
            f"; but the host's server on{port} listens on loopback only, which {host_alias(snap.engine)} does not reach either: "
            "bind it to 0.0.0.0 first (not written)"
        )
    elif not reachable:
        fix += f"; not written by fix --write: nothing on this machine is seen taking connections on{port or ' it'}"
    return Finding(
        code=CODE,
        severity=SEVERITY,
        subject=subject,
        message=f"{redact_url(found.url)} in {found.where} is read inside the container, where it is the "
        f"container itself, not this machine{port}: the server reaches nothing there",
        fix=fix,
        evidence=lines,
        writable=reachable,
        arg_edits=edits,
    )
