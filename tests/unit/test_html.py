"""doctor --format html: parsed back with html.parser; escaping, no external resource, no secret, both map forms."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser

import pytest

from mcp_dockernet import engine
from mcp_dockernet.model import ConfigFile, ServerEntry, Span
from mcp_dockernet.render import graph, html, map_dot
from tests.unit.rules.factory import box, probe, snapshot

URL = "http://localhost:8000/mcp?api_key=SeCrEt-77"
NAME = "<script>alert(1)</script>"


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self.text.append(data)


def _page(svg: bool) -> tuple[str, Page]:
    entry = ServerEntry(NAME, "c.json", "claude-code", "mcpServers", 1, URL, Span(0, 1), "streamable-http", True)
    config = ConfigFile("c.json", "claude-code", "{}", "x", (entry,), ())
    boxes = [box("srv", project="p", networks=("p_default",), publish={8000: 3000})]
    snap = snapshot(
        URL, boxes, probes=(probe(URL, False), probe("http://localhost:3000/mcp?api_key=SeCrEt-77")), config=config
    )
    report = engine.run(snap, debug=True)
    g = graph.build(report, snap)
    drawn = map_dot.to_svg(map_dot.render(g)) if svg else None
    if svg and drawn is None:
        pytest.skip("no Graphviz dot here; run scripts/lab-up")
    text = html.render(report, g, drawn)
    parsed = Page()
    parsed.feed(text)
    parsed.close()
    return text, parsed


@pytest.mark.parametrize("svg", [True, False], ids=["svg", "pre"])
def test_escaped_self_contained_and_no_secret(svg):
    text, page = _page(svg)
    tags = [t for t, _ in page.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    for _, attrs in page.tags:
        for name, value in attrs.items():
            assert name not in ("src", "href") and "http" not in (value or ""), (name, value)
    assert "@import" not in text and "url(" not in text and "<!DOCTYPE svg" not in text
    assert NAME in "".join(page.text)  # shown as text, not as markup
    assert "SeCrEt-77" not in text and "api_key=***" in text
    assert "wrong-port" in text and "error" in text and "fix" in text
    assert ("svg" in tags) is svg and ("pre" in tags) is not svg


def test_inline_svg_drops_prolog_comments_and_namespaces():
    raw = '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/x.dtd">\n'
    raw += '<!-- n0 --><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><g/></svg>'
    assert html.inline_svg(raw) == "<svg><g/></svg>"


def test_to_svg_is_none_without_graphviz(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _: None)
    assert map_dot.to_svg("digraph { a }") is None
