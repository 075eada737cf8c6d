"""The stdio collector against the real engine: an image that is there, one that is not, one on another engine."""

from __future__ import annotations

import os

import pytest

from mcp_dockernet.collectors.endpoint import choose_endpoint
from mcp_dockernet.collectors.stdio_host import stdio_facts
from mcp_dockernet.run import docker_api
from tests.lab.docker_lab import BASE_IMAGE
from tests.unit.rules.factory import judge_stdio, stdio_entry, stdio_snapshot

pytestmark = pytest.mark.docker


def test_images_on_the_real_engine(docker_client):
    endpoint = choose_endpoint()
    api = docker_api(endpoint)  # as run.py builds it: the engine the docker CLI would use
    image_id = docker_client.images.get(BASE_IMAGE).id
    entries = [
        stdio_entry("docker", ("run", "-i", "--rm", BASE_IMAGE, "python3", "-V"), name="present"),
        stdio_entry("docker", ("run", "-i", "--rm", image_id), name="by-id"),
        stdio_entry("docker", ("run", "-i", "--rm", "mcp-dockernet-lab/made-up-image:nope"), name="absent"),
        stdio_entry("docker", ("-H", "unix:///nonexistent/docker.sock", "run", "-i", BASE_IMAGE), name="other"),
    ]
    found = dict(stdio_facts(entries, api, os.environ, (), endpoint_url=endpoint.url))
    got = {i.name: f for i, f in found.items()}
    assert got["present"].image_present is True and got["by-id"].image_present is True
    assert got["absent"].image_present is False
    assert got["other"].image_present is None and "-H" in got["other"].image_note
    assert all(f.command_path and f.command_path.endswith("/docker") for f in got.values())
    # and the rule on those facts: only the made-up image is reported, nothing was pulled
    for entry in entries:
        snap = stdio_snapshot(entry, facts=got[entry.name])
        codes = [f.code for f in judge_stdio(snap)]
        assert codes == (["image-not-found"] if entry.name == "absent" else []), entry.name
    assert not docker_client.images.list(name="mcp-dockernet-lab/made-up-image")
