"""Am I running in a container, and which one? (the sidecar case)

Inside a container the engine's bind mounts of /etc/hostname, /etc/hosts and /etc/resolv.conf
show in /proc/self/mountinfo with the container's full id in their source path; that holds
whatever `hostname:` the Compose service sets, unlike the hostname itself.
"""

from __future__ import annotations

import functools
import os
import re
import socket

_ID_IN_MOUNT = re.compile(r"/containers/([0-9a-f]{64})/(?:hostname|hosts|resolv\.conf)")
_SHORT_ID = re.compile(r"^[0-9a-f]{12}$")


@functools.cache
def own_container_id(mountinfo: str = "/proc/self/mountinfo") -> str | None:
    """The full id (or, failing that, the 12-character prefix) of the container we run in."""
    if not os.path.exists("/.dockerenv"):
        return None
    try:
        with open(mountinfo, encoding="utf-8", errors="replace") as f:
            match = _ID_IN_MOUNT.search(f.read())
    except OSError:
        match = None
    if match:
        return match.group(1)
    name = socket.gethostname()
    return name if _SHORT_ID.match(name) else None
