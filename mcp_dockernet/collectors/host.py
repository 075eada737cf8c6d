"""Which processes listen on which TCP address and port on this host (psutil)."""

from __future__ import annotations

from typing import Any, Protocol

from mcp_dockernet.model import HostState, Listener, Unavailable


class ProcessSource(Protocol):
    """The part of the psutil module we use, so tests can pass a fake."""

    def net_connections(self, kind: str = ...) -> list[Any]: ...
    def Process(self, pid: int) -> Any: ...  # noqa: N802 - psutil's name

    AccessDenied: type[Exception]
    Error: type[Exception]


def collect_host(ps: ProcessSource) -> HostState | Unavailable:
    try:
        connections = ps.net_connections(kind="tcp")
    except ps.AccessDenied:
        return Unavailable("not allowed to list this host's sockets (run as root to see every listener)")
    names: dict[int, str | None] = {}
    listeners = []
    for conn in connections:
        if conn.status != "LISTEN" or not conn.laddr:
            continue
        pid = conn.pid
        if pid is not None and pid not in names:
            try:
                names[pid] = ps.Process(pid).name()
            except ps.Error:
                names[pid] = None
        listeners.append(Listener(conn.laddr.ip, conn.laddr.port, pid, names.get(pid) if pid else None))
    unique = {(listener.ip, listener.port): listener for listener in listeners}
    return HostState(tuple(sorted(unique.values(), key=lambda x: (x.port, x.ip))))
