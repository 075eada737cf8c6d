"""``-p`` on a stdio server: a published port nothing uses, and a clash on the second start.

Fails when: a stdio entry's ``docker run`` publishes ports (``-p``/``--publish``, ``-P``). The
client speaks to the server over the container's stdin and stdout; no one connects to the
port. While one container of the entry runs (a second client window, a client that restarts
servers), the next start fails "port is already allocated" and exits.
Passes when: nothing is published.
Fix: remove the ``-p``/``--publish`` flags (and their values) from the args.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._stdio import docker_runs

CODE = "docker-run-publish-unused"
SEVERITY = Severity.INFO
NEEDS: frozenset[str] = frozenset()
SUPERSEDES: frozenset[str] = frozenset()


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for entry, _, run in docker_runs(snap):
        published = run.values("publish")
        if not published and not run.on("publish-all"):
            continue
        shown = " ".join(f"-p {p}" for p in published) or "-P"
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry.id,
            message=f"{shown} publishes a port of a server the client speaks to over stdin/stdout: nothing uses it, "
            "and while one container of this entry runs, a second start fails 'port is already allocated'",
            fix="remove the -p/--publish flags and their values from the args",
        )
