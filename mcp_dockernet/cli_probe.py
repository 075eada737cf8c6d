"""`mcp-dockernet probe URL`: one probe, every layer's result, from where the client runs.

mcp-dockernet probe http://localhost:8000/mcp
mcp-dockernet probe http://server:8000/mcp --from container:client --format json
mcp-dockernet probe http://server:8000/mcp --from service:client   (Compose labels of running containers)
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mcp_dockernet.transports import HTTP_THEN_SSE, SSE, STREAMABLE_HTTP

if TYPE_CHECKING:  # imported where used: registering the command must not wait for them (mcp-dockernet --help)
    from rich.console import Console

    from mcp_dockernet.model import ProbeResult

TRANSPORTS = {"http": STREAMABLE_HTTP, "streamable-http": STREAMABLE_HTTP, "sse": SSE, "auto": HTTP_THEN_SSE}
SCHEMA = "mcp-dockernet/probe/v1"
MARKS = {"ok": "[green]✓[/]", "skipped": "[dim]-[/]", "failed": "[red]✗[/]", "timeout": "[red]⧗[/]"}


def register(app: typer.Typer) -> None:
    app.command("probe")(probe)


def probe(
    url: str,
    from_: Annotated[
        str, typer.Option("--from", help="host, container:NAME or service:NAME (a running Compose service).")
    ] = "host",
    transport: Annotated[str, typer.Option(help="http (streamable HTTP), sse, or auto (HTTP, then SSE).")] = "auto",
    timeout: Annotated[float, typer.Option(help="Seconds the probe may take.", min=0.1, max=120)] = 3.0,
    format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    project_name: Annotated[
        str | None,
        typer.Option("--project-name", "-p", help="The Compose project of service:NAME (default: the cwd's)."),
    ] = None,
) -> None:
    """Probe one URL layer by layer (name, TCP, HTTP, MCP) and print what each layer got."""
    if transport not in TRANSPORTS or format not in ("text", "json"):
        raise typer.BadParameter("--transport is http, sse or auto; --format is text or json")
    result = run_probe(url, from_, transport, timeout, project_name)
    if format == "json":
        sys.stdout.write(json.dumps(document(result), indent=2) + "\n")
    else:
        from rich.console import Console

        render(result, Console(highlight=False, soft_wrap=True))
    raise typer.Exit(0 if result.ok else 1)


def run_probe(url: str, from_: str, transport: str, timeout: float, project_name: str | None) -> ProbeResult:
    """One probe from ``from_`` (host, container:NAME, service:NAME); the MCP tool `probe` runs it too."""
    from mcp_dockernet.probes.vantage import probe_all

    api: Any = None
    vantage = "host"
    if from_ != "host":
        from mcp_dockernet.run import docker_api

        api = docker_api()
        vantage = "container:" + _container_of(api, from_, project_name)
    (result,) = probe_all([(url, TRANSPORTS[transport])], timeout, vantage=vantage, docker_api=api)
    return result


def document(result: ProbeResult) -> dict[str, Any]:
    """The mcp-dockernet/probe/v1 document (mcp_dockernet/schema/probe-v1.json), the URL's secrets masked."""
    from mcp_dockernet.probes.codec import to_dict
    from mcp_dockernet.redact import redact_url

    data = to_dict(result)
    data["url"] = redact_url(data["url"])
    return {"schema": SCHEMA, "probe": data}


def _container_of(api: Any, where: str, project: str | None) -> str:
    kind, _, name = where.partition(":")
    if kind == "container" and name:
        return name
    if kind == "service" and name:
        project = project or _cwd_project()
        labels = [f"com.docker.compose.service={name}"] + ([f"com.docker.compose.project={project}"] if project else [])
        running = api.containers(filters={"label": labels, "status": "running"})
        if not running:
            within = f" in Compose project {project}" if project else ""
            raise typer.BadParameter(f"no running container of Compose service {name}{within}", param_hint="--from")
        projects = sorted({str((c.get("Labels") or {}).get("com.docker.compose.project")) for c in running})
        if len(projects) > 1:  # never probe from another project's service of the same name
            raise typer.BadParameter(
                f"service {name} runs in several Compose projects ({', '.join(projects)}): pass --project-name, "
                "run it in the project's directory, or use --from container:NAME",
                param_hint="--from",
            )
        return str(running[0]["Names"][0].lstrip("/"))
    raise typer.BadParameter("use host, container:NAME or service:NAME", param_hint="--from")


def _cwd_project() -> str | None:
    """The Compose project of the current directory, as docker compose would name it."""
    import os

    from mcp_dockernet.run import COMPOSE_NAMES

    if not any(os.path.isfile(n) for n in COMPOSE_NAMES):
        return None
    from mcp_dockernet.compose.load import load_project

    return str(load_project((), project_dir=None, project_name=None).name)


def render(p: ProbeResult, console: Console) -> None:
    from rich.markup import escape

    from mcp_dockernet.redact import redact_url

    console.print(f"[bold]probe[/] {escape(redact_url(p.url))}  [dim]from {p.vantage} ({p.method})[/]")
    for layer in p.layers:
        console.print(f"  {MARKS.get(layer.status, '?')} {layer.name:5} {escape(layer.detail)}")
    verdict = "[green]ok[/]" if p.ok else f"[red]{p.outcome.value}[/]"
    console.print(f"{verdict}: {escape(p.summary())}")
