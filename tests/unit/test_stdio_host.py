"""collectors/stdio_host.py on real files: a temporary PATH of fake executables, real which, a fake engine."""

from __future__ import annotations

import json
import os
import stat

import pytest

from mcp_dockernet.collectors.stdio_host import image_listed, normalize, stdio_facts
from mcp_dockernet.collectors.stdio_runtime import npx_package
from mcp_dockernet.model import ClientPlace
from tests.unit.rules.factory import stdio_entry

OURS = "unix:///var/run/docker.sock"
IMAGES = [
    {"Id": "sha256:" + "ab" * 32, "RepoTags": ["mcp/postgres:latest"], "RepoDigests": []},
    {"Id": "sha256:" + "cd" * 32, "RepoTags": ["ghcr.io/github/github-mcp-server:v1"], "RepoDigests": []},
    {"Id": "sha256:" + "ef" * 32, "RepoTags": ["alpine:3.20"], "RepoDigests": ["alpine@sha256:" + "12" * 32]},
]


class FakeEngine:
    def __init__(self, images=IMAGES, fail: bool = False):
        self.calls = 0
        self.result = images
        self.fail = fail

    def images(self, name=None, quiet=False, all=False):
        self.calls += 1
        if self.fail:
            raise ConnectionError("engine gone")
        return self.result


def executable(directory, name: str, body: str = "exit 0") -> str:
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(f"#!/bin/sh\n{body}\n")
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def bin_dir(tmp_path):
    d = tmp_path / "bin"
    d.mkdir()
    executable(d, "docker")
    return str(d)


def facts(entries, environ, api=None, places=(), **kw):
    found = stdio_facts(entries, api, environ, places, endpoint_url=OURS, home=kw.pop("home", "/nonexistent"), **kw)
    return {i.name: f for i, f in found}


def test_the_command_is_looked_up_on_the_clients_path_with_the_entrys_env_over_it(bin_dir, tmp_path):
    entries = [
        stdio_entry("docker", ("run", "-i", "mcp/postgres"), name="plain"),
        stdio_entry("npx", ("-y", "x"), name="missing"),
        stdio_entry("npx", ("-y", "x"), env=(("PATH", bin_dir),), name="own-path"),
    ]
    executable(bin_dir, "npx")
    got = facts(entries, {"PATH": "/nonexistent"}, FakeEngine())
    assert got["plain"].command_path is None and got["plain"].search_path == "/nonexistent"
    assert got["own-path"].command_path == os.path.join(bin_dir, "npx")
    got = facts(entries, {"PATH": bin_dir}, FakeEngine())
    assert got["plain"].command_path == os.path.join(bin_dir, "docker") and got["missing"].command_path


def test_a_command_given_as_a_path_is_checked_as_such_relative_to_cwd(bin_dir, tmp_path):
    script = executable(tmp_path, "server.sh")
    os.chmod(executable(tmp_path, "not-exec"), 0o644)
    entries = [
        stdio_entry(script, name="abs"),
        stdio_entry("./server.sh", cwd=str(tmp_path), name="rel"),
        stdio_entry("./server.sh", cwd=bin_dir, name="rel-elsewhere"),
        stdio_entry(os.path.join(tmp_path, "not-exec"), name="not-exec"),
    ]
    got = facts(entries, {"PATH": bin_dir})
    assert got["abs"].command_path == script
    assert got["rel"].command_path == os.path.join(str(tmp_path), "./server.sh")
    assert got["rel-elsewhere"].command_path is None and got["not-exec"].command_path is None


def test_unset_env_and_missing_files(bin_dir, tmp_path):
    (tmp_path / "ok.env").write_text("A=1\n")
    args = ("run", "-i", "-e", "IN_ENTRY", "-e", "IN_CLIENT", "-e", "NOWHERE", "-e", "GIVEN=1")
    args += ("--env-file", "ok.env", "--env-file", "gone.env", "img")
    entry = stdio_entry("docker", args, env=(("IN_ENTRY", "x"),), cwd=str(tmp_path), env_file=str(tmp_path / "no.env"))
    (got,) = facts([entry], {"PATH": bin_dir, "IN_CLIENT": ""}, FakeEngine()).values()
    assert got.unset_env == ("NOWHERE",)  # set but empty still counts: docker passes it
    assert got.missing_files == (("envFile", str(tmp_path / "no.env")), ("env-file", "gone.env"))
    gone = stdio_entry("docker", ("run", "-i", "img"), cwd=str(tmp_path / "gone"))
    (got,) = facts([gone], {"PATH": bin_dir}, FakeEngine()).values()
    assert ("cwd", str(tmp_path / "gone")) in got.missing_files


def test_one_image_list_call_for_every_entry(bin_dir):
    names = {
        "name": "mcp/postgres",
        "latest": "mcp/postgres:latest",
        "hub": "docker.io/mcp/postgres",
        "registry": "ghcr.io/github/github-mcp-server:v1",
        "other-tag": "ghcr.io/github/github-mcp-server:v2",
        "digest": "alpine@sha256:" + "12" * 32,
        "id": "sha256:" + "ef" * 32,
        "short-id": "efefefefefef",
        "library": "docker.io/library/alpine:3.20",
        "absent": "mcp-dockernet-test/made-up:1",
    }
    engine = FakeEngine()
    entries = [stdio_entry("docker", ("run", "-i", image), name=n) for n, image in names.items()]
    got = facts(entries, {"PATH": bin_dir}, engine)
    assert engine.calls == 1
    present = {n for n, f in got.items() if f.image_present}
    assert present == set(names) - {"other-tag", "absent"}
    assert got["absent"].image_present is False and got["absent"].image_note == ""


@pytest.mark.parametrize(
    "args, env, note",
    [
        (("-H", "tcp://10.0.0.9:2375", "run", "-i", "mcp/postgres"), (), "-H"),
        (("run", "-i", "mcp/postgres"), (("DOCKER_HOST", "tcp://10.0.0.9:2375"),), "DOCKER_HOST"),
        (("--context", "nosuch", "run", "-i", "mcp/postgres"), (), "nosuch"),
    ],
)
def test_another_engine_is_not_judged_on_ours(bin_dir, tmp_path, args, env, note):
    engine = FakeEngine()
    (got,) = facts([stdio_entry("docker", args, env=env)], {"PATH": bin_dir}, engine, home=str(tmp_path)).values()
    assert got.image_present is None and note in got.image_note and engine.calls == 0


def test_the_same_engine_named_in_env_is_judged(bin_dir):
    entry = stdio_entry("docker", ("run", "-i", "mcp/postgres"), env=(("DOCKER_HOST", OURS),))
    (got,) = facts([entry], {"PATH": bin_dir}, FakeEngine()).values()
    assert got.image_present is True


def test_an_engine_that_does_not_answer_leaves_the_image_unknown(bin_dir):
    entry = stdio_entry("docker", ("run", "-i", "mcp/postgres"))
    (none,) = facts([entry], {"PATH": bin_dir}, None).values()
    (failing,) = facts([entry], {"PATH": bin_dir}, FakeEngine(fail=True)).values()
    assert none.image_present is None and "did not answer" in none.image_note
    assert failing.image_present is None and "engine gone" in failing.image_note


def test_a_client_in_a_container_is_not_looked_at(bin_dir):
    entry = stdio_entry("docker", ("run", "-i", "mcp/postgres"))
    place = ClientPlace("container", name="agent", container_id="x")
    engine = FakeEngine()
    (got,) = facts([entry], {"PATH": bin_dir}, engine, places=(("c.json", place),)).values()
    assert not got.checked and "agent" in got.note and engine.calls == 0


def test_node_runtime_and_the_npx_cache_declaration(bin_dir, tmp_path):
    executable(bin_dir, "node", "echo v18.19.0")
    executable(bin_dir, "npx")
    pkg = tmp_path / "home" / ".npm" / "_npx" / "0a1b" / "node_modules" / "@scope" / "srv"
    pkg.mkdir(parents=True)
    (pkg / "package.json").write_text(json.dumps({"name": "@scope/srv", "engines": {"node": ">=20"}}))
    entry = stdio_entry("npx", ("-y", "@scope/srv@latest", "--flag"))
    (got,) = facts([entry], {"PATH": bin_dir}, home=str(tmp_path / "home")).values()
    assert got.runtime == ("node", "18.19.0")
    assert got.runtime_wanted == (">=20", f"engines.node in {pkg / 'package.json'}")


def test_a_node_scripts_nearest_package_json_and_a_python_scripts_pyproject(bin_dir, tmp_path):
    executable(bin_dir, "node", "echo v20.20.2")
    executable(bin_dir, "python3", "echo Python 3.9.1")
    project = tmp_path / "proj"
    (project / "dist").mkdir(parents=True)
    (project / "package.json").write_text(json.dumps({"engines": {"node": "^18 || >=20"}}))
    (project / "pyproject.toml").write_text('[project]\nname = "x"\nrequires-python = ">=3.10"\n')
    entries = [
        stdio_entry("node", ("dist/index.js",), cwd=str(project), name="node"),
        stdio_entry("python3", (str(project / "server.py"),), name="py"),
        stdio_entry("python3", ("-m", "server"), cwd=str(project), name="py-m"),
        stdio_entry("uvx", ("some-mcp",), name="uvx"),
    ]
    executable(bin_dir, "uvx")
    got = facts(entries, {"PATH": bin_dir})
    assert got["node"].runtime == ("node", "20.20.2") and got["node"].runtime_wanted[0] == "^18 || >=20"
    assert got["py"].runtime == ("python", "3.9.1") and got["py"].runtime_wanted[0] == ">=3.10"
    assert got["py-m"].runtime_wanted[0] == ">=3.10"
    assert got["uvx"].runtime == ("python", "3.9.1") and got["uvx"].runtime_wanted is None


def test_a_hanging_interpreter_is_bounded(bin_dir):
    executable(bin_dir, "node", "sleep 30; echo v1.0.0")  # a child that holds the pipes
    (got,) = facts([stdio_entry("node", ("x.js",))], {"PATH": bin_dir}).values()
    assert got.runtime is None


@pytest.mark.parametrize(
    "args, name",
    [
        (("-y", "@modelcontextprotocol/server-everything"), "@modelcontextprotocol/server-everything"),
        (("-y", "mcp-remote@0.1.2", "http://x"), "mcp-remote"),
        (("--package", "pkg@1", "bin"), "pkg"),
        (("--yes", "--", "tool"), "tool"),
        (("./local",), None),
        (("github:owner/repo",), None),
    ],
)
def test_npx_package(args, name):
    assert npx_package(args) == name


def test_normalize_and_listed():
    assert normalize("ubuntu") == "docker.io/library/ubuntu:latest"
    assert normalize("index.docker.io/library/ubuntu:22.04") == "docker.io/library/ubuntu:22.04"
    assert normalize("localhost:5000/x") == "localhost:5000/x:latest"
    assert not image_listed("abc", ["sha256:abcdef"])  # too short to be an id prefix
