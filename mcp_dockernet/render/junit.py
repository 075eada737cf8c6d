"""doctor --format junit: JUnit XML, the test report every CI shows.

One ``<testsuite>`` per config file (its path is the suite's name and each case's ``classname``),
one ``<testcase>`` per server entry. A case fails exactly when doctor's exit code counts it: an
entry with an error finding has a ``<failure>`` (``message``: its codes; the body: each finding's
message, evidence and fix), and with ``--fail-on warning`` an entry with a warning too. Findings
that do not fail the run (warnings without it, infos) are the case's ``<system-out>``, so they
are seen and the case passes. Skipped entries (disabled, not http(s), placeholders with no value)
are ``<skipped>`` with the reason. Text is what the text report shows, secrets already masked.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from mcp_dockernet.errors import MdnError
from mcp_dockernet.report import Finding, Report, ServerReport, Severity

SUITES = "mcp-dockernet doctor"
# XML 1.0 allows tab, newline, carriage return and these ranges; anything else is dropped.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def dumps(report: Report, *, fail_on_warning: bool = False) -> str:
    root = ET.Element("testsuites", name=SUITES)
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for path in _config_order(report):
        servers = [s for s in report.servers if s.entry.config == path]
        suite = ET.SubElement(root, "testsuite", name=_clean(path))
        counts = {"tests": len(servers), "failures": 0, "errors": 0, "skipped": 0}
        names = [s.entry.name for s in servers]
        for server in servers:
            outcome = _case(suite, server, path, names.count(server.entry.name) > 1, fail_on_warning)
            if outcome:
                counts[outcome] += 1
        suite.attrib.update({k: str(v) for k, v in counts.items()})
        for key in totals:
            totals[key] += counts[key]
    root.attrib.update({"tests": str(totals["tests"]), "failures": str(totals["failures"]), "errors": "0"})
    return _serialize(root)


def error_dumps(err: MdnError) -> str:
    """The report of a run that could judge nothing (exit 2): one case in error, with the one-line message."""
    root = ET.Element("testsuites", name=SUITES, tests="1", failures="0", errors="1")
    suite = ET.SubElement(root, "testsuite", name="mcp-dockernet", tests="1", failures="0", errors="1", skipped="0")
    case = ET.SubElement(suite, "testcase", classname="mcp-dockernet", name="doctor")
    ET.SubElement(case, "error", message=_clean(str(err)), type=type(err).__name__).text = _clean(str(err))
    return _serialize(root)


def _config_order(report: Report) -> list[str]:
    """The configs as the report read them, then any an entry names beside them (Compose files)."""
    paths = list(dict.fromkeys(report.configs))
    return paths + [p for p in dict.fromkeys(s.entry.config for s in report.servers) if p not in paths]


def _case(suite: ET.Element, server: ServerReport, path: str, repeated: bool, fail_on_warning: bool) -> str | None:
    entry = server.entry
    name = f"{entry.scope}.{entry.name}" if repeated else entry.name  # one name in two scopes of one file
    case = ET.SubElement(suite, "testcase", classname=_clean(path), name=_clean(name))
    if server.status == "skipped":
        reason = "; ".join(server.notes) or "skipped"
        ET.SubElement(case, "skipped", message=_clean(reason))
        return "skipped"
    threshold = Severity.WARNING if fail_on_warning else Severity.ERROR
    failing = [f for f in server.findings if f.severity >= threshold]
    passing = [f for f in server.findings if f.severity < threshold]
    outcome = None
    if failing:
        failure = ET.SubElement(
            case, "failure", message=", ".join(f.code for f in failing), type=str(failing[0].severity)
        )
        failure.text = _clean(_body(server, failing))
        outcome = "failures"
    if passing:
        ET.SubElement(case, "system-out").text = _clean(_body(server, passing))
    return outcome


def _body(server: ServerReport, findings: list[Finding]) -> str:
    lines = [f"{server.entry.name} ({server.client} -> {server.target}), {server.entry.config}:{server.entry.line}"]
    for f in findings:
        lines.append(f"{f.code} ({f.severity}): {f.message}")
        lines += [f"    {e}" for e in f.evidence]
        lines.append(f"  fix: {f.fix}")
    return "\n".join(lines) + "\n"


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _serialize(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
