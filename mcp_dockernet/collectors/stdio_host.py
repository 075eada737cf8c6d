"""What this machine says about each stdio entry's command, without starting it (the static checks).

For every entry with a command whose client runs on the host: where the PATH the client would
use finds the command, which ``-e NAME`` names are set nowhere, which env files and working
directory are missing, whether a ``docker run`` entry's image is on the engine the docker CLI
would use (one image list call for all entries), and the interpreter of npx/node/uvx/python
entries against what the package declares where that is known locally (stdio_runtime.py).

No server is started, nothing is pulled, nothing goes over the network. The one process this
module may start is an interpreter's ``--version`` (bounded at 2 s): that is a query of the
runtime, not the MCP server. An entry whose client runs in a container is not looked at
(checked=False): its PATH and files are that container's, not this machine's.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from mcp_dockernet.collectors.endpoint import choose_endpoint
from mcp_dockernet.collectors.stdio_runtime import runtime_facts, version_of
from mcp_dockernet.errors import EngineError
from mcp_dockernet.model import HOST_CLIENT, ClientPlace, DockerRun, EntryId, ServerEntry, StdioCommand, StdioFacts

log = logging.getLogger(__name__)
ENGINE_VARS = ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG")  # what picks the docker CLI's engine


class ImageApi(Protocol):
    """The part of docker.APIClient this collector uses, so tests can pass a fake."""

    def images(self, name: str | None = ..., quiet: bool = ..., all: bool = ...) -> list[dict[str, Any]]: ...


def stdio_facts(
    entries: Iterable[ServerEntry],
    api: ImageApi | None,
    environ: Mapping[str, str],
    places: tuple[tuple[str, ClientPlace], ...] = (),
    *,
    endpoint_url: str | None = None,
    base_dir: str | None = None,
    home: str | None = None,
    run_version: Callable[[str], str | None] = version_of,
) -> tuple[tuple[EntryId, StdioFacts], ...]:
    """The facts of every entry with a command (Snapshot.stdio).

    ``api``: the client of the engine the run talks to (None: it did not answer); ``endpoint_url``:
    that engine's address (run.py's Endpoint.url; None: as choose_endpoint(environ) says);
    ``environ``: the client's environment (ours: a client started from this shell inherits it);
    ``base_dir``: where relative paths lead when the entry sets no cwd (default: our cwd).
    """
    base = base_dir or os.getcwd()
    home = home or environ.get("HOME") or os.path.expanduser("~")
    places_by_key = dict(places)
    images = _Images(api)
    ours = endpoint_url or _endpoint_url(environ, home)
    found = []
    for entry in entries:
        cmd = entry.stdio
        if cmd is None or entry.skip_reason:
            continue
        place = places_by_key.get(f"{entry.config}#{entry.scope}") or places_by_key.get(entry.config) or HOST_CLIENT
        if place.kind != "host":
            note = f"the client runs in container {place.name}: its PATH, files and engine are not this machine's"
            found.append((entry.id, StdioFacts(None, checked=False, note=note)))
            continue
        found.append((entry.id, _facts(cmd, environ, base, home, ours, images, run_version)))
    return tuple(found)


def _facts(
    cmd: StdioCommand,
    environ: Mapping[str, str],
    base: str,
    home: str,
    ours: str | None,
    images: _Images,
    run_version: Callable[[str], str | None],
) -> StdioFacts:
    env = {**environ, **dict(cmd.env)}  # the process's environment: the entry's env over the client's
    search_path = env.get("PATH", os.defpath)
    where = cmd.cwd or base
    command_path = find_command(cmd.command, search_path, where)
    missing: list[tuple[str, str]] = []
    if cmd.cwd and not os.path.isdir(cmd.cwd):
        missing.append(("cwd", cmd.cwd))
    if cmd.env_file and not os.path.isfile(_at(cmd.env_file, where)):
        missing.append(("envFile", cmd.env_file))  # VS Code's envFile
    run = cmd.docker
    unset: tuple[str, ...] = ()
    present: bool | None = None
    note = ""
    if run is not None:
        missing += [("env-file", p) for p in run.values("env-file") if not os.path.isfile(_at(p, where))]
        unset = unset_names(run, env)
        present, note = _image(run, env, home, ours, images)
    runtime, wanted = runtime_facts(cmd, command_path, env, where, home, run_version)
    return StdioFacts(
        command_path,
        search_path=search_path,
        unset_env=unset,
        missing_files=tuple(missing),
        image_present=present,
        image_note=note,
        runtime=runtime,
        runtime_wanted=wanted,
    )


def find_command(command: str, search_path: str, where: str) -> str | None:
    """Where the client's spawn finds the command: a path as such (relative to cwd), a bare name on PATH."""
    if os.sep in command or (os.altsep and os.altsep in command):
        path = _at(command, where)
        return path if os.path.isfile(path) and os.access(path, os.X_OK) else None
    return shutil.which(command, path=search_path)


def unset_names(run: DockerRun, env: Mapping[str, str]) -> tuple[str, ...]:
    """``-e NAME`` with no value: the docker CLI copies NAME from its own environment, and leaves it
    out when it is not set there (docs.docker.com, docker run --env: "If the variable isn't exported
    in the local environment, it won't be set in the container")."""
    names = (v for v in run.values("env") if "=" not in v)
    return tuple(dict.fromkeys(n for n in names if n and n not in env))


def _at(path: str, where: str) -> str:
    return path if os.path.isabs(path) else os.path.join(where, path)


def _image(
    run: DockerRun, env: Mapping[str, str], home: str, ours: str | None, images: _Images
) -> tuple[bool | None, str]:
    if run.image is None:
        return None, "the command line names no image"
    if run.program != "docker":
        return None, f"{run.program} keeps its own images; they are not looked up on the Docker engine"
    other = _other_engine(run, env, home, ours)
    if other:
        return None, other
    tags = images.listed()
    if tags is None:
        return None, images.problem
    return image_listed(run.image, tags), ""


def _other_engine(run: DockerRun, env: Mapping[str, str], home: str, ours: str | None) -> str:
    """Why the entry's docker CLI talks to another engine than ours ("": the same one).

    The CLI's order (docker/cli cli/command/cli.go resolveContextName): -H, then --context, then
    DOCKER_HOST, DOCKER_CONTEXT, the config's currentContext; --config moves the config directory.
    """
    given = {f.name: f.value for f in run.global_flags if f.value}
    chosen = dict(env)
    if given.get("config"):
        chosen["DOCKER_CONFIG"] = given["config"]
    if given.get("context"):
        chosen.pop("DOCKER_HOST", None)
        chosen["DOCKER_CONTEXT"] = given["context"]
    if given.get("host"):
        chosen["DOCKER_HOST"] = given["host"]
    try:
        theirs = choose_endpoint(chosen, home)
    except EngineError as e:
        return f"the entry's docker CLI would use another engine: {e.problem}"
    if ours is None or _same(theirs.url, ours):
        return ""
    if given.get("host"):
        how = "-H"
    elif given.get("context"):
        how = f"--context {given['context']}"
    else:
        how = ", ".join(k for k in ENGINE_VARS if env.get(k)) or "its environment"
    return f"the entry's docker CLI uses another engine ({how}: {theirs.shown_url}), not the one checked"


def _endpoint_url(env: Mapping[str, str], home: str) -> str | None:
    try:
        return choose_endpoint(env, home).url
    except EngineError:
        return None


def _same(a: str, b: str) -> bool:
    def norm(u: str) -> str:
        u = u.rstrip("/")
        return "unix://" + u if u.startswith("/") else u

    return norm(a) == norm(b)


class _Images:
    """The engine's image references, read with one list call on first need."""

    def __init__(self, api: ImageApi | None) -> None:
        self.api = api
        self.problem = "the Docker engine did not answer" if api is None else ""
        self._refs: frozenset[str] | None = None
        self._asked = False

    def listed(self) -> frozenset[str] | None:
        if not self._asked and self.api is not None:
            self._asked = True
            try:
                summaries = self.api.images()
            except Exception as e:  # the docker SDK raises several unrelated types for "no engine"
                log.debug("image list failed: %s", e)
                self.problem = (
                    f"the Docker engine did not list its images: {str(e).splitlines()[0][:200] or type(e).__name__}"
                )
                return None
            refs: set[str] = set()
            for s in summaries:
                refs.update(str(t) for t in s.get("RepoTags") or () if t and t != "<none>:<none>")
                refs.update(str(d) for d in s.get("RepoDigests") or () if d and not d.startswith("<none>"))
                refs.add(str(s.get("Id") or ""))
            self._refs = frozenset(refs)
        return self._refs


def image_listed(image: str, refs: Iterable[str]) -> bool:
    """Whether ``image`` (as written after ``docker run``) names one of the engine's images.

    Names are compared in their normalized form (distribution/reference ParseNormalizedNamed):
    ``name`` is ``docker.io/library/name:latest``; a digest matches RepoDigests; an image id or its
    unique hex prefix matches the Id, as ``docker run`` accepts both.
    """
    refs = list(refs)
    wanted = normalize(image)
    if any(normalize(r) == wanted for r in refs if "@" not in r or "@" in image):
        return True
    hex_id = image.removeprefix("sha256:").lower()
    if len(hex_id) >= 12 and all(c in "0123456789abcdef" for c in hex_id):
        return any(r.removeprefix("sha256:").startswith(hex_id) for r in refs if r.startswith("sha256:"))
    return False


def normalize(ref: str) -> str:
    """docker.io/library/name:latest for name; the digest kept, the tag dropped, when both are given."""
    name, at, digest = ref.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = ""
    if ":" in last:
        name, _, tag = name.rpartition(":")
    first, slash, rest = name.partition("/")
    if not slash:
        name = f"docker.io/library/{name}"
    elif not ("." in first or ":" in first or first == "localhost"):
        name = f"docker.io/{name}"
    elif first == "index.docker.io":
        name = f"docker.io/{rest}"
    if name.startswith("docker.io/") and name.count("/") == 1:
        name = name.replace("docker.io/", "docker.io/library/", 1)
    if at:
        return f"{name.lower()}@{digest}"
    return f"{name.lower()}:{tag or 'latest'}"
