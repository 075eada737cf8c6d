"""The watch loop's decisions, with a scripted diagnosis (the real-engine test is in integration)."""

from __future__ import annotations

import json
import os
import queue
import signal
import threading
import time

from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcpconfig.mcp_config import load_config
from mcp_dockernet.model import EngineState, HostState, Snapshot
from mcp_dockernet.probes.vantage import HELPER_LABEL, run_helper
from mcp_dockernet.report import Finding, Report, ServerReport, Severity
from mcp_dockernet.run import Diagnosis, Selection
from mcp_dockernet.watch import State, Watcher, recheck_delay, run_forever
from mcp_dockernet.watch_events import change_of


def _diagnosis(path, suggested):
    config = load_config(str(path))
    entry = config.entries[0]
    finding = Finding("wrong-port", Severity.ERROR, "x", "m", "f", suggested_url=suggested)
    server = ServerReport(entry, "host", "t", "error", (finding,), suggested, None, writable=True)
    snap = Snapshot((config,), EngineState(()), HostState(()))
    return Diagnosis([config], Report((server,), (config.path,)), snap)


def _file(tmp_path, url):
    path = tmp_path / "mcp.json"
    path.write_text(json.dumps({"mcpServers": {"s": {"type": "http", "url": url}}}))
    return path


def test_writes_once_and_never_flaps_back(tmp_path):
    path = _file(tmp_path, "http://localhost:1/mcp")
    script = iter(["http://localhost:2/mcp", "http://localhost:2/mcp", "http://localhost:1/mcp"])
    watcher = Watcher(
        Selection(configs=(str(path),)),
        True,
        State(),
        diagnose_fn=lambda sel, remembered: _diagnosis(path, next(script, None)),
    )
    watcher.round_after_write = lambda: None  # type: ignore[method-assign]

    watcher.round()
    assert "localhost:2" in path.read_text()
    watcher.round()  # the same verdict again: nothing to write
    watcher.round()  # a suggestion back to the URL it replaced: refused
    assert "localhost:2" in path.read_text()
    assert watcher.state.changes == 1


def test_invalid_config_is_waited_for_and_never_written(tmp_path):
    path = _file(tmp_path, "http://localhost:1/mcp")
    path.write_text('{"mcpServers": {"s": {"url": ')  # an editor half-way through

    def diagnose(sel, remembered):
        raise ConfigError(str(path), "invalid JSON: unexpected end of file", line=1)

    watcher = Watcher(Selection(configs=(str(path),)), True, State(), diagnose_fn=diagnose)
    watcher.round()
    assert "waiting" in watcher.state.snapshot()["waiting"]
    assert path.read_text() == '{"mcpServers": {"s": {"url": '


def test_without_write_nothing_is_written(tmp_path):
    path = _file(tmp_path, "http://localhost:1/mcp")
    before = path.read_text()
    watcher = Watcher(
        Selection(), False, State(), diagnose_fn=lambda sel, remembered: _diagnosis(path, "http://localhost:2/mcp")
    )
    watcher.round()
    assert path.read_text() == before
    assert watcher.state.report is not None and watcher.state.report["schema"] == "mcp-dockernet/doctor/v1"


def test_a_compose_file_is_never_written_whichever_kind_it_was_read_as(tmp_path):
    """A Compose file that some option loaded as an MCP config (a JSON file here) is still the project's file."""
    path = _file(tmp_path, "http://localhost:1/mcp")
    before = path.read_text()
    diagnosis = _diagnosis(path, "http://localhost:2/mcp")
    diagnosis.compose = type("Project", (), {"files": (str(path),)})()
    watcher = Watcher(Selection(), True, State(), diagnose_fn=lambda sel, remembered: diagnosis)
    watcher.round()
    assert path.read_text() == before and watcher.state.changes == 0


# --- the loop settles: own helpers and execs wake nothing; a bounded re-check schedule --------------


def _event(kind, action, **attributes):
    return {"Type": kind, "Action": action, "Actor": {"ID": "x", "Attributes": attributes}}


def test_own_helpers_and_execs_are_not_changes():
    assert change_of(_event("container", "start", name="agent")) == "container start agent"
    assert (
        change_of(_event("network", "connect", name="proj_default", container="c1")) == "network connect proj_default"
    )
    for action in ("create", "start", "die", "destroy"):  # a probe or listener helper's whole life
        assert change_of(_event("container", action, name="h", **{HELPER_LABEL: "probe"})) is None
    assert change_of(_event("container", "start", name="h", **{HELPER_LABEL: "listeners"})) is None
    for action in ("exec_create: cat /proc/net/tcp", "exec_start: python3 -m x", "exec_die"):
        assert change_of(_event("container", action, name="agent")) is None
    assert change_of(_event("container", "health_status: healthy", name="agent")) is None
    assert change_of(_event("image", "pull", name="x")) is None
    # the listener helper runs with no network: its attach to `none` carries no labels, and changes nothing
    assert change_of(_event("network", "connect", name="none", container="c1", type="null")) is None


def test_recheck_schedule_doubles_from_one_second_up_to_the_interval():
    delays, last = [], 0.0
    for _ in range(9):
        last = recheck_delay(last, 60.0)
        delays.append(last)
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert recheck_delay(0.0, 0.5) == 0.5  # an --interval below a second caps it too


class FakeEngine:
    """An engine whose event stream carries only what the helpers of each check cause."""

    def __init__(self):
        self.stream: queue.Queue = queue.Queue()

    def __call__(self):
        return self

    def ping(self):
        return True

    def events(self, decode, filters):
        while True:
            yield self.stream.get()


class CountingWatcher:
    """Stands for Watcher: each round, like a probe from a client container, starts a helper."""

    def __init__(self, engine, ok):
        self.engine, self.state, self.paths, self.rounds = engine, State(), (), []
        self.ok = ok

    def round(self):
        self.rounds.append(time.monotonic())
        for action in ("create", "start", "die", "destroy"):
            self.engine.stream.put(_event("container", action, name="h", **{HELPER_LABEL: "probe"}))
        self.engine.stream.put(_event("container", "exec_start: cat /proc/net/tcp", name="agent"))
        self.state.update(servers_ok=self.ok, engine_ok=True)

    def take_written_fingerprint(self):
        return None  # it writes nothing


def _run(watcher, engine, seconds, **kw):
    stop = threading.Event()
    threading.Timer(seconds, stop.set).start()
    run_forever(watcher, engine, debounce=0.05, poll=0.05, stop=stop, **kw)  # type: ignore[arg-type]


def test_a_quiet_healthy_engine_is_checked_once_then_every_interval():
    engine = FakeEngine()
    watcher = CountingWatcher(engine, ok=True)
    _run(watcher, engine, 2.5, interval=1.0)
    gaps = [b - a for a, b in zip(watcher.rounds, watcher.rounds[1:], strict=False)]
    assert len(watcher.rounds) == 3 and all(0.95 <= g <= 1.3 for g in gaps), gaps  # 0, 1, 2 s


def test_a_quiet_broken_engine_backs_off_and_does_not_spin():
    engine = FakeEngine()
    watcher = CountingWatcher(engine, ok=False)
    _run(watcher, engine, 7.6, interval=4.0)
    gaps = [round(b - a, 1) for a, b in zip(watcher.rounds, watcher.rounds[1:], strict=False)]
    assert len(gaps) == 3 and [round(g) for g in gaps] == [1, 2, 4], gaps  # at 0, 1, 3, 7 s


def test_a_change_starts_the_schedule_again(tmp_path):
    engine = FakeEngine()
    watcher = CountingWatcher(engine, ok=False)
    threading.Timer(2.2, lambda: engine.stream.put(_event("container", "start", name="server"))).start()
    _run(watcher, engine, 4.0, interval=60.0)
    gaps = [round(b - a, 1) for a, b in zip(watcher.rounds, watcher.rounds[1:], strict=False)]
    # 0, 1 (re-check), the server's start at 2.2 s (a check instead of the one due at 3), and 1 s after it
    # the schedule's first step again, not 4 s.
    assert len(gaps) == 3 and [round(g) for g in gaps] == [1, 1, 1] and 1.1 <= gaps[1] <= 1.4, gaps


def test_an_edit_made_while_a_round_runs_is_still_a_change(tmp_path):
    """The user edits the config during a round (its probes take seconds): a check follows at once,
    not at the next interval; seen in the sidecar example, where the edit then waited 60 s."""
    engine = FakeEngine()
    cfg = tmp_path / "mcp.json"
    cfg.write_text("{}")
    watcher = CountingWatcher(engine, ok=True)
    watcher.paths = (str(cfg),)
    first_round = watcher.round

    def round_during_which_the_user_edits():
        first_round()
        if len(watcher.rounds) == 1:
            cfg.write_text('{"mcpServers": {}}')

    watcher.round = round_during_which_the_user_edits  # type: ignore[method-assign]
    _run(watcher, engine, 1.5, interval=60.0)
    assert len(watcher.rounds) == 2 and watcher.rounds[1] - watcher.rounds[0] < 1.0, watcher.rounds


def test_sigterm_ends_the_loop_after_the_round():
    engine = FakeEngine()
    watcher = CountingWatcher(engine, ok=True)
    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM)).start()
    before = signal.getsignal(signal.SIGTERM)
    run_forever(watcher, engine, debounce=0.05, poll=0.05, interval=60.0)  # type: ignore[arg-type]
    assert len(watcher.rounds) == 1
    assert signal.getsignal(signal.SIGTERM) is before  # put back


class HelperApi:
    """The engine calls run_helper makes; `fail` names the one that raises."""

    def __init__(self, fail):
        self.fail, self.created, self.removed = fail, [], []

    def create_host_config(self, **kw):
        return kw

    def create_container(self, image, **kw):
        self.created.append((kw["name"], kw["labels"]))
        if self.fail == "create":  # the engine made it, but the answer never came back
            raise TimeoutError("Read timed out")

    def start(self, name):
        pass

    def wait(self, name, timeout):
        if self.fail == "wait":
            raise TimeoutError("Read timed out")
        return {"StatusCode": 0}

    def logs(self, name, stdout, stderr):
        return b"out"

    def remove_container(self, name, force):
        self.removed.append(name)


def test_a_helper_is_labelled_and_removed_on_every_way_out():
    for fail in ("create", "wait", None):
        api = HelperApi(fail)
        try:
            run_helper(api, "img", "target", ["cat", "/proc/net/tcp"], 5, purpose="listeners")
        except TimeoutError:
            assert fail is not None
        (name, labels), *_ = api.created
        assert labels == {HELPER_LABEL: "listeners"} and api.removed == [name], (fail, api.created, api.removed)


def test_a_burst_that_never_ends_is_waited_out_for_a_bounded_time_only():
    """A container restarting every second never lets the engine go quiet: the check still runs,
    while the events are still coming (the producer has not finished when the wait ends)."""
    from mcp_dockernet.watch import BURST_LIMIT, _debounce

    changes: queue.Queue[str] = queue.Queue()
    stop, produced = threading.Event(), []

    def produce() -> None:  # bounded: at most 500 events, 10 s
        for i in range(500):
            if stop.is_set():
                return
            changes.put(f"event {i}")
            produced.append(i)
            time.sleep(0.02)

    producer = threading.Thread(target=produce, daemon=True)
    producer.start()
    try:
        _debounce(changes, 0.05, threading.Event())  # quiet never comes: 0.02 s between events
        assert producer.is_alive() and len(produced) < 500  # it returned while the burst went on
        assert len(produced) >= BURST_LIMIT  # ... and not at once: it waited the burst out a while
    finally:
        stop.set()
        producer.join(timeout=5)
