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
from mcp_dockernet.report import Finding, Severity, entry_key
from mcp_dockernet.rules._probed import lines, probed, targets

CODE = "timeout"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
FIXES = {
    "dns": "the resolver does not answer: check /etc/resolv.conf (in a container: the engine's DNS at 127.0.0.11)",
    "tcp": "packets are dropped: check firewall rules (iptables DROP) and that the address is the server's",
    "http": "the server accepts but does not answer: restart it, or raise --timeout if it is only slow",
}


def check(snap: Snapshot) -> Iterator[Finding]:
    for entry, url, probe in probed(snap):
        if probe.outcome is not Outcome.TIMEOUT:
            continue
        layer = probe.failed_layer.name if probe.failed_layer else "http"
        paused = [c for c, _ in targets(snap, entry, url) if c.state is ContainerState.PAUSED]
        paused += [
            c for c in snap.containers if c.state is ContainerState.PAUSED and any(c.published(p) for p in _port(url))
        ]
        fix = FIXES.get(layer, FIXES["http"])
        if paused:
            fix = f"docker unpause {paused[0].name}"
        what = {"dns": "name resolution", "tcp": "the TCP connect", "http": "the HTTP exchange"}.get(layer, layer)
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry_key(entry),
            message=f"{what} timed out: {probe.detail}" + (f"; {paused[0].label} is paused" if paused else ""),
            fix=fix,
            evidence=lines(probe),
        )


def _port(url: str) -> tuple[int, ...]:
    from mcp_dockernet.resolve import parse_url

    parts = parse_url(url)
    return (parts.port,) if parts else ()
