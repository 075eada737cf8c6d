"""What a container's processes listen on, and on which address, with no tools in the container.

The kernel's /proc/<pid>/net/tcp and tcp6 list the sockets of the network namespace ``pid`` is
in (proc_net(5)). Read from the host when the engine is local and we may (root, no hidepid);
else through the engine: ``docker exec cat``, then a helper container of an image we already
have that joins the namespace (docker-networking.md section 4.2). Only the containers that matter
are inspected, so a host with a hundred containers costs a handful of calls, not a hundred.
"""

from __future__ import annotations

import ipaddress
import logging
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mcp_dockernet.model import Container, Listener, Snapshot, Unavailable
from mcp_dockernet.resolve import is_loopback, parse_url, publishers

log = logging.getLogger(__name__)
LISTEN = "0A"  # include/net/tcp_states.h TCP_LISTEN
MAX_CONTAINERS = 20  # bound the per-container calls of one run


def parse_proc_net_tcp(text: str, *, little_endian: bool = sys.byteorder == "little") -> tuple[Listener, ...]:
    """Listening sockets of /proc/net/tcp and tcp6 text (both may be concatenated)."""
    found: dict[tuple[str, int], Listener] = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 4 or fields[3] != LISTEN or ":" not in fields[1]:
            continue
        address, _, port_hex = fields[1].partition(":")
        try:
            ip = _decode(address, little_endian)
            port = int(port_hex, 16)
        except ValueError:
            continue
        found.setdefault((ip, port), Listener(ip, port, None, None))
    return tuple(sorted(found.values(), key=lambda x: (x.port, x.ip)))


def _decode(hex_address: str, little_endian: bool) -> str:
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return str(ipaddress.IPv4Address(raw[::-1] if little_endian else raw))
    if len(raw) == 16:  # four 32-bit words, each in host byte order
        words = b"".join(raw[i : i + 4][::-1] if little_endian else raw[i : i + 4] for i in range(0, 16, 4))
        address = ipaddress.IPv6Address(words)
        return str(address.ipv4_mapped or address)
    raise ValueError(hex_address)


def container_listeners(
    api: Any, container_id: str, *, proc: Path = Path("/proc")
) -> tuple[Listener, ...] | Unavailable:
    try:
        attrs = api.inspect_container(container_id)
    except Exception as e:
        return Unavailable(f"cannot inspect {container_id[:12]}: {e}")
    pid = (attrs.get("State") or {}).get("Pid") or 0
    if not pid:
        return Unavailable(f"{attrs.get('Name', container_id).lstrip('/')} is not running")
    if _local_engine():
        try:
            text = "".join((proc / str(pid) / "net" / name).read_text() for name in ("tcp", "tcp6"))
            return parse_proc_net_tcp(text)
        except OSError as e:
            log.debug("cannot read /proc/%s/net of %s: %s", pid, container_id[:12], e)
    return _through_engine(api, attrs)


def _through_engine(api: Any, attrs: dict[str, Any]) -> tuple[Listener, ...] | Unavailable:
    command = ["cat", "/proc/net/tcp", "/proc/net/tcp6"]
    # Neither way wakes `watch`: it ignores exec_* events, and the helper carries HELPER_LABEL.
    try:
        created = api.exec_create(attrs["Id"], command, stdout=True, stderr=False)
        out = api.exec_start(created["Id"])
        if api.exec_inspect(created["Id"]).get("ExitCode") == 0:
            return parse_proc_net_tcp(bytes(out).decode("ascii", "replace"))
    except Exception as e:
        log.debug("docker exec cat in %s failed: %s", attrs["Id"][:12], e)
    from mcp_dockernet.probes.vantage import own_image, run_helper  # the helper machinery lives with the probes

    for image in filter(None, (own_image(api), (attrs.get("Config") or {}).get("Image"))):
        try:
            return parse_proc_net_tcp(
                run_helper(api, image, attrs["Id"], command, 30, purpose="listeners").decode("ascii", "replace")
            )
        except Exception as e:
            log.debug("helper %s could not read the sockets: %s", image, e)
    return Unavailable("no way to read its sockets: no cat in it and no local image that has one")


def _local_engine() -> bool:
    from mcp_dockernet.probes.vantage import engine_is_local

    return engine_is_local()


def containers_that_matter(snap: Snapshot) -> tuple[Container, ...]:
    """Running containers an entry's URL leads to: the publisher of a local URL's port, or the one it names."""
    chosen: dict[str, Container] = {}
    for entry in snap.entries:
        parts = parse_url(entry.effective_url or "")
        if parts is None:
            continue
        if is_loopback(parts.host):
            for c in publishers(snap, parts.port):
                chosen.setdefault(c.id, c)
        for c in snap.containers:
            names = {c.name, c.compose_service, *(a for n in c.networks for a in (*n.aliases, n.ip))}
            if c.running and parts.host in names:
                chosen.setdefault(c.id, c)
    return tuple(chosen.values())[:MAX_CONTAINERS]


def collect_listeners(api: Any, containers: Iterable[Container]) -> tuple[tuple[str, tuple[Listener, ...]], ...]:
    """(container id, listeners) for each container whose sockets could be read; the others are left out."""
    found = []
    for c in containers:
        result = container_listeners(api, c.id)
        if isinstance(result, Unavailable):
            log.debug("listeners of %s: %s", c.name, result.reason)
            continue
        found.append((c.id, result))
    return tuple(found)
