"""The pure parts of --launch: the process planned as its client would start it, the label, the shaped result,
the stderr tail with the entry's secrets masked, the clean-up's calls (fakes), the bounds of launch_all."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from mcp_dockernet.model import LaunchResult, StdioCommand
from mcp_dockernet.probes import stdio_launch
from mcp_dockernet.probes.launch_containers import LABEL, RunLine, labelled, remove_launched, run_line
from mcp_dockernet.probes.stdio_launch import (
    SDK_MISSING,
    Plan,
    launch_all,
    plan_launch,
    read_env_file,
    secrets_of,
    shape,
    stderr_tail,
)
from mcp_dockernet.probes.stdio_session import Seen
from mcp_dockernet.redact import MASK, redact_output
from tests.unit.rules.factory import docker_run, stdio_entry

IMAGE = "ghcr.io/github/github-mcp-server"


# --- the label goes right after "run", whatever comes before it ---


@pytest.mark.parametrize(
    "args, run_index, global_words",
    [
        (("run", "-i", "--rm", IMAGE), 0, ()),
        (("-H", "unix:///x.sock", "run", "-i", IMAGE), 2, ("-H", "unix:///x.sock")),
        (("--context", "colima", "run", "-i", IMAGE), 2, ("--context", "colima")),
    ],
)
def test_run_line_from_the_parsed_docker_run(args, run_index, global_words):
    cmd = StdioCommand("docker", args, docker=docker_run(args))
    run = run_line(cmd, {})
    assert run is not None and (run.run_index, run.global_words) == (run_index, global_words)
    assert run.own_engine is bool(global_words)  # -H / --context: the clean-up asks that engine, with the CLI
    out = labelled(args, run, "abc")
    assert out[run_index] == "run" and out[run_index + 1 : run_index + 3] == ("--label", f"{LABEL}=abc")
    assert out[:run_index] == args[:run_index] and out[run_index + 3 :] == args[run_index + 1 :]


@pytest.mark.parametrize(
    "command, args, expected",
    [
        ("docker", ("run", "-i", IMAGE), ("docker", 0, ())),
        ("/usr/bin/docker", ("container", "run", "-i", IMAGE), ("docker", 1, ())),
        ("podman", ("run", "-i", IMAGE), ("podman", 0, ())),
        ("docker", ("-H", "tcp://h:2375", "run", IMAGE), ("docker", 2, ("-H", "tcp://h:2375"))),
        ("docker", ("--context=x", "run", IMAGE), ("docker", 1, ("--context=x",))),
        ("docker", ("ps",), None),
        ("docker", ("mcp", "gateway", "run"), None),  # a docker plugin, not docker run
        ("npx", ("-y", "run"), None),
    ],
)
def test_run_line_without_the_parse(command, args, expected):
    """Until a DockerRun is there (docker is None), a plain scan finds run for the label."""
    run = run_line(StdioCommand(command, args), {})
    assert (None if run is None else (run.program, run.run_index, run.global_words)) == expected


def test_the_entrys_own_engine_is_cleaned_up_through_its_cli():
    args = ("run", "-i", IMAGE)
    cmd = StdioCommand("docker", args, env=(("DOCKER_HOST", "ssh://far"),), docker=docker_run(args))
    run = run_line(cmd, {})
    assert run is not None and run.own_engine


# --- the process as its client starts it ---


def test_plan_merges_env_file_and_env_over_the_clients(tmp_path):
    (tmp_path / "vars.env").write_text("# comment\nexport A=from-file\nB='quoted value'\nC=\"x\\ny\"\nD=1 # note\n")
    cmd = StdioCommand("sh", ("-c", "true"), env=(("A", "from-entry"),), cwd=str(tmp_path), env_file="vars.env")
    plan = plan_launch(cmd, {"PATH": os.environ["PATH"], "A": "client", "E": "client"}, "/")
    assert plan.problem == "" and plan.cwd == str(tmp_path)
    assert plan.env["A"] == "from-entry" and plan.env["E"] == "client"  # entry over file over client
    assert (plan.env["B"], plan.env["C"], plan.env["D"]) == ("quoted value", "x\ny", "1")
    assert plan.argv[0].endswith("/sh") and plan.argv[1:] == ("-c", "true") and plan.run is None


def test_plan_resolves_relative_paths_from_the_base_dir(tmp_path):
    (tmp_path / "work").mkdir()
    script = tmp_path / "work" / "server.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    plan = plan_launch(StdioCommand("./server.sh", cwd="work"), {"PATH": "/nowhere"}, str(tmp_path))
    assert plan.problem == "" and plan.cwd == str(tmp_path / "work") and os.path.samefile(plan.argv[0], script)
    default = plan_launch(StdioCommand("sh"), {"PATH": os.environ["PATH"]}, str(tmp_path))
    assert default.cwd == str(tmp_path)  # no cwd: where the client runs (collectors/stdio_host.py agrees)


@pytest.mark.parametrize(
    "cmd, problem",
    [
        (StdioCommand("no-such-command-here"), "is not on the PATH it would get (spawn ENOENT)"),
        (StdioCommand("./missing.sh"), "is not an executable file"),
        (StdioCommand("sh", cwd="/no/such/dir"), "working directory /no/such/dir does not exist"),
        (StdioCommand("sh", env_file="/no/such/.env"), "envFile /no/such/.env cannot be read"),
    ],
)
def test_plan_says_why_it_cannot_start(cmd, problem, tmp_path):
    plan = plan_launch(cmd, {"PATH": os.environ["PATH"]}, str(tmp_path))
    assert problem in plan.problem and plan.argv == ()


def test_plan_labels_docker_run():
    args = ("run", "-i", "--rm", IMAGE)
    plan = plan_launch(StdioCommand("docker", args, docker=docker_run(args)), {"PATH": os.environ["PATH"]}, "/")
    if plan.problem:
        pytest.skip("no docker CLI on this machine")
    assert plan.argv[1:4] == ("run", "--label", f"{LABEL}={plan.label}") and len(plan.label) == 32


def test_the_command_is_searched_on_the_entrys_path(tmp_path):
    (tmp_path / "mytool").write_text("#!/bin/sh\n")
    (tmp_path / "mytool").chmod(0o755)
    cmd = StdioCommand("mytool", env=(("PATH", str(tmp_path)),))
    assert plan_launch(cmd, {"PATH": "/usr/bin"}, "/").argv == (str(tmp_path / "mytool"),)


def test_env_file_lines_it_cannot_read_are_skipped(tmp_path):
    (tmp_path / "e").write_text("no equals sign\n=novalue\n  K = v \n")
    assert read_env_file(str(tmp_path / "e")) == {"K": "v"}


# --- what is masked in what it prints ---


def test_secrets_are_the_entrys_values_and_what_it_passes_on():
    args = ("run", "-i", "-e", "GITHUB_TOKEN", "-e", "MODE=fast-mode", IMAGE, "--api-key", "k-123456")
    cmd = StdioCommand(
        "docker",
        args,
        env=(("DB_URL", "postgres://u:pw@db/x"), ("LEVEL", "debug"), ("API_URL_SECRET", "https://t0k@h")),
        docker=docker_run(args),
    )
    env = {"GITHUB_TOKEN": "ghp_fromclient", "HOME": "/root", "OPENAI_API_KEY": "sk-elsewhere"}
    found = secrets_of(cmd, env, {"FROM_FILE": "file-value"})
    assert {"debug", "file-value", "ghp_fromclient", "fast-mode", "sk-elsewhere", "k-123456"} <= set(found)
    assert "https://t0k@h" in found  # a URL under a secret-looking name goes whole
    assert "postgres://u:pw@db/x" not in found and "/root" not in found  # a plain name's URL shows masked


def test_the_stderr_tail_is_the_last_lines_masked():
    lines = [f"line {i}" for i in range(8)] + ["", "config: SERVICE_TOKEN=v4lue-s3cret", "\x1b[31merror:\x1b[0m no key"]
    tail = stderr_tail("\n".join(lines).encode(), ("v4lue-s3cret",))
    assert tail == ("line 5", "line 6", "line 7", f"config: SERVICE_TOKEN={MASK}", "error: no key")


@pytest.mark.parametrize(
    "line, shown",
    [
        ("error: API_KEY is not set", "error: API_KEY is not set"),
        ("using my-secret-value now", f"using {MASK} now"),
        ("Authorization: Bearer abc.def", f"Authorization: Bearer {MASK}"),
        ("password=hunter22 user=bob", f"password={MASK} user=bob"),
        ("cannot reach http://u:pw@db:5432/x", f"cannot reach http://u:{MASK}@db:5432/x"),
        ("token ghp_abcdefgh", f"token {MASK}"),
        ("key " + "a1b2" * 10, f"key {MASK}"),
        ('File "/usr/lib/python3/dist-packages/some_package_name/module_name.py", line 3', None),
        ("Failed to authenticate: invalid credentials", None),  # a message, not a secret
        ("x" * 400, "x" * 297 + "..."),
    ],
)
def test_redact_output(line, shown):
    assert redact_output([line], ["my-secret-value"]) == [line if shown is None else shown]


def test_short_values_are_not_masked_everywhere():
    assert redact_output(["port 80 is on"], ["on", "8"]) == ["port 80 is on"]


# --- the result, as the report shows it ---

ENTRY = stdio_entry("npx", ("-y", "some-mcp"))
PLAN = Plan(("/usr/bin/npx", "-y", "some-mcp"), {}, "/", ("s3cr3t-v",))


@pytest.mark.parametrize(
    "seen, outcome, detail, code",
    [
        (
            Seen(answered=True, server_name="srv", server_version="1.2", protocol_version="2025-11-25", tool_count=2),
            "mcp",
            "srv 1.2 answered initialize and tools/list (2 tools)",
            None,
        ),
        (Seen(exit_code=1, seconds=0.25), "exited", "exited with code 1 after 0.2 s, before answering", 1),
        (Seen(exit_code=-9, seconds=1), "exited", "was killed by signal SIGKILL after 1.0 s", -9),
        (Seen(exit_code=None), "exited", "closed its stdout", None),
        (Seen(answered=True, exit_code=0), "exited", "after answering initialize, before tools/list", 0),
        (Seen(timed_out=True), "timeout", "started, but it answered nothing MCP in 15 s", None),
        (
            Seen(timed_out=True, answered=True, server_name="srv"),
            "timeout",
            "started, but srv answered initialize but not tools/list in 15 s",
            None,
        ),
        (Seen(rpc_error="JSON-RPC error -32601: no s3cr3t-v"), "error", "it answered initialize with an error", None),
        (
            Seen(start_error=PermissionError(13, "Permission denied", "/usr/bin/npx")),
            "error",
            "Permission denied",
            None,
        ),
        (
            Seen(start_error=ValueError("embedded null byte")),
            "error",
            "could not start 'npx': embedded null byte",
            None,
        ),
        (
            Seen(timed_out=True, stray_lines=3, first_stray="Listening on stdio s3cr3t-v"),
            "timeout",
            "it wrote 3 line(s) to stdout that are no JSON-RPC, first 'Listening on stdio ***'",
            None,
        ),
    ],
)
def test_shape(seen, outcome, detail, code):
    result = shape(ENTRY, PLAN, seen, 15, ("abc",))
    assert result.outcome == outcome and detail in result.detail and result.exit_code == code
    assert result.removed_containers == ("abc",) and result.ok is (outcome == "mcp")
    assert "s3cr3t-v" not in result.detail


def test_shape_masks_the_stderr_tail():
    seen = Seen(exit_code=1, stderr=b"starting\nerror: bad key s3cr3t-v\n")
    assert shape(ENTRY, PLAN, seen, 15, ()).stderr_tail == ("starting", f"error: bad key {MASK}")


# --- clean-up through a fake engine API ---


class FakeApi:
    def __init__(self, ids, fail=()):
        self.ids, self.fail, self.asked, self.removed = ids, fail, [], []

    def containers(self, all=False, filters=None):
        self.asked.append((all, filters))
        return [{"Id": i} for i in self.ids]

    def remove_container(self, container, force=False):
        if container in self.fail:
            raise RuntimeError("removal already in progress")
        assert force
        self.removed.append(container)


def test_remove_launched_asks_for_the_label_and_forces():
    api = FakeApi(["a" * 64, "b" * 64], fail=("b" * 64,))
    assert remove_launched(RunLine("docker", 0), "L1", "/usr/bin/docker", {}, api) == ("a" * 12,)
    assert api.asked == [(True, {"label": f"{LABEL}=L1"})] and api.removed == ["a" * 64]


def test_remove_launched_uses_the_entrys_cli_for_its_own_engine(tmp_path):
    """Another engine (-H), or podman: the CLI the entry runs, with its global flags, lists and removes."""
    log = tmp_path / "calls"
    fake = tmp_path / "docker"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {log}\n[ "$3" = ps ] && echo 0123456789abcdef0123\nexit 0\n')
    fake.chmod(0o755)
    api = FakeApi(["x" * 64])
    run = RunLine("docker", 2, ("-H", "tcp://h"), True)
    assert remove_launched(run, "L2", str(fake), {"PATH": "/usr/bin:/bin"}, api) == ("0123456789ab",)
    assert api.asked == []  # our engine is not the entry's
    assert log.read_text().splitlines() == [
        f"-H tcp://h ps -aq --no-trunc --filter label={LABEL}=L2",
        "-H tcp://h rm -f 0123456789abcdef0123",
    ]


# --- launch_all: once per entry, a bound on how many at once, the SDK optional ---


def test_without_the_sdk_every_entry_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "mcp.client.session", None)  # import fails as if not installed
    entries = [stdio_entry("npx", name="a"), stdio_entry("uvx", name="b")]
    results = launch_all(entries, 5, {})
    assert [(r.entry.name, r.outcome, r.detail) for r in results] == [
        ("a", "error", SDK_MISSING),
        ("b", "error", SDK_MISSING),
    ]


def test_each_entry_once_and_at_most_max_parallel_at_once(monkeypatch):
    running, most, calls = 0, 0, []
    lock = threading.Lock()

    def fake(entry, timeout, environ, api, base):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
            calls.append(entry.name)
        time.sleep(0.05)
        with lock:
            running -= 1
        return LaunchResult(entry.id, "mcp", "ok")

    monkeypatch.setattr(stdio_launch, "launch_one", fake)
    entries = [stdio_entry("npx", name=f"e{i}") for i in range(7)]
    results = launch_all([*entries, entries[0], entries[3]], 5, {}, max_parallel=3)
    assert [r.entry.name for r in results] == [f"e{i}" for i in range(7)]  # entry order, no repeat
    assert sorted(calls) == sorted(f"e{i}" for i in range(7)) and most <= 3


def test_a_launch_that_breaks_is_an_error_result_not_a_crash(monkeypatch):
    def broken(*a):
        raise ValueError("boom")

    monkeypatch.setattr(stdio_launch, "launch_one", broken)
    (result,) = launch_all([stdio_entry("npx")], 5, {})
    assert result.outcome == "error" and result.detail.startswith("--launch failed: ValueError")
