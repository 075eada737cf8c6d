"""--launch: start each stdio entry as its client would, speak MCP to it, and leave nothing behind.

Each entry is started once per run, at most ``max_parallel`` at a time, each for at most
``timeout`` seconds plus a bounded stop (stdio_session.py): the command found on the PATH of the
environment the process gets (the client's, with a VS Code envFile's values and then the entry's
env over it), its args, and the working directory collectors/stdio_host.py judges (the entry's
cwd, else ours, relative paths from ours). A ``docker run`` entry gets ``--label
mcp-dockernet.launch=<uuid>`` right after ``run``; afterwards every container with that label is
removed (force), through our engine's API when the entry's docker CLI uses our engine, else
through its own CLI with its own global flags and environment, so even a line without ``--rm``
leaves no container. What it said on stderr is kept (the last 64 KiB) and its tail shown with the
entry's secrets masked.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from mcp_dockernet.collectors.stdio_host import find_command
from mcp_dockernet.model import LaunchResult, ServerEntry, StdioCommand
from mcp_dockernet.probes.launch_containers import ContainerApi, RunLine, labelled, remove_launched, run_line
from mcp_dockernet.redact import is_secret_name, redact_argv, redact_output

log = logging.getLogger(__name__)
# A detail that starts with "--launch" says the launch could not be made: no verdict on the server (rules/_stdio.py).
SDK_MISSING = "--launch needs the MCP SDK: pip install 'mcp-dockernet[launch]'"
TAIL_LINES = 5
ENV_FILE_MAX = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Plan:
    """How the client would start the entry: the process, its environment and directory."""

    argv: tuple[str, ...] = field(repr=False)
    env: dict[str, str] = field(repr=False)
    cwd: str
    secrets: tuple[str, ...] = field(default=(), repr=False)  # values masked in whatever it prints
    run: RunLine | None = None
    label: str = ""  # the launch's label value (docker run lines)
    problem: str = ""  # why it cannot be started at all


def launch_all(
    entries: Sequence[ServerEntry],
    timeout: float,
    environ: Mapping[str, str],
    *,
    docker_api: Any = None,
    max_parallel: int = 4,
    base_dir: str | None = None,
) -> tuple[LaunchResult, ...]:
    """Launch each entry once (the first of equal ids), ``max_parallel`` at a time; results in entry order.

    ``environ``: the client's environment; ``docker_api``: our engine's docker.APIClient (or a
    DockerClient, or None: the clean-up then uses the docker CLI); ``base_dir``: the directory a
    client started from here runs in (default: ours, as collectors/stdio_host.py assumes).
    """
    unique = list({e.id: e for e in entries if e.stdio is not None}.values())
    if not unique:
        return ()
    try:  # here, not at import: only --launch needs the SDK; imported before any clock starts
        import mcp.client.session  # noqa: F401
        import mcp_types  # noqa: F401
    except ImportError:
        return tuple(LaunchResult(e.id, "error", SDK_MISSING) for e in unique)
    base = base_dir or os.getcwd()
    api = getattr(docker_api, "api", docker_api)  # a DockerClient carries its APIClient
    with ThreadPoolExecutor(max_workers=max(1, min(max_parallel, len(unique))), thread_name_prefix="launch") as pool:
        return tuple(pool.map(lambda e: _launch_safely(e, timeout, environ, api, base), unique))


def _launch_safely(entry: ServerEntry, timeout: float, environ: Mapping[str, str], api: Any, base: str) -> LaunchResult:
    try:
        return launch_one(entry, timeout, environ, api, base)
    except Exception as e:  # one launch that breaks must not take the others' results with it
        log.exception("launch of %s failed", entry.id)
        return LaunchResult(
            entry.id, "error", f"--launch failed: {type(e).__name__} (run with --debug for the traceback)"
        )


def launch_one(
    entry: ServerEntry, timeout: float, environ: Mapping[str, str], api: ContainerApi | None, base: str
) -> LaunchResult:
    from mcp_dockernet.probes.stdio_session import run_session

    assert entry.stdio is not None
    plan = plan_launch(entry.stdio, environ, base)
    if plan.problem:
        return LaunchResult(entry.id, "error", plan.problem)
    try:
        seen = run_session(list(plan.argv), plan.env, plan.cwd, timeout)
    finally:  # also when the session raised: the containers it started go
        removed = remove_launched(plan.run, plan.label, plan.argv[0], plan.env, api) if plan.run else ()
    return shape(entry, plan, seen, timeout, removed)


def plan_launch(cmd: StdioCommand, environ: Mapping[str, str], base: str) -> Plan:
    """The process a client would start for this command: resolved, but not started."""
    cwd = _at(cmd.cwd, base) if cmd.cwd else base
    from_file: dict[str, str] = {}
    if cmd.env_file:
        try:
            from_file = read_env_file(_at(cmd.env_file, cwd))
        except OSError as e:
            return Plan((), {}, cwd, problem=f"its envFile {cmd.env_file} cannot be read: {e.strerror or e}")
    env = {**environ, **from_file, **dict(cmd.env)}
    if not os.path.isdir(cwd):
        return Plan((), {}, cwd, problem=f"could not start it: its working directory {cmd.cwd} does not exist")
    found = find_command(cmd.command, env.get("PATH", os.defpath), cwd)
    if found is None:
        where = "is not an executable file" if os.sep in cmd.command else "is not on the PATH it would get"
        return Plan((), {}, cwd, problem=f"could not start {cmd.command!r}: it {where} (spawn ENOENT)")
    run = run_line(cmd, env)
    label = uuid.uuid4().hex if run is not None else ""
    args = labelled(cmd.args, run, label) if run is not None else cmd.args
    return Plan((found, *args), env, cwd, secrets_of(cmd, env, from_file), run, label)


def secrets_of(cmd: StdioCommand, env: Mapping[str, str], from_file: Mapping[str, str]) -> tuple[str, ...]:
    """Values to mask in its output: the entry's env and envFile values, what -e NAME passes on,
    secret-looking variables of the whole environment, and the words redact_argv masks in its args.
    (redact_output masks URL credentials and token-looking words in any case.)"""
    # A URL value of a plain name shows as a URL does (credentials masked); other values go whole.
    pairs = [*cmd.env, *from_file.items()]
    found = [v for k, v in pairs if "://" not in v or is_secret_name(k)]
    names = list(cmd.passthrough_env)
    for value in cmd.docker.values("env") if cmd.docker is not None else ():
        name, eq, given = value.partition("=")
        if eq:
            found.append(given)
        else:
            names.append(name)
    found += [env[n] for n in names if n in env]
    found += [v for k, v in env.items() if is_secret_name(k)]
    for arg, shown in zip(cmd.args, redact_argv(cmd.command, cmd.args)[1:], strict=False):
        if arg != shown and "://" not in arg:  # URLs are masked as URLs, wherever they show
            found.append(arg.partition("=")[2] if "=" in arg else arg)
    return tuple(dict.fromkeys(v for v in found if v))


def read_env_file(path: str) -> dict[str, str]:
    """A VS Code envFile: KEY=VALUE lines, ``#`` comments, optional ``export`` and quotes."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read(ENV_FILE_MAX)
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip().removeprefix("export ").strip()
        name, eq, value = line.partition("=")
        if not eq or not name.strip() or line.startswith("#"):
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1].replace("\\n", "\n") if value[0] == '"' else value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[name.strip()] = value
    return values


def shape(entry: ServerEntry, plan: Plan, seen: Any, timeout: float, removed: tuple[str, ...]) -> LaunchResult:
    """What the session saw, as the report shows it: outcome, a sentence, its stderr tail masked."""
    tail = stderr_tail(seen.stderr, plan.secrets)
    info = {
        "server_name": seen.server_name,
        "server_version": seen.server_version,
        "protocol_version": seen.protocol_version,
        "tool_count": seen.tool_count,
        "seconds": seen.seconds,
        "removed_containers": removed,
        "stderr_tail": tail,
    }
    name = " ".join(x for x in (seen.server_name, seen.server_version) if x) or "the server"
    stray = _stray(seen, plan.secrets)
    if seen.start_error is not None:
        e = seen.start_error
        why = getattr(e, "strerror", None) or str(e)
        where = f" ({e.filename})" if getattr(e, "filename", None) else ""
        return LaunchResult(
            entry.id, "error", f"could not start {os.path.basename(plan.argv[0])!r}: {why}{where}", **info
        )
    if seen.ok:
        detail = f"{name} answered initialize and tools/list ({seen.tool_count} tools)"
        return LaunchResult(entry.id, "mcp", detail + stray, **info)
    if seen.rpc_error:
        said = redact_output([seen.rpc_error], plan.secrets)[0]
        when = "tools/list" if seen.answered else "initialize"
        return LaunchResult(entry.id, "error", f"it answered {when} with an error ({said})" + stray, **info)
    if seen.timed_out:
        what = f"{name} answered initialize but not tools/list" if seen.answered else "it answered nothing MCP"
        return LaunchResult(entry.id, "timeout", f"started, but {what} in {timeout:g} s" + stray, **info)
    before = "after answering initialize, before tools/list" if seen.answered else "before answering initialize"
    code = seen.exit_code
    if code is None:
        how = "closed its stdout"
    elif code < 0:
        how = f"was killed by signal {code_name(-code)}"
    else:
        how = f"exited with code {code}"
    detail = f"{how} after {seen.seconds:.1f} s, {before}"
    return LaunchResult(entry.id, "exited", detail + stray, exit_code=code, **info)


def stderr_tail(data: bytes, secrets: Sequence[str], lines: int = TAIL_LINES) -> tuple[str, ...]:
    """The last non-blank lines of what it wrote to stderr, with its secrets masked."""
    text = data.decode("utf-8", "replace")
    kept = [line.rstrip() for line in text.splitlines() if line.strip()][-lines:]
    return tuple(redact_output(kept, secrets))


def _stray(seen: Any, secrets: Sequence[str]) -> str:
    if not seen.stray_lines:
        return ""
    first = redact_output([seen.first_stray], secrets, width=120)[0]
    return (
        f"; it wrote {seen.stray_lines} line(s) to stdout that are no JSON-RPC, first {first!r} (logs belong on stderr)"
    )


def code_name(sig: int) -> str:
    import signal

    try:
        return signal.Signals(sig).name
    except ValueError:
        return str(sig)


def _at(path: str, where: str) -> str:
    return path if os.path.isabs(path) else os.path.join(where, path)
