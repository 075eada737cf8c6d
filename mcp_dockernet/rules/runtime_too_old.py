"""The interpreter is older than the server's package declares: the server fails at start.

Fails when: an ``npx``/``node`` or ``python`` entry's interpreter (the ``node`` or ``python`` the
client's PATH finds, asked with ``--version``) does not meet what the package declares where
that is known on this machine: ``engines.node`` of a package in npm's npx cache or of a node
script's nearest package.json, ``requires-python`` of a script's nearest pyproject.toml. An old
Node.js typically dies on syntax or an API it lacks before it answers; the client shows
"connection closed".
Passes when: the version meets the declaration, or nothing is declared locally (uvx picks a
fitting Python by itself, so uvx entries are not judged).
Fix: install a newer interpreter first on the client's PATH (nvm, your package manager), or
give the full path of a new enough one as the entry's command.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._stdio import CLOSED, checked
from mcp_dockernet.rules._versions import satisfies

CODE = "runtime-too-old"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES: frozenset[str] = frozenset()


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for entry, _, facts in checked(snap):
        if facts.runtime is None or facts.runtime_wanted is None:
            continue
        (program, version), (wanted, where) = facts.runtime, facts.runtime_wanted
        if satisfies(version, wanted, npm=program == "node") is not False:
            continue
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry.id,
            message=f"{program} {version} on the client's PATH does not meet {wanted!r} ({where}): the server "
            f"fails at start, and {CLOSED}",
            fix=f"install a {program} that meets {wanted} first on the client's PATH, or give its full path as the "
            "entry's command",
            evidence=(f"declared: {wanted} ({where})", f"found: {program} {version}"),
        )
