"""One stdio MCP session with a process we own: start it, initialize, list tools, then kill its group.

The official SDK's ``stdio_client`` starts the process itself and keeps it: it gives no pid, writes
stderr to a file we would have to provide, and stops only the process tree it knows. So the
process is ours (``anyio.open_process``, a session of its own: ``start_new_session=True``) and the
SDK's ``ClientSession`` speaks over its pipes through two memory streams, as the SDK's transport
does (newline-delimited JSON-RPC, mcp/client/stdio.py). Stopping follows the spec's order
(modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle#shutdown): close stdin, wait,
SIGTERM, wait, SIGKILL, to the whole process group, whatever the SDK does. Every wait is bounded.

The mcp package is imported inside the functions: only --launch needs it.
"""

from __future__ import annotations

import os
import signal
import time
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import anyio

STDERR_KEPT = 64 * 1024  # the last bytes of stderr kept: the tail is what explains an exit
STDOUT_LINE_MAX = 16 * 1024 * 1024  # one JSON-RPC message; beyond that the line is dropped as not MCP
STDIN_GRACE = 1.0  # after stdin closes: a server (and a docker run -i container) ends by itself
TERM_GRACE = 1.0  # after SIGTERM, before SIGKILL
REAP_WAIT = 2.0  # for the exit code to show once the process has gone
MAX_TOOL_PAGES = 50


@dataclass
class Seen:
    """What the session saw (mutable while it runs; launch_one shapes it into a LaunchResult)."""

    start_error: Exception | None = None  # OSError (ENOENT, EACCES, a missing cwd), ValueError (a NUL byte)
    pid: int | None = None
    answered: bool = False  # initialize answered
    server_name: str | None = None
    server_version: str | None = None
    protocol_version: str | None = None
    tool_count: int | None = None
    rpc_error: str = ""  # the server answered a request with a JSON-RPC error, or an answer we cannot use
    timed_out: bool = False
    exit_code: int | None = None  # its own exit, before we stopped it; None: it ran until stopped
    seconds: float = 0.0
    stderr: bytes = b""
    stray_lines: int = 0  # stdout lines that are no JSON-RPC message (logs written to stdout break stdio)
    first_stray: str = ""

    @property
    def ok(self) -> bool:
        return self.tool_count is not None


def run_session(argv: list[str], env: dict[str, str], cwd: str, timeout: float) -> Seen:
    """Start argv and speak MCP to it for at most ``timeout`` seconds, then stop its process group."""
    return anyio.run(_session, argv, env, cwd, timeout, backend="asyncio")


async def _session(argv: list[str], env: dict[str, str], cwd: str, timeout: float) -> Seen:
    seen = Seen()
    started = time.monotonic()
    try:
        proc = await anyio.open_process(argv, env=env, cwd=cwd, start_new_session=True)
    except (OSError, ValueError) as e:  # ENOENT, EACCES, a missing cwd, a NUL byte: its client could not either
        seen.start_error = e
        return seen
    seen.pid = proc.pid
    stderr, drained = bytearray(), anyio.Event()
    stopped = False
    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(_drain_stderr, proc, stderr, drained)
            await _exchange(proc, timeout, seen)
            seen.seconds = time.monotonic() - started
            if not seen.ok and not seen.timed_out:  # stdout ended first: the exit code follows
                await _exited(proc, REAP_WAIT)
            seen.exit_code = proc.returncode
            await _stop(proc)
            stopped = True
            with anyio.move_on_after(0.5):  # a survivor that left the group may hold stderr open
                await drained.wait()
            tg.cancel_scope.cancel()
    finally:
        if not stopped:  # cancelled, or something above raised: the group goes all the same
            with anyio.CancelScope(shield=True):
                await _stop(proc)
        seen.stderr = bytes(stderr)
    return seen


async def _drain_stderr(proc: Any, kept: bytearray, drained: anyio.Event) -> None:
    try:
        with suppress(anyio.EndOfStream, anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
            async for chunk in proc.stderr:
                kept.extend(chunk)
                if len(kept) > STDERR_KEPT:
                    del kept[: len(kept) - STDERR_KEPT]
    finally:
        drained.set()


async def _exchange(proc: Any, timeout: float, seen: Seen) -> None:
    """initialize, then tools/list (every page), within ``timeout`` seconds."""
    from mcp.client.session import ClientSession
    from mcp.shared.exceptions import MCPError
    from mcp.shared.message import SessionMessage
    from mcp_types import CONNECTION_CLOSED

    read_send, read_recv = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    write_send, write_recv = anyio.create_memory_object_stream[SessionMessage](0)
    with anyio.move_on_after(timeout) as scope:
        async with anyio.create_task_group() as tg:
            tg.start_soon(_pump_stdout, proc, read_send, seen)
            tg.start_soon(_pump_stdin, proc, write_recv)
            try:
                async with ClientSession(read_recv, write_send) as session:
                    result = await session.initialize()
                    seen.answered = True
                    seen.server_name = result.server_info.name
                    seen.server_version = result.server_info.version
                    seen.protocol_version = result.protocol_version
                    seen.tool_count = await _count_tools(session)
            except Exception as raised:  # the session's task group wraps what its tasks raise
                e = _first(raised)
                if isinstance(e, MCPError):
                    if e.error.code != CONNECTION_CLOSED:  # closed: stdout ended, the exit tells why
                        seen.rpc_error = f"JSON-RPC error {e.error.code}: {e.error.message}"
                else:  # an answer the SDK refuses (unsupported protocol, invalid result)
                    seen.rpc_error = f"{type(e).__name__}: {(str(e).splitlines() or [''])[0][:200]}"
            finally:
                tg.cancel_scope.cancel()
    seen.timed_out = scope.cancelled_caught and not seen.ok


def _first(e: BaseException) -> BaseException:
    """The first leaf of an exception group (the session's task group wraps its tasks' errors)."""
    while isinstance(e, BaseExceptionGroup) and e.exceptions:
        e = e.exceptions[0]
    return e


async def _count_tools(session: Any) -> int:
    from mcp_types import PaginatedRequestParams

    count, cursor = 0, None
    for _ in range(MAX_TOOL_PAGES):
        page = await session.list_tools(params=PaginatedRequestParams(cursor=cursor) if cursor else None)
        count += len(page.tools)
        cursor = page.next_cursor
        if not cursor:
            break
    return count


async def _pump_stdout(proc: Any, sink: Any, seen: Seen) -> None:
    """The server's stdout, one JSON-RPC message per line, into the session; other lines are counted."""
    import mcp_types
    from mcp.shared.message import SessionMessage

    buffer = b""
    async with sink:
        with suppress(anyio.EndOfStream, anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
            async for chunk in proc.stdout:
                *lines, buffer = (buffer + chunk).split(b"\n")
                if len(buffer) > STDOUT_LINE_MAX:
                    lines.append(buffer[:200])
                    buffer = b""
                for raw in lines:
                    line = raw.decode("utf-8", "replace").strip()
                    if not line:
                        continue
                    try:
                        message = mcp_types.jsonrpc_message_adapter.validate_json(line, by_name=False)
                    except ValueError:
                        seen.stray_lines += 1
                        seen.first_stray = seen.first_stray or line[:200]
                        continue
                    await sink.send(SessionMessage(message))


async def _pump_stdin(proc: Any, source: Any) -> None:
    async with source:
        with suppress(anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
            async for message in source:
                data = message.message.model_dump_json(by_alias=True, exclude_unset=True) + "\n"
                await proc.stdin.send(data.encode())


async def _stop(proc: Any) -> None:
    """Close stdin, then SIGTERM and SIGKILL to the process group: nothing it started survives."""
    if proc.stdin is not None:
        with suppress(Exception):
            await proc.stdin.aclose()
    if proc.returncode is None:
        await _exited(proc, STDIN_GRACE)
    if _signal_group(proc.pid, signal.SIGTERM) and not await _group_gone(proc.pid, TERM_GRACE):
        _signal_group(proc.pid, signal.SIGKILL)
        await _group_gone(proc.pid, REAP_WAIT)
    await _exited(proc, REAP_WAIT)


def _signal_group(pgid: int, sig: int) -> bool:
    """Signal every process of the group; False: the group has no process left."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:  # a member changed its uid (setuid): nothing more we may do
        return False
    return True


async def _group_gone(pgid: int, timeout: float) -> bool:
    """Whether every process of the group has ended (a zombie has: it waits only for its parent's wait)."""
    if not _signal_group(pgid, 0):
        return True
    members = _members(pgid)  # once: polling every process of the machine would cost more than the wait
    deadline = anyio.current_time() + timeout
    while any(_running(p) for p in members):
        if anyio.current_time() >= deadline:
            return False
        await anyio.sleep(0.02)
    return True


def _members(pgid: int) -> list[Any]:
    import psutil

    found = []
    for p in psutil.process_iter():
        with suppress(psutil.Error, OSError):
            if os.getpgid(p.pid) == pgid:
                found.append(p)
    return found


def _running(p: Any) -> bool:
    import psutil

    try:
        return bool(p.is_running() and p.status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


async def _exited(proc: Any, timeout: float) -> bool:
    """Polls returncode (not proc.wait(), which on asyncio also waits for the pipes' EOF)."""
    deadline = anyio.current_time() + timeout
    while proc.returncode is None:
        if anyio.current_time() >= deadline:
            return False
        await anyio.sleep(0.02)
    return True
