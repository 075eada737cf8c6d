"""Short texts for clients that show a tool's text content, made from the structured documents.

They say only what the documents say (whose URLs, commands and env values are already masked),
and are bounded: at most MAX_SERVERS servers and MAX_DIFF_LINES lines of diff, then a count.
"""

from __future__ import annotations

from typing import Any

MAX_SERVERS = 40
MAX_DIFF_LINES = 200
MARKS = {"ok": "✓", "warning": "!", "error": "✗", "skipped": "-"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def doctor(doc: dict[str, Any]) -> str:
    servers = doc.get("servers", [])
    counts = doc.get("summary", {})
    tally = ", ".join(f"{counts[k]} {k}" for k in ("error", "warning", "ok", "skipped") if counts.get(k))
    head = f"mcp-dockernet doctor: {_plural(len(servers), 'server')} in {_plural(len(doc.get('configs', [])), 'config file')}"
    lines = [head + (f": {tally}" if tally else "")]
    engine = doc.get("engine") or {}
    if engine.get("problem"):
        lines.append(f"engine: {engine['problem']}")
    for server in servers[:MAX_SERVERS]:
        lines += _server(server)
    if len(servers) > MAX_SERVERS:
        lines.append(f"... and {len(servers) - MAX_SERVERS} more (see the structured content)")
    if any(s.get("suggestion_writable") for s in servers):
        lines.append("to apply the writable fixes: call fix with write: true (without it, fix shows the diff)")
    return "\n".join(lines)


def _server(s: dict[str, Any]) -> list[str]:
    where = s.get("url") or " ".join(s.get("command") or []) or "(no URL or command)"
    lines = [f"{MARKS.get(s['status'], '?')} {s['name']} ({s['config']}:{s['line']}) {where}: {s['status']}"]
    for f in s.get("findings", []):
        lines.append(f"  {f['code']} ({f['severity']}): {f['message']}")
        if f.get("fix"):
            lines.append(f"    fix: {f['fix']}")
    if s["status"] == "skipped":
        lines += [f"  {note}" for note in s.get("notes", [])[:2]]
    return lines


def probe(doc: dict[str, Any]) -> str:
    p = doc["probe"]
    lines = [f"probe {p['url']} from {p['vantage']} ({p['method']})"]
    lines += [f"  {layer['status']:7} {layer['name']:5} {layer['detail']}" for layer in p.get("layers", [])]
    if p["outcome"] == "mcp":
        answered = f"MCP server {p.get('server_name') or '?'} {p.get('server_version') or ''}".rstrip()
        lines.append(f"ok: {answered} answered ({p.get('transport')}, protocol {p.get('protocol_version') or '?'})")
    else:
        lines.append(f"{p['outcome']}: {p['detail']}")
    return "\n".join(lines)


def fix(doc: dict[str, Any], *, wrote: bool) -> str:
    lines: list[str] = [f"not changed: {note}" for note in doc["notes"]]
    if not doc["changes"]:
        need = "needs" if len(doc["manual"]) == 1 else "need"
        hint = f"; {_plural(len(doc['manual']), 'server')} {need} a fix outside the config (see doctor)"
        lines.append("nothing to change" + (hint if doc["manual"] else ""))
        return "\n".join(lines)
    diff = "".join(d["diff"] for d in doc["diffs"]).splitlines()
    lines += diff[:MAX_DIFF_LINES]
    if len(diff) > MAX_DIFF_LINES:
        lines.append(f"... {len(diff) - MAX_DIFF_LINES} more diff lines (see the structured content)")
    if not wrote:
        lines.append("nothing written; call fix again with write: true to apply")
        return "\n".join(lines)
    for w in doc["written"]:
        lines.append(f"wrote {w['path']}" + (f" (backup: {w['path']}.bak)" if w["backup"] else ""))
        lines += [f"  {line}" for line in w["seen"]]
        lines += [f"  not verified: {line}" for line in w["unverified"]]
        lines += [f"  ✗ not fixed: {line}" for line in w["unseen"]]
    if doc["recheck"] is not None:
        lines.append("re-check: " + doctor(doc["recheck"]))
    return "\n".join(lines)


def rules(doc: dict[str, Any], *, one: bool) -> str:
    if one and doc["rules"]:
        return str(doc["rules"][0]["explanation"])
    return "\n".join(f"{r['code']:24} {r['severity']:7} {r['title']}" for r in doc["rules"])
