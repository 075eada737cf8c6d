"""Read SARIF back as a consumer does, written apart from mcp_dockernet/render (no code shared with it).

- ``region_text``: the characters a text region names, counting lines and UTF-16 columns here;
- ``apply_fixes``: a file's text after every replacement of every fix that targets it;
- ``validate``: the SARIF 2.1.0 JSON schema (Microsoft's copy, shipped in the npm package of its
  SARIF Multitool, which scripts/lab-parts installs; also the OASIS file when
  ``MCP_DOCKERNET_SARIF_SCHEMA`` names it), then the Multitool's own ``validate`` with the SARIF
  and GitHub code-scanning ingestion rules (``--rule-kind Sarif;Ghas``): errors fail.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import jsonschema

from tests.lab.real_parts import CACHE

MULTITOOL_DIR = CACHE / "sarif" / "node_modules" / "@microsoft" / "sarif-multitool-linux"
MULTITOOL = MULTITOOL_DIR / "Sarif.Multitool"
MS_SCHEMA = MULTITOOL_DIR / "sarif-2.1.0.json"
# Warnings the Multitool gives that are not about the log's correctness: the project has no public URL yet.
ACCEPTED_WARNINGS = frozenset({"SARIF2005"})  # ProvideToolnformationUri


def missing() -> str:
    if not (CACHE / "sarif" / ".mcp-dockernet-pins").is_file() or not MULTITOOL.is_file():
        return f"{CACHE / 'sarif'} is missing: run scripts/lab-parts (scripts/lab-up runs it)"
    return ""


def _lines(text: str) -> list[str]:
    """Each line with its newline, broken at \\r\\n or \\n only (SARIF's default newlineSequences)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _offset(text: str, line: int, column: int) -> int:
    lines = _lines(text)
    before = sum(len(x) for x in lines[: line - 1])
    current = lines[line - 1] if line - 1 < len(lines) else ""
    units = current.encode("utf-16-le")
    return before + len(units[: 2 * (column - 1)].decode("utf-16-le"))


def region_text(text: str, region: dict[str, Any]) -> str:
    start = _offset(text, region["startLine"], region.get("startColumn", 1))
    end_line = region.get("endLine", region["startLine"])
    if "endColumn" in region:
        end = _offset(text, end_line, region["endColumn"])
    else:  # the end of the line, its newline excluded
        end = _offset(text, end_line, 1) + len(_lines(text)[end_line - 1].rstrip("\r\n"))
    return text[start:end]


def apply_fixes(text: str, log: dict[str, Any], uri: str) -> str:
    """Every replacement for ``uri``: regions are in the unmodified text (SARIF 2.1.0 §3.57.1), so applied last first."""
    spans = []
    for result in log["runs"][0]["results"]:
        for fix in result.get("fixes", ()):
            for change in fix["artifactChanges"]:
                if change["artifactLocation"]["uri"] != uri:
                    continue
                for r in change["replacements"]:
                    region = r["deletedRegion"]
                    start = _offset(text, region["startLine"], region["startColumn"])
                    end = _offset(text, region["endLine"], region["endColumn"])
                    spans.append((start, end, r.get("insertedContent", {}).get("text", "")))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def validate(log: dict[str, Any]) -> None:
    schema = json.loads(MS_SCHEMA.read_text(encoding="utf-8-sig"))
    jsonschema.Draft202012Validator(schema).validate(log)
    oasis = os.environ.get("MCP_DOCKERNET_SARIF_SCHEMA")
    if oasis:
        jsonschema.Draft4Validator(json.loads(Path(oasis).read_text())).validate(log)
    with tempfile.TemporaryDirectory(prefix="mdn-sarif-") as tmp:
        given, out = Path(tmp) / "doctor.sarif", Path(tmp) / "validation.sarif"
        given.write_text(json.dumps(log))
        done = subprocess.run(
            [
                str(MULTITOOL),
                "validate",
                str(given),
                "-o",
                str(out),
                "--rule-kind",
                "Sarif;Ghas",
                "--log",
                "ForceOverwrite",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1"},
        )
        assert done.returncode == 0, done.stdout + done.stderr
        found = json.loads(out.read_text(encoding="utf-8-sig"))["runs"][0].get("results", [])
    problems = [
        f"{r['ruleId']} {r.get('level', 'warning')}: {r['message']}"
        for r in found
        if r.get("level", "warning") == "error" or r["ruleId"] not in ACCEPTED_WARNINGS
    ]
    assert not problems, problems
