"""Which Docker engine to talk to: the one the user's `docker` CLI would use, and why.

The order is the CLI's (docker/cli cli/command/cli.go, resolveContextName): DOCKER_HOST, then
DOCKER_CONTEXT, then `currentContext` in the docker config (DOCKER_CONFIG or ~/.docker), then the
default socket. A context is `contexts/meta/<sha256 of its name>/meta.json`, its TLS files are in
`contexts/tls/<same>/docker/` (cli/context/store).

The docker SDK's own `docker.context.ContextAPI` is not used: checked on SDK 7.x against CLI 28,
it looks for contexts beside a config.json that `docker context create` does not write (so with
DOCKER_CONFIG and no config.json, DOCKER_CONTEXT=x silently falls back to the default socket; with
no config file at all it searches ./contexts of the working directory); it answers an unknown
context with the default socket where the CLI fails; and it drops a context's TLS unless ca, cert
and key are all present (a ca-only context then speaks plain HTTP to a TLS port). Reading the two
small JSON files here gives the CLI's answer; the SDK's TLSConfig still does the TLS.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from mcp_dockernet.errors import EngineError

log = logging.getLogger(__name__)
DEFAULT_SOCKET = "unix:///var/run/docker.sock"
DEFAULT_CHOICE = "default socket"
NEXT_STEP = "start Docker, or check DOCKER_HOST and `docker context ls`"


@dataclass(frozen=True, slots=True)
class Tls:
    """TLS material for the engine (paths), as the CLI would use it."""

    verify: bool
    ca_cert: str | None = None
    client_cert: tuple[str, str] | None = None  # (cert, key)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """The engine's address and how it was chosen ("DOCKER_HOST", "DOCKER_CONTEXT=colima", ...)."""

    url: str
    chosen_by: str
    tls: Tls | None = None

    @property
    def scheme(self) -> str:
        return self.url.partition("://")[0].lower() if "://" in self.url else "tcp"

    @property
    def socket_path(self) -> str | None:
        """The file of a unix:// endpoint."""
        if self.scheme != "unix":
            return None
        return self.url.partition("://")[2] or "/var/run/docker.sock"

    @property
    def local(self) -> bool:
        """On this machine: a unix socket or named pipe here, or tcp:// to a loopback address; never ssh://.

        ssh:// is remote even to 127.0.0.1: the ssh target is where the engine's host is, and a
        loopback ssh port is as often a forwarded port into a VM or another machine (Lima, Colima,
        `ssh -L`) as this machine's own sshd. tcp:// to loopback is taken as a local daemon (its
        usual meaning); a tunnel to another machine should be named as one (ssh:// or a context).
        A unix socket may still lead into a VM (Docker Desktop, Colima): the socket is ours, the
        containers' processes are not; readers of /proc fall back when a pid is not there.
        """
        if self.scheme in ("unix", "npipe", "fd"):
            return True
        if self.scheme == "ssh":
            return False
        return _is_loopback_name(self.host)

    @property
    def host(self) -> str | None:
        """The engine host's name as the endpoint URL gives it (no user, no port); None for a socket or pipe."""
        if self.scheme in ("unix", "npipe", "fd"):
            return None
        host = urlsplit(self.url if "://" in self.url else f"tcp://{self.url}").hostname
        return host.lower() if host else None

    def machines(self) -> str:
        """The sentence every report carries: which machine runs the clients, which the engine and its servers."""
        if self.local:
            return "host clients, engine, containers and servers: this machine"
        how = "over ssh" if self.scheme == "ssh" else f"over {self.scheme}://"
        return f"host clients: this machine; engine, containers and servers: {self.host or 'another machine'} {how}"

    @property
    def shown_url(self) -> str:
        """The URL for output: a password in tcp://user:pass@host never shown."""
        parts = urlsplit(self.url)
        if parts.password is None:
            return self.url
        return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()

    def describe(self) -> str:
        return f"{self.shown_url} ({self.chosen_by})"

    def remote_note(self) -> str | None:
        """What the report says when the engine is not on this machine."""
        if self.local:
            return None
        loopback = "; a loopback ssh target is still the engine's host: a tunnel or a VM"
        return (
            f"the engine is on another machine ({self.scheme}:// to {self.host or '?'}"
            + (loopback if self.scheme == "ssh" and _is_loopback_name(self.host) else "")
            + "): this machine's listening sockets and its localhost do not describe the engine's host, so "
            "container ports are judged from the engine's side"
        )


def _is_loopback_name(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def choose_endpoint(environ: Mapping[str, str] | None = None, home: str | None = None) -> Endpoint:
    """The engine the docker CLI would use; EngineError for a named context that does not exist."""
    env = os.environ if environ is None else environ
    config_dir = env.get("DOCKER_CONFIG") or os.path.join(home or os.path.expanduser("~"), ".docker")
    shown = _shown_dir(config_dir, home, "DOCKER_CONFIG" in env and bool(env.get("DOCKER_CONFIG")))
    if env.get("DOCKER_HOST"):
        return Endpoint(env["DOCKER_HOST"], "DOCKER_HOST", _env_tls(env, config_dir))
    if env.get("DOCKER_CONTEXT"):
        wanted = env["DOCKER_CONTEXT"]
        return _from_context(config_dir, wanted, f"DOCKER_CONTEXT={wanted}")
    name, problem = _current_context(config_dir)
    if problem:
        log.warning("%s", problem)  # the CLI warns and goes on with the default context, so do we
        return Endpoint(DEFAULT_SOCKET, f"{DEFAULT_CHOICE}; {problem}")
    if name and name != "default":
        return _from_context(config_dir, name, f"current context '{name}' in {shown}/config.json")
    return Endpoint(DEFAULT_SOCKET, DEFAULT_CHOICE)


def _from_context(config_dir: str, name: str, chosen_by: str) -> Endpoint:
    if name == "default":  # the built-in context: DOCKER_HOST (unset here) or the default socket
        return Endpoint(DEFAULT_SOCKET, f"{chosen_by}, the default socket")
    ctx_id = hashlib.sha256(name.encode()).hexdigest()
    meta_path = os.path.join(config_dir, "contexts", "meta", ctx_id, "meta.json")
    try:
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
        docker = (meta.get("Endpoints") or {}).get("docker") or {}
    except FileNotFoundError:
        raise EngineError(
            f"{chosen_by}: no such context (no {meta_path}); see `docker context ls`, choose with `docker context use`",
            code="engine-context-not-found",
            chosen_by=chosen_by,
            problem=f"context {name!r} does not exist",
        ) from None
    except (OSError, ValueError, AttributeError) as e:
        where = f"{meta_path}:{e.lineno}" if isinstance(e, json.JSONDecodeError) else meta_path
        raise EngineError(
            f"{where}: the meta file of context {name!r} cannot be read ({type(e).__name__}); see `docker context ls`",
            code="engine-context-not-found",
            chosen_by=chosen_by,
            problem=f"the meta file of context {name!r} cannot be read",
        ) from None
    url = str(docker.get("Host") or DEFAULT_SOCKET)
    return Endpoint(url, chosen_by, _context_tls(config_dir, ctx_id, bool(docker.get("SkipTLSVerify"))))


def _current_context(config_dir: str) -> tuple[str | None, str | None]:
    path = os.path.join(config_dir, "config.json")
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        return None, None
    except json.JSONDecodeError as e:
        return None, f"{path}:{e.lineno} is not JSON ({e.msg})"
    except OSError as e:
        return None, f"{path} cannot be read ({e.strerror or e})"
    name = doc.get("currentContext") if isinstance(doc, dict) else None
    return (str(name) if name else None), None


def _context_tls(config_dir: str, ctx_id: str, skip_verify: bool) -> Tls | None:
    """As docker/cli cli/context/docker/load.go tlsConfig: no files and verification on means no TLS."""
    tls_dir = os.path.join(config_dir, "contexts", "tls", ctx_id, "docker")
    return _tls_files(tls_dir, verify=not skip_verify, required=skip_verify)


def _env_tls(env: Mapping[str, str], config_dir: str) -> Tls | None:
    """DOCKER_TLS_VERIFY / DOCKER_TLS with DOCKER_CERT_PATH (default: the config dir), as the CLI reads them."""
    cert_path = env.get("DOCKER_CERT_PATH") or config_dir
    if env.get("DOCKER_TLS_VERIFY"):
        return _tls_files(cert_path, verify=True, required=True)
    if env.get("DOCKER_TLS"):
        return _tls_files(cert_path, verify=False, required=True)
    return None


def _tls_files(directory: str, *, verify: bool, required: bool) -> Tls | None:
    def present(name: str) -> str | None:
        path = os.path.join(directory, name)
        return path if os.path.isfile(path) else None

    ca, cert, key = present("ca.pem"), present("cert.pem"), present("key.pem")
    if not (ca or cert or required):
        return None
    return Tls(verify=verify, ca_cert=ca, client_cert=(cert, key) if cert and key else None)


def _shown_dir(config_dir: str, home: str | None, from_env: bool) -> str:
    if from_env:
        return config_dir.rstrip("/")
    home_dir = home or os.path.expanduser("~")
    return "~" + config_dir[len(home_dir) :] if config_dir.startswith(home_dir) else config_dir


def unreachable(endpoint: Endpoint, exc: BaseException, timeout: float) -> EngineError:
    """One sentence for a failed connection, naming the endpoint and the next step; no SDK or urllib3 text.

    The SDK wraps the cause several times (DockerException from requests' ConnectionError from
    urllib3's ProtocolError whose args hold the OSError), so the chain and the args are searched.
    """
    log.debug("engine at %s: %r", endpoint.shown_url, exc)
    causes = list(_causes(exc))
    where, why = endpoint.describe(), endpoint.chosen_by
    path = endpoint.socket_path
    if any(isinstance(c, PermissionError) for c in causes):
        problem = "permission denied"
        message = (
            f"permission denied on {path or endpoint.shown_url} ({why}): add your user to the docker group and log in "
            "again, or run as root, or point DOCKER_HOST at an engine you may use (rootless Docker)"
        )
        return EngineError(
            message, code="engine-permission-denied", endpoint=endpoint.shown_url, chosen_by=why, problem=problem
        )
    if any(isinstance(c, FileNotFoundError) for c in causes):
        problem = f"there is no socket at {path}" if path else "the endpoint does not exist"
    elif any(isinstance(c, ConnectionRefusedError) for c in causes):
        problem = "nothing accepts connections there (connection refused)"
    elif any(isinstance(c, TimeoutError) or "timeout" in type(c).__name__.lower() for c in causes):
        problem = f"no answer within {timeout:g} s"
    elif any(type(c).__name__ == "gaierror" for c in causes):
        problem = f"the name {urlsplit(endpoint.url).hostname} does not resolve"
    elif any(type(c).__module__ == "ssl" for c in causes):
        problem = "the TLS handshake failed (check the context's or DOCKER_CERT_PATH's certificates)"
    elif any(type(c).__name__ in ("HTTPError", "APIError") for c in causes):
        problem = "something answers there, but not as a Docker engine"
    else:
        problem = "it did not answer as a Docker engine does (run with --debug for the details)"
    message = f"cannot reach the Docker engine at {where}: {problem}; {NEXT_STEP}"
    return EngineError(message, endpoint=endpoint.shown_url, chosen_by=why, problem=problem)


def ssh_unsupported(endpoint: Endpoint) -> EngineError | None:
    """ssh:// without paramiko: the SDK's ssh transport imports it at module level even when it shells out
    to the ssh CLI (docker/transport/sshconn.py, SDK 7.x), so use_ssh_client alone does not do."""
    import importlib.util

    if endpoint.scheme != "ssh" or importlib.util.find_spec("paramiko") is not None:
        return None
    target = endpoint.shown_url.partition("://")[2]
    problem = (
        "the docker SDK needs the Python package paramiko for ssh:// engines (pip install paramiko); or forward "
        f"the socket with `ssh -NL /tmp/docker.sock:/var/run/docker.sock {target}` and set "
        "DOCKER_HOST=unix:///tmp/docker.sock"
    )
    message = f"cannot reach the Docker engine at {endpoint.describe()}: {problem}"
    return EngineError(message, endpoint=endpoint.shown_url, chosen_by=endpoint.chosen_by, problem=problem)


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo = [exc]
    while todo and len(seen) < 20:  # bounded: chains are short, but args may nest
        e = todo.pop(0)
        if any(e is s for s in seen):
            continue
        seen.append(e)
        todo += [a for a in e.args if isinstance(a, BaseException)]
        todo += [c for c in (e.__cause__, e.__context__) if c is not None]
    return seen


def engine_is_local() -> bool:
    """Whether the engine the docker CLI would use (choose_endpoint) is on this machine.

    Only then may our paths be bind-mounted into a helper, or a container's /proc be read here.
    A context that cannot be read counts as remote: the cautious way.
    """
    try:
        return choose_endpoint().local
    except EngineError:
        return False
