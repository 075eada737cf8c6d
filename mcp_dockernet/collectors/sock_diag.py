"""Listening TCP sockets of other network namespaces by netlink sock_diag, when we may enter them.

Why not only /proc/<pid>/net/tcp: the kernel makes each read of it walk the whole established
hash table, which all namespaces share (net/ipv4/tcp_ipv4.c, established_get_first). With 262144
buckets (a 24 GB machine) that is about 8 ms per file, 16 ms per container for tcp and tcp6. A
sock_diag dump asking for LISTEN only walks the listening table and skips the established one
(net/ipv4/inet_diag.c, inet_diag_dump_icsk): well under a millisecond. The netlink socket has to
be made inside the namespace: setns(2) into /proc/<pid>/ns/net needs CAP_SYS_ADMIN (root on the
host), so anyone else gets PermissionError and the caller reads /proc instead.

setns moves only the calling thread, so all of it runs in a thread of its own that goes back to
its first namespace before it ends; the rest of the process never leaves its namespace.
"""

from __future__ import annotations

import ctypes
import ipaddress
import os
import socket
import struct
import threading
from collections.abc import Iterable
from pathlib import Path

NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20  # linux/sock_diag.h
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
CLONE_NEWNET = 0x40000000
TCP_LISTEN = 10  # include/net/tcp_states.h
_HEADER = struct.Struct("=IHHII")  # struct nlmsghdr
_REQUEST = struct.Struct("=BBBBI48x")  # struct inet_diag_req_v2, an empty inet_diag_sockid
_MESSAGE = struct.Struct("=BBBB2s2s16s16s")  # struct inet_diag_msg up to id.idiag_dst

Pair = tuple[str, int]  # (address, port)


def listening(pids: Iterable[tuple[str, int]], proc: Path = Path("/proc")) -> dict[str, tuple[Pair, ...]]:
    """key -> (address, port) of each LISTEN socket in the namespace of that key's pid.

    Raises PermissionError when namespaces cannot be entered at all; keys whose namespace could
    not be read (the process exited) are left out.
    """
    todo = list(pids)
    result: dict[str, tuple[Pair, ...]] = {}
    failure: list[BaseException] = []

    def work() -> None:
        try:
            _in_namespaces(todo, proc, result)
        except BaseException as e:  # handed to the caller's thread
            failure.append(e)

    worker = threading.Thread(target=work, name="sock-diag", daemon=True)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return result


def _in_namespaces(todo: list[tuple[str, int]], proc: Path, result: dict[str, tuple[Pair, ...]]) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if not hasattr(libc, "setns"):
        raise OSError("no setns(2) in this C library")
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
    try:
        for key, pid in todo:
            try:  # opening it needs ptrace read access (namespaces(7)): PermissionError goes up
                fd = os.open(proc / str(pid) / "ns" / "net", os.O_RDONLY | os.O_CLOEXEC)
            except (FileNotFoundError, ProcessLookupError):
                continue  # exited since it was found; the caller tries /proc for it
            try:
                _enter(libc, fd)
                result[key] = _dump(socket.AF_INET) + _dump(socket.AF_INET6)
            finally:
                os.close(fd)
    finally:
        try:
            _enter(libc, home)
        finally:
            os.close(home)


def _enter(libc: ctypes.CDLL, fd: int) -> None:
    if libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise PermissionError(err, os.strerror(err)) if err == 1 else OSError(err, os.strerror(err))


def _dump(family: int) -> tuple[Pair, ...]:
    """One dump request for LISTEN sockets of ``family``; the namespace is this thread's."""
    request = _REQUEST.pack(family, socket.IPPROTO_TCP, 0, 0, 1 << TCP_LISTEN)
    header = _HEADER.pack(_HEADER.size + len(request), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0)
    found: list[Pair] = []
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, NETLINK_SOCK_DIAG) as s:
        s.settimeout(2.0)
        s.sendto(header + request, (0, 0))
        while True:
            data = s.recv(65536)
            offset = 0
            while offset + _HEADER.size <= len(data):
                length, kind, _, _, _ = _HEADER.unpack_from(data, offset)
                # NLMSG_ERROR: e.g. no IPv6 in this kernel, so no sockets of that family
                if kind in (NLMSG_DONE, NLMSG_ERROR) or length < _HEADER.size + _MESSAGE.size:
                    return tuple(found)
                fam, state, _, _, sport, _, src, _ = _MESSAGE.unpack_from(data, offset + _HEADER.size)
                if state == TCP_LISTEN:
                    found.append((_address(fam, src), int.from_bytes(sport, "big")))
                offset += (length + 3) & ~3  # NLMSG_ALIGN


def _address(family: int, raw: bytes) -> str:
    if family == socket.AF_INET:
        return str(ipaddress.IPv4Address(raw[:4]))
    address = ipaddress.IPv6Address(raw)
    return str(address.ipv4_mapped or address)
