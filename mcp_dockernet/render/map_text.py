"""The map as a tree for a terminal (``map --format text``, the default): the groups, then every route."""

from __future__ import annotations

from mcp_dockernet.render.graph import Edge, Graph, Node

KINDS = {"suggested": "suggested", "candidate": "candidate (several fit; none is written)"}
MARK = {"ok": "✓", "warning": "!", "error": "✗", "skipped": "-"}


def clean(text: str) -> str:
    """No control characters from a name or a URL reach the terminal (they could move the cursor, recolour)."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def render(graph: Graph) -> str:
    lines: list[str] = []
    for top in graph.children(None):
        lines.append(clean(top.label))
        _tree(graph, top, "", lines)
    routes = [e for e in graph.edges if e.kind == "entry"]
    if routes:
        lines.append("routes")
    for e in routes:
        lines.append(f"{MARK.get(e.verdict, '?')} {clean(e.label)}")
        lines.append(f"    {_name(graph, e.source)} -> {_name(graph, e.target)}  {clean(e.url)}")
        for s in (x for x in graph.edges if x.kind in KINDS and x.entry == e.entry and x.source == e.source):
            lines.append(f"    {KINDS[s.kind]}: {clean(s.url)} -> {_name(graph, s.target)}")
    lines.extend(clean(n) for n in graph.notes)
    return "\n".join(lines) + "\n"


def _name(graph: Graph, key: str) -> str:
    node = graph.node(key)
    return clean(node.label if node is not None else key)


def _tree(graph: Graph, node: Node, indent: str, lines: list[str]) -> None:
    items: list[tuple[str, Node | None]] = []
    if node.kind == "container" and node.details:  # its state, then its published ports
        items.append((node.details[0], None))
        items += [(f"publishes {d}", None) for d in node.details[1:]]
    items += [(f"on {_name(graph, e.target)} ({e.label})", None) for e in _networks(graph, node)]
    items += [(c.label, c) for c in graph.children(node.id)]
    for i, (text, child) in enumerate(items):
        last = i == len(items) - 1
        lines.append(f"{indent}{'└── ' if last else '├── '}{clean(text)}")
        if child is not None:
            _tree(graph, child, indent + ("    " if last else "│   "), lines)


def _networks(graph: Graph, node: Node) -> list[Edge]:
    return [e for e in graph.edges if e.kind == "network" and e.source == node.id]
