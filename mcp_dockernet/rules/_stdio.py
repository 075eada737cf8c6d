"""What the stdio rules share (not a rule): the entries with a command, their docker run line and facts.

A client starts a stdio server as a child process and speaks JSON-RPC over its stdin/stdout; when
the process exits, most clients show only "connection closed" (or "spawn X ENOENT"), never its
stderr. The rules say what happened in those words.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_dockernet.model import DockerRun, LaunchResult, ServerEntry, Snapshot, StdioCommand, StdioFacts

CLOSED = 'the client shows "connection closed"'
DESKTOP_VMS = frozenset({"docker-desktop", "orbstack", "colima"})  # engines in a VM: host networking is the VM's


def commands(snap: Snapshot) -> Iterator[tuple[ServerEntry, StdioCommand]]:
    """Every entry the client starts as a process (disabled entries are not started, so not judged)."""
    for entry in snap.entries:
        if entry.stdio is not None and not entry.skip_reason:
            yield entry, entry.stdio


def docker_runs(snap: Snapshot) -> Iterator[tuple[ServerEntry, StdioCommand, DockerRun]]:
    for entry, cmd in commands(snap):
        if cmd.docker is not None:
            yield entry, cmd, cmd.docker


def checked(snap: Snapshot) -> Iterator[tuple[ServerEntry, StdioCommand, StdioFacts]]:
    """Entries whose command was looked at on this machine (collectors/stdio_host.py)."""
    for entry, cmd in commands(snap):
        facts = snap.stdio_facts(entry)
        if facts is not None and facts.checked:
            yield entry, cmd, facts


def launched(snap: Snapshot, *outcomes: str) -> Iterator[tuple[ServerEntry, LaunchResult]]:
    """Entries --launch started whose launch ended in one of these outcomes. A detail starting with
    "--launch" says the launch itself could not be made (no SDK): that is no verdict on the server."""
    for entry, _ in commands(snap):
        launch = snap.launch_of(entry)
        if launch is not None and launch.outcome in outcomes and not launch.detail.startswith("--launch"):
            yield entry, launch


def network_of(run: DockerRun) -> str:
    """The container's --network (--net is its alias); the last one given wins. "": the default bridge."""
    given = [f.value for f in run.flags if f.name in ("network", "net") and f.value]
    return given[-1] if given else ""
