from __future__ import annotations

import pytest

from mcp_dockernet.collectors.placement import place_clients, service_place
from mcp_dockernet.errors import MdnError
from mcp_dockernet.model import ConfigFile, Container, ContainerState, EngineState, MountInfo, NetworkAttachment


def _agent(project: str, mounts=()) -> Container:
    return Container(
        id=f"{project}0" * 8,
        name=f"{project}-agent-1",
        image="img",
        state=ContainerState.RUNNING,
        networks=(NetworkAttachment(f"{project}_default", "172.18.0.2", ("agent",)),),
        compose_project=project,
        compose_service="agent",
        mounts=tuple(mounts),
    )


def test_a_service_name_in_two_projects_is_ambiguous():
    with pytest.raises(MdnError, match="several Compose projects"):
        service_place("agent", [_agent("a"), _agent("b")], None, None, "--client service:agent")
    place = service_place("agent", [_agent("a"), _agent("b")], None, None, "flag", project_name="b")
    assert place.name == "b-agent-1" and place.networks == ("b_default",)


def test_a_config_inside_a_mounted_directory_belongs_to_that_container(tmp_path):
    config = tmp_path / "cfg" / "mcp.json"
    config.parent.mkdir()
    config.write_text("{}")
    agent = _agent("p", [MountInfo("bind", str(tmp_path / "cfg"), "/config")])
    cfg = ConfigFile(str(config), "generic", "{}", "x", (), ())
    ((_, place),) = place_clients([cfg], EngineState((agent,)), None, None)
    assert place.kind == "container" and place.reason == "the config is mounted at /config/mcp.json"
    ((_, told),) = place_clients([cfg], EngineState((agent,)), None, "host")
    assert told.kind == "host"
