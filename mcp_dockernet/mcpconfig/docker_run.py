"""``docker run`` command lines, parsed as the docker CLI parses them (placeholder: being written)."""

from __future__ import annotations

from mcp_dockernet.model import DockerRun


def parse_docker_run(command: str, args: tuple[str, ...]) -> DockerRun | None:
    """The parsed ``docker run`` / ``docker container run`` / ``podman run`` line; None when the entry runs something else."""
    return None
