"""The image of a ``docker run`` entry is not on the engine: the client's first start has to pull it.

Fails when: the image named after ``docker run``'s flags is not among the images of the engine
the docker CLI would use (the same name normalized as the CLI does: ``name`` is
``docker.io/library/name:latest``; digests and image ids count too). The docker CLI then pulls
before it starts the server: slow enough to pass the client's start-up timeout, and with no
registry in reach (offline, a private registry without ``docker login``, a mistyped name) it
fails "Unable to find image ... locally" and exits; the client shows "connection closed".
Passes when: the image is there; not judged when the entry's args or env (``--context``, ``-H``,
``DOCKER_HOST``, ``DOCKER_CONTEXT``) name another engine than the one checked, or the engine did
not answer.
Fix: ``docker pull IMAGE`` (or build it) before the client starts, or correct the name and tag.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._stdio import CLOSED, checked

CODE = "image-not-found"
SEVERITY = Severity.WARNING
NEEDS: frozenset[str] = frozenset()  # the collector says when it could not look (image_present None)
SUPERSEDES: frozenset[str] = frozenset()


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for entry, cmd, facts in checked(snap):
        run = cmd.docker
        if run is None or run.image is None or facts.image_present is not False:
            continue
        never = any(v == "never" for v in run.values("pull"))
        then = (
            f"with --pull never the start fails and {CLOSED}"
            if never
            else "the client's first start pulls it (which may outlast the client's start-up timeout), or fails "
            f'"Unable to find image" where no registry is in reach, and {CLOSED}'
        )
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry.id,
            message=f"image {run.image} is not on the Docker engine: {then}",
            fix=f"docker pull {run.image} (or build it) before the client starts, or correct the image name",
        )
