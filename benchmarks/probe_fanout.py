"""Fan-out of 100 probes, a third of them black-holed: total time as a multiple of the timeout.

    sudo .venv/bin/python benchmarks/probe_fanout.py [--timeout 2]

Two thirds of the URLs go to small HTTP servers on loopback (they answer 404, not MCP); a third
go to loopback ports whose SYNs an iptables DROP rule swallows (a comment marks the rules, and
they are removed at the end, also on error). Needs root and iptables. Not a test: it prints.
"""

from __future__ import annotations

import argparse
import http.server
import socket
import subprocess
import threading
import time

from mcp_dockernet.probes.vantage import probe_all

COMMENT = "mcp-dockernet-benchmark"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(port: int) -> http.server.ThreadingHTTPServer:
    class Quiet(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def iptables(action: str, port: int) -> None:
    rule = ["INPUT", "-i", "lo", "-p", "tcp", "--dport", str(port), "--syn", "-j", "DROP"]
    rule += ["-m", "comment", "--comment", COMMENT]
    subprocess.run(["iptables", action, *rule], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--urls", type=int, default=100)
    args = parser.parse_args()
    dropped = [free_port() for _ in range(args.urls // 3)]
    servers = [serve(free_port()) for _ in range(4)]
    answering = [s.server_address[1] for s in servers]
    targets = [(f"http://127.0.0.1:{p}/mcp", "streamable-http") for p in dropped]
    targets += [
        (f"http://127.0.0.1:{answering[i % 4]}/mcp{i}", "streamable-http") for i in range(args.urls - len(dropped))
    ]
    added = []
    try:
        for port in dropped:
            iptables("-A", port)
            added.append(port)
        start = time.monotonic()
        results = probe_all(targets, args.timeout)
        total = time.monotonic() - start
    finally:
        for port in added:
            iptables("-D", port)
        for s in servers:
            s.shutdown()
    outcomes: dict[str, int] = {}
    for r in results:
        outcomes[r.outcome.value] = outcomes.get(r.outcome.value, 0) + 1
    print(f"{len(targets)} URLs, {len(dropped)} black-holed, timeout {args.timeout:g}s: {outcomes}")
    print(f"total {total:.2f}s = {total / args.timeout:.2f} x the per-probe timeout")


if __name__ == "__main__":
    main()
