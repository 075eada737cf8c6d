"""The entry's working directory does not exist: the process cannot be started there.

Fails when: the entry's ``cwd`` is not a directory on this machine. Starting a process in a
directory that does not exist fails before the command runs; Node-based clients report it as
``spawn COMMAND ENOENT``, which names the command although the directory is what is missing
(Node's child_process passes the cwd to uv_spawn, which fails with ENOENT for either).
Passes when: ``cwd`` is unset or an existing directory.
Fix: correct ``cwd``, or create the directory.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._stdio import checked

CODE = "cwd-not-found"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES: frozenset[str] = frozenset({"stdio-exits-at-start"})  # the launch shows the effect


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for entry, cmd, facts in checked(snap):
        for what, path in facts.missing_files:
            if what != "cwd":
                continue
            yield Finding(
                code=CODE,
                severity=SEVERITY,
                subject=entry.id,
                message=f"the entry's cwd {path} does not exist: the client cannot start {cmd.command} there "
                f'(it shows "spawn {cmd.command} ENOENT", naming the command though the directory is missing)',
                fix=f"correct cwd, or create {path}",
            )
