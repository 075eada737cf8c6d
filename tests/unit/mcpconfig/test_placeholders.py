"""Placeholders: resolved for probing, never expanded or destroyed by a rewrite."""

from __future__ import annotations

import pytest

from mcp_dockernet.fix.plan import plan
from mcp_dockernet.mcpconfig.mcp_config import load_config
from mcp_dockernet.mcpconfig.placeholders import map_back, resolve
from tests.unit.mcpconfig.golden import place, report_for

ENV = {"HOST": "localhost", "PORT": "8000", "EMPTY": ""}


@pytest.mark.parametrize(
    "raw, style, resolved, unknown",
    [
        ("http://${HOST}:8000/mcp", "brace", "http://localhost:8000/mcp", ()),
        ("http://${env:HOST}:${PORT}/mcp", "brace", "http://localhost:8000/mcp", ()),
        ("${BASE:-http://localhost:1}/mcp", "brace", "http://localhost:1/mcp", ()),
        ("http://${EMPTY:-h}/mcp", "brace", "http://h/mcp", ()),
        ("http://${input:host}/mcp", "brace", "http://${input:host}/mcp", ("input:host",)),
        ("${{ secrets.URL }}", "brace", "${{ secrets.URL }}", ("secrets.URL",)),
        ("http://$HOST:$PORT/mcp", "brace+bare", "http://localhost:8000/mcp", ()),
        ("http://$HOST/mcp", "brace", None, ()),  # a bare $ is literal text outside Gemini CLI
        ("http://${HOST}/mcp", "none", None, ()),  # Codex expands nothing
    ],
)
def test_resolve(raw, style, resolved, unknown):
    assert resolve(raw, style, ENV, home="/home/me") == (resolved, unknown)


@pytest.mark.parametrize(
    "raw, new, expected",
    [
        ("http://${HOST}:8000/mcp", "http://localhost:3000/mcp", "http://${HOST}:3000/mcp"),
        ("http://${HOST}/mcp", "http://localhost:3000/mcp", "http://${HOST}:3000/mcp"),
        ("http://${HOST}:8000/mcp", "http://gateway:8000/mcp", None),  # the host is the placeholder's
        ("http://localhost:${PORT}/mcp", "http://gateway:8000/mcp", "http://gateway:${PORT}/mcp"),
        ("${BASE:-http://localhost:1}/mcp", "http://gateway:1/mcp", "${BASE:-http://gateway:1}/mcp"),
        ("http://localhost:8000/mcp", "http://x:1/mcp", "http://x:1/mcp"),
    ],
)
def test_map_back_changes_only_literal_characters(raw, new, expected):
    resolved, _ = resolve(raw, "brace", ENV)
    assert map_back(raw, resolved or raw, new) == expected


def test_a_change_inside_a_placeholder_plans_no_edit_and_says_why(tmp_path):
    config = load_config(str(place(tmp_path, "cursor")))
    notes: list[str] = []
    edits = plan(report_for(config, [("docs", "http://host.docker.internal:8001/mcp")]), [config], notes)
    assert edits == ()
    assert len(notes) == 1 and "env:DOCS_HOST" in notes[0] and "docs" in notes[0]


def test_doctor_notes_when_the_suggested_url_falls_inside_a_placeholder(tmp_path):
    from types import SimpleNamespace

    from mcp_dockernet import engine
    from mcp_dockernet.model import EngineState, HostState, Snapshot
    from mcp_dockernet.report import Finding, Severity, entry_key

    config = load_config(str(place(tmp_path, "cursor")))
    docs = next(e for e in config.entries if e.name == "docs")

    def check(snap, routes):  # type: ignore[no-untyped-def]
        yield Finding("x", Severity.ERROR, entry_key(docs), "m", "f", suggested_url="http://gateway:8001/mcp")

    rule = SimpleNamespace(CODE="x", SEVERITY=Severity.ERROR, NEEDS=frozenset(), check=check)
    snap = Snapshot((config,), EngineState(()), HostState(()), probing=False)
    report = engine.run(snap, {"x": rule})  # type: ignore[dict-item]
    notes = next(s for s in report.servers if s.entry.name == "docs").notes
    assert any("env:DOCS_HOST" in n and "cannot be rewritten" in n for n in notes)
