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
from typing import Any

from mcp_dockernet.model import Layer, Outcome, ProbeResult
from mcp_dockernet.probes import payload
from mcp_dockernet.probes.codec import PROTOCOL, from_dict
from mcp_dockernet.probes.layers import probe_all as probe_here
from mcp_dockernet.probes.proxy import proxy_environment

log = logging.getLogger(__name__)
HELPER_LABEL = "mcp-dockernet.helper"
OWN_IMAGE = "mcp-dockernet"  # repository name of the image scripts/lab-up and the Dockerfile build
START_SLACK = 30.0  # seconds a helper may take to start and exit on a busy engine, beyond the probes


def probe_all(
    targets: Iterable[tuple[str, str]],
    timeout: float,
    *,
    vantage: str = "host",
    docker_api: Any = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[ProbeResult, ...]:
    """Probe every (url, transport) at once from ``vantage``: "host" or "container:NAME_OR_ID".

    ``environ`` is the client's environment for its proxy variables (default: this process's on the
    host, the container's Config.Env in a container).
    """
    unique = list(dict.fromkeys(targets))
    if not unique:
        return ()
    if vantage == "host":
        return probe_here(unique, timeout, environ=environ)
    if not vantage.startswith("container:") or docker_api is None:
        return _failed(unique, vantage, "none", f"cannot probe from {vantage!r} without a Docker engine")
    return probe_from_container(docker_api, vantage.split(":", 1)[1], unique, timeout, environ)


def probe_from_container(
    api: Any, name: str, targets: list[tuple[str, str]], timeout: float, environ: Mapping[str, str] | None
) -> tuple[ProbeResult, ...]:
    try:
        attrs = api.inspect_container(name)
    except Exception as e:
        return _failed(targets, f"container:{name}", "none", f"cannot inspect container {name}: {_short(e)}")
    label = f"container:{attrs.get('Name', name).lstrip('/')}"
    if not (attrs.get("State") or {}).get("Running"):
        return _failed(targets, label, "none", f"{label} is not running, so its network cannot be entered")
    env = dict(environ) if environ is not None else _env_of(attrs)
    request = json.dumps({"targets": targets, "timeout": timeout, "environ": proxy_environment(env)})
    tried: list[str] = []
    for method, run in _methods(api, attrs):
        try:
            output = run(request, timeout + START_SLACK)
            results = _parse(output)
        except Exception as e:  # each way can fail for reasons of its own; say why and try the next
            log.debug("probe via %s failed: %s", method, e)
            tried.append(f"{method}: {_short(e)}")
            continue
        if len(results) == len(targets):
            return tuple(_stamp(r, label, method) for r in results)
        tried.append(f"{method}: {len(results)} results for {len(targets)} targets")
    return _failed(targets, label, "none", "no way to probe from inside it: " + "; ".join(tried))


def _methods(api: Any, attrs: dict[str, Any]):  # type: ignore[no-untyped-def]
    cid = attrs["Id"]
    own = own_image(api)
    if own:
        yield f"helper:{own}", lambda req, wait: run_helper(api, own, cid, ["python3", "-m", payload.MODULE, req], wait)
    image = (attrs.get("Config") or {}).get("Image") or attrs.get("Image", "")
    if engine_is_local() and image:
        mounts = payload.bind_mounts()
        yield (
            f"client-image:{image}",
            lambda req, wait: run_helper(api, image, cid, ["python3", "-m", payload.MODULE, req], wait, mounts),
        )
    yield "exec", lambda req, wait: payload.exec_probe(api, cid, req)


def own_image(api: Any) -> str | None:
    """A locally present image of mcp-dockernet (never pulled): the newest tag of the repository."""
    try:
        images = api.images(name=OWN_IMAGE)
    except Exception:
        return None
    tags = [t for img in sorted(images, key=lambda i: -i.get("Created", 0)) for t in img.get("RepoTags") or ()]
    return next((t for t in tags if t.split(":")[0] == OWN_IMAGE), None)


def engine_is_local() -> bool:
    """Whether the engine the docker CLI would use is on this machine (collectors/endpoint.py).

    Only then may our paths be bind-mounted into a helper, or a container's /proc be read here.
    A context that cannot be read counts as remote: the cautious way.
    """
    from mcp_dockernet.collectors.endpoint import choose_endpoint
    from mcp_dockernet.errors import EngineError

    try:
        return choose_endpoint().local
    except EngineError:
        return False


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
) -> bytes:
    """Run ``command`` in a container sharing ``target_id``'s network namespace (None: no network); its stdout.

    The one way mcp-dockernet creates a container: it carries HELPER_LABEL (value: ``purpose``), which
    `watch` filters its event stream on, and it is removed on every way out. It is named before it is
    created, so that it is removed even when the create call fails after the engine made it (a client
    timeout on a busy engine) or the wait times out.
    """
    binds = {src: {"bind": dst, "mode": "ro"} for src, dst in (mounts or {}).items()}
    network = f"container:{target_id}" if target_id else "none"
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


def _stamp(result: ProbeResult, vantage: str, method: str) -> ProbeResult:
    from dataclasses import replace

    return replace(result, vantage=vantage, method=method)


def _env_of(attrs: dict[str, Any]) -> dict[str, str]:
    pairs = (str(e).partition("=") for e in (attrs.get("Config") or {}).get("Env") or ())
    return {k: v for k, _, v in pairs}


def _failed(targets: list[tuple[str, str]], vantage: str, method: str, why: str) -> tuple[ProbeResult, ...]:
    layer = Layer("vantage", "failed", why)
    return tuple(
        ProbeResult(u, Outcome.ERROR, why, vantage=vantage, method=method, requested_transport=t, layers=(layer,))
        for u, t in targets
    )


def _short(e: BaseException) -> str:
    text = str(e) or type(e).__name__
    return text.splitlines()[0][:300]
