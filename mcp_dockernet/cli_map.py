"""`mcp-dockernet map`: the host, the Compose projects, their containers and networks, and where each entry leads.

Takes doctor's selectors and runs the same diagnosis; render/graph.py turns it into a Graph and one
renderer per format draws it. The exit code is doctor's: 1 when an entry has an error.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from mcp_dockernet import cli

if TYPE_CHECKING:  # imported where used: registering the command must not load the engine (mcp-dockernet --help)
    from mcp_dockernet.run import Diagnosis


class MapFormat(StrEnum):
    text = "text"
    mermaid = "mermaid"
    dot = "dot"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("map")(map_command)


def map_command(
    config: cli.ConfigOpt = None,
    project_dir: cli.ProjectDirOpt = None,
    client_type: cli.ClientTypeOpt = None,
    client: cli.ClientOpt = None,
    compose: cli.ComposeOpt = None,
    project_name: cli.ProjectNameOpt = None,
    no_probe: cli.NoProbeOpt = False,
    timeout: cli.TimeoutOpt = None,
    format: Annotated[
        MapFormat, typer.Option("--format", help="text (a tree), mermaid (for GitHub), dot (Graphviz) or json.")
    ] = MapFormat.text,
    all_: Annotated[
        bool, typer.Option("--all", help="Draw every container and host listener, not only what the entries touch.")
    ] = False,
    debug: cli.DebugOpt = False,
) -> None:
    """Draw where each MCP entry's URL leads: host, Compose projects, containers, networks, published ports."""
    sel = cli._selection(config, project_dir, client_type, client, compose, project_name, no_probe, timeout)
    with cli._guard(debug):
        from mcp_dockernet.run import diagnose

        diagnosis = diagnose(sel, debug=debug)
    from mcp_dockernet.render import graph, map_dot, map_json, map_mermaid, map_text

    render = {MapFormat.text: map_text.render, MapFormat.mermaid: map_mermaid.render, MapFormat.dot: map_dot.render,
              MapFormat.json: map_json.dumps}[format]  # fmt: skip
    sys.stdout.write(render(graph.build(diagnosis.report, diagnosis.snapshot, everything=all_)))
    raise typer.Exit(cli._exit_code(diagnosis.report, cli.FailOn.error))


def html_page(diagnosis: Diagnosis) -> str:
    """doctor --format html: the report and the map (drawn by Graphviz where it is installed) as one page."""
    from mcp_dockernet.render import html

    return html.render(diagnosis.report, *html.drawn(diagnosis.report, diagnosis.snapshot))
