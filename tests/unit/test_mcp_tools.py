"""The MCP tools' pure parts: the argument tables and their schemas, the catalog, the error mapping,
the cancel checkpoints, and fix's write path over a real file (the diagnosis is the engine's own
run on a factory snapshot; tests/integration/test_mcp_server.py does it on the real engine)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace

import jsonschema
import pytest

from mcp_dockernet import cli, engine
from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcp_tools import catalog, inputs, summary, tools
from mcp_dockernet.mcp_tools.inputs import ToolInputError, read_args
from mcp_dockernet.mcpconfig.mcp_config import load_config
from mcp_dockernet.run import Diagnosis
from tests.unit.rules.factory import box, probe, snapshot

URL = "http://localhost:8000/mcp"
MOVED = "http://localhost:3000/mcp"


# --- arguments ---


def test_defaults_fill_in_and_lists_become_tuples():
    args = read_args(inputs.FIX, {"config": ["a.json", "b.json"], "timeout": 5})
    assert args["config"] == ("a.json", "b.json") and args["timeout"] == 5.0
    assert args["write"] is False and args["backup"] is True and args["compose"] is None


@pytest.mark.parametrize(
    "params, given, message",
    [
        (inputs.DOCTOR, {"config": ".mcp.json"}, "config: expected a list of paths, got a string"),
        (inputs.DOCTOR, {"config": [1]}, "config: expected a list of paths, got a list"),
        (inputs.DOCTOR, {"no_probe": "yes"}, "no_probe: expected true or false, got a string"),
        (inputs.DOCTOR, {"timeout": True}, "timeout: expected a number, got a boolean"),
        (inputs.DOCTOR, {"timeout": 500}, "timeout: 500 is not in the range 0.1 to 120"),
        (inputs.DOCTOR, {"write": True}, "unknown argument 'write'; this tool takes: config, compose,"),
        (inputs.PROBE, {}, "url: required"),
        (inputs.PROBE, {"url": URL, "transport": "websocket"}, "transport: 'websocket' is not one of auto,"),
    ],
)
def test_bad_arguments_are_one_line_that_names_the_argument(params, given, message):
    with pytest.raises(ToolInputError) as raised:
        read_args(params, given)
    assert str(raised.value).startswith(message) and "\n" not in str(raised.value)


def test_a_wrong_value_is_never_echoed():
    with pytest.raises(ToolInputError) as raised:
        read_args(inputs.DOCTOR, {"project_dir": {"token": "sk-live-123"}})
    assert "sk-live-123" not in str(raised.value)


@pytest.mark.parametrize(
    "given",
    [
        {},
        {"config": ["a.json"], "compose": ["c.yaml"], "project_dir": "p", "project_name": "n", "client": "host"},
        {"client_type": "cursor", "no_probe": True, "launch": True, "timeout": 7.5},
    ],
)
def test_the_selection_is_the_one_the_cli_builds_from_the_same_options(given):
    args = read_args(inputs.DOCTOR, given)
    expected = cli._selection(
        list(args["config"]) if args["config"] else None,
        args["project_dir"],
        args["client_type"],
        args["client"],
        list(args["compose"]) if args["compose"] else None,
        args["project_name"],
        args["no_probe"],
        args["timeout"],
        args["launch"],
    )
    assert inputs.selection(args) == expected


@pytest.mark.parametrize("tool", catalog.TOOLS, ids=lambda t: t["name"])
def test_each_schema_accepts_what_its_reader_accepts_and_refuses_what_it_refuses(tool):
    validator = jsonschema.Draft7Validator(tool["inputSchema"])
    params = tools.TOOLS[tool["name"]].params
    good = {p.name: {"string": "x", "paths": ["a"], "boolean": True, "number": 1.0}[p.kind] for p in params}
    good |= {p.name: p.choices[0] for p in params if p.choices}
    assert validator.is_valid(good)
    read_args(params, good)
    assert not validator.is_valid({**good, "bogus": 1})
    assert set(tool["inputSchema"].get("required", [])) == {p.name for p in params if p.required}


# --- the catalog ---


def test_the_annotations_say_what_each_tool_does():
    hints = {t["name"]: t["annotations"] for t in catalog.TOOLS}
    assert hints["doctor"]["readOnlyHint"] and hints["probe"]["readOnlyHint"] and hints["rules"]["readOnlyHint"]
    assert hints["fix"] == {
        "readOnlyHint": False,
        "destructiveHint": True,
        "idempotentHint": True,
        "openWorldHint": True,
    }
    assert [t["name"] for t in catalog.TOOLS] == list(tools.TOOLS)


@pytest.mark.parametrize("tool", catalog.TOOLS, ids=lambda t: t["name"])
def test_each_output_schema_is_a_self_contained_draft7_object_schema(tool):
    schema = tool["outputSchema"]
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["type"] == "object" and '"$schema"' not in json.dumps(schema)
    refs = {v for v in _walk(schema) if isinstance(v, str) and v.startswith("#/")}
    for ref in refs:  # every $ref resolves inside the document (the SDK client resolves nothing else)
        node = schema
        for part in ref[2:].split("/"):
            node = node[part]


def _walk(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


# --- rules, errors and cancellation through run() ---


def test_rules_lists_every_code_and_its_result_fits_its_schema():
    result = tools.run(tools.TOOLS["rules"], {}, threading.Event())
    from mcp_dockernet.rules import RULES

    assert not result.is_error and [r["code"] for r in result.structured["rules"]] == list(RULES)
    jsonschema.Draft7Validator(catalog.TOOLS[3]["outputSchema"]).validate(result.structured)
    one = tools.run(tools.TOOLS["rules"], {"code": "wrong-port"}, threading.Event())
    assert one.text.startswith("The URL's port") and "Fails when" in one.text


def test_an_unknown_code_is_the_clis_line():
    result = tools.run(tools.TOOLS["rules"], {"code": "nope"}, threading.Event())
    assert result.is_error and result.text == "unknown finding code 'nope'; see: mcp-dockernet rules list"


def test_a_missing_config_is_the_clis_line_and_doctor_also_gives_the_error_document(tmp_path):
    missing = str(tmp_path / "nope.json")
    result = tools.run(tools.TOOLS["doctor"], {"config": [missing], "project_dir": str(tmp_path)}, threading.Event())
    assert result.is_error and result.text == f"mcp-dockernet: {missing}: no such file"
    assert result.structured["error"] == {
        "code": "config-invalid",
        "message": f"{missing}: no such file",
        "path": missing,
        "line": None,
    }
    fixed = tools.run(tools.TOOLS["fix"], {"config": [missing], "project_dir": str(tmp_path)}, threading.Event())
    assert fixed.is_error and fixed.text == result.text and fixed.structured is None


def test_bad_arguments_are_a_tool_error_not_an_exception():
    result = tools.run(tools.TOOLS["doctor"], {"timeout": "soon"}, threading.Event())
    assert result.is_error and result.text == "mcp-dockernet: timeout: expected a number, got a string"


def test_a_crash_is_a_tool_error_that_does_not_quote_the_exception():
    def boom(args, cancel):
        raise ValueError("Authorization: Bearer sk-live-123")

    result = tools.run(tools.Tool("boom", (), boom), {}, threading.Event())
    assert result.is_error and "ValueError" in result.text and "sk-live" not in result.text


def test_a_cancelled_call_never_starts_its_work():
    started = []
    cancel = threading.Event()
    cancel.set()
    result = tools.run(tools.Tool("t", (), lambda a, c: started.append(1) or tools.Result({}, "")), {}, cancel)
    assert result.is_error and result.text == "cancelled" and not started


def test_a_call_waiting_for_a_slot_stops_waiting_when_cancelled():
    held = [tools._running.acquire(blocking=False) for _ in range(tools.MAX_RUNNING)]
    assert all(held)
    try:
        cancel = threading.Event()
        done: list[tools.Result] = []
        waiter = threading.Thread(target=lambda: done.append(tools.run(tools.TOOLS["rules"], {}, cancel)))
        waiter.start()
        time.sleep(0.5)
        assert not done, "it must wait while every slot is taken"
        cancel.set()
        waiter.join(5)
        assert done and done[0].text == "cancelled"
    finally:
        for _ in held:
            tools._running.release()


# --- fix: the diff, the write, and no write after a cancel ---

ORIGINAL = (
    json.dumps({"mcpServers": {"moved": {"type": "http", "url": URL, "headers": {"X-Api-Key": "k-123"}}}}, indent=2)
    + "\n"
)


@pytest.fixture
def moved(tmp_path, monkeypatch):
    """A real .mcp.json whose server moved to host port 3000, judged by the engine on each call."""
    path = tmp_path / ".mcp.json"
    path.write_text(ORIGINAL)
    calls = []

    def diagnose(sel, **kw):
        config = load_config(str(path))
        snap = snapshot(URL, [box("srv", publish={8000: 3000})], probes=(probe(MOVED),), config=config)
        snap = replace(snap, places=())
        calls.append(sel)
        return Diagnosis([config], engine.run(snap), snap)

    monkeypatch.setattr("mcp_dockernet.run.diagnose", diagnose)
    monkeypatch.setattr("mcp_dockernet.fix.service.client_views", lambda d, sites: ())
    return path, calls


def test_fix_without_write_returns_the_diff_and_writes_nothing(moved):
    path, _ = moved
    result = tools.run(tools.TOOLS["fix"], {"config": [str(path)]}, threading.Event())
    assert not result.is_error, result.text
    doc = result.structured
    assert doc["changes"] == 1 and doc["written"] == [] and doc["recheck"] is None
    changed = [line for line in doc["diffs"][0]["diff"].splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]
    assert changed == [f'-      "url": "{URL}",', f'+      "url": "{MOVED}",']
    assert "k-123" not in json.dumps(doc) + result.text
    assert path.read_text() == ORIGINAL
    assert "call fix again with write: true" in result.text
    jsonschema.Draft7Validator(catalog.TOOLS[2]["outputSchema"]).validate(doc)


def test_fix_with_write_changes_only_the_url_keeps_a_backup_and_checks_again(moved):
    path, calls = moved
    result = tools.run(tools.TOOLS["fix"], {"config": [str(path)], "write": True}, threading.Event())
    assert not result.is_error, result.text
    assert path.read_text() == ORIGINAL.replace(URL, MOVED)
    assert (path.parent / ".mcp.json.bak").read_text() == ORIGINAL
    doc = result.structured
    assert doc["written"][0]["path"] == str(path) and doc["written"][0]["backup"] is True
    assert doc["recheck"]["servers"][0]["url"] == MOVED and len(calls) == 2
    jsonschema.Draft7Validator(catalog.TOOLS[2]["outputSchema"]).validate(doc)
    again = tools.run(tools.TOOLS["fix"], {"config": [str(path)], "write": True}, threading.Event())
    assert again.structured["changes"] == 0 and again.text.startswith("nothing to change")  # idempotent


def test_fix_writes_nothing_once_cancelled_during_the_diagnosis(moved, monkeypatch):
    path, _ = moved
    cancel = threading.Event()
    diagnose = __import__("mcp_dockernet.run", fromlist=["diagnose"]).diagnose

    def slow(sel, **kw):
        found = diagnose(sel, **kw)
        cancel.set()  # the client cancels while doctor runs
        return found

    monkeypatch.setattr("mcp_dockernet.run.diagnose", slow)
    result = tools.run(tools.TOOLS["fix"], {"config": [str(path)], "write": True}, cancel)
    assert result.text == "cancelled" and path.read_text() == ORIGINAL


def test_a_file_changed_underneath_is_the_fix_error_line(moved, monkeypatch):
    path, _ = moved
    real = __import__("mcp_dockernet.fix.service", fromlist=["apply_fix"]).apply_fix

    def changed(config, edits, diagnosis, **kw):
        path.write_text(ORIGINAL.replace("moved", "movid"))
        return real(config, edits, diagnosis, **kw)

    monkeypatch.setattr("mcp_dockernet.fix.service.apply_fix", changed)
    result = tools.run(tools.TOOLS["fix"], {"config": [str(path)], "write": True}, threading.Event())
    assert result.is_error and result.text.startswith("mcp-dockernet: ") and "changed" in result.text


# --- text summaries ---


def test_the_doctor_summary_names_each_finding_and_how_to_apply():
    doc = {
        "configs": [".mcp.json"],
        "summary": {"ok": 1, "warning": 0, "error": 1, "skipped": 0},
        "servers": [
            {"name": "moved", "config": ".mcp.json", "line": 3, "url": URL, "status": "error", "suggestion_writable": True,
             "findings": [{"code": "wrong-port", "severity": "error", "message": "m", "fix": "use " + MOVED}]},
            {"name": "gh", "config": ".mcp.json", "line": 9, "url": None, "command": ["docker", "run", "-i", "img"],
             "status": "ok", "findings": []},
        ],
    }  # fmt: skip
    text = summary.doctor(doc)
    assert text.splitlines()[0] == "mcp-dockernet doctor: 2 servers in 1 config file: 1 error, 1 ok"
    assert "✗ moved (.mcp.json:3) http://localhost:8000/mcp: error" in text and "wrong-port (error): m" in text
    assert "✓ gh (.mcp.json:9) docker run -i img: ok" in text and "write: true" in text


def test_summaries_are_bounded():
    servers = [
        {"name": f"s{i}", "config": "c", "line": i, "url": URL, "status": "ok", "findings": []} for i in range(100)
    ]
    text = summary.doctor({"configs": ["c"], "summary": {"ok": 100}, "servers": servers})
    assert len(text.splitlines()) == summary.MAX_SERVERS + 2 and "60 more" in text


def test_config_error_lines_keep_path_and_line():
    assert str(ConfigError(".mcp.json", "bad", line=2)) == ".mcp.json:2: bad"  # what the tool error quotes
