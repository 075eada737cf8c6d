"""Swarm's facts: the list answers linked (collectors/swarm.py), a service as one peer (route/peers.py),
ports judged from the spec, and swarm-vip-unreachable / no-shared-network on a service."""

from __future__ import annotations

from typing import Any

import pytest

from mcp_dockernet.collectors.swarm import collect_swarm, swarm_state
from mcp_dockernet.model import ContainerState, Outcome, ServicePort, SwarmNetwork, SwarmService, SwarmState
from mcp_dockernet.route.peers import peers
from tests.unit.rules.factory import box, client_in, judge, probe, snapshot

# Trimmed from a real 20.10 manager's answers (docker stack deploy of a Compose file, December 2026).
NETWORKS = [
    {"Name": "st_default", "Id": "6g3y", "Scope": "swarm", "Attachable": True, "Ingress": False,
     "Labels": {"com.docker.stack.namespace": "st"}},
    {"Name": "ingress", "Id": "9acu", "Scope": "swarm", "Attachable": False, "Ingress": True, "Labels": None},
]  # fmt: skip


def service(
    name: str, ports: list[dict[str, Any]], mode: str = "vip", mode_spec: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "ID": f"id-{name}",
        "Spec": {
            "Name": f"st_{name}",
            "Labels": {"com.docker.stack.namespace": "st"},
            "TaskTemplate": {"Networks": [{"Target": "6g3y", "Aliases": [name]}]},
            "Mode": mode_spec or {"Replicated": {"Replicas": 1}},
            "EndpointSpec": {"Mode": mode, "Ports": ports},
        },
        "Endpoint": {"Ports": ports, "VirtualIPs": [{"NetworkID": "6g3y", "Addr": "10.0.1.2/24"}]},
    }


def task(service_name: str, container: str, state: str = "running") -> dict[str, Any]:
    return {
        "ServiceID": f"id-{service_name}",
        "Status": {"State": state, "ContainerStatus": {"ContainerID": container}},
        "DesiredState": "running",
    }


INGRESS = {"Protocol": "tcp", "TargetPort": 8000, "PublishedPort": 18732, "PublishMode": "ingress"}
HOST_MODE = {"Protocol": "tcp", "TargetPort": 8000, "PublishedPort": 18731, "PublishMode": "host"}


def test_the_list_answers_are_linked_into_services():
    state = swarm_state(
        [
            service("mesh", [INGRESS]),
            service("tools", [HOST_MODE]),
            service("rr", [], "dnsrr", {"Global": {}}),
        ],
        [task("mesh", "c-mesh"), task("tools", "c-tools"), task("tools", "c-old", "shutdown")],
        NETWORKS,
    )
    mesh, tools, rr = state.services
    assert mesh.name == "st_mesh" and mesh.short_name == "mesh" and mesh.stack == "st"
    assert mesh.ports == (ServicePort(8000, 18732, "tcp", "ingress"),)
    assert mesh.networks == (("st_default", ("mesh",)), ("ingress", ()))  # the mesh's network, by its name
    assert mesh.vips == (("st_default", "10.0.1.2"),)
    assert tools.ports[0].mode == "host" and tools.tasks == ("c-tools",)  # a shut-down task is not linked
    assert rr.endpoint_mode == "dnsrr" and rr.replicas is None  # global
    assert state.service_of("c-mesh") is mesh and state.service_of("c-old") is None
    assert state.network("st_default") == SwarmNetwork("st_default", True, False, "st")


class NoCalls:
    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"{name} was called")


class Failing:
    def services(self, filters: Any = None) -> list[dict[str, Any]]:
        raise RuntimeError("This node is not a swarm manager.")


@pytest.mark.parametrize(
    "swarm",
    [
        {"LocalNodeState": "inactive"},
        {"LocalNodeState": "active", "ControlAvailable": False},  # a worker cannot list services
        {},
    ],
    ids=["no-swarm", "worker", "old-engine"],
)
def test_only_a_manager_is_asked(swarm):
    assert collect_swarm(NoCalls(), {"Swarm": swarm}) is None


def test_a_manager_that_does_not_answer_is_no_swarm():
    assert collect_swarm(Failing(), {"Swarm": {"LocalNodeState": "active", "ControlAvailable": True}}) is None


def swarm_of(*services: SwarmService, attachable: bool = True) -> SwarmState:
    return SwarmState(
        services, (SwarmNetwork("st_default", attachable, False, "st"), SwarmNetwork("ingress", False, True))
    )


TOOLS = SwarmService(
    "id-tools",
    "st_tools",
    "st",
    (ServicePort(8000, 18732, "tcp", "ingress"),),
    (("st_default", ("tools",)), ("ingress", ())),
    tasks=("t1" * 4, "t2" * 4),
    vips=(("st_default", "10.0.1.2"),),
)
# Two running tasks of one service (no binding of their own: ingress), and a task Swarm keeps as history.
TASKS = [
    box("t1", networks=("st_default", "ingress"), listen=(8000,)),
    box("t2", networks=("st_default", "ingress"), listen=(8000,)),
]
HISTORY = box("st_tools.1.old", networks=("st_default",), state=ContainerState.EXITED, exit_code=137)


def test_a_service_is_one_peer_with_its_spec_ports_and_its_names():
    snap = snapshot("http://localhost:8000/mcp", [*TASKS, HISTORY], swarm=swarm_of(TOOLS))
    (peer,) = peers(snap)  # two tasks, one service; the old task is not a server
    assert peer.name == "st_tools" and peer.service == "tools" and peer.project == "st"
    assert peer.host_port_of(8000) == 18732  # from the spec: the tasks carry no binding
    assert peer.networks == frozenset({"st_default"})  # the ingress network resolves nothing
    assert {"tools", "st_tools", "tasks.tools", "tasks.st_tools"} <= peer.names
    assert len(peer.listening_on(8000)) == 2  # both tasks' sockets
    assert peer.label == "st_tools (Swarm service tools of stack st, 2 tasks)"


def test_a_host_url_on_the_target_port_gets_the_ingress_published_port():
    snap = snapshot(
        "http://localhost:8000/mcp", TASKS, swarm=swarm_of(TOOLS), probes=(probe("http://localhost:18732/mcp"),)
    )
    found, server = judge(snap)
    assert found == ["wrong-port"]  # not ambiguous for having two tasks
    assert server.suggested_url == "http://localhost:18732/mcp"
    assert server.findings[0].server is not None and server.findings[0].server.project == "st"


def test_without_the_swarm_facts_the_tasks_are_unrelated_containers():
    found, server = judge(snapshot("http://localhost:8000/mcp", TASKS))
    # read from the containers alone, an ingress-published port looks unpublished: only the spec says 18732
    assert found == ["port-not-published"] and server.suggested_url is None


AGENT = box("agent", networks=("st_default",))
VIP = "http://tools:8000/mcp"
TASKS_URL = "http://tasks.tools:8000/mcp"
AT = "container:agent"


@pytest.mark.parametrize(
    "endpoint_mode, probes, codes, suggested",
    [
        (
            "vip",
            [probe(VIP, False, AT, Outcome.TIMEOUT), probe(TASKS_URL, True, AT)],
            ["swarm-vip-unreachable"],
            TASKS_URL,
        ),
        (
            "vip",
            [probe(VIP, False, AT, Outcome.UNREACHABLE), probe(TASKS_URL, True, AT)],
            ["swarm-vip-unreachable"],
            TASKS_URL,
        ),
        # no task answered either: no evidence the VIP is the problem
        (
            "vip",
            [probe(VIP, False, AT, Outcome.TIMEOUT), probe(TASKS_URL, False, AT, Outcome.TIMEOUT)],
            ["timeout"],
            None,
        ),
        # the VIP answered: a node with IPVS
        ("vip", [probe(VIP, True, AT), probe(TASKS_URL, True, AT)], [], None),
        # the VIP answered HTTP that is not MCP: not a routing problem
        ("vip", [probe(VIP, False, AT, Outcome.NOT_MCP), probe(TASKS_URL, True, AT)], ["not-mcp"], None),
        # dnsrr: the name is the tasks' already, tasks.NAME is not tried
        ("dnsrr", [probe(VIP, False, AT, Outcome.TIMEOUT), probe(TASKS_URL, True, AT)], ["timeout"], None),
    ],
    ids=["timeout", "no-route", "tasks-fail-too", "vip-works", "not-mcp", "dnsrr"],
)
def test_swarm_vip_unreachable(endpoint_mode, probes, codes, suggested):
    svc = SwarmService(
        "id-tools", "st_tools", "st", (), (("st_default", ("tools",)),), endpoint_mode, tasks=("t1" * 4,),
        vips=(("st_default", "10.0.1.2"),),
    )  # fmt: skip
    boxes = [AGENT, box("t1", networks=("st_default",), listen=(8000,))]
    snap = snapshot(VIP, boxes, client=client_in(AGENT), probes=tuple(probes), swarm=swarm_of(svc))
    found, server = judge(snap)
    assert found == codes
    assert server.suggested_url == suggested
    if suggested:
        assert server.writable and "10.0.1.2" in server.findings[0].message


@pytest.mark.parametrize("attachable", [True, False])
def test_no_shared_network_with_a_service_says_what_the_stack_file_needs(attachable):
    outsider = box("outsider", networks=("own",))
    snap = snapshot(VIP, [outsider, *TASKS], client=client_in(outsider), swarm=swarm_of(TOOLS, attachable=attachable))
    found, server = judge(snap)
    assert "no-shared-network" in found
    fix = next(f for f in server.findings if f.code == "no-shared-network").fix
    assert "docker network connect st_default outsider" in fix
    assert ("attachable: true" in fix and "docker stack deploy -c compose.yaml st" in fix) is not attachable


def test_a_service_with_no_running_task_is_one_stopped_peer_with_its_latest_task():
    crashed = SwarmService("id-tools", "st_tools", "st", (ServicePort(8000, 18732, "tcp", "ingress"),))
    latest = box("st_tools.1.new", networks=("st_default",), state=ContainerState.EXITED, exit_code=1, logs=("boom",))
    snap = snapshot("http://localhost:18732/mcp", [latest, HISTORY], swarm=swarm_of(crashed))
    (peer,) = peers(snap)
    assert peer.name == "st_tools" and not peer.running and peer.container is not None
    assert peer.container.exit_code == 1 and peer.container.log_tail == ("boom",)
    assert peer.target_of_host_port(18732) == 8000
    found, server = judge(snap)
    assert found == ["server-not-running"] and "exit code 1" in server.findings[0].message
    assert "Swarm service tools of stack st" in server.findings[0].message


def test_a_stack_service_is_placed_in_its_running_task():
    from dataclasses import replace
    from types import SimpleNamespace

    from mcp_dockernet.collectors.placement import service_place
    from tests.unit.rules.factory import _container

    old = replace(_container(HISTORY), name="st_agent.1.old", swarm_service="st_agent", stack="st")
    task = replace(_container(box("st_agent.1.abc", networks=("st_default",))), swarm_service="st_agent", stack="st")
    other = replace(_container(box("xx_agent.1.def")), swarm_service="xx_agent", stack="xx")  # another stack's
    place = service_place("agent", [old, other, task], None, SimpleNamespace(name="st"), "test")
    assert place.name == "st_agent.1.abc" and place.container_id == task.id
    assert place.service == "agent" and place.project == "st" and place.networks == ("st_default",)
