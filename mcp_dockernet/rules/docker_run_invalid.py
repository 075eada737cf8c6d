"""A ``docker run`` line the docker CLI refuses: the container never starts.

Fails when: the entry runs ``docker run`` (or ``docker container run``, ``podman run``) and the
CLI would refuse its arguments: an unknown flag, a flag without its value, no image. The CLI
prints its usage error and exits (status 125), and the client shows "connection closed".
Passes when: the arguments parse as the docker CLI parses them.
Fix: correct the argument list: ``run``, the flags with their values, the image, then the
container's own command and arguments (``docker run --help`` lists the flags).
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._stdio import CLOSED, docker_runs

CODE = "docker-run-invalid"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
# The other findings read the same parse: when the CLI refuses the line, they are guesses.
SUPERSEDES: frozenset[str] = frozenset(
    {
        "docker-run-no-stdin",
        "docker-run-tty",
        "docker-run-publish-unused",
        "docker-run-host-network",
        "image-not-found",
        "env-not-set",
        "env-file-missing",
        "localhost-in-container",
        "stdio-exits-at-start",  # the CLI's usage error (exit 125) is what a launch shows
    }
)


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for entry, _, run in docker_runs(snap):
        if run.problem is None:
            continue
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry.id,
            message=f"{run.program} refuses this command line ({run.problem}): it exits at once and {CLOSED}",
            fix=f"correct the args: run, the flags and their values, the image, then the container's command "
            f"(see {run.program} run --help)",
        )
