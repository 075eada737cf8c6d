"""The watch loop's decisions, with a scripted diagnosis (the real-engine test is in integration)."""

from __future__ import annotations

import json

from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcpconfig.mcp_config import load_config
from mcp_dockernet.model import EngineState, HostState, Snapshot
from mcp_dockernet.report import Finding, Report, ServerReport, Severity
from mcp_dockernet.run import Diagnosis, Selection
from mcp_dockernet.watch import State, Watcher


def _diagnosis(path, suggested):
    config = load_config(str(path))
    entry = config.entries[0]
    finding = Finding("wrong-port", Severity.ERROR, "x", "m", "f", suggested_url=suggested)
    server = ServerReport(entry, "host", "t", "error", (finding,), suggested, None, writable=True)
    snap = Snapshot((config,), EngineState(()), HostState(()))
    return Diagnosis([config], Report((server,), (config.path,)), snap)


def _file(tmp_path, url):
    path = tmp_path / "mcp.json"
    path.write_text(json.dumps({"mcpServers": {"s": {"type": "http", "url": url}}}))
    return path


def test_writes_once_and_never_flaps_back(tmp_path):
    path = _file(tmp_path, "http://localhost:1/mcp")
    script = iter(["http://localhost:2/mcp", "http://localhost:2/mcp", "http://localhost:1/mcp"])
    watcher = Watcher(
        Selection(configs=(str(path),)),
        True,
        State(),
        diagnose_fn=lambda sel, remembered: _diagnosis(path, next(script, None)),
    )
    watcher.round_after_write = lambda: None  # type: ignore[method-assign]

    watcher.round()
    assert "localhost:2" in path.read_text()
    watcher.round()  # the same verdict again: nothing to write
    watcher.round()  # a suggestion back to the URL it replaced: refused
    assert "localhost:2" in path.read_text()
    assert watcher.state.changes == 1


def test_invalid_config_is_waited_for_and_never_written(tmp_path):
    path = _file(tmp_path, "http://localhost:1/mcp")
    path.write_text('{"mcpServers": {"s": {"url": ')  # an editor half-way through

    def diagnose(sel, remembered):
        raise ConfigError(str(path), "invalid JSON: unexpected end of file", line=1)

    watcher = Watcher(Selection(configs=(str(path),)), True, State(), diagnose_fn=diagnose)
    watcher.round()
    assert "waiting" in watcher.state.snapshot()["waiting"]
    assert path.read_text() == '{"mcpServers": {"s": {"url": '


def test_without_write_nothing_is_written(tmp_path):
    path = _file(tmp_path, "http://localhost:1/mcp")
    before = path.read_text()
    watcher = Watcher(
        Selection(), False, State(), diagnose_fn=lambda sel, remembered: _diagnosis(path, "http://localhost:2/mcp")
    )
    watcher.round()
    assert path.read_text() == before
    assert watcher.state.report is not None and watcher.state.report["schema"] == "mcp-dockernet/doctor/v1"


def test_a_compose_file_is_never_written_whichever_kind_it_was_read_as(tmp_path):
    """A Compose file that some option loaded as an MCP config (a JSON file here) is still the project's file."""
    path = _file(tmp_path, "http://localhost:1/mcp")
    before = path.read_text()
    diagnosis = _diagnosis(path, "http://localhost:2/mcp")
    diagnosis.compose = type("Project", (), {"files": (str(path),)})()
    watcher = Watcher(Selection(), True, State(), diagnose_fn=lambda sel, remembered: diagnosis)
    watcher.round()
    assert path.read_text() == before and watcher.state.changes == 0
