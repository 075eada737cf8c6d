"""docker run mistakes judged from the parse alone: -i, -t, an invalid line, -p, --network host."""

from __future__ import annotations

import pytest

from mcp_dockernet.model import StdioFacts
from tests.unit.rules.factory import apply_edits, docker_run, judge_stdio, stdio_entry, stdio_snapshot

IMAGE = "ghcr.io/github/github-mcp-server"


def codes(args: tuple[str, ...], **kw) -> list[str]:
    return sorted(f.code for f in judge_stdio(stdio_snapshot(stdio_entry("docker", args), **kw)))


@pytest.mark.parametrize(
    "args, expected",
    [
        (("run", "-i", "--rm", IMAGE), []),
        (("run", "--interactive", "--rm", IMAGE), []),
        (("run", "-i", "--rm", "-e", "TOKEN=x", IMAGE, "stdio"), []),
        (("run", "--rm", IMAGE), ["docker-run-no-stdin"]),
        (("run", "--rm", "-i=false", IMAGE), ["docker-run-no-stdin"]),
        (("run", "-it", "--rm", IMAGE), ["docker-run-tty"]),
        (("run", "-i", "-t", "--rm", IMAGE), ["docker-run-tty"]),
        (("run", "-t", "--rm", IMAGE), ["docker-run-tty"]),  # supersedes no-stdin: its edit brings -i
        (("run", "--tty", "-i", IMAGE), ["docker-run-tty"]),
        (("run", "-i", "--tty=false", IMAGE), []),
        (("run", "-dit", IMAGE), ["docker-run-tty"]),
        (("run", "-i", "-p", "8080:8080", IMAGE), ["docker-run-publish-unused"]),
        (("run", "-i", "-P", IMAGE), ["docker-run-publish-unused"]),
    ],
)
def test_flags(args, expected):
    assert codes(args) == expected


@pytest.mark.parametrize(
    "args, fixed",
    [
        (("run", "--rm", IMAGE), ("run", "-i", "--rm", IMAGE)),
        (("run", "--rm", "-i=false", IMAGE), ("run", "--rm", "-i", IMAGE)),
        (("run", "-it", "--rm", IMAGE), ("run", "-i", "--rm", IMAGE)),
        (("run", "-ti", IMAGE), ("run", "-i", IMAGE)),
        (("run", "-t", "--rm", IMAGE), ("run", "-i", "--rm", IMAGE)),
        (("run", "-i", "-t", IMAGE), ("run", "-i", IMAGE)),
        (("run", "--tty", IMAGE), ("run", "-i", IMAGE)),
        (("run", "-td", IMAGE), ("run", "-id", IMAGE)),
        (("run", "-dit", IMAGE), ("run", "-di", IMAGE)),
        (("run", "-t", "-t", IMAGE), ("run", "-i", IMAGE)),
    ],
)
def test_the_stdin_and_tty_edits_are_written_and_settle(args, fixed):
    found = judge_stdio(stdio_snapshot(stdio_entry("docker", args)))
    assert found and all(f.writable for f in found)
    after = apply_edits(args, tuple(e for f in found for e in f.arg_edits))
    assert after == fixed
    assert codes(after) == []  # the fixed line is judged healthy: no second round of edits


def test_an_unusual_tty_bundle_is_found_but_not_written():
    found = judge_stdio(stdio_snapshot(stdio_entry("docker", ("run", "-itt", IMAGE))))
    assert [f.code for f in found] == ["docker-run-tty"] and not found[0].writable and not found[0].arg_edits


def test_the_messages_say_what_the_user_sees():
    (tty,) = judge_stdio(stdio_snapshot(stdio_entry("docker", ("run", "-it", IMAGE))))
    assert "the input device is not a TTY" in tty.message and "connection closed" in tty.message
    (stdin,) = judge_stdio(stdio_snapshot(stdio_entry("docker", ("run", IMAGE))))
    assert "end-of-file" in stdin.message and "exits" in stdin.message


def test_an_invalid_line_hides_the_findings_that_read_the_same_parse():
    entry = stdio_entry("docker", ("run", "--bogus", "-t", "-p", "1:1", IMAGE), problem="unknown flag: --bogus")
    facts = StdioFacts("/usr/bin/docker", image_present=False, unset_env=("X",))
    found = judge_stdio(stdio_snapshot(entry, facts=facts))
    assert [f.code for f in found] == ["docker-run-invalid"]
    assert "unknown flag: --bogus" in found[0].message and found[0].severity.name == "ERROR"


def test_no_image_is_invalid():
    assert docker_run(("run", "-i")).problem == "'docker run' requires at least 1 argument"
    assert codes(("run", "-i")) == ["docker-run-invalid"]


@pytest.mark.parametrize(
    "flavour, network, expected",
    [
        ("docker-desktop", "host", ["docker-run-host-network"]),
        ("orbstack", "host", ["docker-run-host-network"]),
        ("colima", "host", ["docker-run-host-network"]),
        ("linux", "host", []),  # there host networking is this machine's
        ("podman", "host", []),
        ("docker-desktop", "bridge", []),
    ],
)
def test_host_network_on_engines_in_a_vm(flavour, network, expected):
    assert codes(("run", "-i", "--network", network, IMAGE), flavour=flavour) == expected
    assert codes(("run", "-i", f"--net={network}", IMAGE), flavour=flavour) == expected


def test_host_network_needs_the_engine_to_know_its_flavour():
    assert codes(("run", "-i", "--network", "host", IMAGE), engine_up=False) == []


def test_a_disabled_entry_is_not_judged():
    from dataclasses import replace

    entry = replace(stdio_entry("docker", ("run", "-it", IMAGE)), skip_reason="disabled")
    assert judge_stdio(stdio_snapshot(entry)) == []


def test_podman_run_is_judged_the_same():
    found = judge_stdio(stdio_snapshot(stdio_entry("podman", ("run", "--rm", IMAGE))))
    assert [f.code for f in found] == ["docker-run-no-stdin"] and "podman run" in found[0].message
