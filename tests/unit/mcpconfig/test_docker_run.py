"""docker run lines parsed as the docker CLI (pflag, interspersed off) parses them."""

from __future__ import annotations

import pytest

from mcp_dockernet.mcpconfig.docker_run import parse_docker_run
from mcp_dockernet.model import DockerFlag


def flags(*args: str) -> list[tuple[str, str | None, int, int | None, bool]]:
    run = parse_docker_run("docker", args)
    assert run is not None and run.problem is None, run
    return [(f.name, f.value, f.index, f.value_index, f.bundled) for f in run.flags]


def test_the_catalog_line() -> None:
    run = parse_docker_run("docker", ("run", "-i", "--rm", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server"))
    assert run is not None
    assert (run.program, run.run_index, run.image, run.image_index, run.container_args) == (
        "docker", 0, "ghcr.io/github/github-mcp-server", 5, ()
    )  # fmt: skip
    assert run.on("interactive") and run.on("rm") and not run.on("tty")
    assert run.values("env") == ("GITHUB_TOKEN",)
    assert run.all("env")[0] == DockerFlag("env", "GITHUB_TOKEN", 3, 4)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("run", "-it", "img"), [("interactive", None, 1, None, True), ("tty", None, 1, None, True)]),
        (("run", "-dp", "8080:80", "img"), [("detach", None, 1, None, True), ("publish", "8080:80", 1, 2, True)]),
        (("run", "-dp8080:80", "img"), [("detach", None, 1, None, True), ("publish", "8080:80", 1, None, True)]),
        (("run", "-eKEY=v", "img"), [("env", "KEY=v", 1, None, False)]),
        (("run", "-e=KEY", "img"), [("env", "KEY", 1, None, False)]),
        (("run", "-i=false", "img"), [("interactive", "false", 1, None, False)]),
        (("run", "--rm=false", "img"), [("rm", "false", 1, None, False)]),
        (("run", "--env=A=1", "--env", "B", "img"), [("env", "A=1", 1, None, False), ("env", "B", 2, 3, False)]),
        (("run", "--network", "host", "img"), [("network", "host", 1, 2, False)]),
        (("run", "--net=host", "img"), [("net", "host", 1, None, False)]),  # the hidden alias
        (("run", "-ti", "img"), [("tty", None, 1, None, True), ("interactive", None, 1, None, True)]),
    ],
)
def test_flags(args: tuple[str, ...], expected: list) -> None:
    assert flags(*args) == expected


def test_the_first_plain_word_is_the_image_and_the_rest_is_the_containers() -> None:
    run = parse_docker_run("docker", ("run", "-i", "img:1", "--port", "8080", "-v"))
    assert run is not None and run.problem is None
    assert (run.image, run.image_index, run.container_args) == ("img:1", 2, ("--port", "8080", "-v"))


def test_double_dash_ends_the_flags() -> None:
    run = parse_docker_run("docker", ("run", "-i", "--", "img", "a"))
    assert run is not None and (run.image, run.image_index, run.container_args) == ("img", 3, ("a",))


def test_a_bare_boolean_does_not_take_the_next_word() -> None:
    run = parse_docker_run("docker", ("run", "--rm", "false", "img"))
    assert run is not None and run.image == "false" and run.container_args == ("img",)


def test_the_last_occurrence_of_a_boolean_wins() -> None:
    run = parse_docker_run("docker", ("run", "-i", "--interactive=false", "img"))
    assert run is not None and not run.on("interactive")


def test_global_flags_and_container_run() -> None:
    run = parse_docker_run(
        "/usr/local/bin/docker", ("--context", "prod", "-H=tcp://127.0.0.1:1", "container", "run", "-i", "img")
    )
    assert run is not None and run.problem is None
    assert [(f.name, f.value) for f in run.global_flags] == [("context", "prod"), ("host", "tcp://127.0.0.1:1")]
    assert (run.run_index, run.image, run.image_index) == (4, "img", 6)


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("run", "-rm", "img"), "unknown shorthand flag: 'r' in -rm"),
        (("run", "--foo", "img"), "unknown flag: --foo"),
        (("run", "--name"), "flag needs an argument: --name"),
        (("run", "-e"), "flag needs an argument: 'e' in -e"),
        (("run", "-i"), "'docker run' requires at least 1 argument"),
        (("run", "-ix", "img"), "unknown shorthand flag: 'x' in -x"),
        (
            ("run", "--tty=maybe", "img"),
            'invalid argument "maybe" for "-t, --tty" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
        ),
        (
            ("run", "--rm=yes", "img"),
            'invalid argument "yes" for "--rm" flag: strconv.ParseBool: parsing "yes": invalid syntax',
        ),
    ],
)
def test_what_the_cli_refuses(args: tuple[str, ...], problem: str) -> None:
    run = parse_docker_run("docker", args)
    assert run is not None and run.problem == problem and run.image is None


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("docker", ("mcp", "gateway", "run")),
        ("docker", ("compose", "run", "svc")),
        ("docker", ("exec", "-i", "c", "run")),
        ("npx", ("-y", "run")),
        ("docker", ()),
    ],
)
def test_not_a_run_line(command: str, args: tuple[str, ...]) -> None:
    assert parse_docker_run(command, args) is None


def test_podman_flags_docker_lacks_are_not_refusals() -> None:
    run = parse_docker_run("podman", ("run", "-i", "--pod", "p", "--userns=keep-id", "--replace", "img"))
    assert run is not None and run.problem is None
    assert (run.program, run.image, run.image_index) == ("podman", "img", 6)


def test_windows_paths() -> None:
    run = parse_docker_run("C:\\Program Files\\Docker\\docker.exe", ("run", "-i", "img"))
    assert run is not None and run.image == "img"
