"""transport-mismatch and wrong-path: the suggestion carries the transport, and no fix flip-flops.

The servers are given as their recorded answers per (URL, transport): the TypeScript SDK's express
SSE server (express routes are not strict, so ``/sse/`` answers like ``/sse``), the Python SDK's SSE
app (POST ``/sse`` 405) and its streamable app (``/mcp``; ``/mcp/`` 307 to ``/mcp``; GET 400). judge()
also applies each writable fix to a real config and judges again (settle.py).
"""

from __future__ import annotations

import pytest

from mcp_dockernet import engine
from mcp_dockernet.model import (
    HTTP_THEN_SSE,
    SSE,
    STREAMABLE_HTTP,
    ConfigFile,
    Listener,
    Outcome,
    ProbeResult,
    ServerEntry,
    Span,
)
from mcp_dockernet.render import json_out
from tests.unit.rules.factory import judge, snapshot
from tests.unit.rules.settle import real_config

BASE = "http://localhost:8000"
HOST = (Listener("0.0.0.0", 8000, 42, "node"),)


def mcp(path, transport, requested=None):
    return ProbeResult(BASE + path, Outcome.MCP, "ok", server_name="srv", transport=transport,
                       requested_transport=requested or transport)  # fmt: skip


def http(path, status, requested, location=None):
    detail = f"HTTP {status}" + (f" to {location}" if location else "")
    return ProbeResult(BASE + path, Outcome.HTTP_ERROR, detail, http_status=status, location=location,
                       requested_transport=requested)  # fmt: skip


def ts_sse(entry_path, requested):
    """server-everything's SSE app: GET /sse and /sse/ stream, POST 404, no /mcp."""
    first = [http(entry_path, 404, requested)] if requested == STREAMABLE_HTTP else [mcp(entry_path, SSE)]
    return [
        *first,
        mcp("/sse", SSE),
        mcp("/sse/", SSE),
        http("/mcp", 404, STREAMABLE_HTTP),
        http("/mcp/", 404, STREAMABLE_HTTP),
    ]


def py_streamable(requested):
    return [
        http("/mcp", 400, SSE) if requested == SSE else mcp("/mcp", STREAMABLE_HTTP),
        mcp("/mcp", STREAMABLE_HTTP),
        http("/mcp/", 307, requested, location=BASE + "/mcp"),
        http("/mcp/", 307, STREAMABLE_HTTP if requested == SSE else SSE, location=BASE + "/mcp"),
        http("/x", 404, requested),
        http("/x", 404, SSE if requested == STREAMABLE_HTTP else STREAMABLE_HTTP),
        http("/sse", 404, SSE),
    ]


def claude(path, typed="http"):
    body = f'"type": "{typed}", ' if typed else ""
    return real_config("c.json", "claude-code", "json", f'{{"mcpServers": {{"s": {{{body}"url": "{BASE}{path}"}}}}}}\n')


@pytest.mark.parametrize(
    "config, probes, codes, suggested, transport",
    [
        # the flip-flop: an http entry at the TS SSE server's /sse; /sse/ answers too, and is not the fix
        (claude("/sse"), ts_sse("/sse", STREAMABLE_HTTP), ["transport-mismatch"], "/sse", SSE),
        # the URL a past fix wrote (/sse/) is kept: only the type changes, never back to /sse
        (
            claude("/sse/"),
            ts_sse("/sse/", STREAMABLE_HTTP) + [http("/sse/", 404, STREAMABLE_HTTP)],
            ["transport-mismatch"],
            "/sse/",
            SSE,
        ),  # fmt: skip
        (claude("/sse", typed="sse"), ts_sse("/sse", SSE), [], None, None),
        # Claude Code without a type speaks streamable HTTP: the type is added
        (claude("/sse", typed=""), ts_sse("/sse", STREAMABLE_HTTP), ["transport-mismatch"], "/sse", SSE),
        # an sse entry at the Python SDK's streamable /mcp (GET 400 Missing session ID)
        (claude("/mcp", typed="sse"), py_streamable(SSE), ["transport-mismatch"], "/mcp", STREAMABLE_HTTP),
        # an sse entry at /mcp/ (307): the path and the type change together
        (
            claude("/mcp/", typed="sse"),
            [py_streamable(SSE)[i] for i in (2, 0, 1, 3)],
            ["wrong-path"],
            "/mcp",
            STREAMABLE_HTTP,
        ),  # fmt: skip
        # a wrong path with the right transport: only the URL changes
        (
            claude("/x"),
            py_streamable(STREAMABLE_HTTP)[4:] + [mcp("/mcp", STREAMABLE_HTTP)],
            ["wrong-path"],
            "/mcp",
            None,
        ),  # fmt: skip
    ],
    ids=[
        "ts-sse-http-entry",
        "ts-sse-slash-kept",
        "ts-sse-ok",
        "untyped-claude",
        "sse-at-streamable",
        "sse-at-slash-307",
        "path-only",
    ],  # fmt: skip
)
def test_the_suggestion_carries_the_transport_and_settles(config, probes, codes, suggested, transport):
    found, server = judge(snapshot(BASE, probes=tuple(probes), host_listeners=HOST, config=config))
    assert found == codes, [f.message for f in server.findings]
    assert server.suggested_url == (BASE + suggested if suggested else None)
    assert server.suggested_transport == transport
    assert server.writable is bool(suggested)
    if transport:
        assert f'"type" to "{"sse" if transport == SSE else "http"}"' in server.findings[0].fix


def test_a_slash_twin_that_redirects_to_the_url_is_the_url():
    """A probe that followed /sse's 307 to the written /sse/ answered: that is /sse/ itself, not a fix."""
    probes = [
        http("/sse/", 404, STREAMABLE_HTTP),
        http("/sse/", 404, SSE),
        ProbeResult(
            BASE + "/sse",
            Outcome.MCP,
            "ok",
            server_name="srv",
            transport=SSE,
            requested_transport=SSE,
            location=BASE + "/sse/",
        ),  # fmt: skip
    ]
    found, server = judge(snapshot(BASE, probes=tuple(probes), host_listeners=HOST, config=claude("/sse/")))
    assert "wrong-path" not in found and server.suggested_url is None


def test_a_client_that_cannot_speak_sse_is_told_how_instead_of_written():
    codex = real_config("c.json", "codex", "toml", f'[mcp_servers.s]\nurl = "{BASE}/sse"\n')
    found, server = judge(snapshot(BASE, probes=tuple(ts_sse("/sse", STREAMABLE_HTTP)), host_listeners=HOST,
                                   config=codex))  # fmt: skip
    assert found == ["transport-mismatch"] and not server.writable
    assert server.suggested_transport == SSE and "Codex CLI cannot speak SSE" in server.findings[0].fix


@pytest.mark.parametrize(
    "flag, wanted",
    [('"--transport", "http-only"', "--transport sse-only"), (None, None)],
    ids=["http-only", "http-first-default"],
)
def test_an_mcp_remote_entry_is_fixed_by_its_flag(flag, wanted):
    args = f'["mcp-remote", "{BASE}/sse"' + (f", {flag}]" if flag else "]")
    text = f'{{"mcpServers": {{"s": {{"command": "npx", "args": {args}}}}}}}'
    config = real_config("c.json", "claude-desktop", "json", text)
    requested = STREAMABLE_HTTP if flag else HTTP_THEN_SSE
    probes = ts_sse("/sse", STREAMABLE_HTTP)
    if not flag:  # http-first tries SSE after the 404: the probe of an undeclared entry got an answer
        probes = [mcp("/sse", SSE, HTTP_THEN_SSE)]
    found, server = judge(snapshot(BASE, probes=tuple(p for p in probes if p.requested_transport), host_listeners=HOST,
                                   config=config))  # fmt: skip
    assert config.entries[0].transport == requested
    if wanted is None:
        assert found == []
        return
    fix = server.findings[0].fix
    assert found == ["transport-mismatch"] and server.writable and wanted in fix and "type" not in fix


def test_a_compose_variables_guessed_transport_is_no_mismatch():
    """MCP_URL=.../sse in a Compose file: its transport is a guess from the path, not the app's setting."""
    entry = ServerEntry("MCP_URL", "compose.yaml", "compose", "services.app.environment", 3, BASE + "/mcp",
                        Span(0, 1), SSE, False)  # fmt: skip
    config = ConfigFile("compose.yaml", "compose", "{}", "x", (entry,), ())
    found, _ = judge(snapshot(BASE, probes=tuple(py_streamable(SSE)), host_listeners=HOST, config=config))
    assert "transport-mismatch" not in found


def test_the_json_report_carries_the_suggested_transport_per_server_and_finding():
    snap = snapshot(BASE, probes=tuple(ts_sse("/sse", STREAMABLE_HTTP)), host_listeners=HOST, config=claude("/sse"))
    doc = json_out.to_dict(engine.run(snap))["servers"][0]
    assert (doc["suggested_url"], doc["suggested_transport"], doc["suggestion_writable"]) == (BASE + "/sse", SSE, True)
    finding = doc["findings"][0]
    assert (finding["code"], finding["suggested_url"], finding["suggested_transport"]) == (
        "transport-mismatch",
        BASE + "/sse",
        SSE,
    )
