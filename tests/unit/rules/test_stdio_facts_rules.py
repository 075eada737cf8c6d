"""Rules over what the machine says of a stdio entry (StdioFacts): command, image, env, files, runtime."""

from __future__ import annotations

import pytest

from mcp_dockernet.model import StdioFacts
from tests.unit.rules.factory import judge_stdio, stdio_entry, stdio_snapshot

RUN = ("run", "-i", "--rm", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server")
FOUND = "/usr/bin/docker"


def codes(entry, facts: StdioFacts) -> list[str]:
    return sorted(f.code for f in judge_stdio(stdio_snapshot(entry, facts=facts)))


@pytest.mark.parametrize(
    "facts, expected",
    [
        (StdioFacts(FOUND, image_present=True), []),
        (StdioFacts(None, search_path="/usr/bin"), ["command-not-found"]),
        (StdioFacts(None, checked=False, note="in a container"), []),  # not looked at: not judged
        (StdioFacts(FOUND, image_present=False), ["image-not-found"]),
        (StdioFacts(FOUND, image_present=None, image_note="another engine"), []),
        (StdioFacts(FOUND, image_present=True, unset_env=("GITHUB_TOKEN",)), ["env-not-set"]),
        (StdioFacts(FOUND, image_present=True, missing_files=(("env-file", ".env"),)), ["env-file-missing"]),
        (StdioFacts(FOUND, image_present=True, missing_files=(("envFile", "/x/.env"),)), ["env-file-missing"]),
        (StdioFacts(FOUND, image_present=True, missing_files=(("cwd", "/nope"),)), ["cwd-not-found"]),
        (
            StdioFacts(None, image_present=False, unset_env=("GITHUB_TOKEN",)),
            ["command-not-found", "env-not-set", "image-not-found"],
        ),
    ],
)
def test_docker_run_entry(facts, expected):
    assert codes(stdio_entry("docker", RUN), facts) == expected


def test_severities():
    facts = StdioFacts(None, image_present=False, unset_env=("A",), missing_files=(("env-file", "e"), ("cwd", "/n")))
    found = {f.code: f.severity.name for f in judge_stdio(stdio_snapshot(stdio_entry("docker", RUN), facts=facts))}
    assert found == {
        "command-not-found": "ERROR",
        "image-not-found": "WARNING",
        "env-not-set": "WARNING",
        "env-file-missing": "ERROR",
        "cwd-not-found": "ERROR",
    }


def test_messages_name_what_the_user_sees_and_no_value():
    entry = stdio_entry("docker", RUN, env=(("OTHER", "sk-secret-value"),))
    facts = StdioFacts(None, search_path="/usr/bin:/bin", image_present=False, unset_env=("GITHUB_TOKEN",))
    found = {f.code: f for f in judge_stdio(stdio_snapshot(entry, facts=facts))}
    assert "spawn docker ENOENT" in found["command-not-found"].message
    assert found["command-not-found"].evidence == ("PATH searched: /usr/bin:/bin",)
    assert "-e GITHUB_TOKEN" in found["env-not-set"].message
    assert "docker pull ghcr.io/github/github-mcp-server" in found["image-not-found"].fix
    assert not any("sk-secret-value" in f.message + f.fix + "".join(f.evidence) for f in found.values())


def test_pull_never_says_the_start_fails():
    entry = stdio_entry("docker", ("run", "-i", "--pull", "never", "img"))
    (found,) = judge_stdio(stdio_snapshot(entry, facts=StdioFacts(FOUND, image_present=False)))
    assert "--pull never" in found.message


@pytest.mark.parametrize(
    "command, runtime, wanted, expected",
    [
        ("npx", ("node", "18.19.0"), (">=20", "engines.node in p.json"), ["runtime-too-old"]),
        ("npx", ("node", "20.20.2"), (">=20", "engines.node in p.json"), []),
        ("node", ("node", "16.0.0"), ("^18 || >=20", "engines.node in p.json"), ["runtime-too-old"]),
        ("node", ("node", "16.0.0"), ("something odd", "engines.node in p.json"), []),  # not understood: not judged
        ("npx", ("node", "18.0.0"), None, []),
        ("python3", ("python", "3.11.2"), (">=3.12", "requires-python in pyproject.toml"), ["runtime-too-old"]),
        ("python3", ("python", "3.11.2"), (">=3.10,<4", "requires-python in pyproject.toml"), []),
        ("python3", ("python", "3.11.2"), ("<=3.11", "requires-python in pyproject.toml"), ["runtime-too-old"]),
    ],
)
def test_runtime(command, runtime, wanted, expected):
    facts = StdioFacts(f"/usr/bin/{command}", runtime=runtime, runtime_wanted=wanted)
    found = judge_stdio(stdio_snapshot(stdio_entry(command, ("-y", "pkg")), facts=facts))
    assert [f.code for f in found] == expected
    if found:
        assert runtime[1] in found[0].message and wanted[0] in found[0].message


def test_npx_entry_missing_is_command_not_found():
    found = judge_stdio(stdio_snapshot(stdio_entry("npx", ("-y", "x")), facts=StdioFacts(None, search_path="/bin")))
    assert [f.code for f in found] == ["command-not-found"]
