"""The one-screen report for people: per server the direction, the verdict, the why and the fix.

Lines wrap to the terminal's width with a hanging indent (wrap.py); the `apply:` command never wraps,
so it can be copied whole.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from rich.console import Console
from rich.text import Text

from mcp_dockernet.collectors.endpoint import Endpoint
from mcp_dockernet.mcpconfig.clients import title_of
from mcp_dockernet.model import LaunchResult
from mcp_dockernet.redact import redact_argv, redact_url
from mcp_dockernet.render.wrap import Wrapper, plural, terminal_width
from mcp_dockernet.report import Report, ServerReport


@dataclass(frozen=True, slots=True)
class Selectors:
    """The options of the run a report came from, so each `apply:` hint repeats the ones it needs."""

    compose_files: tuple[str, ...] = ()  # the project's files, also when it was found in the directory
    project_dir: str | None = None
    project_name: str | None = None
    client: str | None = None
    client_type: str | None = None
    no_probe: bool = False
    mounted: frozenset[str] = frozenset()  # configs whose client is the Compose service that mounts them


def apply_command(s: ServerReport, sel: Selectors) -> str:
    """The `fix` command that applies this entry's suggestion, as it must be typed to do so.

    A Compose file is written only with --edit-compose; a config's client is found again only with
    the options that found it (--client, and the Compose project for a service or a mount).
    """
    e = s.entry
    project = [a for f in sel.compose_files for a in ("--compose", f)]
    if sel.project_dir and project:
        project += ["--project-dir", sel.project_dir]
    if sel.project_name:
        project += ["--project-name", sel.project_name]
    if e.client == "compose":
        args = [*project, "--write", "--edit-compose"]
    else:
        args = ["--config", e.config]
        if sel.client_type:
            args += ["--client-type", sel.client_type]
        if sel.client:
            args += ["--client", sel.client]
        if e.config in sel.mounted or (sel.client or "").startswith("service:"):
            args += project
        args.append("--write")
    if sel.no_probe:
        args.append("--no-probe")
    return shlex.join(["mcp-dockernet", "fix", *args])


LAUNCH_CODES = ("stdio-exits-at-start", "stdio-no-answer")  # findings that tell the launch themselves
MARKS = {"ok": ("✓", "green"), "warning": ("!", "yellow"), "error": ("✗", "red"), "skipped": ("-", "dim")}


def render(
    report: Report,
    console: Console,
    *,
    show_skipped: bool = False,
    engine: Endpoint | None = None,
    engine_problem: str | None = None,
    selectors: Selectors | None = None,
    width: int | None = None,
    sockets_read: str | None = None,
    product: str | None = None,
) -> None:
    """Print the report; ``width`` defaults to the terminal's (COLUMNS, else the tty, else 100)."""
    w = Wrapper(console, width or terminal_width())
    shown = [s for s in report.servers if s.status != "skipped" or s.entry.url or s.entry.stdio]
    http = sum(1 for s in report.servers if s.entry.url)
    stdio = len(report.servers) - http
    w.line(
        ("mcp-dockernet doctor", "bold"),
        f": {plural(len(report.configs), 'config file')}, {plural(http, 'HTTP server')}"
        + (f", {plural(stdio, 'stdio server')}" if stdio else "")
        + _engine_words(engine, engine_problem)
        + (f", {product}" if product and engine is not None else ""),
        indent=2,
    )
    if engine is not None:
        w.line(f"  machines: {engine.machines()}", indent=4, style="dim")
    if engine is not None and engine.remote_note():
        w.line(f"  note: {engine.remote_note() or ''}", indent=4, style="dim")
        if sockets_read:
            w.line(f"  container sockets read on the engine's host through {sockets_read}", indent=4, style="dim")
    for path in report.configs:
        w.line(f"  read {path}", indent=4, style="dim")
    for server in report.servers:
        if server in shown or show_skipped:
            console.print()
            _server(server, w, selectors or Selectors())
    if report.skipped_rules:
        console.print()
        for code, why in report.skipped_rules:
            w.line(("skipped", "yellow"), f" {code}: {why}", indent=4)
    for code, error in report.rule_errors:
        w.line((f"rule {code} crashed", "red"), f": {error} (run with --debug for the traceback)", indent=4)
    console.print()
    console.print(_summary(report), markup=False, soft_wrap=True)


def _server(s: ServerReport, w: Wrapper, sel: Selectors) -> None:
    mark, color = MARKS[s.status]
    e = s.entry
    url = redact_url(e.url) if e.url else command_line(s) or "(stdio)"
    meta = f"{e.transport} · {title_of(e.client)} · {e.config}:{e.line}"
    head: list[str | tuple[str, str]] = [(f"{mark} {e.name}", f"{color} bold"), f"  {url}"]
    if len(f"{mark} {e.name}  {url}  {meta}") <= w.width:
        w.line(*head, ("  " + meta, "dim"), indent=4)
    else:  # the URL stays whole on the first line; where it was found goes under it
        w.line(*head, indent=4)
        w.line(f"    {meta}", indent=6, style="dim")
    why = (f" ({s.client_reason})", "dim") if s.client != "host" and s.client_reason else ""
    w.line(f"  {s.client}", why, f" -> {s.target}", indent=4)
    if s.probe is not None and (s.probe.ok or not s.findings):
        w.line(f"  probe: {s.probe.summary()}", indent=4, style="dim" if s.probe.ok else "")
    if s.launch is not None and (s.launch.ok or not any(f.code in LAUNCH_CODES for f in s.findings)):
        w.line(f"  launch: {launch_summary(s.launch)}", indent=4, style="dim" if s.launch.ok else "")
    for f in s.findings:
        color = MARKS[str(f.severity)][1] if str(f.severity) in MARKS else "yellow"
        w.line("  ", (f.code, f"{color} bold"), f"  {f.message}", indent=4)
        for line in f.evidence:
            w.line(f"      {line}", indent=8, style="dim")
        w.line("    ", ("fix", "bold"), f": {f.fix}", indent=6)
    if (s.suggested_url or s.arg_edits) and s.writable:  # never wrapped: a command to copy whole
        w.console.print(Text.assemble("    ", ("apply", "bold"), f": {apply_command(s, sel)}"), soft_wrap=True)
    for note in s.notes:
        w.line(f"  note: {note}", indent=4, style="dim")


def command_line(s: ServerReport) -> str | None:
    """A stdio entry's command line as a shell would show it, every secret masked."""
    command = s.entry.stdio
    if command is None:
        return None
    return shlex.join(redact_argv(command.command, command.raw_args))  # as written: no resolved secret


def launch_summary(launch: LaunchResult) -> str:
    if launch.ok:
        tools = "" if launch.tool_count is None else f", {plural(launch.tool_count, 'tool')}"
        name = f"{launch.server_name or '?'} {launch.server_version or ''}".rstrip()
        return f"MCP server {name} answered over stdio (protocol {launch.protocol_version or '?'}{tools}) in {launch.seconds:.1f} s"
    return launch.detail


def _engine_words(engine: Endpoint | None, problem: str | None) -> str:
    if engine is None:
        return "; engine not reachable" if problem else ""
    return f"; engine {engine.shown_url} ({engine.chosen_by})" + (
        ", not reachable: rules that need it are skipped" if problem else ""
    )


def _summary(report: Report) -> str:
    counts: dict[str, int] = {}
    for s in report.servers:
        counts[s.status] = counts.get(s.status, 0) + 1
    words = {"error": "error", "warning": "warning"}  # "3 ok", "2 skipped" take no plural
    parts = [plural(counts[k], words[k]) if k in words else f"{counts[k]} {k}" for k in STATUS_ORDER if counts.get(k)]
    return "summary: " + (", ".join(parts) if parts else "no MCP servers found")


STATUS_ORDER = ("error", "warning", "ok", "skipped")
