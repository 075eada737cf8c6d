"""The map in Graphviz DOT (``map --format dot``; ``dot -Tsvg`` draws it).

Projects and the host are clusters; every id and label is a quoted DOT string with backslash and
double quote escaped and line breaks as ``\\n``, so no name or URL can end the string.
"""

from __future__ import annotations

from mcp_dockernet.render.graph import Graph, Node

COLOUR = {"ok": "darkgreen", "warning": "orange", "error": "red", "skipped": "gray"}
SHAPE = {"listener": "box", "container": "box3d", "service": "box", "network": "ellipse", "nowhere": "octagon"}


def quote(text: str) -> str:
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    return '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(graph: Graph) -> str:
    ids = {n.id: f"n{i}" for i, n in enumerate(graph.nodes)}
    lines = [
        "digraph mcp_dockernet {",
        "  rankdir=LR;",
        '  graph [fontname="sans-serif"];',
        '  node [fontname="sans-serif"];',
    ]
    lines.append('  edge [fontname="sans-serif", fontsize=11];')

    def draw(node: Node, indent: str) -> None:
        kids = graph.children(node.id)
        text = "\\n".join(quote(x)[1:-1] for x in (node.label, *node.details))
        if kids:
            lines.append(f"{indent}subgraph cluster_{ids[node.id]} {{")
            lines.append(f'{indent}  label="{text}";')
            lines.append(f'{indent}  {ids[node.id]} [label="{text}", shape=point, style=invis];')
            for k in kids:
                draw(k, indent + "  ")
            lines.append(f"{indent}}}")
        else:
            lines.append(f'{indent}{ids[node.id]} [label="{text}", shape={SHAPE.get(node.kind, "box")}];')

    for top in graph.children(None):
        draw(top, "  ")
    for e in graph.edges:
        a, b = ids[e.source], ids[e.target]
        if e.kind == "network":
            lines.append(f"  {a} -> {b} [dir=none, style=dotted, label={quote(e.label)}];")
        elif e.kind in ("suggested", "candidate"):
            colour = "blue" if e.kind == "suggested" else "gray40"
            lines.append(f"  {a} -> {b} [style=dashed, color={colour}, label={quote(e.label)}];")
        else:
            colour = COLOUR.get(e.verdict, "black")
            lines.append(f"  {a} -> {b} [color={colour}, penwidth=2, label={quote(e.label + chr(10) + e.url)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_svg(dot: str, timeout: float = 30) -> str | None:
    """The map drawn by Graphviz (``dot -Tsvg``); None when it is not installed or fails (the caller falls back)."""
    import shutil
    import subprocess

    exe = shutil.which("dot")
    if exe is None:
        return None
    try:
        done = subprocess.run([exe, "-Tsvg"], input=dot, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 and "<svg" in done.stdout else None
