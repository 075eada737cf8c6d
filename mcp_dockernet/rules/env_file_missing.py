"""An env file the entry names does not exist: the server is never started.

Fails when: ``docker run --env-file PATH`` (relative paths from the entry's ``cwd``, else from
where the client starts) or VS Code's ``envFile`` names a file that is not there. The docker CLI
stops before it creates the container ("open PATH: no such file or directory", status 125); the
client cannot read an ``envFile`` it was given. Either way the server does not start and the
client shows "connection closed" or a start error.
Passes when: every env file named exists.
Fix: create the file, or correct the path (an absolute path does not depend on where the client
starts).
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._stdio import CLOSED, checked

CODE = "env-file-missing"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES: frozenset[str] = frozenset({"stdio-exits-at-start"})  # the launch shows the effect
WHAT = {"env-file": "--env-file", "envFile": "envFile"}


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for entry, _, facts in checked(snap):
        for what, path in facts.missing_files:
            if what not in WHAT:
                continue
            then = (
                f"the docker CLI stops with 'open {path}: no such file or directory', and {CLOSED}"
                if what == "env-file"
                else "the client cannot read it and does not start the server"
            )
            yield Finding(
                code=CODE,
                severity=SEVERITY,
                subject=entry.id,
                message=f"{WHAT[what]} {path} does not exist: {then}",
                fix=f"create {path}, or correct the path ({WHAT[what]})",
            )
