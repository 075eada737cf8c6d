"""The machine-readable report: schema mcp-dockernet/doctor/v1 (a public contract)."""

from __future__ import annotations

import json
from typing import Any

from mcp_dockernet import __version__
from mcp_dockernet.collectors.endpoint import Endpoint
from mcp_dockernet.errors import ConfigError, EngineError, MdnError
from mcp_dockernet.model import LaunchResult, ProbeResult
from mcp_dockernet.redact import redact_argv, redact_env, redact_url
from mcp_dockernet.report import Report, ServerRef, ServerReport

SCHEMA = "mcp-dockernet/doctor/v1"


def to_dict(
    report: Report,
    engine: Endpoint | None = None,
    engine_problem: str | None = None,
    product: str | None = None,
    sockets_read: str | None = None,
) -> dict[str, Any]:
    counts = {status: 0 for status in ("ok", "warning", "error", "skipped")}
    for server in report.servers:
        counts[server.status] += 1
    head: dict[str, Any] = {"schema": SCHEMA, "tool_version": __version__}
    if engine is not None or engine_problem is not None:
        head["engine"] = engine_dict(engine, engine_problem) | {"sockets_read": sockets_read}
        if product:
            head["engine"]["product"] = product
    return {
        **head,
        "configs": list(report.configs),
        "servers": [_server(s) for s in report.servers],
        "summary": counts,
        "skipped_rules": [{"code": c, "reason": r} for c, r in report.skipped_rules],
        "rule_errors": [{"code": c, "error": e} for c, e in report.rule_errors],
    }


def of_run(diagnosis: Any, report: Report | None = None) -> dict[str, Any]:
    """The document of one run (a run.Diagnosis), with the facts of the engine it used: what
    `doctor --format json` prints and what the `mcp` server's doctor tool returns, alike."""
    from mcp_dockernet.collectors.docker_engine import product_of
    from mcp_dockernet.model import Unavailable

    state = diagnosis.snapshot.engine
    problem = state.reason if isinstance(state, Unavailable) else None
    return to_dict(report or diagnosis.report, diagnosis.endpoint, problem, product_of(state), diagnosis.sockets_read)


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def engine_dict(engine: Endpoint | None, problem: str | None = None) -> dict[str, Any]:
    """Which engine was used and why; ``reachable`` false in static mode (Compose files only)."""
    return {
        "endpoint": engine.shown_url if engine else None,
        "chosen_by": engine.chosen_by if engine else None,
        "local": engine.local if engine else None,
        "reachable": problem is None,
        "note": engine.remote_note() if engine else None,
        "problem": problem,
        "host": engine.host if engine else None,
        "machines": engine.machines() if engine else None,
    }


def error_dumps(err: MdnError) -> str:
    """The document for a run that could not judge anything (exit 2): still one JSON document."""
    detail: dict[str, Any] = {"code": "bad-input", "message": str(err)}
    if isinstance(err, EngineError):
        detail.update(code=err.code, endpoint=err.endpoint, chosen_by=err.chosen_by)
    elif isinstance(err, ConfigError):
        detail.update(code="config-invalid", path=err.path, line=err.line)
    doc = {"schema": SCHEMA, "tool_version": __version__, "error": detail, "configs": [], "servers": []}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


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
        "suggested_transport": s.suggested_transport,
        "findings": [
            {
                "code": f.code,
                "severity": str(f.severity),
                "message": f.message,
                "fix": f.fix,
                "evidence": list(f.evidence),
                "writable": f.writable,
                "suggested_url": redact_url(f.suggested_url) if f.suggested_url else None,
                "suggested_transport": f.suggested_transport,
                "candidates": [redact_url(u) for u in f.candidates],
                "server": _server_ref(f.server),
            }
            for f in s.findings
        ],
        "probe": _probe(s.probe) if s.probe else None,
        # As the file writes them (placeholders kept, so no resolved secret), secrets masked.
        "command": redact_argv(e.stdio.command, e.stdio.raw_args) if e.stdio else None,
        "env": dict(redact_env(e.stdio.raw_env)) if e.stdio else None,
        "launch": _launch(s.launch) if s.launch else None,
        "notes": list(s.notes),
    }


def _server_ref(ref: ServerRef | None) -> dict[str, Any] | None:
    """The container, Compose service or Swarm service (its stack as project) the finding is about."""
    if ref is None:
        return None
    return {
        "name": ref.name,
        "service": ref.service,
        "project": ref.project,
        "port": ref.port,
        "host_port": ref.host_port,
    }


def _launch(launch: LaunchResult) -> dict[str, Any]:
    return {
        "outcome": launch.outcome,
        "detail": launch.detail,
        "exit_code": launch.exit_code,
        "stderr_tail": list(launch.stderr_tail),
        "server_name": launch.server_name,
        "server_version": launch.server_version,
        "protocol_version": launch.protocol_version,
        "tool_count": launch.tool_count,
        "seconds": round(launch.seconds, 3),
        "removed_containers": list(launch.removed_containers),
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
