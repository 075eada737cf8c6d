"""The server's container listens on the port, but publishes no host port for it.

Fails when: the URL says ``localhost:8000``, nothing answers there, and a container serves port
8000 (seen listening, or declared with ``EXPOSE``/``expose:``) without a ``-p``/``ports:``
mapping, so no URL from the host can reach it; or the host port is published, but to a container
port the server does not listen on ("publishes container port 8000, but the server listens on 9000").
Passes when: the port the server listens on is published, or no container serves that port.
Fix: publish it: ``docker run -p 127.0.0.1:8000:8000 ...``, or in the Compose service
``ports: ["127.0.0.1:8000:8000"]`` (``mcp-dockernet fix --compose-override FILE`` writes that).
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import CONTAINER, NOTHING, Candidate, Reach, Route
from mcp_dockernet.route.peers import Peer
from mcp_dockernet.rules._common import ambiguous, fix_words, lead, probe_lines, ref, serving, suggestion

CODE = "port-not-published"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()  # decidable from the Compose file alone
SUPERSEDES = frozenset({"server-not-running"})


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        if not route.from_host or route.works:
            continue
        if route.target.kind == NOTHING:
            yield from _unpublished(route)
        elif route.target.kind == CONTAINER:
            yield from _mismapped(route)


def _unpublished(route: Route) -> Iterator[Finding]:
    first = lead(route)
    if first is None or first.reach is not Reach.UNPUBLISHED or first.peer is None:
        return
    shown = route.choice.among if ambiguous(route) else (first,)
    port = route.parts.port
    what = "; ".join(serving(c, port) for c in shown)
    fix = _publish_fix(first.peer, port, first.port)
    if ambiguous(route):
        fix = "several servers fit: " + fix_words(route, "") + "; or publish the one you mean, e.g. " + fix
    loopback = [x for x in first.listeners if x.loopback_only]
    if loopback and len(loopback) == len(first.listeners):
        fix += f"; it also listens on {loopback[0].ip} only: bind it to 0.0.0.0 too"
    yield Finding(
        code=CODE,
        severity=SEVERITY,
        subject=route.id,
        message=f"nothing listens on host port {port}; {what}",
        fix=fix,
        evidence=probe_lines(route) + tuple(_socket_line(c) for c in shown if c.listeners),
        server=ref(first.peer, first.port, port),
        **suggestion(route, ()),  # type: ignore[arg-type]
    )


def _mismapped(route: Route) -> Iterator[Finding]:
    """A published host port that leads to a container port nothing listens on, while the server listens elsewhere."""
    for peer, inside in route.target.peers:
        if peer.listeners is None or peer.listening_on(inside) or not peer.listening_ports():
            continue
        listening = peer.listening_ports()
        right = listening[0]
        port = route.parts.port
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=f"{peer.label} publishes host port {port} to container port {inside}, but the server listens on "
            f"{', '.join(map(str, listening))} there",
            fix=_publish_fix(peer, port, right),
            evidence=probe_lines(route)
            + (f"sockets of {peer.name}: listening on {', '.join(f'{x.ip}:{x.port}' for x in peer.listeners or ())}",),
            server=ref(peer, right, port),
        )


def _socket_line(c: Candidate) -> str:
    return f"sockets of {c.name}: listening on {', '.join(f'{x.ip}:{x.port}' for x in c.listeners)}"


def _publish_fix(peer: Peer, host_port: int, inside: int) -> str:
    # Published on loopback: the host's own clients need no more, and other machines get nothing.
    mapping = f"127.0.0.1:{host_port}:{inside}"
    if peer.service:
        where = f" in {peer.source}" if peer.source else ""
        if peer.container is not None and peer.container.compose_files:
            where = f" in {peer.container.compose_files[0]}"
        return f'add to service {peer.service}{where}:  ports: ["{mapping}"]  then: docker compose up -d {peer.service}'
    image = peer.container.image if peer.container is not None else "IMAGE"
    return f"re-create the container with  -p {mapping}  (docker run -p {mapping} {image} ...)"
