"""doctor --format sarif from real config files: regions on the exact token, fixes equal to fix --write, no secret."""

from __future__ import annotations

import json

import pytest

from mcp_dockernet import engine
from mcp_dockernet.fix.plan import apply_to_text, plan
from mcp_dockernet.mcpconfig.mcp_config import load_config
from mcp_dockernet.model import Snapshot, Unavailable
from mcp_dockernet.render import sarif
from mcp_dockernet.render.sarif_regions import TextIndex, unquoted
from mcp_dockernet.report import Finding, Report, ServerReport, Severity
from mcp_dockernet.rules import RULES, explain
from tests.lab import sarif_read
from tests.lab.docker_lab import in_ci


@pytest.fixture
def validate():
    why = sarif_read.missing()
    if why:
        if in_ci():
            pytest.fail(f"CI=true but {why}")
        pytest.skip(why)
    return sarif_read.validate


# (text, offset of a character, its (line, column) in UTF-16 code units)
POSITIONS = [
    ("abc", 0, (1, 1)),
    ("abc", 3, (1, 4)),  # just past the end: an insertion point there
    ("ab\ncd", 3, (2, 1)),
    ("ab\r\ncd", 4, (2, 1)),  # CRLF is one break
    ("ab\r\ncd", 2, (1, 3)),  # the \r itself is the end of line 1
    ("a\rb", 2, (1, 3)),  # a lone CR is no break (the default newlineSequences)
    ("\tx", 1, (1, 2)),  # a tab is one column
    ("é=x", 2, (1, 3)),  # two UTF-8 bytes, one UTF-16 unit
    ("日本=x", 3, (1, 4)),  # three UTF-8 bytes each, one unit each
    ("😀=x", 2, (1, 4)),  # four UTF-8 bytes, a surrogate pair: two columns
    ("a\n😀\r\n\t😀x", 7, (3, 4)),  # the x: after a tab (1) and a pair (2)
]


@pytest.mark.parametrize(("text", "offset", "expected"), POSITIONS)
def test_positions_count_lines_and_utf16_columns(text, offset, expected):
    assert TextIndex(text).position(offset) == expected


@pytest.mark.parametrize(("text", "offset", "_"), POSITIONS)
def test_a_region_reads_back_as_the_same_characters(text, offset, _):
    """Read back by tests/lab/sarif_read.py, which counts on its own."""
    for end in range(offset, len(text) + 1):
        assert sarif_read.region_text(text, TextIndex(text).region(offset, end)) == text[offset:end]


@pytest.mark.parametrize(
    ("token", "inner"),
    [('"http://x"', "http://x"), ("'http://x'", "http://x"), ('"""http://x"""', "http://x"), ("http://x", "http://x")],
)
def test_quotes_are_not_part_of_the_url(token, inner):
    text = f"k = {token}\n"
    start, end = unquoted(text, 4, 4 + len(token))
    assert text[start:end] == inner


def _config(tmp_path, text: str, name: str = ".mcp.json"):
    path = tmp_path / name
    path.write_bytes(text.encode())
    return load_config(str(path), explicit=True)


def _wrong_port(config, new_url: str, *, writable: bool = True) -> Report:
    entry = config.entries[0]
    finding = Finding(
        "wrong-port",
        Severity.ERROR,
        entry.id,
        "nothing listens on port 8000",
        f"use {new_url}",
        (),
        new_url,
        None,
        writable,
    )
    server = ServerReport(entry, "host", "nothing listening", "error", (finding,), new_url, None, writable=writable)
    return Report((server,), (config.path,))


def _log(report, config, tmp_path):
    snap = Snapshot((config,), Unavailable("static"), Unavailable("static"))
    return json.loads(sarif.dumps(report, snap, cwd=str(tmp_path)))


MULTIBYTE = (
    '{\r\n  "mcpServers": {\r\n    "wörk 😀": {"note": "日本😀",\t"type": "http", '
    '"url": "http://localhost:8000/mcp"}\r\n  }\r\n}\r\n'
)


@pytest.mark.parametrize("text", [MULTIBYTE, MULTIBYTE.replace("\r\n", "\n")])
def test_the_region_is_the_url_and_the_fix_is_what_fix_write_writes(tmp_path, text, validate):
    config = _config(tmp_path, text)
    report = _wrong_port(config, "http://localhost:3000/mcp")
    log = _log(report, config, tmp_path)
    validate(log)
    result = log["runs"][0]["results"][0]
    where = result["locations"][0]["physicalLocation"]
    assert where["artifactLocation"] == {"uri": ".mcp.json", "uriBaseId": "%SRCROOT%"}
    assert where["region"]["startLine"] == 3
    assert sarif_read.region_text(text, where["region"]) == "http://localhost:8000/mcp"
    assert sarif_read.apply_fixes(text, log, ".mcp.json") == apply_to_text(text, plan(report, [config]))
    assert "localhost:3000" in sarif_read.apply_fixes(text, log, ".mcp.json")
    assert log["runs"][0]["columnKind"] == "utf16CodeUnits"


def test_a_candidate_is_no_fix(tmp_path):
    config = _config(tmp_path, '{"mcpServers": {"a": {"type": "http", "url": "http://localhost:8000/mcp"}}}')
    log = _log(_wrong_port(config, "http://localhost:3000/mcp", writable=False), config, tmp_path)
    assert "fixes" not in log["runs"][0]["results"][0]


def test_no_secret_in_sarif_and_no_fix_that_would_show_one(tmp_path, validate):
    text = json.dumps(
        {
            "mcpServers": {
                "a": {
                    "type": "http",
                    "url": "http://bob:hunter2-pw@localhost:8000/mcp?api_key=k-777",
                    "headers": {"Authorization": "Bearer sekrit-header-123"},
                }
            }
        }
    )
    config = _config(tmp_path, text)
    new = "http://bob:hunter2-pw@localhost:3000/mcp?api_key=k-777"
    log = _log(_wrong_port(config, new), config, tmp_path)
    validate(log)
    shown = json.dumps(log)
    for secret in ("hunter2-pw", "k-777", "sekrit-header-123"):
        assert secret not in shown
    result = log["runs"][0]["results"][0]
    assert "fixes" not in result  # the replacement would write the password
    region = result["locations"][0]["physicalLocation"]["region"]
    assert sarif_read.region_text(text, region).startswith("http://bob:")


def test_stdio_entry_points_at_the_arg_and_fixes_it(tmp_path, validate):
    """Judged by the real rules (no engine needed): -it points at its own token, the fix makes it -i."""
    text = (
        '{"mcpServers": {"gh": {"command": "docker", "args": ["run", "--rm", "-it", "-e", "GITHUB_TOKEN", "ghcr.io/x:1"],'
        ' "env": {"GITHUB_TOKEN": "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}}}'
    )
    config = _config(tmp_path, text)
    snap = engine.build_snapshot([config], Unavailable("static"), Unavailable("static"), probe=False)
    report = engine.run(snap)
    log = json.loads(sarif.dumps(report, snap, cwd=str(tmp_path)))
    validate(log)
    tty = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "docker-run-tty")
    assert sarif_read.region_text(text, tty["locations"][0]["physicalLocation"]["region"]) == "-it"
    fixed = sarif_read.apply_fixes(text, log, ".mcp.json")
    assert fixed == apply_to_text(text, plan(report, [config])) and '"-i",' in fixed
    assert "ghp_" not in json.dumps(log)


def test_every_rule_with_its_explanation_and_level(tmp_path):
    config = _config(tmp_path, '{"mcpServers": {}}')
    rules = _log(Report((), (config.path,)), config, tmp_path)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    for rule in rules:
        doc = explain(rule["id"]) or ""
        assert rule["help"]["text"] == doc and rule["shortDescription"]["text"] == doc.splitlines()[0]
        assert "**Fails when:**" in rule["help"]["markdown"] and "``" not in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] == levels[RULES[rule["id"]].SEVERITY]


def test_fingerprints_name_the_entry_not_its_line(tmp_path):
    one = _config(tmp_path, '{"mcpServers": {"a": {"type": "http", "url": "http://localhost:8000/mcp"}}}')
    first = _log(_wrong_port(one, "http://localhost:3000/mcp"), one, tmp_path)["runs"][0]["results"][0]
    two = _config(tmp_path, '\n\n{"mcpServers": {\n"a": {"type": "http", "url": "http://localhost:8000/mcp"}}}')
    second = _log(_wrong_port(two, "http://localhost:3000/mcp"), two, tmp_path)["runs"][0]["results"][0]
    assert first["partialFingerprints"] == second["partialFingerprints"]
    assert first["locations"] != second["locations"]


def test_a_config_outside_the_directory_is_an_absolute_uri(tmp_path):
    config = _config(tmp_path, '{"mcpServers": {"a": {"type": "http", "url": "http://localhost:8000/mcp"}}}')
    elsewhere = tmp_path / "sub"
    elsewhere.mkdir()
    snap = Snapshot((config,), Unavailable("static"), Unavailable("static"))
    log = json.loads(sarif.dumps(_wrong_port(config, "http://localhost:3000/mcp"), snap, cwd=str(elsewhere)))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (tmp_path / ".mcp.json").as_uri()}
