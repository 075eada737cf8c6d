"""``docker run`` without ``-i``: the server's stdin is closed, it reads end-of-file and exits.

Fails when: a stdio entry runs ``docker run`` without ``-i``/``--interactive`` (or with
``--interactive=false`` last). Docker attaches the container's stdin only with ``-i`` ("Keep
STDIN open even if not attached", docs.docker.com/reference/cli/docker/container/run/): without
it, the MCP server's first read of stdin is end-of-file, the server exits, and the client shows
"connection closed" (verified on this project's lab engine).
Passes when: ``-i`` is given.
Fix: ``-i`` right after ``run`` (``docker run -i --rm IMAGE``); ``mcp-dockernet fix --write``
inserts it.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import DockerRun, Snapshot
from mcp_dockernet.report import ArgEdit, Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._stdio import CLOSED, docker_runs

CODE = "docker-run-no-stdin"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES: frozenset[str] = frozenset({"stdio-exits-at-start", "stdio-no-answer"})  # the launch shows the effect


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for entry, cmd, run in docker_runs(snap):
        if run.on("interactive"):
            continue
        edits = stdin_edits(run, cmd.args)
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry.id,
            message=f"{run.program} run without -i starts the container with its stdin closed: the server reads "
            f"end-of-file at once and exits, and {CLOSED}",
            fix="add -i right after run" + ("" if edits else " (and drop --interactive=false)"),
            writable=bool(edits),
            arg_edits=edits,
        )


def stdin_edits(run: DockerRun, args: tuple[str, ...]) -> tuple[ArgEdit, ...]:
    """Insert -i after run; an --interactive=false would still win after it (last one wins), so it becomes -i."""
    off = run.all("interactive")
    if not off:
        return (ArgEdit("insert-args", run.run_index + 1, ("-i",)),)
    if any(f.bundled for f in off):
        return ()  # -i=false inside a bundle: too odd to rewrite from here
    return tuple(ArgEdit("replace-arg", f.index, ("-i",), args[f.index]) for f in off)
