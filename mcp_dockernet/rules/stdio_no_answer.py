"""A stdio server that starts but answers nothing: the client waits for ``initialize`` and gives up.

Fails when: ``--launch`` started the entry as its client would and, within ``--timeout`` seconds
(15 by default for launches), the process neither answered the MCP ``initialize`` request (or the
``tools/list`` after it) nor exited. The client shows a timeout, or the server hangs in its list.
Usual causes: it waits for something before it reads stdin (an upstream, a login, a prompt), it
writes its answers elsewhere than stdout, it is not an MCP server, or a first ``npx``/``uvx`` run
or ``docker run`` of an image not yet pulled takes longer than the timeout. Lines it wrote to
stdout that are no JSON-RPC are counted in the message (logs belong on stderr).
Passes when: the launched server answers initialize and tools/list in time, or exits (see
stdio-exits-at-start); not judged without ``--launch``.
Fix: read its stderr (the evidence); run it by hand to see what it waits for; when it is only
slow to start, try again with a longer ``--timeout``.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import Snapshot
from mcp_dockernet.report import Finding, Severity
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules._stdio import launched

CODE = "stdio-no-answer"
SEVERITY = Severity.ERROR
NEEDS: frozenset[str] = frozenset()
SUPERSEDES: frozenset[str] = frozenset()


def check(snap: Snapshot, routes: tuple[Route, ...]) -> Iterator[Finding]:
    for entry, launch in launched(snap, "timeout"):
        said = f'; its last stderr line: "{launch.stderr_tail[-1]}"' if launch.stderr_tail else "; stderr stayed empty"
        yield Finding(
            code=CODE,
            severity=SEVERITY,
            subject=entry.id,
            message=f"started as its client starts it, {launch.detail.removeprefix('started, but ')}: the client "
            f"waits for its answer and gives up{said}",
            fix="read what it writes to stderr, or run it by hand to see what it waits for; when it is only slow "
            "to start (a first npx, uvx or image pull), use a longer --timeout",
            evidence=tuple(f"stderr: {line}" for line in launch.stderr_tail),
        )
