"""Load a Compose project: ``docker compose config`` when the plugin is here, our own loader otherwise.

Both give the same ``ComposeProject`` (tests/integration/test_compose_parity.py holds them to it).
Only our loader knows where each value is written, so environment values always get their file,
line and span from its parse, even when the CLI supplied the model.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace

from mcp_dockernet.compose.builtin import BuiltinLoader
from mcp_dockernet.compose.cli import compose_cli, project_from_json, run_config
from mcp_dockernet.compose.model import ComposeProject, ComposeService, EnvVar
from mcp_dockernet.compose.options import Options, resolve_options
from mcp_dockernet.errors import ConfigError

log = logging.getLogger(__name__)

__all__ = ["load_project", "load_project_builtin", "load_project_cli", "cli_available"]


def cli_available() -> bool:
    """Whether ``docker compose version`` works here."""
    return compose_cli() is not None


def load_project(
    files: Sequence[str] = (),
    project_dir: str | None = None,
    project_name: str | None = None,
    environ: Mapping[str, str] | None = None,
    profiles: Sequence[str] = (),
    use_cli: bool | None = None,
) -> ComposeProject:
    """The project as ``docker compose -f FILES --project-directory DIR -p NAME --profile P`` sees it.

    use_cli None: the CLI when present, else our loader; True: the CLI or a ConfigError; False: ours.
    """
    opts = resolve_options(files, project_dir, project_name, environ, profiles)
    if use_cli is False or (use_cli is None and not cli_available()):
        return BuiltinLoader().load(opts)
    return _with_cli(opts)


def load_project_builtin(
    files: Sequence[str] = (),
    project_dir: str | None = None,
    project_name: str | None = None,
    environ: Mapping[str, str] | None = None,
    profiles: Sequence[str] = (),
) -> ComposeProject:
    return load_project(files, project_dir, project_name, environ, profiles, use_cli=False)


def load_project_cli(
    files: Sequence[str] = (),
    project_dir: str | None = None,
    project_name: str | None = None,
    environ: Mapping[str, str] | None = None,
    profiles: Sequence[str] = (),
) -> ComposeProject:
    """The model ``docker compose config --format json`` prints (ConfigError when the plugin is missing)."""
    return _with_cli(resolve_options(files, project_dir, project_name, environ, profiles))


def _with_cli(opts: Options) -> ComposeProject:
    binary = compose_cli()
    if binary is None:
        raise ConfigError(
            opts.files[0], "the docker compose plugin is not installed here (docker compose version failed)"
        )
    project = project_from_json(run_config(opts, binary), opts)
    try:
        ours: ComposeProject | None = BuiltinLoader().load(opts)
    except ConfigError as e:  # the CLI accepted it: keep its model, without positions
        log.info("the builtin Compose loader disagrees with docker compose (%s); values have no positions", e)
        ours = None
    return with_positions(project, ours)


def with_positions(project: ComposeProject, ours: ComposeProject | None) -> ComposeProject:
    """The CLI's model, with where each service and environment value is written taken from ours."""
    if ours is None:
        return project
    services = []
    for svc in project.services:
        mine = ours.service(svc.name)
        services.append(_placed(svc, mine) if mine else svc)
    return replace(project, services=tuple(services), disabled=ours.disabled)


def _placed(svc: ComposeService, mine: ComposeService) -> ComposeService:
    written = {v.name: v for v in mine.environment}
    env = []
    for var in svc.environment:
        known = written.get(var.name)
        if known is not None and known.value == var.value:
            env.append(EnvVar(var.name, var.value, known.file, known.line, known.span, known.raw))
        else:
            if known is not None:
                log.info("service %s: %s differs between docker compose and our loader", svc.name, var.name)
            env.append(var)
    lines = {m.target: m for m in mine.volumes}
    volumes = tuple(
        replace(m, file=lines[m.target].file, line=lines[m.target].line) if m.target in lines else m
        for m in svc.volumes
    )
    return replace(svc, environment=tuple(env), volumes=volumes, file=mine.file, line=mine.line)
