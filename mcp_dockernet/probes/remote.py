"""The probe run inside a helper container (or by docker exec) in a client's network namespace.

    python3 -m mcp_dockernet.probes.remote '{"targets": [[url, transport], ...], "timeout": 3, "environ": {...}}'
    python3 -m mcp_dockernet.probes.remote @/tmp/request.json   (a request with headers: read, then removed)

A target may carry a third element, its headers as [[name, value], ...] (vantage.py never puts
those on a command line).

prints one JSON document (codec.PROTOCOL) on stdout. It imports only the probe layers, the model
and httpx with its pure-Python dependencies, so it runs from read-only mounts of them.
"""

from __future__ import annotations

import json
import os
import sys

from mcp_dockernet.model import ProbeTarget
from mcp_dockernet.probes.codec import PROTOCOL, to_dict
from mcp_dockernet.probes.layers import probe_all


def main(argv: list[str]) -> int:
    request = json.loads(_read(argv[0]))
    targets = [
        ProbeTarget(str(t[0]), str(t[1]), tuple((str(n), str(v)) for n, v in (t[2] if len(t) > 2 else ())))
        for t in request["targets"]
    ]
    results = probe_all(targets, float(request["timeout"]), environ=dict(request.get("environ") or {}))
    sys.stdout.write(json.dumps({"schema": PROTOCOL, "results": [to_dict(r) for r in results]}) + "\n")
    return 0


def _read(argument: str) -> str:
    if not argument.startswith("@"):
        return argument
    path = argument[1:]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        os.remove(path)  # it holds header values: gone before any probe goes out
    except OSError:
        pass  # not ours to remove (another user's /tmp): the container itself goes when we are done
    return text


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
