"""The one-screen report for people: per server the direction, the verdict, the why and the fix."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from rich.console import Console
from rich.markup import escape

from mcp_dockernet.collectors.endpoint import Endpoint
from mcp_dockernet.mcpconfig.clients import title_of
from mcp_dockernet.redact import redact_url
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


MARKS = {"ok": ("✓", "green"), "warning": ("!", "yellow"), "error": ("✗", "red"), "skipped": ("-", "dim")}


def render(
    report: Report,
    console: Console,
    *,
    show_skipped: bool = False,
    engine: Endpoint | None = None,
    engine_problem: str | None = None,
    selectors: Selectors | None = None,
) -> None:
    http = [s for s in report.servers if s.status != "skipped" or s.entry.url]
    stdio = len(report.servers) - len(http)
    console.print(
        f"[bold]mcp-dockernet doctor[/]: {len(report.configs)} config file(s), "
        f"{len(http)} HTTP server(s)"
        + (f", {stdio} stdio server(s) not checked" if stdio else "")
        + _engine_words(engine, engine_problem)
    )
    if engine is not None and engine.remote_note():
        console.print(f"  note: {escape(engine.remote_note() or '')}", style="dim")
    for path in report.configs:
        console.print(f"  read {escape(path)}", style="dim")
    for server in report.servers:
        if server in http or show_skipped:
            console.print()
            _server(server, console, selectors or Selectors())
    if report.skipped_rules:
        console.print()
        for code, why in report.skipped_rules:
            console.print(f"[yellow]skipped[/] {code}: {escape(why)}")
    for code, error in report.rule_errors:
        console.print(f"[red]rule {code} crashed[/]: {escape(error)} (run with --debug for the traceback)")
    console.print()
    console.print(_summary(report))


def _server(s: ServerReport, console: Console, sel: Selectors) -> None:
    mark, color = MARKS[s.status]
    e = s.entry
    url = escape(redact_url(e.url)) if e.url else "(stdio)"
    console.print(
        f"[{color} bold]{mark} {escape(e.name)}[/]  {url}  [dim]{e.transport} · {escape(title_of(e.client))} · {escape(e.config)}:{e.line}[/]"
    )
    why = f" [dim]({escape(s.client_reason)})[/]" if s.client != "host" and s.client_reason else ""
    console.print(f"  {escape(s.client)}{why} -> {escape(s.target)}")
    if s.probe is not None and (s.probe.ok or not s.findings):
        console.print(f"  probe: {escape(s.probe.summary())}", style="dim" if s.probe.ok else None)
    for f in s.findings:
        console.print(
            f"  [{MARKS[str(f.severity)][1] if str(f.severity) in MARKS else 'yellow'} bold]{f.code}[/]  {escape(f.message)}"
        )
        for line in f.evidence:
            console.print(f"      {escape(line)}", style="dim")
        console.print(f"    [bold]fix[/]: {escape(f.fix)}")
    if s.suggested_url and s.writable:
        console.print(f"    [bold]apply[/]: {escape(apply_command(s, sel))}")
    for note in s.notes:
        console.print(f"  note: {escape(note)}", style="dim")


def _engine_words(engine: Endpoint | None, problem: str | None) -> str:
    if engine is None:
        return "; engine not reachable" if problem else ""
    return f"; engine {escape(engine.shown_url)} ({escape(engine.chosen_by)})" + (
        ", not reachable: rules that need it are skipped" if problem else ""
    )


def _summary(report: Report) -> str:
    counts: dict[str, int] = {}
    for s in report.servers:
        counts[s.status] = counts.get(s.status, 0) + 1
    parts = [f"{counts[k]} {k}" for k in ("error", "warning", "ok", "skipped") if counts.get(k)]
    return "summary: " + (", ".join(parts) if parts else "no MCP servers found")
