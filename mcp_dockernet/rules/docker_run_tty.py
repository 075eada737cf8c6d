"""``docker run -t``/``-it``: a TTY on a JSON-RPC stream.

Fails when: a stdio entry runs ``docker run`` with ``-t``/``--tty`` (alone or in a bundle such as
``-it``). A client starts servers with pipes, not a terminal, so the docker CLI refuses at once:
"the input device is not a TTY" (docker/cli cli/command/container/run.go, CheckTty: ``-t`` with
``-i`` needs a terminal on stdin) and the client shows "connection closed". Started from a
terminal, the TTY turns each "\\n" the server writes into "\\r\\n" and echoes input back, which
mangles the JSON-RPC messages. ``-t`` without ``-i`` also leaves stdin closed (see
docker-run-no-stdin).
Passes when: no ``-t`` is in effect (``--tty=false`` last, or none).
Fix: ``-i`` without ``-t``: ``-it`` becomes ``-i``; ``-t`` alone becomes ``-i`` when there is no
``-i``, else it goes; ``mcp-dockernet fix --write`` rewrites it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mcp_dockernet.model import DockerRun, Snapshot
from mcp_dockernet.report import ArgEdit, Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._stdio import CLOSED, docker_runs

CODE = "docker-run-tty"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
# its edits supply the -i as well; a launch (no terminal) shows its effect
SUPERSEDES: frozenset[str] = frozenset({"docker-run-no-stdin", "stdio-exits-at-start", "stdio-no-answer"})
_BUNDLE = re.compile(r"-[A-Za-z]{2,}")  # a plain bundle of short flags such as -it or -dit


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for entry, cmd, run in docker_runs(snap):
        if not run.on("tty"):
            continue
        edits = tty_edits(run, cmd.args)
        words = ", ".join(dict.fromkeys(cmd.args[f.index] for f in run.all("tty") if f.on))
        stdin = "" if run.on("interactive") else "; without -i its stdin is closed as well"
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry.id,
            message=f"{run.program} run {words} asks for a TTY: started by the client (no terminal) it fails "
            f'"the input device is not a TTY" and exits, and {CLOSED}; from a terminal, the TTY mangles the '
            f"JSON-RPC stream{stdin}",
            fix="use -i without -t (-it becomes -i)" + ("" if edits else "; not written: the flag's form is unusual"),
            writable=bool(edits),
            arg_edits=edits,
        )


def tty_edits(run: DockerRun, args: tuple[str, ...]) -> tuple[ArgEdit, ...]:
    """Each -t in effect goes; the first one becomes -i when no -i is in effect. () when a word is too odd."""
    need_i = not run.on("interactive")
    edits = []
    for f in run.all("tty"):
        if not f.on:
            continue
        word = args[f.index]
        if f.bundled:
            if not _BUNDLE.fullmatch(word) or word.count("t") != 1:
                return ()
            new = word.replace("t", "i" if need_i and "i" not in word else "", 1)
            need_i = need_i and "i" not in new
            edits.append(ArgEdit("remove-arg", f.index, (), word) if new == "-" else _replace(f.index, new, word))
        elif need_i:
            need_i = False
            edits.append(_replace(f.index, "-i", word))
        else:
            edits.append(ArgEdit("remove-arg", f.index, (), word))
    return tuple(edits)


def _replace(index: int, new: str, old: str) -> ArgEdit:
    return ArgEdit("replace-arg", index, (new,), old)
