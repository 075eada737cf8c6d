"""One probe per (URL, transport, headers, vantage): an entry is judged by its own probe, never another's."""

from __future__ import annotations

from dataclasses import replace

from mcp_dockernet.model import (
    SSE,
    STREAMABLE_HTTP,
    ConfigFile,
    EngineState,
    HostState,
    Outcome,
    ProbeResult,
    ProbeTarget,
    ServerEntry,
    Snapshot,
    Span,
)
from mcp_dockernet.route import probe_targets, routes_of

URL = "http://localhost:8000/mcp"
TOKEN = (("Authorization", "Bearer sekrit-123"),)


def entry(name, transport, headers=()):
    return ServerEntry(name, f"{name}.json", "claude-code", "mcpServers", 1, URL, Span(0, 1), transport, True,
                       headers=headers)  # fmt: skip


def snap(entries, probes=()):
    configs = tuple(ConfigFile(e.config, "claude-code", "{}", "x", (e,), ()) for e in entries)
    return Snapshot(configs, EngineState(()), HostState(()), tuple(probes))


def result(transport, ok, headers=()):
    outcome = Outcome.MCP if ok else Outcome.HTTP_ERROR
    hid = ProbeTarget(URL, transport, headers).headers_id
    return ProbeResult(URL, outcome, "x", requested_transport=transport, transport=transport if ok else None,
                       headers_id=hid)  # fmt: skip


def test_the_same_url_as_http_and_as_sse_gets_two_probes_and_each_entry_its_own():
    http, sse = entry("a", STREAMABLE_HTTP), entry("b", SSE)
    assert probe_targets(snap([http, sse])) == {"host": [ProbeTarget(URL, STREAMABLE_HTTP), ProbeTarget(URL, SSE)]}
    s = snap([http, sse], [result(STREAMABLE_HTTP, True), result(SSE, False)])
    probes = {r.entry.name: r.probe for r in routes_of(s)}
    assert probes["a"].ok and not probes["b"].ok


def test_headers_make_their_own_probe_and_there_is_no_fallback_to_another():
    bare, bearer = entry("a", STREAMABLE_HTTP), entry("b", STREAMABLE_HTTP, TOKEN)
    plan = probe_targets(snap([bare, bearer]))["host"]
    assert plan == [ProbeTarget(URL, STREAMABLE_HTTP), ProbeTarget(URL, STREAMABLE_HTTP, TOKEN)]
    s = snap([bare, bearer], [result(STREAMABLE_HTTP, False)])  # only the bare probe ran
    assert s.probe_of(bare) is not None and s.probe_of(bearer) is None
    s = snap([bare, bearer], [result(STREAMABLE_HTTP, False), result(STREAMABLE_HTTP, True, TOKEN)])
    assert not s.probe_of(bare).ok and s.probe_of(bearer).ok
    assert s.probe_as(URL, STREAMABLE_HTTP, "host", s.probe_of(bearer).headers_id).ok
    assert s.probe_as(URL, STREAMABLE_HTTP) is s.probe_of(bare)  # without headers: the bare one
    assert s.probe_of(bearer, "container:other") is None  # another vantage is another probe


def test_a_candidate_on_another_origin_is_planned_without_the_entry_headers():
    bearer = entry("b", STREAMABLE_HTTP, TOKEN)
    moved = replace(bearer, url="http://localhost:8000/mcp")
    target = ProbeTarget(moved.url, STREAMABLE_HTTP, TOKEN)
    assert target.at("http://host.docker.internal:8000/mcp").headers == ()
    assert target.at("http://localhost:8000/sse").headers == TOKEN
    assert "sekrit" not in repr(target) and "sekrit" not in target.headers_id


def test_the_fingerprint_tells_values_apart_and_ignores_name_case_and_order():
    a = ProbeTarget(URL, STREAMABLE_HTTP, (("Authorization", "Bearer x"), ("X-Key", "1")))
    b = ProbeTarget(URL, STREAMABLE_HTTP, (("x-key", "1"), ("authorization", "Bearer x")))
    c = ProbeTarget(URL, STREAMABLE_HTTP, (("Authorization", "Bearer y"), ("X-Key", "1")))
    assert a.headers_id == b.headers_id != c.headers_id and ProbeTarget(URL, SSE).headers_id == ""
