"""A host URL on localhost while the engine runs on another machine: localhost here is not the engine's host.

Fails when: the engine is reached over ``ssh://`` (also to a loopback address: the ssh target is the
engine's host) or ``tcp://`` to another machine, the client runs on this machine, its URL says
``localhost:P`` (or 127.0.0.1, ::1), and a container of that engine publishes P on the engine's
host. An error when nothing on this machine answers MCP on P (with --no-probe: nothing listens on
P here); a warning when something does, since that is the engine's container only through a tunnel
to its host.
Passes when: what listens on this machine's P is an ``ssh`` process (a tunnel, ``ssh -L``), or no
container of the engine publishes P.
Fix: the engine host's name as the endpoint URL gives it (``http://HOST:P/mcp``), which
``mcp-dockernet fix --write`` writes only when a probe from this machine got an MCP answer there and
the name is not a loopback address; otherwise a tunnel, which keeps the URL as written:
``ssh -NL P:localhost:P user@HOST``.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import ENGINE_HOST, Candidate, Route
from mcp_dockernet.route.remote import engine_side_probe, remote_host, tunnel_command, what_answers_here
from mcp_dockernet.rules._common import lead, probe_lines, ref, suggestion

CODE = "remote-engine-localhost"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset({"engine"})
SUPERSEDES = frozenset({"server-not-running"})
TUNNEL_PROCESS = "ssh"


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        if route.target.kind != ENGINE_HOST or not route.target.peers:
            continue
        here = route.target.processes
        if here and all(x.process == TUNNEL_PROCESS for x in here):
            continue  # a tunnel to the engine's host: localhost:P here is meant to be its P
        first = lead(route) or (route.candidates[0] if route.candidates else None)
        if first is None or first.peer is None:
            continue
        yield _finding(snap, route, first)


def _finding(snap: Snapshot, route: Route, first: Candidate) -> Finding:
    host, port = remote_host(snap), route.parts.port
    assert first.peer is not None
    there = f"on the engine's host {host}, {first.peer.label} publishes port {port}"
    here = route.target.processes
    if route.works or (route.probe is None and here):
        who = what_answers_here(here) or "a process this machine does not name"
        verb = "answers" if route.works else "is listened on"
        message = (
            f"localhost:{port} {verb} on this machine ({who}), but the engine runs on {host}: {there}; "
            "it is that server only if this port is a tunnel to the engine's host"
        )
        severity = Severity.WARNING
    else:
        seen = "nothing here answers on" if route.probe is not None else "nothing here is seen listening on"
        message = f"localhost is this machine, not the engine's host: {seen} port {port}; {there}"
        severity = SEVERITY
    return Finding(
        code=CODE,
        severity=severity,
        subject=route.id,
        message=message,
        fix=_fix(snap, route, first),
        evidence=_evidence(snap, route, first),
        server=ref(first.peer, first.port, port),
        **suggestion(route),  # type: ignore[arg-type]
    )


def _fix(snap: Snapshot, route: Route, first: Candidate) -> str:
    ways = []
    if first.url:
        written = "" if route.choice.writable else f" (not written by fix --write: {route.choice.why_not})"
        ways.append(f"use {redact_url(first.url)}, the engine host's name from the endpoint URL{written}")
    if tunnel := tunnel_command(snap, route, first):
        ways.append(f"tunnel the port and keep the URL: `{tunnel}`")
    if not ways:
        ways.append(f"reach port {route.parts.port} of the engine's host {remote_host(snap)} (a tunnel, or its name)")
    return "; or ".join(ways)


def _evidence(snap: Snapshot, route: Route, first: Candidate) -> tuple[str, ...]:
    lines = list(probe_lines(route, first))
    there = engine_side_probe(snap, route, first)
    if there is not None:
        lines.append(f"probe {redact_url(there.url)} on the engine's host (via {there.method}): {there.summary()}")
    elif snap.probing:
        lines.append("the engine's host was not probed")
    return tuple(lines)
