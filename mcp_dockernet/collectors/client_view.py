"""The config file as a client in a container reads it: which containers mount it, and what they see.

A file bind-mounted as a single file pins the inode the container started with: when the host
replaces the file by rename (the usual atomic write), the container keeps reading the old
content until it is recreated (lab.md, "Single-file bind mounts"; Docker's bind-mount docs warn
that editors which rename break such mounts). A directory mount resolves the name afresh, so a
rename inside it is seen. So a write must keep the inode when any running container mounts the
file alone, and "fixed" can be said only after reading the file through the container's own
mount namespace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcp_dockernet.model import Container, MountInfo

log = logging.getLogger(__name__)
MAX_BYTES = 4 * 1024 * 1024  # an MCP config is small; never pull more than this out of a container


@dataclass(frozen=True, slots=True)
class MountSite:
    """One running container that sees the file through a bind mount, and where it sees it."""

    container: Container
    mount: MountInfo
    inside: str  # the file's path inside the container
    single_file: bool  # mounted alone: the mount pins the inode


def mount_sites(
    real_path: str, containers: Sequence[Container], resolve: Callable[[str], str] = lambda source: source
) -> tuple[MountSite, ...]:
    """Every running container that bind-mounts this file (``real_path``: its realpath), alone or in a directory.

    Pure: the mounts come from the engine's list call (model.Container.mounts); ``resolve`` may
    follow symlinks in a mount's source (the engine reports the source as it was given). A stopped
    container is left out: it binds the source afresh when it starts.
    """
    sites = []
    for c in containers:
        if not c.running:
            continue
        for m in c.mounts:
            if m.type != "bind" or not m.source:
                continue
            source = resolve(m.source).rstrip("/")
            if real_path == source:
                sites.append(MountSite(c, m, m.destination, single_file=True))
            elif real_path.startswith(source + "/"):
                sites.append(MountSite(c, m, m.destination.rstrip("/") + real_path[len(source) :], single_file=False))
    return tuple(sites)


@dataclass(frozen=True, slots=True)
class View:
    """What one container read at the file's path inside it (content None: it could not be read)."""

    site: MountSite
    content: bytes | None
    how: str  # "/proc/PID/root", "docker exec cat", or why it could not be read


def read_view(api: Any, site: MountSite, *, local: bool, proc: Path = Path("/proc")) -> View:
    """Read the file as the container sees it: the host's /proc/<pid>/root when the engine is local, else exec cat.

    /proc/<pid>/root resolves the path inside the process's mount namespace (proc(5)), so it sees
    the inode the mount pinned, with no process started. The engine's archive API (docker cp) is
    not used: it resolves a bind mount to its host source by name and so reads the new file even
    where the container still reads the old one (checked on Engine 20.10 here).
    """
    name = site.container.name
    try:
        attrs = api.inspect_container(site.container.id)
    except Exception as e:
        return View(site, None, f"cannot inspect {name}: {str(e).splitlines()[0]}")
    pid = (attrs.get("State") or {}).get("Pid") or 0
    if not pid:
        return View(site, None, f"{name} is not running")
    if local:
        try:
            with open(proc / str(pid) / "root" / site.inside.lstrip("/"), "rb") as f:
                return View(site, f.read(MAX_BYTES), f"/proc/{pid}/root")
        except OSError as e:
            log.debug("cannot read %s through /proc/%s/root: %s", site.inside, pid, e)
    try:
        created = api.exec_create(site.container.id, ["cat", site.inside], stdout=True, stderr=False)
        out = bytes(api.exec_start(created["Id"]))
        if api.exec_inspect(created["Id"]).get("ExitCode") == 0:
            return View(site, out[:MAX_BYTES], "docker exec cat")
        return View(site, None, f"cat {site.inside} failed in {name}")
    except Exception as e:
        return View(site, None, f"docker exec in {name} failed: {str(e).splitlines()[0]}")


def stale_fix(site: MountSite) -> str:
    """How to make the container read the file again: recreate it, or mount the directory."""
    c = site.container
    if c.compose_service:
        files = "".join(f" -f {f}" for f in c.compose_files)
        recreate = f"docker compose{files} up -d --force-recreate {c.compose_service}"
    else:
        recreate = f"docker rm -f {c.name} and run it again"
    return f"recreate the container: {recreate}, or mount the file's directory instead of the single file"
