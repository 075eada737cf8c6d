"""The connection neither succeeds nor fails in time.

Fails when: a probe runs out of time; the finding names the layer: name resolution, TCP connect
(packets dropped: a firewall DROP rule, an address nobody answers for, a stopped VM) or the HTTP
exchange (connected, but no answer: a paused container, a blocked server, a proxy that waits).
Passes when: the probe gets any answer, even an error, within --timeout.
Fix: per layer: check firewall rules and the address; ``docker unpause`` a paused container;
restart a server that accepts but does not answer; raise ``--timeout`` for slow servers.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import ContainerState, Outcome, Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._common import layer_lines

CODE = "timeout"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES: frozenset[str] = frozenset()
FIXES = {
    "dns": "the resolver does not answer: check /etc/resolv.conf (in a container: the engine's DNS at 127.0.0.11)",
    "tcp": "packets are dropped: check firewall rules (iptables DROP) and that the address is the server's",
    "http": "the server accepts but does not answer: restart it, or raise --timeout if it is only slow",
}


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for route in routes:
        probe = route.probe
        if probe is None or probe.outcome is not Outcome.TIMEOUT:
            continue
        layer = probe.failed_layer.name if probe.failed_layer else "http"
        port = route.parts.port
        paused = [
            p.container for p, _ in route.target.peers if p.container and p.container.state is ContainerState.PAUSED
        ]
        if route.from_host:
            paused += [c for c in snap.containers if c.state is ContainerState.PAUSED and c.published(port)]
        fix = FIXES.get(layer, FIXES["http"])
        if paused:
            fix = f"docker unpause {paused[0].name}"
        what = {"dns": "name resolution", "tcp": "the TCP connect", "http": "the HTTP exchange"}.get(layer, layer)
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=route.id,
            message=f"{what} timed out: {probe.detail}" + (f"; {paused[0].label} is paused" if paused else ""),
            fix=fix,
            evidence=layer_lines(probe),
        )
