"""Which process runs in which container, and the raw socket tables of its network namespace.

Standard library only, and no import of the package: listeners.py runs these functions in its own
process when the engine's processes are ours to see, and ships this file's source, as
``python3 -c SOURCE ARGS``, to one helper container in the engine host's PID namespace when they
are not. One implementation, so both ways agree.

A process's cgroup names its container (cgroups(7): /proc/<pid>/cgroup lists its paths):
  cgroup v1, cgroupfs driver  ``4:memory:/docker/<64 hex>`` (this lab: Engine 20.10, cgroup v1)
  cgroup v2, systemd driver   ``0::/system.slice/docker-<64 hex>.scope``
  cgroup v2, cgroupfs driver  ``0::/docker/<64 hex>``
  Podman                      ``0::/machine.slice/libpod-<64 hex>.scope``
A nested engine (kind, Docker in Docker) puts the inner id last, so the last id of a line wins.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
BEGIN = "@@mdn "  # "@@mdn <id> <pid>": the socket tables of that container follow
MISSING = "@@mdn? "  # "@@mdn? <id>": no process of it was found, or its tables could not be read


def container_id_in(cgroup_text: str) -> str | None:
    """The container id a /proc/<pid>/cgroup text names, if any."""
    for line in cgroup_text.splitlines():
        found = _ID.findall(line.split(":", 2)[-1])  # hierarchy-ID:controllers:path (cgroups(7))
        if found:
            return found[-1]
    return None


def pids_by_container(wanted: Iterable[str], proc: Path = Path("/proc")) -> dict[str, int]:
    """One pass over /proc/*/cgroup: a process of each wanted container (any one: they share its netns).

    Stops as soon as every wanted container has one; processes that exit meanwhile are skipped.
    """
    todo = set(wanted)
    found: dict[str, int] = {}
    try:
        entries = os.listdir(proc)
    except OSError:
        return found
    for name in entries:
        if not todo:
            break
        if not name.isdigit():
            continue
        try:
            with open(f"{proc}/{name}/cgroup", encoding="ascii", errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        cid = container_id_in(text)
        if cid in todo:
            found[cid] = int(name)
            todo.discard(cid)
    return found


def socket_tables(pid: int, proc: Path = Path("/proc")) -> str | None:
    """/proc/<pid>/net/tcp and tcp6 (proc_net(5)) of that process's namespace; None if unreadable."""
    try:
        text = (proc / str(pid) / "net" / "tcp").read_text(errors="replace")
    except OSError:
        return None
    try:  # absent when the kernel has no IPv6
        text += (proc / str(pid) / "net" / "tcp6").read_text(errors="replace")
    except OSError:
        pass
    return text


def dump(requests: Iterable[str], proc: Path = Path("/proc")) -> str:
    """The tables of each requested container, between delimiters: requests are "ID" or "ID=PID"."""
    pairs = [r.partition("=") for r in requests]
    known = {cid: int(pid) for cid, _, pid in pairs if pid.isdigit()}
    scanned = pids_by_container([cid for cid, _, pid in pairs if cid not in known], proc)
    out = []
    for cid, _, _ in pairs:
        pid = known.get(cid) or scanned.get(cid)
        text = socket_tables(pid, proc) if pid else None
        out.append(f"{MISSING}{cid}\n" if text is None else f"{BEGIN}{cid} {pid}\n{text}")
    return "".join(out)


def split_dump(text: str) -> dict[str, str | None]:
    """The inverse of dump: container id -> its socket tables, or None when they were not read."""
    chunks: dict[str, list[str] | None] = {}
    current: list[str] | None = None
    for line in text.splitlines(keepends=True):
        if line.startswith(MISSING):
            chunks[line[len(MISSING) :].strip()] = current = None
        elif line.startswith(BEGIN):
            chunks[line[len(BEGIN) :].split()[0]] = current = []
        elif current is not None:
            current.append(line)
    return {cid: None if lines is None else "".join(lines) for cid, lines in chunks.items()}


if __name__ == "__main__":
    sys.stdout.write(dump(sys.argv[1:]))
