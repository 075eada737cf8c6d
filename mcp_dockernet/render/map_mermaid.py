"""The map as a Mermaid flowchart (``map --format mermaid``), to paste in a GitHub issue as a ```mermaid block.

Constructs used, and only these: ``flowchart LR``; ``subgraph ID["label"]`` ... ``end``; nodes
``ID["label"]``; links ``A -->|"label"| B`` (an entry), ``A -.->|"label"| B`` (a suggested fix or a candidate),
``A --- B`` (on a network); ``linkStyle N stroke:COLOUR``. Ids are generated (n0, n1, ...); every
label is quoted and each character outside a small safe set is written as a Mermaid entity code
(``#60;`` for ``<``), so no name or URL can close a quote, open a link or inject HTML.
"""

from __future__ import annotations

import re

from mcp_dockernet.render.graph import Graph, Node

SAFE = re.compile(r"[A-Za-z0-9 .,:/_()@+=?-]")
COLOUR = {"ok": "green", "warning": "orange", "error": "red"}


def label(text: str) -> str:
    return '"' + "".join(ch if SAFE.fullmatch(ch) else f"#{ord(ch)};" for ch in text) + '"'


def render(graph: Graph) -> str:
    ids = {n.id: f"n{i}" for i, n in enumerate(graph.nodes)}
    lines = ["flowchart LR"]

    def draw(node: Node, indent: str) -> None:
        kids = graph.children(node.id)
        text = " / ".join([node.label, *node.details])
        if kids:
            lines.append(f"{indent}subgraph {ids[node.id]}[{label(text)}]")
            for k in kids:
                draw(k, indent + "  ")
            lines.append(f"{indent}end")
        else:
            lines.append(f"{indent}{ids[node.id]}[{label(text)}]")

    for top in graph.children(None):
        draw(top, "  ")
    styles: list[str] = []
    for i, e in enumerate(graph.edges):
        a, b = ids[e.source], ids[e.target]
        if e.kind == "network":
            lines.append(f"  {a} --- {b}")
        elif e.kind in ("suggested", "candidate"):
            lines.append(f"  {a} -.->|{label(e.label)}| {b}")
            styles.append(f"  linkStyle {i} stroke:{'blue' if e.kind == 'suggested' else 'gray'}")
        else:
            lines.append(f"  {a} -->|{label(e.label + ' ' + e.url)}| {b}")
            if e.verdict in COLOUR:
                styles.append(f"  linkStyle {i} stroke:{COLOUR[e.verdict]}")
    return "\n".join(lines + styles) + "\n"
