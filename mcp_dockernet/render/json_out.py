"""The machine-readable report: schema mcp-dockernet/doctor/v1 (a public contract)."""

from __future__ import annotations

import json
from typing import Any

from mcp_dockernet import __version__
from mcp_dockernet.model import ProbeResult
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import Report, ServerReport

SCHEMA = "mcp-dockernet/doctor/v1"


def to_dict(report: Report) -> dict[str, Any]:
    counts = {status: 0 for status in ("ok", "warning", "error", "skipped")}
    for server in report.servers:
        counts[server.status] += 1
    return {
        "schema": SCHEMA,
        "tool_version": __version__,
        "configs": list(report.configs),
        "servers": [_server(s) for s in report.servers],
        "summary": counts,
        "skipped_rules": [{"code": c, "reason": r} for c, r in report.skipped_rules],
        "rule_errors": [{"code": c, "error": e} for c, e in report.rule_errors],
    }


def dumps(report: Report) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"


def _server(s: ServerReport) -> dict[str, Any]:
    e = s.entry
    return {
        "name": e.name,
        "config": e.config,
        "client_type": e.client,
        "scope": e.scope,
        "line": e.line,
        "url": redact_url(e.url) if e.url else None,
        "transport": e.transport,
        "transport_declared": e.transport_declared,
        "client": s.client,
        "client_reason": s.client_reason,
        "target": s.target,
        "status": s.status,
        "suggested_url": redact_url(s.suggested_url) if s.suggested_url else None,
        "suggestion_writable": s.writable,
        "findings": [
            {
                "code": f.code,
                "severity": str(f.severity),
                "message": f.message,
                "fix": f.fix,
                "evidence": list(f.evidence),
                "writable": f.writable,
                "candidates": [redact_url(u) for u in f.candidates],
            }
            for f in s.findings
        ],
        "probe": _probe(s.probe) if s.probe else None,
        "notes": list(s.notes),
    }


def _probe(p: ProbeResult) -> dict[str, Any]:
    return {
        "vantage": p.vantage,
        "outcome": p.outcome.value,
        "detail": p.detail,
        "http_status": p.http_status,
        "content_type": p.content_type,
        "server_name": p.server_name,
        "server_version": p.server_version,
        "protocol_version": p.protocol_version,
        "transport": p.transport,
    }
