"""`mcp-dockernet pre-commit FILE...`: the entry of the pre-commit hook (.pre-commit-hooks.yaml).

pre-commit passes the staged files its ``files`` pattern matches. They are judged from the files
alone (run.Selection.static: no engine, no host sockets, no network, no look at this machine's
PATH or images), so a commit gets the same verdict with Docker up or down, and in CI:

- a Compose file with a name ``docker compose`` reads by default (compose.yaml, compose.override.yaml,
  docker-compose.yml, ...): the project of its directory, as ``docker compose`` there reads it, with
  the MCP configs its services mount and the MCP URLs in their environment; any other Compose file
  (compose.prod.yaml) alone, as ``docker compose -f FILE``;
- every other file: an MCP client config, as ``--config`` reads it, with the Compose project of the
  current directory (the repository's root) placing its client when one of its services mounts it.
  A file without servers is no error here (.zed/settings.json and .codex/config.toml hold other
  settings too); a Compose project without MCP entries has nothing to check.

Exit 1 when a finding is at or above ``--fail-on`` (default error), 2 when a file cannot be read.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:  # imported where used: registering the command must not load the engine (mcp-dockernet --help)
    from mcp_dockernet.run import Selection

OVERRIDES = (
    "compose.override.yaml",
    "compose.override.yml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)


def register(app: typer.Typer) -> None:
    app.command("pre-commit")(pre_commit)


def selections(files: list[str]) -> list[Selection]:
    """One selection per Compose project the files name, and one for the MCP configs (with the cwd's project)."""
    from mcp_dockernet.compose.mounts import is_compose_file
    from mcp_dockernet.run import COMPOSE_NAMES, Selection

    default_compose = frozenset({*COMPOSE_NAMES, *OVERRIDES})
    here = os.path.realpath(os.getcwd())
    configs = [f for f in files if not is_compose_file(f)]
    found: list[Selection] = []
    cwd_project = False
    for path in dict.fromkeys(f for f in files if is_compose_file(f)):
        directory = os.path.dirname(os.path.abspath(path))
        if os.path.basename(path) not in default_compose:
            found.append(Selection(compose_files=(path,), probe=False, static=True, discover=False))
        elif os.path.realpath(directory) == here:
            cwd_project = True
        elif all(s.project_dir != directory for s in found):
            found.append(Selection(project_dir=directory, probe=False, static=True, discover=False))
    if configs or cwd_project:  # the cwd's Compose project is loaded with them (run.load_compose)
        found.insert(0, Selection(configs=tuple(configs), probe=False, static=True, discover=False))
    return found


def pre_commit(
    files: Annotated[list[str] | None, typer.Argument(help="The changed MCP config and Compose files.")] = None,
    fail_on: Annotated[str, typer.Option(help="error or warning: the lowest severity that fails.")] = "error",
) -> None:
    """The pre-commit hook: judge the changed MCP configs and Compose projects from the files alone."""
    from rich.console import Console

    from mcp_dockernet.errors import MdnError
    from mcp_dockernet.render import text
    from mcp_dockernet.report import Severity
    from mcp_dockernet.run import diagnose

    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if fail_on not in ("error", "warning"):
        err.print(f"mcp-dockernet: --fail-on {fail_on!r}: expected error or warning", markup=False)
        raise typer.Exit(2)
    threshold = Severity.WARNING if fail_on == "warning" else Severity.ERROR
    worst = 0
    for sel in selections(files or []):
        try:
            diagnosis = diagnose(sel)
        except MdnError as e:
            err.print(f"mcp-dockernet: {e}", markup=False)
            worst = 2
            continue
        report = diagnosis.report
        if not report.servers:
            continue
        # Which rules need the engine or the host is the same every time here: one line says it, not a list.
        text.render(replace(report, skipped_rules=()), out, selectors=text.Selectors(no_probe=True))
        if report.skipped_rules:
            out.print(
                f"not run here (they read the engine or this machine's sockets): {', '.join(c for c, _ in report.skipped_rules)}"
            )
        if (found := report.worst()) is not None and found >= threshold:
            worst = max(worst, 1)
    raise typer.Exit(worst)
