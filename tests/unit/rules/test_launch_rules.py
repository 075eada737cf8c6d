"""Rules over what --launch saw (LaunchResult): stdio-exits-at-start, stdio-no-answer, and the static causes that hide them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mcp_dockernet import engine
from mcp_dockernet.model import LaunchResult, StdioFacts
from tests.unit.rules.factory import judge_stdio, stdio_entry, stdio_snapshot

RUN = ("run", "-i", "--rm", "-e", "API_KEY", "lab/image")
TAIL = ("starting", "error: API_KEY is not set")


def launched(entry, launch: LaunchResult | None, facts: StdioFacts | None = None):
    snap = stdio_snapshot(entry, facts=facts)
    return replace(snap, launches=(launch,) if launch else (), launching=True)


def result(entry, outcome: str, detail: str = "", **kw) -> LaunchResult:
    return LaunchResult(entry.id, outcome, detail or outcome, **kw)


NPX = stdio_entry("npx", ("-y", "some-mcp"))
DOCKER = stdio_entry("docker", RUN)


@pytest.mark.parametrize(
    "outcome, kw, expected",
    [
        ("mcp", {"tool_count": 2}, []),
        ("exited", {"exit_code": 1, "stderr_tail": TAIL}, ["stdio-exits-at-start"]),
        ("error", {}, ["stdio-exits-at-start"]),
        ("timeout", {}, ["stdio-no-answer"]),
    ],
)
def test_the_launch_outcome_decides(outcome, kw, expected):
    for entry in (NPX, DOCKER):
        assert [f.code for f in judge_stdio(launched(entry, result(entry, outcome, **kw)))] == expected


def test_not_launched_is_not_judged():
    assert judge_stdio(launched(NPX, None)) == []


def test_a_launch_that_could_not_be_made_is_no_verdict_on_the_server():
    launch = result(NPX, "error", "--launch needs the MCP SDK: pip install 'mcp-dockernet[launch]'")
    snap = launched(NPX, launch)
    assert judge_stdio(snap) == []
    server = engine.run(snap).servers[0]
    assert server.status == "ok" and server.launch == launch  # the renderers still show why


def test_exits_names_the_code_and_quotes_the_last_stderr_line():
    launch = result(NPX, "exited", "exited with code 1 after 0.1 s, before answering initialize",
                    exit_code=1, stderr_tail=TAIL)  # fmt: skip
    (finding,) = judge_stdio(launched(NPX, launch))
    assert "exited with code 1" in finding.message
    assert finding.message.endswith('its last stderr line: "error: API_KEY is not set"')
    assert finding.evidence == ("stderr: starting", "stderr: error: API_KEY is not set")
    assert str(finding.severity) == "error" and "doctor --launch" in finding.fix


def test_exits_without_stderr_says_so():
    (finding,) = judge_stdio(launched(NPX, result(NPX, "exited", "exited with code 0", exit_code=0)))
    assert "it wrote nothing to stderr" in finding.message and finding.evidence == ()


def test_no_answer_quotes_stderr_and_the_bound():
    launch = result(NPX, "timeout", "started, but it answered nothing MCP in 15 s", stderr_tail=("waiting for login",))
    (finding,) = judge_stdio(launched(NPX, launch))
    assert finding.code == "stdio-no-answer" and "answered nothing MCP in 15 s" in finding.message
    assert "waiting for login" in finding.message and finding.evidence == ("stderr: waiting for login",)


@pytest.mark.parametrize(
    "args, facts, cause",
    [
        (("run", "--rm", "lab/image"), None, "docker-run-no-stdin"),
        (("run", "-it", "--rm", "lab/image"), None, "docker-run-tty"),
        (RUN, StdioFacts(None, search_path="/usr/bin"), "command-not-found"),
        (
            RUN,
            StdioFacts("/usr/bin/docker", image_present=True, missing_files=(("env-file", ".env"),)),
            "env-file-missing",
        ),
        (RUN, StdioFacts("/usr/bin/docker", image_present=True, missing_files=(("cwd", "/nope"),)), "cwd-not-found"),
    ],
)
def test_a_static_cause_hides_the_launch_finding_it_explains(args, facts, cause):
    entry = stdio_entry("docker", args)
    for outcome in ("exited", "error"):
        codes = [f.code for f in judge_stdio(launched(entry, result(entry, outcome, exit_code=0), facts))]
        assert cause in codes and "stdio-exits-at-start" not in codes, (outcome, codes)


def test_docker_run_invalid_hides_the_exit():
    entry = stdio_entry("docker", RUN, problem="unknown flag: --bogus")
    codes = [f.code for f in judge_stdio(launched(entry, result(entry, "exited", exit_code=125)))]
    assert codes == ["docker-run-invalid"]


@pytest.mark.parametrize("args", [("run", "--rm", "lab/image"), ("run", "-t", "lab/image")])
def test_no_stdin_or_a_tty_also_explains_silence(args):
    entry = stdio_entry("docker", args)
    codes = [f.code for f in judge_stdio(launched(entry, result(entry, "timeout")))]
    assert "stdio-no-answer" not in codes and codes


def test_an_unexplained_exit_is_shown_beside_other_findings():
    """env-not-set is a warning that may explain it, or not: the server's own stderr stays in view."""
    facts = StdioFacts("/usr/bin/docker", image_present=True, unset_env=("API_KEY",))
    codes = sorted(f.code for f in judge_stdio(launched(DOCKER, result(DOCKER, "exited", exit_code=1), facts)))
    assert codes == ["env-not-set", "stdio-exits-at-start"]


def test_the_report_status_follows_the_launch():
    ok = engine.run(launched(NPX, result(NPX, "mcp", tool_count=1))).servers[0]
    failed = engine.run(launched(NPX, result(NPX, "exited", exit_code=1))).servers[0]
    assert (ok.status, failed.status) == ("ok", "error")
    assert [f.code for f in failed.findings] == ["stdio-exits-at-start"] and failed.launch is not None
