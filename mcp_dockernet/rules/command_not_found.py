"""The client cannot start the server's command: it is not on the client's PATH.

Fails when: an entry's ``command`` (``docker``, ``npx``, ``uvx``, ...) is found nowhere on the
PATH the client's process would search (the client's environment with the entry's ``env`` over
it), or a command given as a path is not an executable file there (relative paths from the
entry's ``cwd``). The client shows ``spawn docker ENOENT`` or "connection closed".
Passes when: the command resolves to an executable file; entries whose client runs in a
container are not judged (their PATH is the container's).
Fix: install the program, or write its full path as ``command`` (``which npx`` in a shell that has
it). GUI clients (Claude Desktop on macOS) do not read your shell's profile: a PATH set only
there does not reach them, so the full path is the robust fix.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._stdio import checked

CODE = "command-not-found"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
# no interpreter check without the command; a launch cannot start it either
SUPERSEDES: frozenset[str] = frozenset({"runtime-too-old", "stdio-exits-at-start"})


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for entry, cmd, facts in checked(snap):
        if facts.command_path is not None:
            continue
        as_path = os.sep in cmd.command
        where = "is not an executable file" if as_path else "is not on the client's PATH"
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry.id,
            message=f"the client cannot start {cmd.command!r}: it {where}, so the server never runs "
            f'(the client shows "spawn {os.path.basename(cmd.command)} ENOENT" or "connection closed")',
            fix=f"install {os.path.basename(cmd.command)}, or give its full path as the entry's command",
            evidence=(f"PATH searched: {facts.search_path}",) if not as_path else (),
        )
