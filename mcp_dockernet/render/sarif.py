"""doctor --format sarif: SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, VS Code's SARIF viewer).

One run. ``tool.driver.rules`` lists every registered rule, not only those found: the rule set
describes the tool (it changes with a release, never with a run), each ``ruleIndex`` stays the
same from run to run, and a consumer can show any rule's help. A result is one finding: its
location is the thing to change, the URL token of an entry (or the arg token of a stdio entry)
with the exact columns, or for a Compose fix (``extra_hosts``, ``ports``, ``networks``) the line
of the service in its Compose file, with the entry as a related location. Where the fix is a text
edit (fix/plan.py), the result carries it as a SARIF ``fixes`` object, but never one that would
show a secret: such a fix is left out (the diff of ``mcp-dockernet fix`` masks it; SARIF cannot).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mcp_dockernet import __version__
from mcp_dockernet.errors import ConfigError, MdnError
from mcp_dockernet.fix.override import plan_override
from mcp_dockernet.model import ConfigFile, ServerEntry, Snapshot, Span
from mcp_dockernet.redact import redact_url
from mcp_dockernet.render.sarif_fix import fix_of, masked, secret_values
from mcp_dockernet.render.sarif_regions import NEWLINES, TextIndex, unquoted
from mcp_dockernet.report import Finding, Report, ServerReport, Severity
from mcp_dockernet.rules import RULES, explain

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT = "mcpDockernetEntry/v1"
# The docker run flag a stdio finding is about, when it edits no argument itself.
FLAG_OF = {
    "docker-run-publish-unused": ("publish",),
    "docker-run-host-network": ("network", "net"),
    "env-not-set": ("env",),
    "env-file-missing": ("env-file",),
}


def to_dict(report: Report, snapshot: Snapshot, *, cwd: str | None = None) -> dict[str, Any]:
    cwd = os.path.abspath(cwd or os.getcwd())
    configs = {c.path: c for c in snapshot.configs}
    indexes = {path: TextIndex(c.text) for path, c in configs.items()}
    codes = list(RULES)
    results = [
        result
        for server in report.servers
        for result in _results(server, report, snapshot, configs, indexes, codes, cwd)
    ]
    secrets = frozenset().union(*(secret_values(c) for c in snapshot.configs))
    results = [_scrubbed(r, secrets) for r in results]
    notes = [_note("note", f"rule {code} skipped: {why}", code) for code, why in report.skipped_rules]
    notes += [_note("error", f"rule {code} crashed: {error}", code) for code, error in report.rule_errors]
    return _log(
        [_rule(code) for code in codes],
        results,
        {"executionSuccessful": not report.rule_errors, "toolExecutionNotifications": notes},
        cwd,
        artifacts=[{"location": _uri(c.path, cwd), "roles": ["analysisTarget"]} for c in snapshot.configs],
    )


def dumps(report: Report, snapshot: Snapshot, *, cwd: str | None = None) -> str:
    return json.dumps(to_dict(report, snapshot, cwd=cwd), indent=2, ensure_ascii=False) + "\n"


def error_dumps(err: MdnError, *, cwd: str | None = None) -> str:
    """The log of a run that could judge nothing (exit 2): no results, the one-line error as a notification."""
    cwd = os.path.abspath(cwd or os.getcwd())
    note = _note("error", str(err))
    if isinstance(err, ConfigError):
        region = {"startLine": err.line} | ({"startColumn": err.column} if err.line and err.column else {})
        note["locations"] = [{"physicalLocation": _physical(err.path, cwd, region if err.line else None)}]
    doc = _log(
        [_rule(code) for code in RULES], [], {"executionSuccessful": False, "toolExecutionNotifications": [note]}, cwd
    )
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _log(
    rules: list[dict[str, Any]],
    results: list[dict[str, Any]],
    invocation: dict[str, Any],
    cwd: str,
    artifacts: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    driver = {"name": "mcp-dockernet", "version": __version__, "semanticVersion": __version__, "rules": rules}
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": Path(cwd).as_uri().rstrip("/") + "/"}},
        "columnKind": "utf16CodeUnits",
        "newlineSequences": list(NEWLINES),
        "defaultEncoding": "utf-8",  # the loaders read configs as UTF-8 only
    }
    if artifacts:
        run["artifacts"] = artifacts
    run["results"] = results
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule(code: str) -> dict[str, Any]:
    doc = explain(code) or code
    title = doc.splitlines()[0].strip()
    rule = RULES[code]
    fails = next((p for p in _paragraphs(doc) if p.startswith("Fails when")), title)
    name = "".join(w.capitalize() for w in code.split("-"))
    return {
        "id": code,
        # A readable identifier beside the opaque id; left out where it would only repeat it (SARIF1001).
        **({"name": name} if name.lower() != code.lower() else {}),
        "shortDescription": {"text": title},
        "fullDescription": {"text": " ".join(fails.split())},
        "help": {"text": doc, "markdown": _markdown(doc)},
        "defaultConfiguration": {"level": LEVELS[rule.SEVERITY]},
        "properties": {"tags": ["mcp", "docker"]},
    }


def _paragraphs(doc: str) -> list[str]:
    """The docstring's parts: its title, then each "Fails when:", "Passes when:", "Fix:" part."""
    return [p.strip() for p in re.split(r"\n(?=Fails when|Passes when|Fix:)|\n\s*\n", doc) if p.strip()]


def _markdown(doc: str) -> str:
    text = "\n\n".join(_paragraphs(doc))
    text = re.sub(r"``(.+?)``", r"`\1`", text, flags=re.S)  # reStructuredText literals
    return re.sub(r"^(Fails when|Passes when|Fix):", r"**\1:**", text, flags=re.M)


def _note(level: str, text: str, code: str | None = None) -> dict[str, Any]:
    note: dict[str, Any] = {"level": level, "message": {"text": text}}
    if code is not None and code in RULES:
        note["associatedRule"] = {"id": code, "index": list(RULES).index(code)}
    return note


def _results(
    server: ServerReport,
    report: Report,
    snapshot: Snapshot,
    configs: dict[str, ConfigFile],
    indexes: dict[str, TextIndex],
    codes: list[str],
    cwd: str,
) -> list[dict[str, Any]]:
    entry = server.entry
    config = configs.get(entry.config)
    fix = fix_of(server, config, indexes[config.path], _uri(config.path, cwd)) if config is not None else None
    carrier = next((f for f in server.findings if f.writable and _suggests(f)), None)
    results = []
    for finding in server.findings:
        here = _entry_location(entry, finding, config, indexes, cwd)
        services = _compose_services(server, finding, snapshot, cwd)
        result: dict[str, Any] = {
            "ruleId": finding.code,
            **({"ruleIndex": codes.index(finding.code)} if finding.code in codes else {}),
            "level": LEVELS.get(finding.severity, "warning"),
            "message": {"text": f"{finding.message}\nFix: {finding.fix}"},
            "locations": [services[0] if services else here],
        }
        if services:
            result["relatedLocations"] = [dict(here, id=1, message={"text": f"server entry {entry.name}"})]
        result["partialFingerprints"] = {FINGERPRINT: _fingerprint(finding.code, entry, cwd)}
        result["properties"] = {
            "entry": entry.name,
            "scope": entry.scope,
            "client": server.client,
            "evidence": list(finding.evidence),
            "suggestedUrl": redact_url(finding.suggested_url) if finding.suggested_url else None,
            "writable": finding.writable,
        }
        if fix is not None and finding is (carrier or server.findings[0]):
            result["fixes"] = [fix]
        results.append(result)
    return results


def _scrubbed(result: dict[str, Any], secrets: frozenset[str]) -> dict[str, Any]:
    """Every string of a result with the files' secret values masked; a fix that would change so is left out."""

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return masked(value, secrets)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    clean = {k: walk(v) for k, v in result.items() if k != "fixes"}
    if "fixes" in result and walk(result["fixes"]) == result["fixes"]:
        clean["fixes"] = result["fixes"]
    return clean


def _suggests(f: Finding) -> bool:
    return bool(f.suggested_url or f.suggested_transport or f.arg_edits)


def _fingerprint(code: str, entry: ServerEntry, cwd: str) -> str:
    """The same finding on the same entry, whatever moved in the file: code, config path, scope, name."""
    path = _uri(entry.config, cwd)["uri"]
    return hashlib.sha256("\0".join((code, path, entry.scope, entry.name)).encode()).hexdigest()[:32]


def _uri(path: str, cwd: str) -> dict[str, Any]:
    """Relative to the current directory (%SRCROOT%) when inside it, else an absolute file: URI."""
    full = os.path.abspath(path)
    rel = os.path.relpath(full, cwd)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return {"uri": Path(full).as_uri()}
    return {"uri": quote(rel.replace(os.sep, "/")), "uriBaseId": SRCROOT}


def _physical(path: str, cwd: str, region: dict[str, Any] | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _uri(path, cwd)}
    if region:
        physical["region"] = region
    return physical


def _entry_location(
    entry: ServerEntry, finding: Finding, config: ConfigFile | None, indexes: dict[str, TextIndex], cwd: str
) -> dict[str, Any]:
    span = _span_of(entry, finding)
    index = indexes.get(entry.config)
    region: dict[str, Any] | None = None
    if span is not None and config is not None and index is not None:
        region = index.region(*unquoted(config.text, span.start, span.end))
    elif entry.line > 0:
        region = {"startLine": entry.line}
    logical = {"name": entry.name, "fullyQualifiedName": f"{entry.scope}.{entry.name}"}
    return {"physicalLocation": _physical(entry.config, cwd, region), "logicalLocations": [logical]}


def _span_of(entry: ServerEntry, finding: Finding) -> Span | None:
    """The token to change: the URL; for a stdio entry the argument the fix edits, else the one the finding names."""
    if entry.url_span is not None:
        return entry.url_span
    cmd = entry.stdio
    if cmd is None:
        return None
    args = cmd.arg_spans
    for edit in finding.arg_edits:
        if edit.kind == "replace-env":
            span = dict(cmd.env_spans).get(edit.env_name or "")
        else:
            i = edit.index - 1 if edit.kind == "insert-args" else edit.index  # an insert: the word it follows
            span = args[i] if 0 <= i < len(args) else cmd.command_span
        if span is not None:
            return span
    run = cmd.docker
    if run is not None:
        if finding.code == "image-not-found" and run.image_index is not None and run.image_index < len(args):
            return args[run.image_index] or cmd.command_span
        flagged = [f for f in run.flags if f.name in FLAG_OF.get(finding.code, ())]
        if flagged and flagged[0].index < len(args):
            return args[flagged[0].index] or cmd.command_span
    return cmd.command_span


def _compose_services(server: ServerReport, finding: Finding, snapshot: Snapshot, cwd: str) -> list[dict[str, Any]]:
    """Where a Compose fix goes: the line of each service the override (fix/override.py) would change."""
    project = snapshot.compose
    if project is None:
        return []
    alone = replace(server, findings=(finding,), suggested_url=None)  # the URL itself is located at its token
    override = plan_override(Report((alone,), ()), snapshot)
    found = []
    for name in override.services:
        service = project.service(name)
        if service is not None and service.file and service.line:
            where = _physical(service.file, cwd, {"startLine": service.line})
            found.append({"physicalLocation": where, "message": {"text": f"service {name}"}})
    return found
