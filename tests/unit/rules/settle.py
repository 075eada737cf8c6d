"""Never flip-flop: a fix applied to the config, judged again in the same world, plans nothing more.

``factory.judge`` runs this on every table row whose entry gets a writable suggestion, so every
finding code that fix --write acts on is checked on every situation its table describes: the
suggestion (URL and transport) is planned on a real config text, applied, the text is read again,
and the engine judges it with the same containers, sockets and probe answers. The second plan must
be empty, and the entry must no longer carry a writable suggestion.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

from mcp_dockernet import engine
from mcp_dockernet.fix.plan import apply_to_text, plan
from mcp_dockernet.mcpconfig import entries, type_keys
from mcp_dockernet.mcpconfig.clients import CLIENTS
from mcp_dockernet.mcpconfig.mcp_config import parse_text
from mcp_dockernet.model import ConfigFile, Snapshot


def real_config(path: str, client: str, fmt: str, text: str) -> ConfigFile:
    """A ConfigFile read from text as load_config reads a file (spans, entries, secrets)."""
    doc = parse_text(path, text, fmt)
    found = entries.read_entries(path, CLIENTS[client], fmt, doc, text)
    urls = {(e.url_span.start, e.url_span.end) for e in found if e.url_span is not None}
    secrets = tuple(s for s in entries.secret_spans(doc) if (s.start, s.end) not in urls)
    return ConfigFile(path, client, text, hashlib.sha256(text.encode()).hexdigest(), found, secrets, False, fmt)


def _as_written(snap: Snapshot) -> Snapshot:
    """The snapshot with its config as a real file: the factory's stand-in ("{}") becomes Claude Code JSON."""
    config = snap.configs[0]
    if config.text != "{}":
        return snap
    entry = config.entries[0]
    body: dict[str, str] = {}
    if entry.transport_declared:
        body["type"] = type_keys.TYPE_VALUES["claude-code"][entry.transport]
    body["url"] = entry.url or ""
    text = json.dumps({"mcpServers": {entry.name: body}}, indent=2) + "\n"
    return replace(snap, configs=(real_config(config.path, "claude-code", "json", text),))


def assert_settles(snap: Snapshot) -> None:
    snap = _as_written(snap)
    config = snap.configs[0]
    first = engine.run(snap, debug=True)
    edits = plan(first, [config])
    assert edits, f"a writable suggestion planned no edit: {first.servers[0]}"
    fixed = real_config(config.path, config.client, config.format, apply_to_text(config.text, edits))
    again = engine.run(replace(snap, configs=(fixed,)), debug=True)
    server = again.servers[0]
    assert plan(again, [fixed]) == (), f"the fix flip-flops: {config.text!r} -> {fixed.text!r} -> {server}"
    assert not (server.writable and (server.suggested_url or server.suggested_transport)), server
