"""Which engine, and why: the docker CLI's choice, read from config dirs the CLI itself wrote.

The contexts are made by `docker context create` in a temp DOCKER_CONFIG (it needs no engine), and
`docker context inspect` with the same environment is the oracle the choice must agree with.
"""

from __future__ import annotations

import io
import json
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from rich.console import Console

from mcp_dockernet.collectors.endpoint import (
    DEFAULT_SOCKET,
    Endpoint,
    Tls,
    choose_endpoint,
    ssh_unsupported,
    unreachable,
)
from mcp_dockernet.errors import EngineError
from mcp_dockernet.render import json_out, text
from mcp_dockernet.report import Report

needs_cli = pytest.mark.skipif(shutil.which("docker") is None, reason="no docker CLI to write real contexts")
SDK_TEXT = ("Error while fetching", "Connection aborted", "urllib3", "FileNotFoundError", "HTTPConnection", "Errno")


def docker_cli(config: Path, *args: str, env: dict[str, str] | None = None) -> str:
    full = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(config.parent), "DOCKER_CONFIG": str(config)}
    done = subprocess.run(["docker", *args], env={**full, **(env or {})}, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def pems(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A self-signed certificate and its key: the CLI checks that the files it copies parse."""
    if shutil.which("openssl") is None:
        pytest.skip("no openssl to make a certificate")
    where = tmp_path_factory.mktemp("pems")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=engine"]
        + ["-keyout", str(where / "key.pem"), "-out", str(where / "cert.pem")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    shutil.copy(where / "cert.pem", where / "ca.pem")
    return where


@pytest.fixture
def contexts(tmp_path: Path, pems: Path) -> Path:
    """A DOCKER_CONFIG holding contexts of every kind, written by the real CLI (no config.json yet)."""
    config = tmp_path / "dockercfg"
    config.mkdir()
    ca, cert, key = (str(pems / n) for n in ("ca.pem", "cert.pem", "key.pem"))
    for name, host in [
        ("colima", "host=unix:///tmp/colima-test/docker.sock"),
        ("rootless", "host=unix:///run/user/1000/docker.sock"),
        ("build", "host=ssh://me@build.example:2222"),
        ("tls", f"host=tcp://10.1.2.3:2376,ca={ca},cert={cert},key={key}"),
        ("ca-only", f"host=tcp://10.1.2.3:2376,ca={ca}"),
        ("insecure", "host=tcp://10.1.2.3:2376,skip-tls-verify=true"),
        ("plain", "host=tcp://127.0.0.1:2375"),
    ]:
        docker_cli(config, "context", "create", name, "--docker", host)
    return config


def cli_host(config: Path, env: dict[str, str]) -> str:
    return docker_cli(config, "context", "inspect", "--format", "{{.Endpoints.docker.Host}}", env=env)


@needs_cli
@pytest.mark.parametrize(
    "env, use, url, chosen_by",
    [
        ({}, None, DEFAULT_SOCKET, "default socket"),
        ({"DOCKER_CONTEXT": "colima"}, None, "unix:///tmp/colima-test/docker.sock", "DOCKER_CONTEXT=colima"),
        ({}, "rootless", "unix:///run/user/1000/docker.sock", "current context 'rootless' in {dir}/config.json"),
        ({"DOCKER_CONTEXT": "colima"}, "rootless", "unix:///tmp/colima-test/docker.sock", "DOCKER_CONTEXT=colima"),
        (
            {"DOCKER_HOST": "tcp://127.0.0.1:2999", "DOCKER_CONTEXT": "colima"},
            "rootless",
            "tcp://127.0.0.1:2999",
            "DOCKER_HOST",
        ),
        ({}, "default", DEFAULT_SOCKET, "default socket"),
        ({"DOCKER_CONTEXT": "default"}, "rootless", DEFAULT_SOCKET, "DOCKER_CONTEXT=default, the default socket"),
    ],
)
def test_the_choice_is_the_clis(contexts, env, use, url, chosen_by):
    if use:
        docker_cli(contexts, "context", "use", use)
    chosen = choose_endpoint({"DOCKER_CONFIG": str(contexts), **env})
    assert chosen.url == url
    assert chosen.chosen_by == chosen_by.format(dir=contexts)
    assert cli_host(contexts, env) == url  # the docker CLI, same files and environment, agrees


@needs_cli
def test_the_home_config_dir_is_used_without_docker_config(contexts, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(contexts, home / ".docker")
    (home / ".docker" / "config.json").write_text(json.dumps({"auths": {}, "currentContext": "colima"}))
    chosen = choose_endpoint({}, home=str(home))
    assert chosen.url == "unix:///tmp/colima-test/docker.sock"
    assert chosen.chosen_by == "current context 'colima' in ~/.docker/config.json"


@needs_cli
@pytest.mark.parametrize(
    "name, expected",
    [
        ("tls", Tls(True, "ca.pem", ("cert.pem", "key.pem"))),
        ("ca-only", Tls(True, "ca.pem", None)),  # the SDK's own loader drops this one (it wants all three)
        ("insecure", Tls(False, None, None)),  # TLS without verification, as the CLI does
        ("plain", None),
        ("colima", None),
    ],
)
def test_tls_of_a_context(contexts, pems, name, expected):
    tls = choose_endpoint({"DOCKER_CONFIG": str(contexts), "DOCKER_CONTEXT": name}).tls
    if expected is None:
        assert tls is None
        return
    assert tls is not None and tls.verify == expected.verify
    assert (Path(tls.ca_cert).name if tls.ca_cert else None) == expected.ca_cert
    assert tuple(Path(p).name for p in tls.client_cert or ()) == (expected.client_cert or ())
    for path in filter(None, (tls.ca_cert, *(tls.client_cert or ()))):
        assert str(contexts / "contexts" / "tls") in path  # the CLI's copies, byte for byte
        assert Path(path).read_bytes() == (pems / Path(path).name).read_bytes()


def test_docker_host_tls_from_the_environment(tmp_path):
    for name in ("ca.pem", "cert.pem", "key.pem"):
        (tmp_path / name).write_text(name)
    env = {"DOCKER_HOST": "tcp://10.1.2.3:2376", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(tmp_path)}
    tls = choose_endpoint(env).tls
    assert tls == Tls(True, str(tmp_path / "ca.pem"), (str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")))
    assert choose_endpoint({"DOCKER_HOST": "tcp://10.1.2.3:2375"}).tls is None


@needs_cli
def test_a_context_that_does_not_exist_is_an_error_as_in_the_cli(contexts):
    with pytest.raises(EngineError) as raised:
        choose_endpoint({"DOCKER_CONFIG": str(contexts), "DOCKER_CONTEXT": "ghost"})
    assert raised.value.code == "engine-context-not-found"
    assert raised.value.chosen_by == "DOCKER_CONTEXT=ghost"
    assert "docker context ls" in str(raised.value) and "\n" not in str(raised.value)
    (contexts / "config.json").write_text('{"currentContext": "ghost"}')
    with pytest.raises(EngineError, match="current context 'ghost' in .*config.json: no such context"):
        choose_endpoint({"DOCKER_CONFIG": str(contexts)})


def test_an_unreadable_config_json_falls_back_to_the_default_socket_and_says_so(tmp_path):
    (tmp_path / "config.json").write_text('{\n  "currentContext": ')
    chosen = choose_endpoint({"DOCKER_CONFIG": str(tmp_path)})
    assert chosen.url == DEFAULT_SOCKET  # the CLI warns and uses the default context too
    assert chosen.chosen_by.startswith("default socket; ") and f"{tmp_path}/config.json:2" in chosen.chosen_by


@pytest.mark.parametrize(
    "url, local",
    [
        ("unix:///var/run/docker.sock", True),
        ("unix:///Users/me/.colima/default/docker.sock", True),
        ("npipe:////./pipe/docker_engine", True),
        ("tcp://127.0.0.1:2375", True),
        ("tcp://localhost:2375", True),
        ("tcp://[::1]:2375", True),
        ("tcp://10.0.0.5:2376", False),
        ("tcp://socket-proxy:2375", False),
        ("ssh://me@build.example", False),
        ("ssh://me@127.0.0.1:22", False),  # the ssh target is the engine's host: a tunnel or VM as often as here
        ("ssh://me@localhost", False),
        ("tcp://[::1]:2376", True),  # tcp:// to loopback: a local daemon (a tunnel should be named ssh://)
    ],
)
def test_local_or_another_machine(url, local):
    endpoint = Endpoint(url, "DOCKER_HOST")
    assert endpoint.local is local
    assert (endpoint.remote_note() is None) is local


def test_a_password_in_the_url_is_never_shown():
    endpoint = Endpoint("tcp://admin:s3cr3t@10.0.0.5:2375", "DOCKER_HOST")
    assert "s3cr3t" not in endpoint.describe() and "admin:***@10.0.0.5" in endpoint.shown_url


def _sdk_error(url: str) -> BaseException:
    import docker

    try:
        docker.APIClient(base_url=url, version="auto", timeout=2)
    except Exception as e:
        return e
    raise AssertionError(f"an engine answered at {url}")


def test_no_socket_the_real_sdk_error_becomes_one_plain_sentence(tmp_path):
    endpoint = Endpoint(f"unix://{tmp_path}/absent.sock", "DOCKER_CONTEXT=colima")
    raw = _sdk_error(endpoint.url)
    assert "Error while fetching server API version" in str(raw)  # what users saw before
    err = unreachable(endpoint, raw, 10)
    message = str(err)
    assert (
        err.code == "engine-unreachable" and err.endpoint == endpoint.url and err.chosen_by == "DOCKER_CONTEXT=colima"
    )
    assert f"there is no socket at {tmp_path}/absent.sock" in message and "docker context ls" in message
    assert "(DOCKER_CONTEXT=colima)" in message and "\n" not in message
    assert not [t for t in SDK_TEXT if t in message]


def test_a_socket_nobody_listens_on_is_refused(tmp_path):
    path = tmp_path / "stale.sock"
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(path))  # bound, never listening: what a crashed daemon leaves behind
    try:
        err = unreachable(Endpoint(f"unix://{path}", "DOCKER_HOST"), _sdk_error(f"unix://{path}"), 10)
    finally:
        stale.close()
    assert "connection refused" in str(err) and not [t for t in SDK_TEXT if t in str(err)]


def test_a_socket_that_never_answers_is_a_timeout(tmp_path):
    path = tmp_path / "mute.sock"
    mute = socket.socket(socket.AF_UNIX)
    mute.bind(str(path))
    mute.listen(4)
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(mute.accept()[0]), daemon=True).start()
    try:
        err = unreachable(Endpoint(f"unix://{path}", "DOCKER_HOST"), _sdk_error(f"unix://{path}"), 2)
    finally:
        for s in (*accepted, mute):
            s.close()
    assert "no answer within 2 s" in str(err)


def test_permission_denied_names_the_socket_and_the_group():
    import docker
    import requests
    import urllib3

    cause = urllib3.exceptions.ProtocolError("Connection aborted.", PermissionError(13, "Permission denied"))
    try:
        try:
            raise requests.exceptions.ConnectionError(cause)
        except Exception as e:
            raise docker.errors.DockerException(f"Error while fetching server API version: {e}") from e
    except Exception as e:
        raw = e
    err = unreachable(Endpoint(DEFAULT_SOCKET, "default socket"), raw, 10)
    assert err.code == "engine-permission-denied"
    assert str(err).startswith(
        "permission denied on /var/run/docker.sock (default socket): add your user to the docker group"
    )
    assert not [t for t in SDK_TEXT if t in str(err)]


def test_ssh_without_paramiko_says_what_to_do():
    import importlib.util

    err = ssh_unsupported(Endpoint("ssh://me@build.example", "DOCKER_CONTEXT=build"))
    if importlib.util.find_spec("paramiko") is not None:
        assert err is None
        return
    assert err is not None and "pip install paramiko" in str(err) and "ssh -NL" in str(err)
    assert ssh_unsupported(Endpoint(DEFAULT_SOCKET, "default socket")) is None


def test_engine_is_local_follows_the_endpoint(monkeypatch, tmp_path):
    from mcp_dockernet.probes.vantage import engine_is_local

    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    monkeypatch.setenv("DOCKER_HOST", "tcp://10.0.0.5:2376")
    assert engine_is_local() is False
    monkeypatch.delenv("DOCKER_HOST")
    assert engine_is_local() is True  # the default socket
    monkeypatch.setenv("DOCKER_CONTEXT", "ghost")
    assert engine_is_local() is False  # a context we cannot read: do not read our /proc for its pids


def test_report_header_and_json_name_the_engine():
    report = Report((), ())
    remote = Endpoint("ssh://me@build.example", "DOCKER_CONTEXT=build")
    buffer = io.StringIO()
    text.render(report, Console(file=buffer, width=300, no_color=True), engine=remote, width=300)
    lines = buffer.getvalue().splitlines()
    assert lines[0].endswith("; engine ssh://me@build.example (DOCKER_CONTEXT=build)")
    assert "this machine's listening sockets and its localhost do not describe the engine's host" in lines[2]
    doc = json_out.to_dict(report, remote)
    assert doc["engine"] == {
        "endpoint": "ssh://me@build.example",
        "chosen_by": "DOCKER_CONTEXT=build",
        "local": False,
        "reachable": True,
        "note": remote.remote_note(),
        "problem": None,
        "host": "build.example",
        "machines": "host clients: this machine; engine, containers and servers: build.example over ssh",
        "sockets_read": None,
    }
    assert lines[1].strip() == "machines: " + doc["engine"]["machines"]
    assert "engine" not in json_out.to_dict(report)  # callers that pass no engine (watch) keep the old shape


def test_the_json_error_document():
    err = EngineError("cannot reach ...", endpoint="unix:///x.sock", chosen_by="DOCKER_HOST", problem="no socket")
    doc = json.loads(json_out.error_dumps(err))
    assert doc["schema"] == "mcp-dockernet/doctor/v1" and doc["servers"] == []
    assert doc["error"] == {
        "code": "engine-unreachable",
        "message": "cannot reach ...",
        "endpoint": "unix:///x.sock",
        "chosen_by": "DOCKER_HOST",
    }


@needs_cli
def test_why_not_the_sdks_context_api(contexts, monkeypatch, tmp_path):
    """The reason collectors/endpoint.py reads the files itself; if this fails, the SDK was fixed: reconsider."""
    from docker.context import ContextAPI

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCKER_CONFIG", str(contexts))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("DOCKER_CONTEXT", "colima")
    assert "base_url" not in ContextAPI.kwargs_from_context()  # no config.json: it never finds the context
    assert choose_endpoint().url == "unix:///tmp/colima-test/docker.sock"
    monkeypatch.setenv("DOCKER_CONTEXT", "ghost")
    assert ContextAPI.kwargs_from_context() == {}  # an unknown context: silently the default socket


def test_docker_api_turns_the_version_handshake_failure_into_the_sentence(tmp_path):
    from mcp_dockernet.run import docker_api

    with pytest.raises(EngineError) as raised:
        docker_api(Endpoint(f"unix://{tmp_path}/none.sock", "DOCKER_HOST"))
    assert raised.value.code == "engine-unreachable"
    assert str(raised.value).startswith(f"cannot reach the Docker engine at unix://{tmp_path}/none.sock (DOCKER_HOST)")
    assert not [t for t in SDK_TEXT if t in str(raised.value)]


@pytest.mark.parametrize(
    "url, host, machines",
    [
        ("unix:///var/run/docker.sock", None, "host clients, engine, containers and servers: this machine"),
        ("tcp://127.0.0.1:2375", "127.0.0.1", "host clients, engine, containers and servers: this machine"),
        (
            "ssh://root@127.0.0.1:2222",
            "127.0.0.1",
            "host clients: this machine; engine, containers and servers: 127.0.0.1 over ssh",
        ),
        (
            "ssh://me@Build.Example",
            "build.example",
            "host clients: this machine; engine, containers and servers: build.example over ssh",
        ),
        (
            "tcp://10.0.0.5:2376",
            "10.0.0.5",
            "host clients: this machine; engine, containers and servers: 10.0.0.5 over tcp://",
        ),
        (
            "tcp://admin:pw@[fd00::5]:2376",
            "fd00::5",
            "host clients: this machine; engine, containers and servers: fd00::5 over tcp://",
        ),
    ],
)
def test_which_machine_is_which(url, host, machines):
    endpoint = Endpoint(url, "DOCKER_HOST")
    assert endpoint.host == host and endpoint.machines() == machines
    assert "pw" not in endpoint.machines()


def test_a_loopback_ssh_target_is_said_to_be_the_engines_host():
    note = Endpoint("ssh://root@127.0.0.1:2222", "DOCKER_HOST").remote_note() or ""
    assert "ssh:// to 127.0.0.1" in note and "a loopback ssh target is still the engine's host" in note
    assert "loopback ssh" not in (Endpoint("ssh://me@build.example", "DOCKER_HOST").remote_note() or "")
