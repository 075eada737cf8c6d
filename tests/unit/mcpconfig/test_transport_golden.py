"""Golden transport rewrites for every client format: the type key (or bridge flag) changes with the URL.

tests/fixtures/clients/<client>/after-transport.<ext> is the original after the changes below,
byte for byte (UPDATE_GOLDEN=1 rewrites them; review with git diff). Applying the same suggestions
to the result plans nothing: a fix never flip-flops.
"""

from __future__ import annotations

import os

import pytest

from mcp_dockernet.fix.apply import write_config
from mcp_dockernet.fix.plan import plan
from mcp_dockernet.mcpconfig.mcp_config import load_config
from mcp_dockernet.model import SSE, STREAMABLE_HTTP, ConfigFile
from mcp_dockernet.report import Report, ServerReport
from tests.unit.mcpconfig.golden import CASES, FIXTURES, place

HTTP = STREAMABLE_HTTP
# client fixture -> [(server, new URL or None for the same one, the transport it must declare)]
TRANSPORT: dict[str, list[tuple[str, str | None, str]]] = {
    "claude-code": [("stripe-local", None, SSE), ("events", None, HTTP)],
    "claude-code-user": [("stripe", "http://localhost:8000/sse", SSE)],  # URL and type in one fix
    "claude-desktop": [("remote-example", None, SSE), ("linear", None, HTTP)],  # mcp-remote: add, change
    "vscode": [("context7", None, SSE), ("events", None, HTTP)],  # JSONC: comments and trailing commas
    "vscode-devcontainer": [("gateway", None, SSE)],  # tabs
    "windsurf": [("mescius", None, SSE)],
    # a type, none (Cline's default is SSE: the key is added), the legacy key, the CLI's nested form
    "cline": [
        ("remote-server", None, SSE),
        ("legacy-sse", None, HTTP),
        ("old-http", None, SSE),
        ("cli-server", None, SSE),
    ],
    "roo-code": [("modern-remote-server", None, SSE), ("legacy-remote", None, HTTP)],
    "continue": [("Local gateway", None, SSE), ("Events", None, HTTP), ("Remote via bridge", None, SSE)],
    "continue-block": [("Gateway", None, SSE)],
    "codex": [("remote", None, SSE)],  # TOML: the mcp-remote bridge's args
    "gemini": [("httpServerWithAuth", None, SSE), ("typed", None, SSE), ("events", None, HTTP)],
    "goose": [("remote", None, SSE)],  # a YAML flow list
}
# Clients that cannot speak SSE to a URL: shown, never written.
BLOCKED = [("zed", "brijio"), ("codex", "figma"), ("goose", "musicwire")]


def report_for(config: ConfigFile, changes: list[tuple[str, str | None, str]]) -> Report:
    wanted = {name: (url, transport) for name, url, transport in changes}
    servers = tuple(
        ServerReport(
            e, "host", "", "error" if e.name in wanted else "ok", (), wanted.get(e.name, (None, None))[0], None,
            writable=True, suggested_transport=wanted.get(e.name, (None, None))[1],
        )
        for e in config.entries
    )  # fmt: skip
    return Report(servers, (config.path,))


@pytest.mark.parametrize("client", list(TRANSPORT))
def test_transport_rewrite_matches_the_golden_file_and_settles(tmp_path, client):
    path = place(tmp_path, client)
    config = load_config(str(path))
    changes = TRANSPORT[client]
    notes: list[str] = []
    edits = plan(report_for(config, changes), [config], notes)
    assert notes == [] and edits
    write_config(config, edits, backup=False)
    golden = FIXTURES / client / f"after-transport{CASES[client].original(client).suffix}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(path.read_bytes())
    assert path.read_bytes() == golden.read_bytes()

    again = load_config(str(path))
    wanted = {name: (url, transport) for name, url, transport in changes}
    for before, after in zip(config.entries, again.entries, strict=True):
        if before.name in wanted:
            url, transport = wanted[before.name]
            assert (after.effective_url, after.transport) == (url or before.effective_url, transport)
        else:
            assert (after.url, after.transport, after.transport_declared) == (
                before.url,
                before.transport,
                before.transport_declared,
            )
    assert plan(report_for(again, changes), [again]) == ()  # the second run changes nothing


@pytest.mark.parametrize("client, server", BLOCKED)
def test_a_transport_the_client_cannot_speak_is_never_written(tmp_path, client, server):
    config = load_config(str(place(tmp_path, client)))
    notes: list[str] = []
    assert plan(report_for(config, [(server, None, SSE)]), [config], notes) == ()
    assert len(notes) == 1 and "cannot speak SSE" in notes[0], notes
