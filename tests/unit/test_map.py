"""map: the Graph built from a judged snapshot (the factory's), and each format's escaping and grammar."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

from mcp_dockernet import engine
from mcp_dockernet.render import graph, map_dot, map_json, map_mermaid, map_text
from mcp_dockernet.render.graph import Edge, Graph, Node
from tests.unit.rules.factory import box, client_in, probe, snapshot

URL = "http://localhost:8000/mcp?api_key=SeCrEt-77"
MOVED = "http://localhost:3000/mcp?api_key=SeCrEt-77"


def _graph(url: str = URL, boxes=None, everything: bool = False, **kw) -> Graph:  # type: ignore[no-untyped-def]
    boxes = (
        boxes
        if boxes is not None
        else [box("srv", project="p", service="web", networks=("p_default",), publish={8000: 3000})]
    )
    snap = snapshot(url, boxes, **kw)
    return graph.build(engine.run(snap, debug=True), snap, everything=everything)


def test_a_moved_port_leads_nowhere_with_the_fix_beside_it():
    g = _graph(probes=(probe(URL, False), probe(MOVED)))
    (entry,) = [e for e in g.edges if e.kind == "entry"]
    assert (entry.source, entry.verdict, entry.codes) == ("host", "error", ("wrong-port",))
    assert g.node(entry.target) is not None and g.node(entry.target).kind == "nowhere"  # type: ignore[union-attr]
    (fix,) = [e for e in g.edges if e.kind == "suggested"]
    assert fix.target == "container:srv" and fix.url == "http://localhost:3000/mcp?api_key=***"
    srv = g.node("container:srv")
    assert srv is not None and srv.parent == "project:p" and "0.0.0.0:3000 -> 8000/tcp" in srv.details
    assert g.node("network:p_default") is not None and g.node("network:p_default").parent == "project:p"  # type: ignore[union-attr]


def test_from_a_container_by_name_and_only_what_is_touched():
    agent = box("agent", project="p", networks=("p_default",))
    boxes = [agent, box("srv", project="p", service="srv", networks=("p_default",), expose=(8000,)), box("other")]
    g = _graph("http://srv:8000/mcp", boxes, client=client_in(agent))
    (entry,) = [e for e in g.edges if e.kind == "entry"]
    assert (entry.source, entry.target) == ("container:agent", "container:srv")
    assert g.node("container:other") is None
    assert _graph("http://srv:8000/mcp", boxes, client=client_in(agent), everything=True).node("container:other")


def test_a_stdio_entry_is_a_note():
    from tests.unit.rules.factory import stdio_entry, stdio_snapshot

    snap = stdio_snapshot(stdio_entry("npx", ("-y", "pkg")))
    g = graph.build(engine.run(snap, debug=True), snap)
    assert not [e for e in g.edges if e.kind == "entry"] and "stdio" in g.notes[0]


EVIL = 'x"]; click n0 "javascript:alert(1)" <script>|\\\n#'
HOSTILE = Graph(
    (
        Node("host", "host", "host"),
        Node("listener:a", "listener", EVIL, "host"),
        Node("project:p", "project", EVIL),
        Node("container:c", "container", EVIL, "project:p", ("running", "0.0.0.0:1 -> 2/tcp")),
        Node("network:n", "network", EVIL),
    ),
    (
        Edge("host", "container:c", "entry", EVIL, EVIL, "error", ("wrong-port",), "http://x/" + EVIL),
        Edge("host", "listener:a", "suggested", EVIL, EVIL, url="http://y/"),
        Edge("container:c", "network:n", "network", EVIL),
    ),
)

# The Mermaid constructs the renderer uses (map_mermaid's docstring), as a grammar: a line matches one of them.
ID, STR = r"n\d+", r'"[A-Za-z0-9 .,:/_()@+=?#;-]*"'
MERMAID_LINE = re.compile(
    rf"flowchart LR|subgraph {ID}\[{STR}\]|end|{ID}\[{STR}\]|{ID} (-->|-\.->)\|{STR}\| {ID}|{ID} --- {ID}"
    rf"|linkStyle \d+ stroke:[a-z]+"
)


def test_mermaid_lines_keep_to_the_grammar_and_escape_every_label():
    text = map_mermaid.render(HOSTILE)
    for line in text.splitlines():
        assert MERMAID_LINE.fullmatch(line.strip()), line
    assert "<" not in text and "#60;script#62;" in text and "#34;" in text  # no HTML, no quote that ends a label
    opened = sum(1 for x in text.splitlines() if x.strip().startswith("subgraph"))
    assert opened == sum(1 for x in text.splitlines() if x.strip() == "end")


def test_dot_strings_cannot_be_closed():
    text = map_dot.render(HOSTILE)
    for line in text.splitlines():
        unescaped = re.sub(r"\\.", "", line)
        assert unescaped.count('"') % 2 == 0, line
    if shutil.which("dot"):
        done = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, timeout=30)
        assert done.returncode == 0 and "<svg" in done.stdout, done.stderr
        assert "<script>" not in done.stdout  # Graphviz writes labels as XML text


def test_text_has_no_control_characters_and_json_round_trips():
    text = map_text.render(HOSTILE)
    assert "\n#" not in text and all(ch.isprintable() for line in text.splitlines() for ch in line)
    doc = json.loads(map_json.dumps(HOSTILE))
    assert doc["schema"] == "mcp-dockernet/map/v1" and doc["nodes"][1]["label"] == EVIL


def test_no_format_shows_the_secret():
    g = _graph(probes=(probe(URL, False), probe(MOVED)))
    for render in (map_text.render, map_mermaid.render, map_dot.render, map_json.dumps):
        out = render(g)
        assert "SeCrEt-77" not in out and "api_key" in out


def test_several_that_fit_are_candidates_and_none_is_the_fix():
    boxes = [box("a", publish={8000: 3000}), box("b", publish={8000: 3001})]
    g = _graph(boxes=boxes)
    assert not [e for e in g.edges if e.kind == "suggested"]
    assert sorted(e.target for e in g.edges if e.kind == "candidate") == ["container:a", "container:b"]
    assert "candidate (several fit; none is written): http://localhost:3000/mcp?api_key=***" in map_text.render(g)
