"""The command line: builds the real clients, runs the layers, prints, and owns the exit codes.

Exit codes (a public contract): 0 healthy, 1 findings at or above --fail-on, 2 bad input or
usage (a config that does not parse, a missing file, an engine that cannot be reached), 130 on
Ctrl-C.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from mcp_dockernet import __version__, cli_precommit, cli_probe
from mcp_dockernet.errors import MdnError
from mcp_dockernet.mcpconfig.clients import CLIENTS

# What a command does not need is imported in its body: `--help`, `rules list` and `doctor
# --format json` should not wait for rich, the fix and render layers or the engine's collectors.
if TYPE_CHECKING:
    from rich.console import Console

    from mcp_dockernet.collectors.endpoint import Endpoint
    from mcp_dockernet.fix.override import Override
    from mcp_dockernet.fix.service import Applied
    from mcp_dockernet.render import text
    from mcp_dockernet.report import Report
    from mcp_dockernet.run import Diagnosis, Selection

app = typer.Typer(
    help="Explain and fix why an MCP client cannot reach an MCP server through Docker.",
    no_args_is_help=True,
    # Plain help, as click prints it: rendering it with rich (panels, markdown) costs 1.8x the
    # import of typer itself on every --help; the text is the same.
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,  # configs hold API keys; never dump locals
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(help="List the finding codes and explain them.", rich_markup_mode=None)
app.add_typer(rules_app, name="rules")
cli_probe.register(app)  # `probe URL`: every layer of one probe (cli_probe.py)
cli_precommit.register(app)  # `pre-commit FILE...`: the pre-commit hook's static check (cli_precommit.py)


@functools.cache
def out() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


@functools.cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


class Format(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"  # SARIF 2.1.0 for code scanning (render/sarif.py)
    junit = "junit"  # JUnit XML for CI test reports (render/junit.py)
    html = "html"  # one self-contained page with the map, for a bug report (render/html.py)


class FailOn(StrEnum):
    error = "error"
    warning = "warning"


ConfigOpt = Annotated[
    list[str] | None,
    typer.Option("--config", "-c", help="An MCP client config file (repeatable). Default: every known file."),
]
ProjectDirOpt = Annotated[str | None, typer.Option(help="Project directory for project-level configs (default: cwd).")]
ClientTypeOpt = Annotated[str | None, typer.Option(help=f"Read --config as this client: {', '.join(CLIENTS)}.")]
NoProbeOpt = Annotated[bool, typer.Option("--no-probe", help="Make no network connection; judge from state alone.")]
TimeoutOpt = Annotated[
    float | None,
    typer.Option(help="Seconds each probe may take (default 3), and each --launch (default 15).", min=0.1, max=120),
]
LaunchOpt = Annotated[
    bool,
    typer.Option(
        "--launch",
        help="Also start each stdio server as its client would (docker run, npx, ...) and speak MCP to it.",
    ),
]
FormatOpt = Annotated[
    Format,
    typer.Option(
        "--format",
        help="text for people, json for scripts, sarif for code scanning, junit for CI, html for a bug report.",
    ),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug logs.")]


ClientOpt = Annotated[
    str | None, typer.Option("--client", help="Where the MCP client runs: host, container:NAME or service:NAME.")
]
ComposeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--compose", "-f", help="A Compose file (repeatable, as in docker compose -f). Default: the project's."
    ),
]
ProjectNameOpt = Annotated[str | None, typer.Option("--project-name", "-p", help="The Compose project name.")]


def _selection(
    config: list[str] | None,
    project_dir: str | None,
    client_type: str | None,
    client: str | None,
    compose: list[str] | None,
    project_name: str | None,
    no_probe: bool,
    timeout: float | None,
    launch: bool = False,
) -> Selection:
    from mcp_dockernet.run import Selection

    return Selection(
        configs=tuple(config or ()),
        project_dir=project_dir,
        client_type=client_type,
        client=client,
        compose_files=tuple(compose or ()),
        project_name=project_name,
        probe=not no_probe,
        timeout=3.0 if timeout is None else timeout,
        launch=launch,
        launch_timeout=15.0 if timeout is None else timeout,
    )


def _exit_code(report: Report, fail_on: FailOn) -> int:
    from mcp_dockernet.report import Severity

    worst = report.worst()
    threshold = Severity.ERROR if fail_on is FailOn.error else Severity.WARNING
    return 1 if worst is not None and worst >= threshold else 0


@app.command()
def doctor(
    config: ConfigOpt = None,
    project_dir: ProjectDirOpt = None,
    client_type: ClientTypeOpt = None,
    client: ClientOpt = None,
    compose: ComposeOpt = None,
    project_name: ProjectNameOpt = None,
    no_probe: NoProbeOpt = False,
    timeout: TimeoutOpt = None,
    launch: LaunchOpt = False,
    format: FormatOpt = Format.text,
    fail_on: Annotated[FailOn, typer.Option(help="Lowest severity that makes the exit code 1.")] = FailOn.error,
    static: Annotated[
        bool,
        typer.Option(
            "--static", help="Judge the files alone (CI, pre-commit): no engine, no host sockets, no network."
        ),
    ] = False,
    debug: DebugOpt = False,
) -> None:
    """Find why MCP servers in the client configs cannot be reached, and what URL would work."""
    from mcp_dockernet.run import diagnose

    sel = _selection(
        config, project_dir, client_type, client, compose, project_name, no_probe or static, timeout, launch
    )
    sel = replace(sel, static=True, launch=False) if static else sel
    with _guard(debug, error_doc=_error_doc(format)):
        diagnosis = diagnose(sel, debug=debug)
    _print_report(diagnosis, format, _selectors(sel, diagnosis) if format is Format.text else None, fail_on)
    raise typer.Exit(_exit_code(diagnosis.report, fail_on))


@app.command()
def fix(
    config: ConfigOpt = None,
    project_dir: ProjectDirOpt = None,
    client_type: ClientTypeOpt = None,
    client: ClientOpt = None,
    compose: ComposeOpt = None,
    project_name: ProjectNameOpt = None,
    write: Annotated[bool, typer.Option("--write", help="Apply the changes (default: only show the diff).")] = False,
    no_backup: Annotated[bool, typer.Option("--no-backup", help="Do not keep PATH.bak.")] = False,
    compose_override: Annotated[
        str | None,
        typer.Option(
            help="Write the Compose changes (extra_hosts, ports, networks, environment) to this override file."
        ),
    ] = None,
    edit_compose: Annotated[
        bool, typer.Option("--edit-compose", help="With --write, also rewrite URLs in Compose files in place.")
    ] = False,
    no_probe: NoProbeOpt = False,
    timeout: TimeoutOpt = None,
    launch: LaunchOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Show (or with --write apply) the changes to URLs and stdio command lines that would make the servers work."""
    from rich.markup import escape

    from mcp_dockernet.fix import plan as fix_plan
    from mcp_dockernet.fix.override import plan_override
    from mcp_dockernet.fix.service import apply_fix, plan_fixes
    from mcp_dockernet.render import text
    from mcp_dockernet.render.wrap import plural
    from mcp_dockernet.run import diagnose

    sel = _selection(config, project_dir, client_type, client, compose, project_name, no_probe, timeout, launch)
    with _guard(debug):
        diagnosis = diagnose(sel, debug=debug)
        fixes = plan_fixes(diagnosis, edit_compose=edit_compose)
        for note in fixes.notes:
            err().print(f"not changed: {note}", markup=False)
        override = plan_override(diagnosis.report, diagnosis.snapshot) if compose_override else None
        if not fixes.edits and not override:
            unfixable = [s for s in diagnosis.report.servers if s.findings and not s.writable]
            need = "needs" if len(unfixable) == 1 else "need"
            hint = (
                f"; {plural(len(unfixable), 'server')} {need} a fix outside the config (see doctor)"
                if unfixable
                else ""
            )
            out().print("nothing to change" + hint)
            raise typer.Exit(_exit_code(diagnosis.report, FailOn.error))
        for cfg in diagnosis.configs:
            if mine := fixes.of(cfg):
                sys.stdout.write(fix_plan.diff(cfg, mine))
        if override and compose_override:
            _write_override(override, compose_override, diagnosis)
        if not write:
            if fixes.edits:
                err().print("nothing written; run again with --write to apply")
            raise typer.Exit(1 if fixes.edits else 0)
        unseen: dict[str, tuple[str, ...]] = {}  # config path -> why a client in a container does not read the new file
        for cfg in diagnosis.configs:
            if mine := fixes.of(cfg):
                done = apply_fix(cfg, mine, diagnosis, backup=not no_backup)
                _say_written(done)
                if done.unseen:
                    unseen[cfg.path] = done.unseen
        after = diagnose(sel, debug=debug).report
    # The re-check reads the host's file; an entry whose client still reads the old one is not
    # shown as judged again (it would say ok about a file the client does not read).
    shown = tuple(s for s in after.servers if s.entry.config not in unseen)
    if shown or not unseen:
        err().print("re-check:")
        text.render(replace(after, servers=shown), err(), selectors=_selectors(sel, diagnosis))
    for path, problems in unseen.items():
        for problem in problems:
            err().print(f"[red bold]✗ not fixed[/]: {escape(path)}: {escape(problem)}")
    raise typer.Exit(1 if unseen else _exit_code(after, FailOn.error))


def _say_written(done: Applied) -> None:
    from rich.markup import escape

    err().print(f"wrote {done.path}" + (f" (backup: {done.path}.bak)" if done.backup else ""), markup=False)
    if done.pinned is not None:
        err().print(
            f"  written in place: {done.pinned.container.name} mounts it as a single file at {done.pinned.inside}, so "
            "a rename would leave the container reading the old file; mount its directory instead to make such "
            "edits atomic",
            markup=False,
        )
    for line in done.seen:
        err().print(f"  {line}", markup=False)
    for line in done.unverified:
        err().print(f"  [yellow]not verified[/]: {escape(line)}")


def _write_override(override: Override, path: str, diagnosis: Diagnosis) -> None:
    from mcp_dockernet.fix import apply as fix_apply

    base = diagnosis.compose.files[0] if diagnosis.compose is not None and diagnosis.compose.files else "compose.yaml"
    fix_apply.write_file(path, override.to_yaml(base, path).encode())
    err().print(f"wrote {path}; apply it with: docker compose -f {base} -f {path} up -d")


@app.command()
def watch(
    config: ConfigOpt = None,
    project_dir: ProjectDirOpt = None,
    client_type: ClientTypeOpt = None,
    client: ClientOpt = None,
    compose: ComposeOpt = None,
    project_name: ProjectNameOpt = None,
    write: Annotated[
        bool, typer.Option("--write", help="Patch the watched MCP configs when a better URL exists.")
    ] = False,
    listen: Annotated[str, typer.Option(help="HOST:PORT for /healthz, /ready and /report.")] = "127.0.0.1:8765",
    debounce: Annotated[float, typer.Option(help="Seconds of quiet after an event before re-checking.")] = 1.0,
    interval: Annotated[float, typer.Option(help="Seconds between re-checks when nothing happens.")] = 60.0,
    no_probe: NoProbeOpt = False,
    timeout: TimeoutOpt = None,
    launch: LaunchOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Run until stopped: follow the engine's events and keep the MCP config URLs right."""
    from mcp_dockernet.run import docker_api
    from mcp_dockernet.watch import State, Watcher, run_forever
    from mcp_dockernet.watch_http import serve

    sel = _selection(config, project_dir, client_type, client, compose, project_name, no_probe, timeout, launch)
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.INFO, format="%(asctime)s %(message)s", datefmt="%Y-%m-%dT%H:%M:%S"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per change, not per probe
    host, _, port = listen.rpartition(":")
    if not port.isdigit():
        err().print(f"mcp-dockernet: --listen {listen!r}: expected HOST:PORT")
        raise typer.Exit(2)
    state = State()
    try:
        server = serve(state, host.strip("[]") or "127.0.0.1", int(port))
    except OSError as e:
        err().print(f"mcp-dockernet: --listen {listen}: {e.strerror or e}")
        raise typer.Exit(2) from None
    logging.getLogger("mcp_dockernet.watch").info(
        "watching (write=%s); state at http://%s/report", "on" if write else "off", listen
    )
    try:
        run_forever(Watcher(sel, write, state), docker_api, debounce=debounce, interval=interval)
    except KeyboardInterrupt:
        raise typer.Exit(0) from None
    finally:
        server.shutdown()


MCP_SDK_MISSING = "mcp-dockernet mcp needs the MCP SDK: pip install 'mcp-dockernet[mcp]'"


@app.command("mcp")
def mcp_serve(debug: DebugOpt = False) -> None:
    """Serve MCP over stdio for an agent: the tools doctor, probe, fix and rules (claude mcp add mcp-dockernet -- mcp-dockernet mcp)."""
    try:
        from mcp_dockernet.mcp_tools.server import serve
    except ImportError as e:  # the SDK (or a part of it) is not installed: it is an optional extra
        if (e.name or "").startswith("mcp_dockernet"):
            raise
        err().print(MCP_SDK_MISSING, markup=False)
        raise typer.Exit(2) from None
    try:
        serve(debug=debug)
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


@rules_app.command("list")
def rules_list() -> None:
    """Every finding code with its one-line title."""
    from mcp_dockernet.rules import RULES, explain

    # Plain lines (no markup in them): written without rich, which this command need not load.
    sys.stdout.write("".join(f"{code:24} {(explain(code) or '').splitlines()[0]}\n" for code in RULES))


@rules_app.command("explain")
def rules_explain(code: str) -> None:
    """What a finding code means, when it fails and passes, and the fix."""
    from mcp_dockernet.rules import explain

    doc = explain(code)
    if doc is None:
        err().print(f"unknown finding code {code!r}; see: mcp-dockernet rules list")
        raise typer.Exit(2)
    out().print(doc)


def _error_doc(format: Format) -> Callable[[MdnError], str] | None:
    """--format json, sarif, junit: stdout still gets one document when nothing could be judged (exit 2)."""
    if format is Format.json:
        from mcp_dockernet.render import json_out

        return json_out.error_dumps
    if format is Format.sarif:
        from mcp_dockernet.render import sarif

        return sarif.error_dumps
    if format is Format.junit:
        from mcp_dockernet.render import junit

        return junit.error_dumps
    return None


def _print_report(
    diagnosis: Diagnosis, format: Format, selectors: text.Selectors | None = None, fail_on: FailOn = FailOn.error
) -> None:
    engine, problem = _engine_of(diagnosis)
    if format is Format.json:
        from mcp_dockernet.render import json_out

        sys.stdout.write(json_out.dumps(json_out.of_run(diagnosis)))
    elif format is Format.sarif:
        from mcp_dockernet.render import sarif

        sys.stdout.write(sarif.dumps(diagnosis.report, diagnosis.snapshot))
    elif format is Format.junit:
        from mcp_dockernet.render import junit

        sys.stdout.write(junit.dumps(diagnosis.report, fail_on_warning=fail_on is FailOn.warning))
    elif format is Format.html:
        from mcp_dockernet.cli_map import html_page

        sys.stdout.write(html_page(diagnosis))
    else:
        from mcp_dockernet.render import text

        text.render(
            diagnosis.report,
            out(),
            engine=engine,
            engine_problem=problem,
            selectors=selectors,
            sockets_read=diagnosis.sockets_read,
            product=_product_of(diagnosis),
        )


def _engine_of(diagnosis: Diagnosis) -> tuple[Endpoint | None, str | None]:
    """The engine the run used and, if it did not answer, why."""
    from mcp_dockernet.model import Unavailable

    state = diagnosis.snapshot.engine
    return diagnosis.endpoint, state.reason if isinstance(state, Unavailable) else None


def _product_of(diagnosis: Diagnosis) -> str | None:
    """Podman, Docker Desktop, ...: the product the engine is, when it is not a plain Linux Docker engine."""
    from mcp_dockernet.collectors.docker_engine import product_of

    return product_of(diagnosis.snapshot.engine)


def _selectors(sel: Selection, diagnosis: Diagnosis) -> text.Selectors:
    """What the apply: hints must repeat to find the same files and clients again."""
    from mcp_dockernet.render import text

    files = tuple(diagnosis.compose.files) if diagnosis.compose is not None else ()
    return text.Selectors(
        compose_files=files,
        project_dir=sel.project_dir,
        project_name=sel.project_name,
        client=sel.client,
        client_type=sel.client_type,
        no_probe=not sel.probe,
        mounted=frozenset(diagnosis.mounted),
    )


class _guard:
    """Turn our errors into one line on stderr and exit 2; Ctrl-C into 130."""

    def __init__(self, debug: bool, *, error_doc: Callable[[MdnError], str] | None = None):
        self.debug = debug
        self.error_doc = error_doc  # --format json/sarif/junit: stdout still gets one document, saying the error
        logging.basicConfig(
            level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
        )

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
        if exc is None or isinstance(exc, typer.Exit | typer.BadParameter) or self.debug:
            return
        if isinstance(exc, KeyboardInterrupt):
            raise typer.Exit(130)
        if isinstance(exc, MdnError):
            err().print(f"mcp-dockernet: {exc}", markup=False)
            if self.error_doc is not None:
                sys.stdout.write(self.error_doc(exc))
            raise typer.Exit(2)


def version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"mcp-dockernet {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    pass


def main() -> None:
    app()


def _more_commands() -> None:
    from mcp_dockernet import cli_map  # it reads this module's options, so it comes after them

    cli_map.register(app)


_more_commands()
