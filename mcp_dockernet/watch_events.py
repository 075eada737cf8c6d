"""The engine's event stream as the watcher's changes: which events may change a verdict.

Not the watcher's own doing: the helper containers mcp-dockernet starts to probe from a client's
network namespace or to read its sockets, and the `docker exec`s it runs in client containers, would
otherwise each wake the next check, which starts the next helper, forever.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mcp_dockernet.probes.vantage import HELPER_LABEL

if TYPE_CHECKING:
    from mcp_dockernet.watch import State

log = logging.getLogger("mcp_dockernet.watch")
# Engine events after which the answer may change.
CONTAINER_ACTIONS = frozenset({"start", "stop", "die", "restart", "destroy", "create", "pause", "unpause", "rename"})
NETWORK_ACTIONS = frozenset({"connect", "disconnect", "create", "destroy"})


def follow_events(
    api_factory: Callable[[], Any], changes: queue.Queue[str], state: State, stop: threading.Event
) -> None:
    """Put a line on `changes` for each engine event that matters; reconnect with backoff.

    It also says "engine connected" once subscribed (what happened while it was not is unknown) and
    "engine unreachable" on the first failure of an outage, so each is judged once, not per retry.
    """
    backoff = 1.0
    reachable = True
    while not stop.is_set():
        try:
            api = api_factory()
            api.ping()
            # The engine filters positively only (type, event, label=KEY[=VALUE]; Engine API GET /events,
            # docs.docker.com/reference/cli/docker/system/events/#filter): it can send just the actions
            # that matter, but not "all but our own helpers". Engine 20.10 accepts `label!=KEY` there and
            # ignores it (tried: a labelled container's create still arrives), so `change_of` drops them.
            stream = api.events(
                decode=True,
                filters={"type": ["container", "network"], "event": sorted(CONTAINER_ACTIONS | NETWORK_ACTIONS)},
            )
            state.update(engine_ok=True, engine_reason="")
            changes.put("engine connected")  # after subscribing: no event falls between it and the check
            backoff, reachable = 1.0, True
            for event in stream:
                if stop.is_set():
                    return
                change = change_of(event)
                if change is not None:
                    changes.put(change)
        except Exception as e:  # the stream ends or the socket goes away: both mean "reconnect"
            state.update(engine_ok=False, engine_reason=f"engine unreachable: {str(e).splitlines()[0][:200]}")
            log.warning("engine unreachable, retrying in %.0fs: %s", backoff, e)
            if reachable:
                changes.put("engine unreachable")
                reachable = False
            stop.wait(backoff)
            backoff = min(backoff * 2, 30.0)


NO_ROUTE_NETWORKS = frozenset({"none", "host"})  # the engine's built-in networks no MCP route goes through


def change_of(event: dict[str, Any]) -> str | None:
    """What an engine event means to the watcher, or None if it cannot change a verdict.

    Ignored: events of containers mcp-dockernet creates itself (probe and listener helpers carry
    HELPER_LABEL, and the engine copies a container's labels into Actor.Attributes of each of its
    events, destroy included), `docker exec` in a client container (exec_create, exec_start, exec_die),
    and every action outside CONTAINER_ACTIONS / NETWORK_ACTIONS. Network events carry no container
    labels, so a helper's attach to the `none` or `host` network (the listener helper runs with no
    network) would pass; no route goes through those two, so their events are ignored too.
    """
    kind = event.get("Type")
    action = str(event.get("Action") or event.get("status") or "").split(":")[0]
    attributes = (event.get("Actor") or {}).get("Attributes") or {}
    if action.startswith("exec_") or HELPER_LABEL in attributes:
        return None
    if kind == "network" and attributes.get("name") in NO_ROUTE_NETWORKS:
        return None
    if (kind == "container" and action in CONTAINER_ACTIONS) or (kind == "network" and action in NETWORK_ACTIONS):
        return f"{kind} {action} {attributes.get('name', '')}".strip()
    return None
