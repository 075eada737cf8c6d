"""A Swarm service's virtual IP does not answer, while its tasks do.

Fails when: from a container, the URL names a Swarm service in ``endpoint_mode: vip`` (the
default), the probe of that name got no connection (timed out, refused, no route), and the probe
of ``tasks.NAME`` on the same port, from the same container, got an MCP answer. The service name
resolves to a virtual IP that the node's kernel balances with IPVS: a node without IPVS (no
``ip_vs`` module, some minimal or nested kernels) resolves the name and drops the packets, and the
ingress routing mesh fails with it, while every task answers at its own address.
Passes when: the service name answers, or no probe shows a task answering (then another finding
says what is wrong).
Fix: use ``tasks.NAME`` (the tasks' own addresses: no balancing across restarts of the name's
answers, so a client reconnects on its own); or deploy the service with ``endpoint_mode: dnsrr``
(the name then resolves to the tasks; ports may then only be published in ``mode: host``); or load
IPVS on the node (``modprobe ip_vs``). ``mcp-dockernet fix --write`` writes the ``tasks.NAME`` URL.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Outcome, Snapshot
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import PEER, Route
from mcp_dockernet.rules._common import probe_lines, ref, suggestion
from mcp_dockernet.urls import parse_url

CODE = "swarm-vip-unreachable"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES = frozenset({"timeout"})
NO_CONNECTION = frozenset({Outcome.TIMEOUT, Outcome.REFUSED, Outcome.UNREACHABLE, Outcome.RESET})


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        if route.works or route.from_host or route.target.kind != PEER or route.probe is None:
            continue
        if route.probe.outcome not in NO_CONNECTION:
            continue
        tasks = next(
            (
                c
                for c in route.candidates
                if c.peer is not None and c.peer.swarm is not None and c.confirmed and _names_tasks(c.url)
            ),
            None,
        )
        if tasks is None or tasks.peer is None or tasks.peer.swarm is None:
            continue
        service = tasks.peer.swarm
        vip = next((ip for net, ip in service.vips if net in route.place.networks), None)
        shown = f"{route.parts.host} ({'virtual IP ' + vip if vip else 'its virtual IP'})"
        stack = f" of stack {service.stack}" if service.stack else ""
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=(
                f"{shown} does not answer on port {route.parts.port} ({route.probe.outcome.value}), while the tasks of "
                f"Swarm service {service.short_name}{stack} answer at their own addresses: the node does not route "
                "service VIPs (no IPVS)"
            ),
            fix=(
                f"use {redact_url(tasks.url or '')}; or deploy {service.short_name} with "
                "`deploy: {endpoint_mode: dnsrr}` in the stack file; or load IPVS on the node (modprobe ip_vs)"
            ),
            evidence=probe_lines(route, tasks),
            server=ref(tasks.peer, tasks.port),
            **suggestion(route),  # type: ignore[arg-type]
        )


def _names_tasks(url: str | None) -> bool:
    parts = parse_url(url) if url else None
    return parts is not None and parts.host.startswith("tasks.")
