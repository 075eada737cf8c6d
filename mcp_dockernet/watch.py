"""Watch mode: follow the engine's events, re-diagnose when something changes, keep URLs right.

The loop is small and explicit:
  wait for a change (an engine event, a config file's content, or the periodic re-check),
  debounce it, diagnose, and with --write apply the planned URL edits,
  but never twice the same change and never back to a URL it replaced (no flapping).
The engine may go away (reconnect with backoff, report "engine unreachable" meanwhile) and a
config may be briefly invalid while an editor writes it (wait; never overwrite it then).
"""

from __future__ import annotations

import hashlib
import json
import logging
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from mcp_dockernet.errors import ConfigError, EngineError, FixError
from mcp_dockernet.fix import plan as fix_plan
from mcp_dockernet.fix.service import apply_fix, plan_fixes
from mcp_dockernet.model import Snapshot
from mcp_dockernet.redact import redact_url
from mcp_dockernet.render import html, json_out
from mcp_dockernet.report import Report, entry_key
from mcp_dockernet.route.from_host import remembered_identity
from mcp_dockernet.run import Diagnosis, Selection, diagnose
from mcp_dockernet.watch_events import follow_events

log = logging.getLogger("mcp_dockernet.watch")


@dataclass
class State:
    """What /healthz and /report serve; written by the loop, read by the HTTP threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    engine_ok: bool = False
    engine_reason: str = "not checked yet"
    report: dict[str, Any] | None = None
    servers_ok: bool = False
    last_check: float = 0.0
    changes: int = 0
    waiting: str = ""  # why the last round did not judge (an invalid config, say)
    page: str = ""  # the body of the page at / (render/html.py), made with the report
    last_change: float = 0.0  # when this watcher last wrote a fix

    def update(self, **values: Any) -> None:
        with self.lock:
            for key, value in values.items():
                setattr(self, key, value)

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "engine": "ok" if self.engine_ok else "unreachable",
                "engine_reason": self.engine_reason,
                "servers_ok": self.servers_ok,
                "last_check": self.last_check,
                "changes": self.changes,
                "waiting": self.waiting,
            }


@dataclass
class Watcher:
    sel: Selection
    write: bool
    state: State
    diagnose_fn: Callable[[Selection, tuple[tuple[str, str], ...]], Diagnosis] = field(
        default=lambda sel, remembered: diagnose(sel, remembered=remembered)
    )
    memory: dict[str, str] = field(default_factory=dict)  # entry -> the MCP server that answered there
    written: set[tuple[str, str, str]] = field(default_factory=set)  # (config#server, old, new)
    _written_fingerprint: str | None = None
    paths: tuple[str, ...] = ()  # the config files of the last round, watched for edits

    def round(self) -> None:
        """One diagnosis, and the writes it calls for."""
        try:
            diagnosis = self.diagnose_fn(self.sel, tuple(self.memory.items()))
        except ConfigError as e:
            # An editor may be half-way through writing the file: wait for the next round.
            self.state.update(waiting=f"{e} (waiting for a valid file; nothing written)", last_check=time.time())
            log.warning("config not readable, waiting: %s", e)
            return
        except EngineError as e:
            self.state.update(engine_ok=False, engine_reason=str(e), last_check=time.time())
            log.warning("engine unreachable: %s", e)
            return
        self.paths = tuple(c.path for c in diagnosis.configs)
        diagnosis = replace(diagnosis, report=self._watched(diagnosis.report))  # and only those are written
        self._publish(diagnosis.report, diagnosis.snapshot, engine_ok=True, engine_reason="", waiting="")
        if self.write and self._apply(diagnosis):
            self.round_after_write()

    def round_after_write(self) -> None:
        """Judge again right after a write, so /ready and /report show the state the fix made."""
        try:
            diagnosis = self.diagnose_fn(self.sel, tuple(self.memory.items()))
        except (ConfigError, EngineError):
            return
        self._publish(self._watched(diagnosis.report), diagnosis.snapshot)

    def _watched(self, report: Report) -> Report:
        """The entries this watcher follows: stdio ones only with --launch (a sidecar judges what answers)."""
        if self.sel.launch:
            return report
        return replace(report, servers=tuple(s for s in report.servers if s.entry.url is not None))

    def _publish(self, report: Report, snap: Snapshot | None = None, **more: Any) -> None:
        """Remember who answered, and show the report at /report and /ready, and as the page at /."""
        self._remember(report)
        now = time.time()
        self.state.update(
            report=json_out.to_dict(report),
            servers_ok=all(s.status in ("ok", "skipped") for s in report.servers),
            last_check=now,
            page=self._page(report, snap, now),
            **more,
        )

    def _page(self, report: Report, snap: Snapshot | None, now: float) -> str:
        if snap is None:
            return self.state.page
        facts = [f"last check: {_when(now)}"]
        if self.state.last_change:
            facts.append(f"last change written: {_when(self.state.last_change)} ({self.state.changes} in all)")
        try:
            return html.body(report, *html.drawn(report, snap), tuple(facts))
        except Exception:  # the page is a view: drawing it must never stop the watcher
            log.exception("the page could not be drawn")
            return self.state.page

    def _remember(self, report: Report) -> None:
        """Who answered at each entry: the MCP server's name and the container that published it."""
        for server in report.servers:
            if server.probe is not None and server.probe.ok and server.probe.server_name and server.served_by:
                self.memory[str(entry_key(server.entry))] = remembered_identity(
                    server.probe.server_name, server.served_by
                )

    def _apply(self, diagnosis: Diagnosis) -> int:
        """Write the fresh edits (the same fix service as `fix`; Compose files never); returns how many."""
        fixes = plan_fixes(diagnosis, edit_compose=False)
        count = 0
        for cfg in diagnosis.configs:
            mine = [e for e in fixes.of(cfg) if self._fresh(e)]
            if not mine:
                continue
            try:
                done = apply_fix(cfg, mine, diagnosis)
            except FixError as error:
                log.warning("not written: %s", error)
                continue
            for edit in mine:
                self.written.add((f"{edit.path}#{edit.server}", edit.old_url, edit.new_url))
                old, new = redact_url(edit.old_url), redact_url(edit.new_url)
                log.info("changed %s %s: %s -> %s", edit.path, edit.server, old, new)
            for problem in done.unseen:
                log.warning("written, but not seen by its client: %s", problem)
            self.state.update(changes=self.state.changes + len(mine), last_change=time.time())
            count += len(mine)
        if count:
            self._written_fingerprint = config_fingerprint(self.paths)
        return count

    def take_written_fingerprint(self) -> str | None:
        """The configs' fingerprint right after this round's writes (None: it wrote nothing)."""
        found, self._written_fingerprint = self._written_fingerprint, None
        return found

    def _fresh(self, edit: fix_plan.Edit) -> bool:
        key = f"{edit.path}#{edit.server}"
        if (key, edit.old_url, edit.new_url) in self.written:
            return False  # the same change again: something else reverts it; don't fight
        if (key, edit.new_url, edit.old_url) in self.written:
            log.warning("not changing %s back to %s: that would flap", key, redact_url(edit.new_url))
            return False
        return True


def config_fingerprint(paths: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        try:
            with open(path, "rb") as f:
                digest.update(f.read())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()


def recheck_delay(last: float, interval: float) -> float:
    """Seconds from a check that found something wrong to the next one, if nothing happens: 1, 2, 4 ...
    up to `interval` (`last`: the delay before this check, 0 after a change or a good verdict). Soon,
    because a container that just started may not listen yet and no event comes when it does."""
    return min(max(last * 2, 1.0), interval)


def run_forever(
    watcher: Watcher,
    api_factory: Callable[[], Any],
    *,
    debounce: float = 1.0,
    interval: float = 60.0,
    poll: float = 1.0,
    first_wait: float = 15.0,
    stop: threading.Event | None = None,
) -> None:
    """Check once the engine has answered (or `first_wait` passed), then after each change, and
    otherwise on the `recheck_delay` schedule; return when `stop` is set or on SIGTERM."""
    stop = stop or threading.Event()
    restore = _stop_on_sigterm(stop)
    changes: queue.Queue[str] = queue.Queue()
    threading.Thread(target=follow_events, args=(api_factory, changes, watcher.state, stop), daemon=True).start()
    fingerprint = config_fingerprint(watcher.paths)
    next_check = time.monotonic() + first_wait  # the engine's first word starts the first check
    delay, checked = 0.0, False
    try:
        while not stop.is_set():
            reason = _next_reason(changes, poll)
            current = config_fingerprint(watcher.paths)
            if current != fingerprint:
                reason, fingerprint = "a config file changed", current
            if reason is None and time.monotonic() < next_check:
                continue
            if reason is not None:
                _debounce(changes, debounce, stop)
            elif not checked:
                reason = "first check"
            if stop.is_set():
                break
            log.info("checking: %s", reason or ("re-check while something is wrong" if delay else "periodic re-check"))
            # The files as this round reads them: an edit made while it runs (its probes take seconds)
            # is then still a change to react to. Our own write is not: its fingerprint replaces this.
            read = watcher.paths
            fingerprint = config_fingerprint(read)
            watcher.round()
            checked = True
            if watcher.paths != read:  # the first round finds which files it reads
                fingerprint = config_fingerprint(watcher.paths)
            fingerprint = watcher.take_written_fingerprint() or fingerprint
            ok = watcher.state.servers_ok
            delay = 0.0 if ok else recheck_delay(delay if reason is None else 0.0, interval)
            next_check = time.monotonic() + (interval if ok else delay)
            verdict = "all ok" if ok else "something is wrong"
            log.info("checked: %s; next check in %gs unless something changes", verdict, interval if ok else delay)
    finally:
        restore()


BURST_LIMIT = 10  # a burst is waited out for at most this many debounce periods


def _debounce(changes: queue.Queue[str], debounce: float, stop: threading.Event) -> None:
    """Wait for a burst of events to end: until `debounce` s pass with no event, but no longer than
    BURST_LIMIT periods: a container restarting every second never lets the engine go quiet, and
    the check must still run (without a limit, any event within `debounce` of the last delays it)."""
    now = time.monotonic()
    quiet_until, give_up = now + debounce, now + BURST_LIMIT * debounce
    while time.monotonic() < quiet_until and not stop.is_set():
        try:
            changes.get(timeout=max(quiet_until - time.monotonic(), 0.01))
            quiet_until = min(time.monotonic() + debounce, give_up)
        except queue.Empty:
            break


def _stop_on_sigterm(stop: threading.Event) -> Callable[[], None]:
    """SIGTERM (`docker stop`, the sidecar's PID 1 ignores it otherwise) ends the loop after the
    round in progress, so its helper container is removed; returns the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


def _next_reason(changes: queue.Queue[str], poll: float) -> str | None:
    try:
        return changes.get(timeout=poll)
    except queue.Empty:
        return None


def _when(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(t))


def page_html(state: State, *, whole: bool) -> bytes:
    """The page at / (``whole``: the document, with the script that follows /page) or its body alone (/page)."""
    with state.lock:
        body = state.page or html.PENDING
    return (html.document(body, live=True) if whole else body).encode()


def report_json(state: State) -> bytes:
    with state.lock:
        body = state.report or {"schema": json_out.SCHEMA, "servers": [], "pending": True}
    return (json.dumps(body, indent=2) + "\n").encode()
