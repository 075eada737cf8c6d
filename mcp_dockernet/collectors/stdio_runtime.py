"""The interpreter of an npx/node/uvx/python entry, and what its package declares where that is known locally.

Kept small on purpose: the version comes from ``<interpreter> --version`` (a query of the
runtime with a 2 s bound, never the MCP server itself), the declaration from files already on
disk: an npx package in npm's npx cache (``~/.npm/_npx/*/node_modules/<pkg>/package.json``,
``engines.node``), a node script's nearest package.json, a python script's (or the working
directory's) nearest pyproject.toml ``[project] requires-python``. Nothing is downloaded.

uvx entries get the python3 on PATH as their runtime but no declaration: uv picks (or fetches)
an interpreter that satisfies the package's requires-python by itself, so the one on PATH is
not the one that runs.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import tomllib
from collections.abc import Callable, Mapping

from mcp_dockernet.model import StdioCommand

log = logging.getLogger(__name__)
VERSION_TIMEOUT = 2.0
MAX_PARENTS = 25  # how far up a script's directories the nearest package.json / pyproject.toml is looked for
_VERSION = re.compile(r"(\d+\.\d+(?:\.\d+)?)")
# npx flags that take a value (npm exec's own options); other flags stand alone.
_NPX_VALUED = frozenset({"-p", "--package", "-c", "--call", "--cache", "--registry", "--userconfig", "-w"})

Runtime = tuple[str, str] | None


def version_of(executable: str) -> str | None:
    """``executable --version``'s version number (node prints v20.1.0; python 2 prints to stderr).

    In its own process group, killed whole after VERSION_TIMEOUT: a wrapper script's children
    would otherwise hold the pipes open past the bound.
    """
    try:
        with subprocess.Popen(
            [executable, "--version"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        ) as proc:
            try:
                out, err = proc.communicate(timeout=VERSION_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                log.debug("%s --version: no answer in %s s", executable, VERSION_TIMEOUT)
                return None
    except (OSError, subprocess.SubprocessError) as e:
        log.debug("%s --version: %s", executable, e)
        return None
    match = _VERSION.search(out + " " + err)
    return match.group(1) if match else None


def kind_of(command: str) -> str | None:
    """ "node" for node/npx, "python" for python/uvx, else None (by the program's base name)."""
    name = os.path.basename(command).lower().removesuffix(".exe").removesuffix(".cmd")
    if name in ("node", "npx"):
        return "node"
    if name == "uvx" or re.fullmatch(r"python(\d+(\.\d+)?)?", name):
        return "python"
    return None


def runtime_facts(
    cmd: StdioCommand,
    command_path: str | None,
    env: Mapping[str, str],
    where: str,
    home: str,
    run_version: Callable[[str], str | None],
) -> tuple[Runtime, Runtime]:
    """((program, version), (constraint, where it is declared)); either None when not known."""
    search_path = env.get("PATH", os.defpath)
    kind = kind_of(cmd.command)
    name = os.path.basename(cmd.command).lower()
    if kind is None or command_path is None:
        return None, None
    if kind == "node":
        # npx is a node script (#!/usr/bin/env node): the node on the same PATH runs the package.
        interpreter = command_path if name.startswith("node") else shutil.which("node", path=search_path)
        program = "node"
    else:
        interpreter = command_path if name.startswith("python") else shutil.which("python3", path=search_path)
        program = "python"
    version = run_version(interpreter) if interpreter else None
    runtime = (program, version) if version else None
    if name.startswith("npx"):
        wanted = _npx_engines(cmd.args, env, home)
    elif name.startswith("node"):
        script = _script(cmd.args)
        wanted = _nearest_engines(os.path.join(where, script)) if script else None
    elif name.startswith("python"):
        script = _script(cmd.args)
        start = os.path.join(where, script) if script and "-m" not in cmd.args else os.path.join(where, "x")
        wanted = _nearest_requires_python(start)
    else:
        wanted = None  # uvx: see the module docstring
    return runtime, wanted


def _script(args: tuple[str, ...]) -> str | None:
    return next((a for a in args if not a.startswith("-")), None)


def npx_package(args: tuple[str, ...]) -> str | None:
    """The package name npx runs: --package's value, else the first word that is no flag (its @version dropped)."""
    spec = None
    skip = False
    for i, a in enumerate(args):
        if skip:
            skip = False
            continue
        if a in ("-p", "--package") and i + 1 < len(args):
            spec = args[i + 1]
            break
        if a.startswith("--package="):
            spec = a.partition("=")[2]
            break
        if a in _NPX_VALUED:
            skip = True
            continue
        if a == "--" or a.startswith("-"):
            continue
        spec = a
        break
    if not spec or spec.startswith((".", "/", "~")) or ":" in spec:
        return None  # a path, a git or tarball URL: no package name to look up
    scope, slash, rest = spec.partition("/") if spec.startswith("@") else ("", "", spec)
    return scope + slash + rest.partition("@")[0] if rest.partition("@")[0] else None


def _npx_engines(args: tuple[str, ...], env: Mapping[str, str], home: str) -> Runtime:
    name = npx_package(args)
    if name is None:
        return None
    cache = env.get("npm_config_cache") or env.get("NPM_CONFIG_CACHE") or os.path.join(home, ".npm")
    found = glob.glob(os.path.join(glob.escape(cache), "_npx", "*", "node_modules", name, "package.json"))
    if not found:
        return None
    newest = max(found, key=_mtime)  # several cached versions: npx reuses the latest install
    engines = _engines(newest)
    return (engines, f"engines.node in {newest}") if engines else None


def _nearest_engines(start: str) -> Runtime:
    for path in _upwards(start, "package.json"):
        engines = _engines(path)
        return (engines, f"engines.node in {path}") if engines else None
    return None


def _nearest_requires_python(start: str) -> Runtime:
    for path in _upwards(start, "pyproject.toml"):
        try:
            with open(path, "rb") as f:
                wanted = (tomllib.load(f).get("project") or {}).get("requires-python")
        except (OSError, tomllib.TOMLDecodeError, AttributeError) as e:
            log.debug("cannot read %s: %s", path, e)
            return None
        return (str(wanted), f"requires-python in {path}") if wanted else None
    return None


def _upwards(start: str, name: str) -> list[str]:
    """The nearest file of this name in the start's directory or above (at most one)."""
    directory = os.path.dirname(os.path.abspath(start))
    for _ in range(MAX_PARENTS):
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return [path]
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return []


def _engines(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        log.debug("cannot read %s: %s", path, e)
        return None
    engines = doc.get("engines") if isinstance(doc, dict) else None
    node = engines.get("node") if isinstance(engines, dict) else None
    return str(node) if node else None


def _mtime(path: str) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0
