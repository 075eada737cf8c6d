"""The containers a ``docker run`` launch starts: labelled when it starts, found and removed after it.

``--label mcp-dockernet.launch=<uuid>`` goes right after ``run`` (a run flag of docker and podman
alike), so every container of one launch carries it, whatever else the line says; the clean-up
removes them all (force), also when the line lacks ``--rm``. It asks our engine's API when the
entry's CLI uses our engine, else the entry's own CLI, with its global flags (``-H``,
``--context``) and the launch's environment (``DOCKER_HOST``...), so it reaches that engine.
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from mcp_dockernet.model import DockerRun, StdioCommand

log = logging.getLogger(__name__)
LABEL = "mcp-dockernet.launch"
CLI_TIMEOUT = 15.0  # each docker CLI call of the clean-up (ps, rm)
ENGINE_VARS = frozenset({"DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"})
ENGINE_FLAGS = frozenset({"host", "context", "config", "tlsverify", "tlscacert", "tlscert", "tlskey"})
_VALUED_GLOBALS = frozenset({"-H", "--host", "-c", "--context", "--config", "-l", "--log-level"})
_VALUED_GLOBALS |= {"--tlscacert", "--tlscert", "--tlskey"}


class ContainerApi(Protocol):
    """The part of docker.APIClient the clean-up uses (a DockerClient's ``.api`` is one)."""

    def containers(self, all: bool = ..., filters: dict[str, Any] | None = ...) -> list[dict[str, Any]]: ...

    def remove_container(self, container: str, force: bool = ...) -> None: ...


@dataclass(frozen=True, slots=True)
class RunLine:
    """A ``docker run`` / ``podman run`` line as much as the clean-up needs: where ``run`` is, the global flags."""

    program: str
    run_index: int
    global_words: tuple[str, ...] = ()  # -H X, --context X ...: the clean-up talks to the same engine
    own_engine: bool = False  # its flags or the entry's env choose the engine: clean up through its CLI


def run_line(cmd: StdioCommand, env: Mapping[str, str]) -> RunLine | None:
    """Where ``run`` sits in a docker/podman run line (the parsed DockerRun, else a plain scan), or None."""
    run: DockerRun | None = cmd.docker
    own_env = any(k in ENGINE_VARS for k, _ in cmd.env)
    if run is not None:
        words: list[str] = []
        for f in run.global_flags:
            words.append(cmd.args[f.index])
            if f.value_index is not None:
                words.append(cmd.args[f.value_index])
        own = own_env or any(f.name in ENGINE_FLAGS for f in run.global_flags)
        return RunLine(run.program, run.run_index, tuple(words), own)
    program = os.path.basename(cmd.command).removesuffix(".exe")
    if program not in ("docker", "podman"):
        return None
    i, words = 0, []
    while i < len(cmd.args) and cmd.args[i].startswith("-"):  # global flags before the subcommand
        takes_value = cmd.args[i] in _VALUED_GLOBALS and "=" not in cmd.args[i]
        words += cmd.args[i : i + 1 + takes_value]
        i += 1 + takes_value
    if i < len(cmd.args) and cmd.args[i] == "container":
        i += 1
    if i >= len(cmd.args) or cmd.args[i] != "run":
        return None
    own = own_env or any(w.lstrip("-").split("=")[0] in ENGINE_FLAGS | {"H", "c"} for w in words if w.startswith("-"))
    return RunLine(program, i, tuple(words), own)


def labelled(args: tuple[str, ...], run: RunLine, label: str) -> tuple[str, ...]:
    """The args with our label right after ``run``: the clean-up finds every container of this launch."""
    at = run.run_index + 1
    return (*args[:at], "--label", f"{LABEL}={label}", *args[at:])


def remove_launched(
    run: RunLine, label: str, program: str, env: Mapping[str, str], api: ContainerApi | None
) -> tuple[str, ...]:
    """Remove (force) every container carrying this launch's label; their short ids.

    ``program``: the docker (podman) CLI the entry ran, found as the launch found it; ``env``: the
    launch's environment (the CLI then talks to the engine the entry's own did).
    """
    selector = f"{LABEL}={label}"
    if api is not None and run.program == "docker" and not run.own_engine:
        removed = []
        try:
            for c in api.containers(all=True, filters={"label": selector}):
                try:
                    api.remove_container(c["Id"], force=True)
                    removed.append(c["Id"][:12])
                except Exception as e:  # gone already, or its --rm removal is under way
                    log.debug("remove %s: %s", c["Id"][:12], e)
            return tuple(removed)
        except Exception as e:  # the engine went away: try the CLI as the entry would talk to it
            log.debug("container list for %s failed: %s", selector, e)
    return _remove_with_cli([program, *run.global_words], env, selector)


def _remove_with_cli(cli: list[str], env: Mapping[str, str], selector: str) -> tuple[str, ...]:
    try:
        listed = subprocess.run(
            [*cli, "ps", "-aq", "--no-trunc", "--filter", f"label={selector}"],
            capture_output=True, text=True, env=env, timeout=CLI_TIMEOUT,
        )  # fmt: skip
        ids = listed.stdout.split()
        if not ids:
            return ()
        subprocess.run([*cli, "rm", "-f", *ids], capture_output=True, env=env, timeout=CLI_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as e:
        log.warning("could not remove the containers labelled %s: %s", selector, e)
        return ()
    return tuple(i[:12] for i in ids)
