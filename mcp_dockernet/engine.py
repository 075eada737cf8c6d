"""Gather one Snapshot, build the routes, run every rule on them in isolation, group the findings per entry."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from mcp_dockernet.mcpconfig import placeholders
from mcp_dockernet.model import (
    ClientPlace,
    ConfigFile,
    EngineState,
    HostState,
    ProbeTarget,
    ServerEntry,
    Snapshot,
    StdioCommand,
    Unavailable,
)
from mcp_dockernet.redact import redact_url
from mcp_dockernet.report import Finding, Report, ServerReport, Severity
from mcp_dockernet.route import probe_targets, routes_of
from mcp_dockernet.route.describe import describe, served_by
from mcp_dockernet.route.model import Route
from mcp_dockernet.rules import RULES, Rule
from mcp_dockernet.urls import parse_url

log = logging.getLogger(__name__)
Prober = Callable[..., tuple]  # (ProbeTargets, timeout, vantage="host") -> ProbeResults, in their order


def build_snapshot(
    configs: Sequence[ConfigFile],
    engine: EngineState | Unavailable,
    host: HostState | Unavailable,
    *,
    probe: bool = True,
    timeout: float = 3.0,
    prober: Prober | None = None,
    places: tuple[tuple[str, ClientPlace], ...] = (),
    compose: Any = None,
    listeners: Callable[[Snapshot], tuple] | None = None,  # snapshot -> ((container id, Listeners), ...)
    remembered: tuple[tuple[str, str], ...] = (),
    stdio: Callable[[Snapshot], tuple] | None = None,  # snapshot -> ((entry id, StdioFacts), ...)
    launcher: Callable[[Snapshot], tuple] | None = None,  # --launch: snapshot -> LaunchResults
    here: HostState | None = None,  # this machine's sockets, when the engine is on another one
) -> Snapshot:
    """The facts, then (unless told not to) one concurrent round of the probes the routes call for.

    stdio entries are looked at statically (``stdio``: their command, image, env; nothing is
    started) and, only when a ``launcher`` is given (--launch), started and spoken to: that runs
    while the HTTP probes go out, and it runs with --no-probe too (it is no network probe).
    """
    snap = Snapshot(
        tuple(configs), engine, host, probing=False, places=places, compose=compose, remembered=remembered, here=here
    )
    if listeners is not None:  # reading sockets is not probing: --no-probe keeps it
        snap = replace(snap, container_listeners=tuple(listeners(snap)))
    if stdio is not None:
        snap = replace(snap, stdio=tuple(stdio(snap)))
    if launcher is not None:
        with ThreadPoolExecutor(max_workers=1) as pool:
            launched = pool.submit(launcher, snap)
            snap = _probed(snap, probe, timeout, prober)
            return replace(snap, launches=tuple(launched.result()), launching=True)
    return _probed(snap, probe, timeout, prober)


def _probed(snap: Snapshot, probe: bool, timeout: float, prober: Prober | None) -> Snapshot:
    if not probe:
        return snap
    # Each entry is probed from where its client runs: the host, or inside its container's network
    # namespace (so its DNS, /etc/hosts and networks apply). All vantages go out at once.
    rounds = {vantage: targets for vantage, targets in probe_targets(snap).items() if targets}
    results: tuple = ()
    if prober is None:  # imported here: the HTTP stack is not needed when nothing is probed
        from mcp_dockernet.probes.vantage import probe_all

        prober = probe_all
    if rounds:
        with ThreadPoolExecutor(max_workers=min(len(rounds), 8)) as pool:
            futures = [pool.submit(_probe_round, prober, v, t, timeout) for v, t in rounds.items()]
            results = tuple(r for f in futures for r in f.result())
    return replace(snap, probes=results, probing=True)


def _probe_round(prober: Prober, vantage: str, targets: list[ProbeTarget], timeout: float) -> tuple:
    from mcp_dockernet.probes.followup import followup_targets

    kwargs = {} if vantage == "host" else {"vantage": vantage}
    results = tuple(prober(targets, timeout, **kwargs))
    more = followup_targets(targets, results)  # only URLs that answered "not here": one quick round trip more
    return results + tuple(prober(more, timeout, **kwargs)) if more else results


def run(snap: Snapshot, rules: dict[str, Rule] | None = None, *, debug: bool = False) -> Report:
    rules = RULES if rules is None else rules
    routes = routes_of(snap)
    findings: list[Finding] = []
    skipped: list[tuple[str, str]] = []
    errors: list[tuple[str, str]] = []
    missing = _missing_sources(snap)
    for code, rule in rules.items():
        reasons = [missing[need] for need in sorted(rule.NEEDS) if need in missing]
        if reasons:
            skipped.append((code, "; ".join(reasons)))
            continue
        try:
            findings.extend(rule.check(snap, routes))
        except Exception as e:  # one broken rule must not hide the others' findings
            if debug:
                raise
            log.exception("rule %s crashed", code)
            errors.append((code, f"{type(e).__name__}: {e}"))
    findings = _without_superseded(findings, rules)
    by_id = {r.id: r for r in routes}
    servers = tuple(_server_report(snap, entry, by_id.get(entry.id), findings) for entry in snap.entries)
    return Report(servers, tuple(c.path for c in snap.configs), tuple(skipped), tuple(errors))


def _without_superseded(findings: list[Finding], rules: dict[str, Rule]) -> list[Finding]:
    """Drop a finding when another rule found a cause on the same entry that supersedes its code."""
    codes: dict[object, set[str]] = {}
    for f in findings:
        codes.setdefault(f.subject, set()).add(f.code)
    hidden = {
        (subject, superseded)
        for subject, found in codes.items()
        for code in found
        for superseded in getattr(rules.get(code), "SUPERSEDES", frozenset())
    }
    return [f for f in findings if (f.subject, f.code) not in hidden]


def _missing_sources(snap: Snapshot) -> dict[str, str]:
    missing = {}
    if isinstance(snap.engine, Unavailable):
        missing["engine"] = snap.engine.reason
    if isinstance(snap.host, Unavailable):
        missing["host"] = snap.host.reason
    return missing


def _server_report(snap: Snapshot, entry: ServerEntry, route: Route | None, findings: list[Finding]) -> ServerReport:
    mine = tuple(f for f in findings if f.subject == entry.id)
    url = entry.effective_url
    place = snap.place_of(entry)
    if entry.url is None:
        return _stdio_report(snap, entry, place, mine)
    if entry.skip_reason:
        return ServerReport(entry, place.label, "unknown", "skipped", (), None, None, (entry.skip_reason,))
    if url is None:
        note = f"the URL's placeholders {', '.join(entry.unresolved)} have no known value here"
        return ServerReport(entry, place.label, "unknown", "skipped", (), None, None, (note,))
    if route is None or parse_url(url) is None:
        note = f"{redact_url(url)} is not an http(s) URL mcp-dockernet can judge"
        return ServerReport(entry, place.label, "unknown", "skipped", (), None, None, (note,))
    probe = route.probe
    notes: list[str] = []
    if worst := _serious(mine):
        status = worst
    elif probe is not None and not probe.ok:
        status = "warning"
        notes.append(f"the probe failed ({probe.detail}) and no known cause matched")
    else:
        status = "ok"
    if not snap.probing:
        notes.append(f"not probed: {snap.probe_skip_reason}")
    elif place.vantage is None:
        notes.append(f"not probed: {place.name} is not running; judged from the Compose file")
    chosen = next((f for f in mine if f.suggested_url), None)
    suggested = chosen.suggested_url if chosen else None
    if suggested and placeholders.rewrite_url(entry, suggested) is None:
        notes.append(placeholders.blocked_note(entry))
    return ServerReport(
        entry,
        place.label,
        describe(snap, route),
        status,
        mine,
        suggested,
        probe,
        tuple(notes),
        client_reason=place.reason,
        served_by=served_by(route),
        writable=bool(chosen and chosen.writable),
        suggested_transport=chosen.suggested_transport if chosen else None,
    )


def _serious(findings: tuple[Finding, ...]) -> str:
    """The status the worst finding gives ("error", "warning"); "" when there are only notes (info)."""
    worst = max((f.severity for f in findings), default=Severity.INFO)
    return str(worst) if worst > Severity.INFO else ""


def _stdio_report(snap: Snapshot, entry: ServerEntry, place: ClientPlace, mine: tuple[Finding, ...]) -> ServerReport:
    """A stdio entry: judged from its command line and this machine (and with --launch, by starting it)."""
    command = entry.stdio
    if command is None:  # a stdio type with no command: nothing to start
        return ServerReport(entry, place.label, "a local process (stdio)", "skipped", (), None, None,
                            ("the entry has no command to start",))  # fmt: skip
    facts, launch = snap.stdio_facts(entry), snap.launch_of(entry)
    notes: list[str] = []
    if entry.skip_reason:
        return ServerReport(entry, place.label, _stdio_target(command), "skipped", (), None, None, (entry.skip_reason,))
    if worst := _serious(mine):
        status = worst
    elif launch is not None and not launch.detail.startswith("--launch"):  # "--launch ...": it could not launch
        status = "ok" if launch.ok else "warning"
        if not launch.ok:
            notes.append(f"the launch failed ({launch.detail}) and no known cause matched")
    elif facts is None or not facts.checked:
        status = "skipped"
        notes.append(facts.note if facts is not None and facts.note else "its command was not checked here")
    else:
        status = "ok"
    if launch is None and status != "skipped":
        if not snap.launching:
            notes.append("not launched: --launch starts it as its client would and speaks MCP to it")
        elif place.kind != "host":
            notes.append(f"not launched: its client runs in {place.name}, and launches start processes on this host")
    edits = tuple(a for f in mine if f.writable for a in f.arg_edits)
    return ServerReport(
        entry,
        place.label,
        _stdio_target(command),
        status,
        mine,
        None,
        None,
        tuple(notes),
        client_reason=place.reason,
        writable=bool(edits),
        arg_edits=edits,
        launch=launch,
    )


def _stdio_target(command: StdioCommand) -> str:
    """Where a stdio entry leads, in words: the process the client starts, or the container it runs."""
    run = command.docker
    if run is not None and run.image:
        return f"a container of image {run.image}, started by {run.program} run and spoken to over its stdin"
    program = command.command.replace("\\", "/").rsplit("/", 1)[-1]
    return f"a process it starts ({program}), spoken to over its stdin and stdout"
