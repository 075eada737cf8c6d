"""``doctor --format html``: one self-contained page to attach to a bug report.

No CDN, no remote font, no script: the CSS is inline, and so is the map, as the SVG Graphviz drew
(render/map_dot.py's ``to_svg``) or, where Graphviz is not installed, the text tree in a <pre>.
Every value is HTML-escaped; URLs and command lines are redacted as in doctor's JSON.
"""

from __future__ import annotations

import re
from html import escape

from mcp_dockernet.model import Snapshot
from mcp_dockernet.redact import redact_argv, redact_url
from mcp_dockernet.render import graph, map_dot, map_text
from mcp_dockernet.render.graph import Graph
from mcp_dockernet.report import Report, ServerReport
from mcp_dockernet.rules import explain

CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: .35em .5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
code, pre { font-family: ui-monospace, monospace; font-size: 13px; }
pre { background: #f7f7f7; padding: .8em; overflow-x: auto; }
.ok { color: #137333; font-weight: bold; } .warning { color: #b06000; font-weight: bold; }
.error { color: #c5221f; font-weight: bold; } .skipped { color: #666; }
.map svg { max-width: 100%; height: auto; }
"""


# The sidecar's page (watch --listen, /): every few seconds it asks /page for this same body and swaps it in
# when it changed, so the page follows the engine without a reload. The only script; it loads nothing else.
LIVE = """<script>
(function () {
  var last = null;
  function tick() {
    fetch("/page", {cache: "no-store"}).then(function (r) { return r.ok ? r.text() : null; }).then(function (t) {
      if (t !== null && t !== last) {
        last = t;
        var doc = new DOMParser().parseFromString(t, "text/html");
        document.getElementById("page").replaceWith(document.adoptNode(doc.getElementById("page")));
      }
    }).catch(function () {}).finally(function () { setTimeout(tick, 2000); });
  }
  setTimeout(tick, 2000);
})();
</script>"""


def render(report: Report, graph: Graph, svg: str | None, *, facts: tuple[str, ...] = (), live: bool = False) -> str:
    """The page; ``facts`` are lines shown under the title (the sidecar's last check), ``live`` adds LIVE."""
    return document(body(report, graph, svg, facts), live=live)


def document(page: str, *, live: bool = False) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>mcp-dockernet doctor</title>\n"
        f"<style>{CSS}</style>\n{LIVE if live else ''}\n</head>\n<body>\n{page}\n</body>\n</html>\n"
    )


PENDING = '<div id="page"><h1>mcp-dockernet doctor</h1><p>no check has finished yet</p></div>'


def drawn(report: Report, snap: Snapshot) -> tuple[Graph, str | None]:
    """The map of a report and, where Graphviz is installed, its SVG."""
    g = graph.build(report, snap)
    return g, map_dot.to_svg(map_dot.render(g))


def body(report: Report, graph: Graph, svg: str | None, facts: tuple[str, ...] = ()) -> str:
    """The part of the page that changes: one element, id "page"."""
    rows = "\n".join(_row(s) for s in report.servers)
    drawn = f'<div class="map">{inline_svg(svg)}</div>' if svg else f"<pre>{escape(map_text.render(graph))}</pre>"
    said = "".join(f"<p>{escape(f)}</p>" for f in facts)
    return (
        f'<div id="page">\n<h1>mcp-dockernet doctor</h1>\n{said}'
        f"<p>{len(report.servers)} entries from {escape(', '.join(report.configs))}</p>\n"
        "<table>\n<tr><th>entry</th><th>client</th><th>route</th><th>verdict</th><th>findings and fixes</th></tr>\n"
        f"{rows}\n</table>\n<h2>map</h2>\n{drawn}\n</div>"
    )


def _row(s: ServerReport) -> str:
    e = s.entry
    if e.url is not None:
        route = f"<code>{escape(redact_url(e.effective_url or e.url))}</code> &rarr; {escape(s.target)}"
    elif e.stdio is not None:
        route = f"stdio: <code>{escape(' '.join(redact_argv(e.stdio.command, e.stdio.raw_args)))}</code>"
    else:
        route = "stdio"
    if s.suggested_url:
        route += f"<br>suggested: <code>{escape(redact_url(s.suggested_url))}</code>"
    found = "".join(
        f"<p><b>{escape(f.code)}</b>: {escape(_title(f.code))}<br>{escape(f.message)}<br><i>fix</i>: {escape(f.fix)}</p>"
        for f in s.findings
    )
    found += "".join(f"<p>{escape(n)}</p>" for n in s.notes)
    where = f"{escape(e.config)}:{e.line}"
    client = escape(s.client) + (f"<br><small>{escape(s.client_reason)}</small>" if s.client_reason else "")
    return (
        f"<tr><td><b>{escape(e.name)}</b><br><small>{where}</small></td><td>{client}</td><td>{route}</td>"
        f'<td class="{escape(s.status)}">{escape(s.status)}</td><td>{found}</td></tr>'
    )


def _title(code: str) -> str:
    doc = explain(code) or ""
    return doc.splitlines()[0] if doc else ""


def inline_svg(svg: str) -> str:
    """Graphviz's SVG as an element of the page: no XML prolog, DOCTYPE (a remote DTD) or namespace URLs."""
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else ""
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    return re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", body)
