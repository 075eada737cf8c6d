"""Podman's pods, which its Docker-compatible API does not show: one more list call, on Podman only.

Measured on Podman 4.3.1 (Debian 12) through its API socket (``podman system service``):

- ``GET /containers/json`` (the compat list) has no ``Pod`` field and no ``HostConfig`` at all: the
  network mode is missing for every container. Each member of a pod lists the *pod's* published
  ports and the pod's network, as if each published them itself.
- ``GET /containers/ID/json`` (compat inspect) of a member says ``HostConfig.NetworkMode``
  ``container:<id of the infra container>``: a pod is one network namespace, the infra container's
  (``<pod id prefix>-infra``, image ``localhost/podman-pause``), exactly like Docker's
  ``network_mode: container:X``. localhost between members works; the ports are the infra's.
- ``GET /libpod/containers/json`` (Podman's own API, served under the same version prefix) says, per
  container, ``Pod`` (the pod id), ``PodName`` and ``IsInfra``: enough for every container at once.

So members become what Docker would report: network mode ``container:<infra id>``, no ports of their
own (the infra container has them), and the pod's name. A container outside a pod that the compat
list shows on no network (seen: ``--network host``, ``none``, ``container:X``) is inspected for its
network mode, at most MAX_INSPECTS of them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from mcp_dockernet.model import Container

log = logging.getLogger(__name__)
MAX_INSPECTS = 50  # bound the per-container calls on hosts with many such containers


@dataclass(frozen=True, slots=True)
class PodSlot:
    pod: str  # the pod's name
    infra_id: str  # the infra container, whose network namespace the pod shares
    is_infra: bool


def libpod_containers(api: Any) -> list[dict[str, Any]]:
    """Podman's own container list, through the docker SDK's session (a plain GET on the same socket)."""
    url = f"{api.base_url}/v{api.api_version}/libpod/containers/json"
    response = api.get(url, params={"all": "true"}, timeout=getattr(api, "timeout", 10))
    response.raise_for_status()
    found = response.json()
    return found if isinstance(found, list) else []


def pod_slots(listed: list[dict[str, Any]]) -> dict[str, PodSlot]:
    """Container id -> its pod and the pod's infra container, for the containers that are in a pod."""
    infra = {str(c.get("Pod")): str(c.get("Id")) for c in listed if c.get("IsInfra") and c.get("Pod")}
    slots = {}
    for c in listed:
        pod_id = str(c.get("Pod") or "")
        if pod_id and pod_id in infra:
            slots[str(c.get("Id"))] = PodSlot(
                str(c.get("PodName") or pod_id[:12]), infra[pod_id], bool(c.get("IsInfra"))
            )
    return slots


def with_pods(api: Any, containers: tuple[Container, ...]) -> tuple[Container, ...]:
    """The containers with their pods mapped onto Docker's terms; unchanged when the libpod list fails."""
    try:
        slots = pod_slots(libpod_containers(api))
    except Exception as e:  # an older Podman, or a proxy that passes only the compat API
        log.debug("no libpod container list: %s", e)
        return containers
    found = [in_pod(c, slots.get(c.id)) for c in containers]
    unknown = [i for i, c in enumerate(found) if c.running and not c.networks and not c.network_mode]
    for i in unknown[:MAX_INSPECTS]:
        try:
            mode = (api.inspect_container(found[i].id).get("HostConfig") or {}).get("NetworkMode") or ""
        except Exception as e:
            log.debug("cannot inspect %s: %s", found[i].name, e)
            continue
        found[i] = replace(found[i], network_mode=str(mode))
    return tuple(found)


def in_pod(c: Container, slot: PodSlot | None) -> Container:
    if slot is None:
        return c
    if slot.is_infra:
        return replace(c, pod=slot.pod)
    return replace(c, pod=slot.pod, network_mode=f"container:{slot.infra_id}", ports=())
