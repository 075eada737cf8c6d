"""The four tools, as plain functions over the services the CLI uses; no MCP SDK here.

Each takes its checked arguments (inputs.py) and a ``cancel`` event, and returns a Result: the
structured document and a short text for clients that show text. `doctor` returns the very
document `doctor --format json` prints (render/json_out.py), `probe` the one `probe --format json`
prints, `fix` the diffs of fix/service.py (written only with ``write``), `rules` the registry. The
same renderers mean the same redaction. Bad input is an MdnError or a ToolError: `run` turns it
into an error Result carrying the one line the CLI prints.

Cancellation: the work runs in a thread that cannot be interrupted mid-probe; a cancelled call is
abandoned by the server at once (server.py), and the thread stops at the next checkpoint: before
it starts, and before fix writes anything. Nothing is written after a cancel arrived.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from mcp_dockernet.errors import FixError, MdnError
from mcp_dockernet.mcp_tools import summary
from mcp_dockernet.mcp_tools.inputs import DOCTOR, FIX, PROBE, RULES, Param, read_args, selection

log = logging.getLogger(__name__)
MAX_RUNNING = 4  # tool calls doing real work at once; more wait (cancellable) for a slot
_running = threading.BoundedSemaphore(MAX_RUNNING)


class ToolError(Exception):
    """A refusal whose line is shown exactly as the CLI prints it (no "mcp-dockernet: " added)."""

    def __init__(self, line: str, document: dict[str, Any] | None = None):
        super().__init__(line)
        self.line = line
        self.document = document


class Cancelled(Exception):
    """The client cancelled the call; nobody reads the result."""


@dataclass(frozen=True, slots=True)
class Result:
    structured: dict[str, Any] | None
    text: str
    is_error: bool = False


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    params: tuple[Param, ...]
    body: Callable[[dict[str, Any], threading.Event], Result]


def run(tool: Tool, arguments: Mapping[str, Any] | None, cancel: threading.Event) -> Result:
    """Check the arguments, wait for a slot, run; every error becomes an error Result, never an exception."""
    try:
        args = read_args(tool.params, arguments)
        while not _running.acquire(timeout=0.2):  # bounded: every holder's work is bounded by its timeouts
            _checkpoint(cancel)
        try:
            _checkpoint(cancel)
            return tool.body(args, cancel)
        finally:
            _running.release()
    except Cancelled:
        return Result(None, "cancelled", is_error=True)
    except ToolError as e:
        return Result(e.document, e.line, is_error=True)
    except MdnError as e:
        document = _error_document(e) if tool.name == "doctor" else None
        return Result(document, f"mcp-dockernet: {e}", is_error=True)
    except Exception as e:  # a bug must not take the server down; its message may quote a config: not shown
        log.exception("tool %s failed", tool.name)
        return Result(
            None, f"mcp-dockernet: internal error ({type(e).__name__}); the traceback is in the server's stderr", True
        )


def _checkpoint(cancel: threading.Event) -> None:
    if cancel.is_set():
        raise Cancelled


def _error_document(e: MdnError) -> dict[str, Any]:
    """What `doctor --format json` prints when it can judge nothing (exit 2)."""
    from mcp_dockernet.render import json_out

    return dict(json.loads(json_out.error_dumps(e)))


def _doctor_document(diagnosis: Any, report: Any = None) -> dict[str, Any]:
    from mcp_dockernet.render import json_out

    return json_out.of_run(diagnosis, report)


def doctor(args: dict[str, Any], cancel: threading.Event) -> Result:
    from mcp_dockernet.run import diagnose

    document = _doctor_document(diagnose(selection(args)))
    return Result(document, summary.doctor(document))


def probe(args: dict[str, Any], cancel: threading.Event) -> Result:
    import typer

    from mcp_dockernet import cli_probe

    try:
        result = cli_probe.run_probe(args["url"], args["from"], args["transport"], args["timeout"], args["project"])
    except typer.BadParameter as e:  # what the CLI shows for --from
        raise ToolError(e.format_message()) from None
    document = cli_probe.document(result)
    return Result(document, summary.probe(document))


def fix(args: dict[str, Any], cancel: threading.Event) -> Result:
    from mcp_dockernet.fix import plan as fix_plan
    from mcp_dockernet.fix.service import apply_fix, plan_fixes
    from mcp_dockernet.run import diagnose

    sel = selection(args)
    diagnosis = diagnose(sel)
    fixes = plan_fixes(diagnosis, edit_compose=args["edit_compose"])
    diffs = [{"path": c.path, "diff": fix_plan.diff(c, mine)} for c in diagnosis.configs if (mine := fixes.of(c))]
    manual = [
        {"name": s.entry.name, "config": s.entry.config, "codes": [f.code for f in s.findings]}
        for s in diagnosis.report.servers
        if s.findings and not s.writable
    ]
    document: dict[str, Any] = {
        "schema": "mcp-dockernet/fix/v1",
        "changes": len(fixes.edits),
        "diffs": diffs,
        "notes": list(fixes.notes),
        "manual": manual,
        "written": [],
        "recheck": None,
    }
    if args["write"] and fixes.edits:
        _checkpoint(cancel)  # the last point a cancel stops it: from here each file is written whole
        unseen: set[str] = set()
        for config in diagnosis.configs:
            if mine := fixes.of(config):
                try:
                    done = apply_fix(config, mine, diagnosis, backup=args["backup"])
                except FixError as e:
                    already = ", ".join(w["path"] for w in document["written"])
                    raise FixError(f"{e}" + (f" (already written: {already})" if already else "")) from None
                document["written"].append(_written(done))
                if done.unseen:
                    unseen.add(config.path)
        after = diagnose(sel).report
        # As the CLI does: an entry whose client still reads the old file is not shown as judged again.
        shown = tuple(s for s in after.servers if s.entry.config not in unseen)
        document["recheck"] = _doctor_document(diagnosis, replace(after, servers=shown))
    return Result(document, summary.fix(document, wrote=bool(args["write"])))


def _written(done: Any) -> dict[str, Any]:
    return {
        "path": done.path,
        "backup": done.backup,
        "in_place": done.pinned is not None,
        "seen": list(done.seen),
        "unverified": list(done.unverified),
        "unseen": list(done.unseen),
    }


def rules(args: dict[str, Any], cancel: threading.Event) -> Result:
    from mcp_dockernet.rules import RULES as REGISTRY
    from mcp_dockernet.rules import explain

    code = args["code"]
    if code is not None and code not in REGISTRY:
        raise ToolError(f"unknown finding code {code!r}; see: mcp-dockernet rules list")
    listed = []
    for name, rule in REGISTRY.items():
        if code is not None and name != code:
            continue
        doc = explain(name) or ""
        listed.append(
            {
                "code": name,
                "severity": str(rule.SEVERITY),
                "title": doc.splitlines()[0] if doc else "",
                "explanation": doc,
                "needs": sorted(rule.NEEDS),
                "supersedes": sorted(rule.SUPERSEDES),
            }
        )
    document = {"schema": "mcp-dockernet/rules/v1", "rules": listed}
    return Result(document, summary.rules(document, one=code is not None))


TOOLS: dict[str, Tool] = {
    "doctor": Tool("doctor", DOCTOR, doctor),
    "probe": Tool("probe", PROBE, probe),
    "fix": Tool("fix", FIX, fix),
    "rules": Tool("rules", RULES, rules),
}
