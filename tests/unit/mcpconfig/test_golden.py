"""Golden rewrites for every client: the file after each kind of rewrite, byte for byte."""

from __future__ import annotations

import os

import pytest

from mcp_dockernet.fix.apply import write_config
from mcp_dockernet.fix.plan import diff, plan
from mcp_dockernet.mcpconfig.mcp_config import load_config
from tests.unit.mcpconfig.golden import CASES, place, report_for

GOLDEN = [(client, change) for client, case in CASES.items() for change in case.rewrites]


@pytest.mark.parametrize("client, change", GOLDEN, ids=[f"{c}-{k}" for c, k in GOLDEN])
def test_rewrite_matches_the_golden_file(tmp_path, client, change):
    case = CASES[client]
    path = place(tmp_path, client)
    config = load_config(str(path))
    assert config.client == case.kind
    notes: list[str] = []
    edits = plan(report_for(config, case.rewrites[change]), [config], notes)
    assert notes == [] and edits
    write_config(config, edits, backup=False)
    golden = case.after(client, change)
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(path.read_bytes())
    assert path.read_bytes() == golden.read_bytes()

    again = load_config(str(path))  # still parses in its format, and only the URLs changed
    wanted = dict(case.rewrites[change])
    assert [e.name for e in again.entries] == [e.name for e in config.entries]
    for before, after in zip(config.entries, again.entries, strict=True):
        if before.name in wanted:
            assert after.effective_url == wanted[before.name]
        else:
            assert (after.url, after.transport) == (before.url, before.transport)
    assert [again.text[s.start : s.end] for s in again.secret_spans] == [
        config.text[s.start : s.end] for s in config.secret_spans
    ]


@pytest.mark.parametrize("client, change", GOLDEN, ids=[f"{c}-{k}" for c, k in GOLDEN])
def test_the_diff_shows_the_change_and_no_secret(tmp_path, client, change):
    config = load_config(str(place(tmp_path, client)))
    edits = plan(report_for(config, CASES[client].rewrites[change]), [config])
    shown = diff(config, edits)
    golden = CASES[client].after(client, change).read_text(encoding="utf-8-sig")
    added = [line[1:].strip() for line in shown.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert added and all(line in golden for line in added if "***" not in line)
    for secret in ("your-token", "sk_test_123", "lin_api_secret", "mw-secret", "gw-secret-key", "ghp_example"):
        assert secret not in shown
    for span in config.secret_spans:
        value = config.text[span.start : span.end].strip("\"'")
        if len(value) > 3:
            assert value not in shown
