"""``-e NAME`` passes a variable that is set nowhere: the container does not get it.

Fails when: a ``docker run`` entry passes a variable by name only (``-e GITHUB_TOKEN``,
``--env GITHUB_TOKEN``) and that name is set neither in the entry's ``env`` nor in the client's
environment. The docker CLI copies such a name from its own environment and leaves it out when
it is not set there (docs.docker.com/reference/cli/docker/container/run/, "--env"); a server that
needs it (an API key, a token) usually exits at start, and the client shows "connection closed".
Passes when: every name passed by name has a value where the docker CLI runs.
Fix: set it in the entry's ``env`` (``"env": {"GITHUB_TOKEN": "..."}``), or ``-e NAME=value``.
The client's environment is judged from this shell's: a GUI client started from the desktop may
not have what your shell exports.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._stdio import CLOSED, checked

CODE = "env-not-set"
SEVERITY = Severity.WARNING
NEEDS: frozenset[str] = frozenset()
SUPERSEDES: frozenset[str] = frozenset()


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for entry, _, facts in checked(snap):
        if not facts.unset_env:
            continue
        names = ", ".join(facts.unset_env)
        flags = " ".join(f"-e {n}" for n in facts.unset_env)
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry.id,
            message=f"{flags} passes nothing: {names} is set neither in the entry's env nor in the client's "
            f"environment, so the container starts without it; a server that needs it exits, and {CLOSED}",
            fix=f'set {names} in the entry\'s "env", or pass -e NAME=value',
        )
