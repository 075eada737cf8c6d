"""The server's container listens on the port, but publishes no host port for it.

Fails when: the URL says ``localhost:8000``, nothing answers there, and a running container
exposes port 8000 without a ``-p``/``ports:`` mapping, so no URL from the host can reach it.
Passes when: the port is published, or no running container has that port.
Fix: publish it: ``docker run -p 8000:8000 ...``, or in the Compose service ``ports: ["8000:8000"]``.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Container, Snapshot
from mcp_dockernet.report import Finding, Severity, entry_key
from mcp_dockernet.resolve import local_http_entries, moved_port_candidates, probe_evidence, something_listens

CODE = "port-not-published"
SEVERITY = Severity.ERROR
NEEDS = frozenset({"engine"})


def check(snap: Snapshot) -> Iterator[Finding]:
    for entry, parts in local_http_entries(snap):
        port = parts.port
        if something_listens(snap, entry, port) or moved_port_candidates(snap, port):
            continue
        unpublished = [
            c
            for c in snap.containers
            if c.running and c.binding_of(port) and all(b.host_port is None for b in c.binding_of(port))
        ]
        for container in unpublished:
            yield Finding(
                code=CODE,
                severity=SEVERITY,
                subject=entry_key(entry),
                message=f"{container.label} has port {port} but publishes no host port for it",
                fix=_publish_fix(container, port),
                evidence=probe_evidence(snap, entry.effective_url or "")
                + (f"container {container.name}: port {port}/tcp exposed, not published",),
            )


def _publish_fix(container: Container, port: int) -> str:
    if container.compose_service:
        where = f" in {container.compose_files[0]}" if container.compose_files else ""
        return (
            f'add to service {container.compose_service}{where}:  ports: ["127.0.0.1:{port}:{port}"]'
            f"  then: docker compose up -d {container.compose_service}"
        )
    # Published on loopback: the host's own clients need no more, and other machines get nothing.
    return (
        f"re-create the container with  -p 127.0.0.1:{port}:{port}  "
        f"(docker run -p 127.0.0.1:{port}:{port} {container.image} ...)"
    )
