"""A read-only Docker socket proxy: GET (and HEAD) on the endpoints mcp-dockernet reads, nothing else.

Listens on TCP (LISTEN, default 0.0.0.0:2375) inside its own Compose network and forwards each
allowed request to the engine's unix socket (DOCKER_SOCKET, default /var/run/docker.sock).

One request per connection: after the request head is checked, only the engine's answer flows
back; nothing more the client sends is forwarded, so a second request on a kept-alive connection
can never slip past the check (and no request body, hijack or upgrade gets through). Streams
(/events) are passed through as they come. Everything else gets 403.
"""

from __future__ import annotations

import os
import re
import socket
import sys
import threading

# The read endpoints of mcp-dockernet (see the README "Socket access"), with an optional /vX.Y prefix.
ALLOWED = re.compile(
    r"^(?:/v[0-9]+\.[0-9]+)?/(?:"
    r"_ping|version|info|events"  # liveness, API version negotiation, engine flavour, the event stream
    r"|containers/json"  # the one list call
    r"|containers/[A-Za-z0-9][A-Za-z0-9_.-]*/json"  # inspect: ports of stopped containers, extra_hosts, mounts
    r"|containers/[A-Za-z0-9][A-Za-z0-9_.-]*/logs"  # last log lines of a stopped server (why it stopped)
    r"|images/json"  # is an mcp-dockernet image present (for helper probes; never pulled)
    r")(?:\?[^ ]*)?$"
)
MAX_HEAD = 64 * 1024


def read_head(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk or len(data) > MAX_HEAD:
            return None
        data += chunk
    return data


def deny(conn: socket.socket, why: str) -> None:
    body = f'{{"message": "socket-proxy: {why}"}}\n'.encode()
    conn.sendall(
        b"HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nConnection: close\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


def handle(conn: socket.socket, engine_socket: str) -> None:
    with conn:
        head = read_head(conn)
        if head is None:
            return
        request_line, _, rest = head.partition(b"\r\n")
        parts = request_line.decode("latin-1").split(" ")
        if len(parts) != 3 or parts[0] not in ("GET", "HEAD") or not ALLOWED.match(parts[1]):
            log(f"denied {request_line.decode('latin-1')[:200]}")
            deny(conn, "only read endpoints are allowed")
            return
        headers = [h for h in rest.split(b"\r\n\r\n", 1)[0].split(b"\r\n") if h]
        kept = [h for h in headers if h.split(b":", 1)[0].strip().lower() not in (b"connection", b"upgrade")]
        forwarded = b"\r\n".join([request_line, *kept, b"Connection: close", b"", b""])
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as engine:
            engine.connect(engine_socket)
            engine.sendall(forwarded)
            while chunk := engine.recv(65536):
                conn.sendall(chunk)


def log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def main() -> None:
    host, _, port = os.environ.get("LISTEN", "0.0.0.0:2375").rpartition(":")
    engine_socket = os.environ.get("DOCKER_SOCKET", "/var/run/docker.sock")
    server = socket.create_server((host, int(port)), reuse_port=False)
    log(f"socket-proxy: read-only proxy of {engine_socket} on {host}:{port}")
    while True:
        conn, _ = server.accept()
        threading.Thread(target=_safe, args=(conn, engine_socket), daemon=True).start()


def _safe(conn: socket.socket, engine_socket: str) -> None:
    try:
        handle(conn, engine_socket)
    except OSError as e:  # a client or the engine hung up: only this connection ends
        log(f"connection ended: {e}")


if __name__ == "__main__":
    main()
