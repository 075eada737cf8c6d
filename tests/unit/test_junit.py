"""doctor --format junit, read back by a real consumer (junitparser): one case per entry, failures as the exit code counts."""

from __future__ import annotations

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped

from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcpconfig.mcp_config import load_config
from mcp_dockernet.render import junit
from mcp_dockernet.report import Finding, Report, ServerReport, Severity

TEXT = (
    '{"mcpServers": {"broken": {"type": "http", "url": "http://localhost:8000/mcp"},'
    ' "slow": {"type": "http", "url": "http://localhost:8001/mcp"},'
    ' "fine": {"type": "http", "url": "http://localhost:8002/mcp"},'
    ' "off": {"type": "http", "url": "http://localhost:8003/mcp", "disabled": true}}}'
)


def _report(tmp_path) -> Report:
    path = tmp_path / ".mcp.json"
    path.write_text(TEXT)
    config = load_config(str(path))
    entries = {e.name: e for e in config.entries}

    def server(name: str, status: str, *findings: tuple[str, Severity, str]) -> ServerReport:
        found = tuple(
            Finding(code, sev, entries[name].id, msg, "do this", ("seen: that\x1b[0m",)) for code, sev, msg in findings
        )
        return ServerReport(entries[name], "host", "somewhere", status, found, None, None, ("disabled in the config",))

    return Report(
        (
            server(
                "broken",
                "error",
                ("wrong-port", Severity.ERROR, "nothing there"),
                ("auth-required", Severity.WARNING, "a 401"),
            ),
            server("slow", "warning", ("timeout", Severity.WARNING, "no answer")),
            server("fine", "ok"),
            server("off", "skipped"),
        ),
        (config.path,),
    )


@pytest.mark.parametrize("fail_on_warning", [False, True])
def test_cases_and_failures_as_the_exit_code_counts_them(tmp_path, fail_on_warning):
    report = _report(tmp_path)
    xml = JUnitXml.fromstring(junit.dumps(report, fail_on_warning=fail_on_warning))
    (suite,) = list(xml)
    assert suite.name == report.configs[0] and suite.tests == 4 and suite.skipped == 1
    cases = {c.name: c for c in suite}
    assert {c.classname for c in cases.values()} == {report.configs[0]}
    broken = cases["broken"].result
    assert [type(r) for r in broken] == [Failure]
    assert broken[0].message == ("wrong-port, auth-required" if fail_on_warning else "wrong-port")
    assert "nothing there" in broken[0].text and "fix: do this" in broken[0].text
    assert ("a 401" in (cases["broken"].system_out or "")) is not fail_on_warning
    assert [type(r) for r in cases["slow"].result] == ([Failure] if fail_on_warning else [])
    assert cases["fine"].is_passed and [type(r) for r in cases["off"].result] == [Skipped]
    assert suite.failures == (2 if fail_on_warning else 1)
    assert "\x1b" not in junit.dumps(report)  # not a character XML 1.0 allows


def test_a_run_that_judged_nothing_is_one_error(tmp_path):
    xml = JUnitXml.fromstring(junit.error_dumps(ConfigError(".mcp.json", "invalid JSON: unexpected end", line=2)))
    (case,) = [c for s in xml for c in s]
    assert [type(r) for r in case.result] == [Error]
    assert case.result[0].message == ".mcp.json:2: invalid JSON: unexpected end"
