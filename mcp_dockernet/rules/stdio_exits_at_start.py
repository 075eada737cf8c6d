"""A stdio server that exits, or cannot be started, when its client starts it: its own stderr says why.

Fails when: ``--launch`` started the entry as its client would (its command on the PATH the client
would search, its args, the client's environment with the entry's env over it, its working
directory) and the process ended before it answered the MCP ``initialize`` request, or could not be
started at all. The client shows only "connection closed" (or "spawn X ENOENT") and never the
server's stderr; this finding names the exit code and quotes the last line the server wrote to
stderr, with the last lines as evidence (the entry's env values and token-looking words masked):
a missing API key, an upstream it cannot reach, a wrong package name, a runtime too old. When a
finding found without launching explains the exit (docker-run-no-stdin, docker-run-tty,
docker-run-invalid, command-not-found, env-file-missing, cwd-not-found), that one is shown instead.
Passes when: the launched server answers initialize and tools/list; not judged without ``--launch``.
Fix: do what its last stderr line asks (set the variable in the entry's ``env``, start the service
it needs, correct the package name), then check again with ``mcp-dockernet doctor --launch``.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import LaunchResult, Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._stdio import CLOSED, launched

CODE = "stdio-exits-at-start"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES: frozenset[str] = frozenset()


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for entry, launch in launched(snap, "exited", "error"):
        if launch.outcome == "exited":
            message = f"started as its client starts it, the server {launch.detail}, and {CLOSED}{_said(launch)}"
        else:
            message = f"the client cannot start it: {launch.detail}{_said(launch)}"
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry.id,
            message=message,
            fix="do what its stderr asks (an env var in the entry's env, a service it needs, the package name), "
            "then check again: mcp-dockernet doctor --launch",
            evidence=tuple(f"stderr: {line}" for line in launch.stderr_tail),
        )


def _said(launch: LaunchResult) -> str:
    if not launch.stderr_tail:
        return "; it wrote nothing to stderr" if launch.outcome == "exited" else ""
    return f'; its last stderr line: "{launch.stderr_tail[-1]}"'
