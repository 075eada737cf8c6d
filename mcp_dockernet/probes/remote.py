"""The probe run inside a helper container (or by docker exec) in a client's network namespace.

    python3 -m mcp_dockernet.probes.remote '{"targets": [[url, transport], ...], "timeout": 3, "environ": {...}}'

prints one JSON document (codec.PROTOCOL) on stdout. It imports only the probe layers, the model
and httpx with its pure-Python dependencies, so it runs from read-only mounts of them.
"""

from __future__ import annotations

import json
import sys

from mcp_dockernet.probes.codec import PROTOCOL, to_dict
from mcp_dockernet.probes.layers import probe_all


def main(argv: list[str]) -> int:
    request = json.loads(argv[0])
    targets = [(str(u), str(t)) for u, t in request["targets"]]
    results = probe_all(targets, float(request["timeout"]), environ=dict(request.get("environ") or {}))
    sys.stdout.write(json.dumps({"schema": PROTOCOL, "results": [to_dict(r) for r in results]}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
