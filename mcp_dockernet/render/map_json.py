"""The map as JSON (``map --format json``): the document ``mcp-dockernet/map/v1``.

{"schema": "mcp-dockernet/map/v1",
 "nodes": [{"id", "kind", "label", "parent" (an id or null), "details": [str]}],
 "edges": [{"source", "target", "kind", "label", "entry", "verdict", "codes": [str], "url"}],
 "notes": [str]}

Node kinds: host, listener (a socket of a host process), project (a Compose project), container,
service (a Compose service with no container), network, nowhere (a name or port that leads nowhere),
external (a host outside Docker). Edge kinds: entry (an MCP entry's URL as written, from its client to
where it leads; verdict and codes as doctor's), suggested (the route of the entry's fix), candidate (one of
several servers that fit equally, so no fix is written), network (a
container attached to a network; label: its address there). URLs are redacted.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from mcp_dockernet.render.graph import Graph

SCHEMA = "mcp-dockernet/map/v1"


def to_dict(graph: Graph) -> dict[str, object]:
    return {
        "schema": SCHEMA,
        "nodes": [asdict(n) for n in graph.nodes],
        "edges": [asdict(e) for e in graph.edges],
        "notes": list(graph.notes),
    }


def dumps(graph: Graph) -> str:
    return json.dumps(to_dict(graph), indent=2) + "\n"
