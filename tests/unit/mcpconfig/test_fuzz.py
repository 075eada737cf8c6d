"""Mutated real config files: the reader raises ConfigError or parses; a rewrite keeps the file valid.

After any rewrite the file still parses as the same client's format, the rewritten server has
the new URL, and every other server is unchanged.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcp_dockernet.errors import ConfigError
from mcp_dockernet.fix.apply import write_config
from mcp_dockernet.fix.plan import plan
from mcp_dockernet.mcpconfig.mcp_config import load_config
from tests.unit.mcpconfig.golden import CASES, report_for

SYNTAX = list("{}[],:\"'#/*-=\n\t \\$&!|>.") + ["${", "}}", "//", "/*", "*/", "---", "- ", ": ", "[[", "'''", '"""']
NEW_URL = "http://host.docker.internal:3999/mcp"


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    client = draw(st.sampled_from(sorted(CASES)))
    data = bytearray(CASES[client].original(client).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        if op == "insert":
            piece = draw(st.sampled_from(SYNTAX) | st.text(max_size=4))
            data[at:at] = piece.encode()
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 8))]
        elif op == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 40))]
    return client, bytes(data)


@given(mutated())
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_mutated_files_parse_or_fail_cleanly_and_rewrites_keep_them_valid(case: tuple[str, bytes]) -> None:
    client, data = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / CASES[client].place
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        try:
            config = load_config(str(path))
        except ConfigError:
            return
        target = next((e for e in config.entries if e.url_span and e.effective_url), None)
        if target is None:
            return
        edits = plan(report_for(config, [(target.name, NEW_URL)]), [config])
        if not edits:
            return
        write_config(config, edits, backup=False)
        again = load_config(str(path))  # must not raise: the rewrite kept the file valid
        assert again.client == config.client
        assert len(again.entries) == len(config.entries)
        for before, after in zip(config.entries, again.entries, strict=True):
            if before is target:
                assert after.effective_url == NEW_URL
            else:
                assert (after.name, after.url) == (before.name, before.url)
