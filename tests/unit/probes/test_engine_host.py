"""Probes on a remote engine's host: one --network host helper of our image, headers as a file, never pulled."""

from __future__ import annotations

import io
import json
import tarfile
from typing import Any

from mcp_dockernet.model import ENGINE_HOST_VANTAGE, ClientPlace, Outcome, ProbeTarget
from mcp_dockernet.probes.codec import PROTOCOL
from mcp_dockernet.probes.vantage import HELPER_LABEL, probe_all


class EngineHostApi:
    """The engine calls of one helper run; it answers one MCP result per target it was asked."""

    def __init__(self, images: list[dict[str, Any]]) -> None:
        self._images, self.host_configs, self.commands, self.files, self.removed = images, [], [], {}, []

    def images(self, name: str) -> list[dict[str, Any]]:
        return self._images

    def create_host_config(self, **kw: Any) -> dict[str, Any]:
        self.host_configs.append(kw)
        return kw

    def create_container(self, image: str, **kw: Any) -> None:
        assert kw["labels"] == {HELPER_LABEL: "probe"}
        self.commands.append(kw["entrypoint"] + kw["command"])

    def put_archive(self, name: str, path: str, data: bytes) -> bool:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            for member in tar.getmembers():
                f = tar.extractfile(member)
                self.files["/" + member.name.lstrip("/")] = f.read().decode() if f else ""
        return True

    def start(self, name: str) -> None:
        pass

    def wait(self, name: str, timeout: float) -> dict[str, int]:
        return {"StatusCode": 0}

    def logs(self, name: str, stdout: bool, stderr: bool) -> bytes:
        argument = self.commands[-1][-1]
        request = json.loads(self.files[argument[1:]] if argument.startswith("@") else argument)
        results = [
            {"url": t[0], "outcome": "mcp", "detail": "ok", "requested_transport": t[1], "server_name": "srv"}
            for t in request["targets"]
        ]
        return json.dumps({"schema": PROTOCOL, "results": results}).encode()

    def remove_container(self, name: str, force: bool) -> None:
        self.removed.append(name)


OWN = [{"RepoTags": ["mcp-dockernet:dev"], "Created": 1}]


def test_the_helper_runs_on_the_engine_hosts_network_and_is_removed():
    api = EngineHostApi(OWN)
    (result,) = probe_all(
        [ProbeTarget("http://127.0.0.1:8080/mcp", "streamable-http")], 3, vantage=ENGINE_HOST_VANTAGE, docker_api=api
    )
    assert result.outcome is Outcome.MCP and result.vantage == ENGINE_HOST_VANTAGE
    assert result.method == "helper:mcp-dockernet:dev --network host"
    assert api.host_configs[0]["network_mode"] == "host" and len(api.removed) == 1


def test_header_values_go_as_a_file_not_on_the_command_line():
    api = EngineHostApi(OWN)
    target = ProbeTarget("http://127.0.0.1:8080/mcp", "streamable-http", (("Authorization", "Bearer s3cr3t-token"),))
    (result,) = probe_all([target], 3, vantage=ENGINE_HOST_VANTAGE, docker_api=api)
    assert result.outcome is Outcome.MCP
    assert "s3cr3t-token" not in json.dumps(api.commands)
    assert any("s3cr3t-token" in text for text in api.files.values())


def test_without_our_image_on_the_engine_nothing_is_run_and_the_result_says_why():
    api = EngineHostApi([])
    (result,) = probe_all(
        [ProbeTarget("http://127.0.0.1:8080/mcp", "streamable-http")], 3, vantage=ENGINE_HOST_VANTAGE, docker_api=api
    )
    assert result.outcome is Outcome.ERROR and "no mcp-dockernet image on the engine" in result.detail
    assert api.commands == []


def test_a_host_network_container_of_a_remote_engine_probes_from_its_host():
    place = ClientPlace("container", name="agent", container_id="a" * 12, network_mode="host")
    assert place.vantage == "host"  # a local engine: its host is this machine
    assert (
        ClientPlace("container", name="agent", container_id="a" * 12, network_mode="host", remote_engine=True).vantage
        == ENGINE_HOST_VANTAGE
    )
    assert ClientPlace("host", remote_engine=True).vantage == "host"
    assert (
        ClientPlace("container", name="agent", container_id="a" * 12, remote_engine=True).vantage == "container:agent"
    )
