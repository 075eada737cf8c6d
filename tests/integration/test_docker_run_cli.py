"""The docker run parser against the real docker CLI: its flag table and what it refuses.

The CLI is pointed at a socket that does not exist, so nothing reaches an engine: a line it
refuses fails with its parse error, a line it accepts gets as far as "cannot connect".
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from mcp_dockernet.mcpconfig import docker_run
from mcp_dockernet.mcpconfig.docker_run import parse_docker_run
from tests.lab.docker_lab import in_ci

pytestmark = pytest.mark.docker
NOWHERE = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/nonexistent", "DOCKER_HOST": "unix:///nonexistent.sock"}
PARSE_ERRORS = re.compile(r"unknown (shorthand )?flag|flag needs an argument|invalid argument|requires at least")
_ROW = re.compile(r"^\s+(?:-(\w), )?--([a-z0-9-]+)(?: (\S+))?\s", re.M)


@pytest.fixture(scope="module")
def cli() -> str:
    found = shutil.which("docker")
    if found is None:
        if in_ci():
            pytest.fail("CI=true but there is no docker CLI: run scripts/lab-up")
        pytest.skip("no docker CLI; run scripts/lab-up")
    return found


def _help_rows(cli: str, *args: str) -> dict[str, tuple[str | None, bool]]:
    out = subprocess.run([cli, *args, "--help"], capture_output=True, text=True, env=NOWHERE, timeout=30).stdout
    rows = {}
    for short, name, kind in _ROW.findall(out.split("Options:", 1)[1]):
        rows[name] = (short or None, bool(kind) and not kind[0].isupper())  # "--rm   Automatically ..." has no type
    return rows


def test_every_run_flag_of_this_cli_is_known_with_its_arity(cli: str) -> None:
    rows = _help_rows(cli, "run")
    assert len(rows) > 80  # the table was read
    for name, (short, valued) in rows.items():
        assert docker_run._RUN_FLAGS.get(name) == valued, name
        if short:
            assert docker_run._RUN_SHORT[short] == name


def test_every_global_flag_is_known_with_its_arity(cli: str) -> None:
    out = subprocess.run([cli, "--help"], capture_output=True, text=True, env=NOWHERE, timeout=30).stdout
    section = out.split("Global Options:", 1)[1].split("\n\n", 1)[0]
    rows = {name: (s or None, bool(k) and not k[0].isupper()) for s, name, k in _ROW.findall(section + "\n")}
    assert {"context", "host", "config"} <= rows.keys()
    for name, (short, valued) in rows.items():
        assert docker_run._GLOBAL_FLAGS.get(name) == valued, name
        if short:
            assert docker_run._GLOBAL_SHORT[short] == name


REFUSED = [
    ("run", "-rm", "img"),
    ("run", "--foo", "img"),
    ("run", "--name"),
    ("run", "-e"),
    ("run", "-i"),
    ("run", "--rm=yes", "img"),
    ("run", "-i", "--tty=maybe", "img"),
    ("container", "run", "-ix", "img"),
]
ACCEPTED = [
    ("run", "-i", "--rm", "-e", "GITHUB_TOKEN", "mcp-dockernet-test/never:pulled"),
    ("run", "-it", "img"),
    ("run", "-dp8080:80", "--env=A=1", "-i=false", "img", "--foo", "-x"),
    ("run", "--rm", "false"),
    ("--context", "default", "run", "-i", "--", "img"),
    ("container", "run", "--net=host", "--net-alias", "a", "-i", "img"),
]


@pytest.mark.parametrize("args", REFUSED)
def test_what_we_say_it_refuses_it_refuses_in_its_words(cli: str, args: tuple[str, ...]) -> None:
    run = parse_docker_run("docker", args)
    assert run is not None and run.problem is not None
    done = subprocess.run([cli, *args], capture_output=True, text=True, env=NOWHERE, timeout=30)
    assert done.returncode != 0
    assert run.problem in done.stderr, done.stderr


@pytest.mark.parametrize("args", ACCEPTED)
def test_what_we_accept_it_gets_past_parsing(cli: str, args: tuple[str, ...]) -> None:
    run = parse_docker_run("docker", args)
    assert run is not None and run.problem is None and run.image is not None
    env = dict(NOWHERE)
    if "--context" in args:
        env["DOCKER_CONFIG"] = "/nonexistent"  # no contexts: "default" is DOCKER_HOST's
    done = subprocess.run([cli, *args], capture_output=True, text=True, env=env, timeout=30)
    assert done.returncode != 0  # nothing to connect to, or a check after parsing (-t with no terminal)
    assert not PARSE_ERRORS.search(done.stderr), done.stderr
