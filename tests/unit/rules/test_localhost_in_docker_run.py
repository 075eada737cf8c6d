"""localhost-in-container for docker run entries: URLs in the container's args and env, written on evidence."""

from __future__ import annotations

import pytest

from mcp_dockernet.model import Listener
from tests.unit.rules.factory import apply_edits, box, judge_stdio, stdio_entry, stdio_snapshot

ADD_HOST = "--add-host=host.docker.internal:host-gateway"
PG = "postgresql://user:pw@localhost:5432/db"
ON_ALL = (Listener("0.0.0.0", 5432, 10, "postgres"),)


def found(args, env=(), **kw):
    return [f for f in judge_stdio(stdio_snapshot(stdio_entry("docker", args, env=env), **kw))]


def test_a_url_in_the_containers_args_is_rewritten_with_the_host_gateway_on_linux():
    args = ("run", "-i", "--rm", "mcp/postgres", PG)
    (f,) = found(args, host_listeners=ON_ALL)
    assert f.code == "localhost-in-container" and f.writable
    after = apply_edits(args, f.arg_edits)
    assert after == ("run", ADD_HOST, "-i", "--rm", "mcp/postgres", "postgresql://user:pw@host.docker.internal:5432/db")
    assert found(after, host_listeners=ON_ALL) == []  # settles
    assert "pw" not in f.message + f.fix  # the password is masked


@pytest.mark.parametrize(
    "env_args, env, where",
    [
        (("-e", "API_URL=http://localhost:8080/v1"), (), "env API_URL"),
        (("--env=API_URL=http://localhost:8080/v1",), (), "env API_URL"),
        (("-e", "API_URL"), (("API_URL", "http://127.0.0.1:8080/v1"),), "env API_URL (from the entry's env)"),
        (("-e", "API_URL=http://[::1]:8080/v1"), (), "env API_URL"),
    ],
)
def test_env_values_passed_to_the_container(env_args, env, where):
    args = ("run", "-i", *env_args, "img")
    listeners = (Listener("::", 8080, None, None),)
    (f,) = found(args, env, host_listeners=listeners)
    assert f.writable and where in f.message
    edit = f.arg_edits[0]
    assert edit.words[0].endswith("http://host.docker.internal:8080/v1")
    if edit.kind == "replace-env":
        assert edit.env_name == "API_URL" and edit.old == env[0][1]
    else:
        assert found(apply_edits(args, f.arg_edits), env, host_listeners=listeners) == []


def test_a_host_listener_on_loopback_only_is_not_reached_through_the_gateway_either():
    (f,) = found(("run", "-i", "img", PG), host_listeners=(Listener("127.0.0.1", 5432, 1, "postgres"),))
    assert not f.writable and "loopback only" in f.fix and "0.0.0.0" in f.fix


def test_nothing_listening_means_not_written():
    (f,) = found(("run", "-i", "img", PG))
    assert not f.writable and "not written" in f.fix


def test_a_container_publishing_the_port_on_all_addresses_is_evidence():
    db = box("db", publish={5432: 5432})
    (f,) = found(("run", "-i", "img", PG), boxes=[db])
    assert f.writable and any("container db publishes" in e for e in f.evidence)


def test_docker_desktop_needs_no_add_host():
    (f,) = found(("run", "-i", "img", PG), flavour="docker-desktop", host_listeners=ON_ALL)
    assert [e.kind for e in f.arg_edits] == ["replace-arg"] and "--add-host" not in f.fix


def test_an_add_host_already_given_is_not_added_again():
    (f,) = found(("run", "-i", "--add-host", "host.docker.internal:host-gateway", "img", PG), host_listeners=ON_ALL)
    assert [e.kind for e in f.arg_edits] == ["replace-arg"]


def test_two_urls_give_two_findings_with_the_same_add_host_edit():
    args = ("run", "-i", "-e", "A=http://localhost:8080", "img", "--db", PG)
    listeners = ON_ALL + (Listener("0.0.0.0", 8080, None, None),)
    both = found(args, host_listeners=listeners)
    assert len(both) == 2 and all(f.writable for f in both)
    after = apply_edits(args, tuple(e for f in both for e in f.arg_edits))  # equal edits are one edit
    assert after.count(ADD_HOST) == 1 and found(after, host_listeners=listeners) == []


@pytest.mark.parametrize(
    "args",
    [
        ("run", "-i", "--network", "host", "img", PG),  # on Linux localhost is the host
        ("run", "-i", "--network", "container:db", "img", PG),
        ("run", "-i", "img", "postgresql://db.example:5432/x"),
        ("run", "-i", "-e", "API_URL", "img"),  # the value is not in the entry: nothing to read
        ("run", "-i", "-e", "HOST=localhost", "img"),  # not a URL
    ],
)
def test_passes(args):
    assert found(args, host_listeners=ON_ALL) == []


def test_rootless_is_never_written():
    (f,) = found(("run", "-i", "img", PG), host_listeners=ON_ALL, rootless=True)
    assert not f.writable
