"""Which files, which project directory, which environment and which name (research doc 1.1-1.3).

Files: the ones given, else ``COMPOSE_FILE`` (split on ``COMPOSE_PATH_SEPARATOR``, default ``:``),
else the first of compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml found walking
up from the project directory (or the cwd), plus the first override file in that directory.
Environment: the given one wins over the ``.env`` of the project directory (or the cwd), which wins
over the ``.env`` next to the first file. Name: ``-p``, ``COMPOSE_PROJECT_NAME``, the last ``name:``,
the directory's basename; the first two must already be valid, the last two are normalized.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mcp_dockernet.compose.dotenv import read_dotenv
from mcp_dockernet.errors import ConfigError

DEFAULT_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
OVERRIDE_NAMES = (
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)
TRUE = ("1", "true", "yes", "on", "y")


@dataclass(frozen=True, slots=True)
class Options:
    files: tuple[str, ...]  # absolute
    working_dir: str  # the project directory, absolute
    env: dict[str, str]  # for interpolation: the given environment over the .env files
    environ: dict[str, str]  # the given environment alone (what the CLI is run with)
    explicit_name: str | None  # from -p or COMPOSE_PROJECT_NAME, already validated
    profiles: tuple[str, ...]
    project_dir_given: bool
    cwd: str


def normalize_project_name(name: str) -> str:
    """compose-go's NormalizeProjectName: lower case, keep [a-z0-9_-], no leading _ or -."""
    return re.sub(r"[^a-z0-9_-]", "", name.lower()).lstrip("_-")


def check_project_name(name: str, origin: str, path: str) -> str:
    if not name:
        raise ConfigError(path, f"the project name from {origin} must not be empty")
    if normalize_project_name(name) != name:
        raise ConfigError(
            path,
            f"invalid project name {name!r} from {origin}: it must consist only of lowercase letters, digits, "
            "hyphens and underscores, and start with a letter or digit",
        )
    return name


def _merge_env(env: dict[str, str], path: str) -> None:
    """Add a .env file's variables that are not set yet (the first source wins)."""
    if not os.path.isfile(path):
        return
    for k, v in read_dotenv(path, env).items():
        env.setdefault(k, v)


def discover(start: str) -> tuple[str, ...]:
    """The default file and its override, from the nearest directory (walking up) that has one."""
    directory = start
    while True:
        found = [n for n in DEFAULT_NAMES if os.path.isfile(os.path.join(directory, n))]
        if found:
            files = [os.path.join(directory, found[0])]
            override = next((n for n in OVERRIDE_NAMES if os.path.isfile(os.path.join(directory, n))), None)
            if override:
                files.append(os.path.join(directory, override))
            return tuple(files)
        parent = os.path.dirname(directory)
        if parent == directory:
            names = ", ".join(DEFAULT_NAMES)
            raise ConfigError(start, f"no Compose file ({names}) here or in any parent directory")
        directory = parent


def resolve_options(
    files: Sequence[str],
    project_dir: str | None,
    project_name: str | None,
    environ: Mapping[str, str] | None,
    profiles: Sequence[str],
) -> Options:
    cwd = os.getcwd()
    given = dict(os.environ if environ is None else environ)
    env = dict(given)
    env.setdefault("PWD", cwd)  # docker compose adds it too
    start = os.path.abspath(project_dir) if project_dir else cwd
    use_dotenv = env.get("COMPOSE_DISABLE_ENV_FILE", "").lower() not in TRUE
    if use_dotenv:
        _merge_env(env, os.path.join(start, ".env"))
    if files:
        paths = tuple(os.path.abspath(f) for f in files)
    elif env.get("COMPOSE_FILE"):
        sep = env.get("COMPOSE_PATH_SEPARATOR") or os.pathsep
        paths = tuple(os.path.abspath(os.path.join(start, f)) for f in env["COMPOSE_FILE"].split(sep) if f)
    else:
        paths = discover(start)
    working_dir = os.path.abspath(project_dir) if project_dir else os.path.dirname(paths[0])
    if use_dotenv and working_dir != start:
        _merge_env(env, os.path.join(working_dir, ".env"))
    active = tuple(profiles) or tuple(p.strip() for p in env.get("COMPOSE_PROFILES", "").split(",") if p.strip())
    explicit = None
    if project_name is not None:
        explicit = check_project_name(project_name, "--project-name", paths[0])
    elif env.get("COMPOSE_PROJECT_NAME"):
        explicit = check_project_name(env["COMPOSE_PROJECT_NAME"], "COMPOSE_PROJECT_NAME", paths[0])
    return Options(paths, working_dir, env, given, explicit, active, project_dir is not None, cwd)
