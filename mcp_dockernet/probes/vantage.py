"""Probe from where the client runs: this host, or inside a client container's network namespace.

From a container the probe must see what the client sees: its DNS, its /etc/hosts (host-gateway
entries), its networks, its proxy variables. No tool is needed in the client's image and no image
is pulled; the ways are tried in this order, and every result names the one used:

1. ``helper:IMAGE``: a short-lived container of mcp-dockernet's own image, if one exists locally,
   started with ``network_mode=container:<client>``;
2. ``client-image:IMAGE``: the same with the client's own image when it has python3 (>= 3.11),
   our package and httpx mounted read-only (only when the engine runs on this machine);
3. ``exec``: ``docker exec`` of python3 in the client container, with the package copied into its
   /tmp and removed afterwards.

Helper containers carry HELPER_LABEL (so that `watch` ignores their events) and are removed
whether or not they succeed.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from mcp_dockernet.collectors.endpoint import engine_is_local as engine_is_local  # lives there, with choose_endpoint
from mcp_dockernet.model import ENGINE_HOST_VANTAGE, Layer, Outcome, ProbeResult, ProbeTarget
from mcp_dockernet.probes import payload
from mcp_dockernet.probes.codec import PROTOCOL, from_dict
from mcp_dockernet.probes.layers import Target, as_target
from mcp_dockernet.probes.layers import probe_all as probe_here
from mcp_dockernet.probes.proxy import proxy_environment
from mcp_dockernet.probes.send import scrub_text, secret_forms

log = logging.getLogger(__name__)
HELPER_LABEL = "mcp-dockernet.helper"
OWN_IMAGE = "mcp-dockernet"  # repository name of the image scripts/lab-up and the Dockerfile build
START_SLACK = 30.0  # seconds a helper may take to start and exit on a busy engine, beyond the probes


def probe_all(
    targets: Iterable[Target],
    timeout: float,
    *,
    vantage: str = "host",
    docker_api: Any = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[ProbeResult, ...]:
    """Probe every target at once from ``vantage``: "host" or "container:NAME_OR_ID"; one result each.

    A target is a ProbeTarget or a bare (url, transport). ``environ`` is the client's environment
    for its proxy variables (default: this process's on the host, the container's Config.Env in a
    container).
    """
    given = [as_target(t) for t in targets]
    unique = list(dict.fromkeys(given))
    if not unique:
        return ()
    if vantage == "host":
        results = probe_here(unique, timeout, environ=environ)
    elif vantage == ENGINE_HOST_VANTAGE and docker_api is not None:
        results = probe_on_engine_host(docker_api, unique, timeout)
    elif not vantage.startswith("container:") or docker_api is None:
        results = _failed(unique, vantage, "none", f"cannot probe from {vantage!r} without a Docker engine")
    else:
        results = probe_from_container(docker_api, vantage.split(":", 1)[1], unique, timeout, environ)
    done = dict(zip(unique, results, strict=True))
    return tuple(done[t] for t in given)


def probe_from_container(
    api: Any, name: str, targets: list[ProbeTarget], timeout: float, environ: Mapping[str, str] | None
) -> tuple[ProbeResult, ...]:
    try:
        attrs = api.inspect_container(name)
    except Exception as e:
        return _failed(targets, f"container:{name}", "none", f"cannot inspect container {name}: {_short(e)}")
    label = f"container:{attrs.get('Name', name).lstrip('/')}"
    if not (attrs.get("State") or {}).get("Running"):
        return _failed(targets, label, "none", f"{label} is not running, so its network cannot be entered")
    env = dict(environ) if environ is not None else _env_of(attrs)
    wire = [[t.url, t.transport, [list(h) for h in t.headers]] if t.headers else [t.url, t.transport] for t in targets]
    request = json.dumps({"targets": wire, "timeout": timeout, "environ": proxy_environment(env)})
    forms = secret_forms([v for t in targets for _, v in t.headers])
    tried: list[str] = []
    for method, run in _methods(api, attrs, secret=bool(forms)):
        try:
            output = run(request, timeout + START_SLACK)
            results = _parse(output)
        except Exception as e:  # each way can fail for reasons of its own; say why and try the next
            why = scrub_text(_short(e), forms)
            log.debug("probe via %s failed: %s", method, why)
            tried.append(f"{method}: {why}")
            continue
        if len(results) == len(targets):
            return tuple(_stamp(r, t, label, method) for r, t in zip(results, targets, strict=True))
        tried.append(f"{method}: {len(results)} results for {len(targets)} targets")
    return _failed(targets, label, "none", "no way to probe from inside it: " + "; ".join(tried))


def probe_on_engine_host(api: Any, targets: list[ProbeTarget], timeout: float) -> tuple[ProbeResult, ...]:
    """Probe from the engine host's own network namespace (a remote engine's published ports, as seen there).

    One helper container of mcp-dockernet's image with ``network_mode=host`` on the engine's machine: its
    loopback is the engine host's. Without that image there is no way in (nothing is pulled, and our code
    cannot be mounted from a machine the engine does not run on); the results then say so. Headers go as
    a file, never on a command line (as in ``_methods``); no proxy variables: the engine host's are not ours.
    """
    label = ENGINE_HOST_VANTAGE
    own = own_image(api)
    if own is None:
        why = f"no {OWN_IMAGE} image on the engine, so its host's network cannot be entered (nothing is pulled)"
        return _failed(targets, label, "none", why)
    wire = [[t.url, t.transport, [list(h) for h in t.headers]] if t.headers else [t.url, t.transport] for t in targets]
    request = json.dumps({"targets": wire, "timeout": timeout, "environ": {}})
    forms = secret_forms([v for t in targets for _, v in t.headers])
    command, files = ["python3", "-m", payload.MODULE, request], {}
    if forms:
        path = f"/tmp/mcp-dockernet-request-{uuid.uuid4().hex[:12]}.json"
        command, files = ["python3", "-m", payload.MODULE, "@" + path], {path: request.encode()}
    try:
        output = run_helper(api, own, None, command, timeout + START_SLACK, files=files, network="host")
        results = _parse(output)
    except Exception as e:
        why = scrub_text(_short(e), forms)
        return _failed(targets, label, "none", f"the helper on the engine's host failed: {why}")
    if len(results) != len(targets):
        return _failed(targets, label, "none", f"{len(results)} results for {len(targets)} targets")
    return tuple(_stamp(r, t, label, f"helper:{own} --network host") for r, t in zip(results, targets, strict=True))


def _methods(api: Any, attrs: dict[str, Any], *, secret: bool = False):  # type: ignore[no-untyped-def]
    """The ways in, each a function (request, wait) -> stdout.

    A request that holds header values (``secret``) never goes on a command line, where `docker
    inspect` and the host's process list show it: it is copied into the container as a file that
    the payload reads and removes (remote.py), and the container goes when the probe is done.
    """
    cid = attrs["Id"]

    def argv(request: str) -> tuple[list[str], dict[str, bytes]]:
        if not secret:
            return ["python3", "-m", payload.MODULE, request], {}
        path = f"/tmp/mcp-dockernet-request-{uuid.uuid4().hex[:12]}.json"
        return ["python3", "-m", payload.MODULE, "@" + path], {path: request.encode()}

    def helper(image: str, mounts: dict[str, str] | None):  # type: ignore[no-untyped-def]
        def run(request: str, wait: float) -> bytes:
            command, files = argv(request)
            return run_helper(api, image, cid, command, wait, mounts, files=files)

        return run

    own = own_image(api)
    if own:
        yield f"helper:{own}", helper(own, None)
    image = (attrs.get("Config") or {}).get("Image") or attrs.get("Image", "")
    if engine_is_local() and image:
        yield f"client-image:{image}", helper(image, payload.bind_mounts())
    yield "exec", lambda req, wait: payload.exec_probe(api, cid, req, as_file=secret)


def own_image(api: Any) -> str | None:
    """A locally present image of mcp-dockernet (never pulled): the newest tag of the repository."""
    try:
        images = api.images(name=OWN_IMAGE)
    except Exception:
        return None
    tags = [t for img in sorted(images, key=lambda i: -i.get("Created", 0)) for t in img.get("RepoTags") or ()]
    # Podman names a loaded or built image localhost/NAME:TAG (seen on 4.3.1)
    return next((t for t in tags if t.split(":")[0].removeprefix("localhost/") == OWN_IMAGE), None)


def run_helper(
    api: Any,
    image: str,
    target_id: str | None,
    command: list[str],
    wait: float,
    mounts: dict[str, str] | None = None,
    *,
    purpose: str = "probe",
    pid_mode: str | None = None,
    files: dict[str, bytes] | None = None,
    network: str | None = None,
) -> bytes:
    """Run ``command`` in a container sharing ``target_id``'s network namespace (None: no network); its stdout.

    ``network`` names another network mode instead ("host": the engine host's own namespace).

    The one way mcp-dockernet creates a container: it carries HELPER_LABEL (value: ``purpose``), which
    `watch` filters its event stream on, and it is removed on every way out. It is named before it is
    created, so that it is removed even when the create call fails after the engine made it (a client
    timeout on a busy engine) or the wait times out.
    """
    binds = {src: {"bind": dst, "mode": "ro"} for src, dst in (mounts or {}).items()}
    network = network or (f"container:{target_id}" if target_id else "none")
    extra = {"pid_mode": pid_mode} if pid_mode else {}
    host_config = api.create_host_config(network_mode=network, binds=binds or None, **extra)
    name = f"mcp-dockernet-helper-{uuid.uuid4().hex[:12]}"
    try:
        api.create_container(
            image,
            command=command[1:],
            entrypoint=command[:1],
            name=name,
            labels={HELPER_LABEL: purpose},
            environment={"PYTHONPATH": payload.MOUNT_ROOT} if mounts else None,
            host_config=host_config,
            network_disabled=False,
        )
        if files and not api.put_archive(name, "/", payload.file_archive(files)):
            raise RuntimeError("could not copy the probe request into the helper")
        api.start(name)
        status = api.wait(name, timeout=wait)
        out = api.logs(name, stdout=True, stderr=False)
        if status.get("StatusCode") != 0:
            err = api.logs(name, stdout=False, stderr=True).decode("utf-8", "replace").strip().splitlines()
            raise RuntimeError(f"exit {status.get('StatusCode')}: {err[-1] if err else 'no message'}")
        return bytes(out)
    finally:
        _remove_helper(api, name)


def _remove_helper(api: Any, name: str) -> None:
    try:
        api.remove_container(name, force=True)
    except Exception as e:
        if getattr(getattr(e, "response", None), "status_code", None) == 404:
            return  # never created: nothing to remove
        log.warning("could not remove helper container %s: %s", name, _short(e))


def _parse(output: bytes) -> list[ProbeResult]:
    line = output.decode("utf-8", "replace").strip().splitlines()[-1]
    doc = json.loads(line)
    if doc.get("schema") != PROTOCOL:
        raise ValueError(f"unexpected answer schema {doc.get('schema')!r}")
    return [from_dict(d) for d in doc["results"]]


def _stamp(result: ProbeResult, target: ProbeTarget, vantage: str, method: str) -> ProbeResult:
    # The helper keys header sets with a key of its own process: the caller's id is the one that counts.
    return replace(result, vantage=vantage, method=method, headers_id=target.headers_id)


def _env_of(attrs: dict[str, Any]) -> dict[str, str]:
    pairs = (str(e).partition("=") for e in (attrs.get("Config") or {}).get("Env") or ())
    return {k: v for k, _, v in pairs}


def _failed(targets: list[ProbeTarget], vantage: str, method: str, why: str) -> tuple[ProbeResult, ...]:
    layer = Layer("vantage", "failed", why)
    return tuple(
        ProbeResult(
            t.url,
            Outcome.ERROR,
            why,
            vantage=vantage,
            method=method,
            requested_transport=t.transport,
            layers=(layer,),
            headers_id=t.headers_id,
        )
        for t in targets
    )


def _short(e: BaseException) -> str:
    text = str(e) or type(e).__name__
    return text.splitlines()[0][:300]
