"""The MCP configs a Compose project's services mount (compose/mounts.py), on fixture dirs."""

from __future__ import annotations

import json
import shutil

import pytest

from mcp_dockernet.compose import mounts as compose_mounts
from mcp_dockernet.compose.mounts import is_compose_file, mounted_configs
from mcp_dockernet.errors import ConfigError
from tests.unit.compose.conftest import FIXTURES, load


def _found(project):
    return {m.inside: m for m in mounted_configs(project)}


def test_directory_single_file_and_home_mounts_are_found_with_their_client_and_line():
    project = load("mounts")
    found = _found(project)
    assert sorted(found) == [
        "/app/settings.json",  # single file, judged by its shape whatever its name
        "/config/mcp.json",
        "/config/nested/.cursor/mcp.json",  # depth 2 of the mount
        "/root/.codex/config.toml",  # a client's own path under a mounted home
        "/root/.config/goose/config.yaml",  # deeper than the walk, found by its known path
    ]
    assert {m.service for m in found.values()} == {"agent"}  # not the sidecar's, not the worker's (mounted 2nd)
    kinds = {inside: m.config.client for inside, m in found.items()}
    assert kinds["/app/settings.json"] == "vscode" and kinds["/config/nested/.cursor/mcp.json"] == "cursor"
    assert kinds["/root/.codex/config.toml"] == "codex" and kinds["/root/.config/goose/config.yaml"] == "goose"
    config = found["/config/mcp.json"]
    assert config.path == str(FIXTURES / "mounts" / "config" / "mcp.json") and not config.single_file
    assert config.reason(project) == (
        "service agent mounts ./config at /config (compose.yaml:7), so it reads /config/mcp.json"
    )
    single = found["/app/settings.json"]
    assert single.single_file
    assert (
        single.reason(project)
        == "service agent mounts ./agent.json at /app/settings.json as a single file (compose.yaml:9)"
    )


def test_files_that_are_no_mcp_config_are_left_out():
    found = _found(load("mounts"))
    assert "/config/settings.json" not in found  # a settings.json without servers
    assert "/app/app.py" not in found  # a single file mounted that is not a config
    assert not any("too-deep" in e.name for m in found.values() for e in m.config.entries)  # depth 3


def test_the_line_of_each_volume_is_kept_by_the_cli_model_too():
    from mcp_dockernet.compose.load import cli_available, load_project

    if not cli_available():
        pytest.skip("the docker compose plugin is not installed")
    project = load_project(project_dir=str(FIXTURES / "mounts"), use_cli=True)
    assert [(m.target, m.line) for m in project.service("agent").volumes if m.type == "bind"] == [
        ("/config", 7),
        ("/app/settings.json", 9),
        ("/root", 11),
        ("/app/app.py", 13),
    ]


def _project(tmp_path, volumes):
    (tmp_path / "compose.yaml").write_text(json.dumps({"services": {"agent": {"image": "a", "volumes": volumes}}}))
    return load("", project_dir=str(tmp_path))


def test_a_broken_mcp_json_in_a_mount_is_bad_input(tmp_path):
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "mcp.json").write_text('{"mcpServers": {"a": {"url": "http://x:1/mcp",}}')
    with pytest.raises(ConfigError, match="mcp.json"):
        mounted_configs(_project(tmp_path, ["./cfg:/config"]))


def test_large_files_and_missing_sources_are_skipped(tmp_path):
    (tmp_path / "cfg").mkdir()
    big = {"mcpServers": {"a": {"url": "http://x:1/mcp"}}, "pad": "x" * (compose_mounts.MAX_SIZE + 1)}
    (tmp_path / "cfg" / "mcp.json").write_text(json.dumps(big))
    assert mounted_configs(_project(tmp_path, ["./cfg:/config", "./absent:/absent"])) == ()


def test_a_mount_of_a_large_tree_is_walked_within_its_budget(tmp_path, monkeypatch):
    root = tmp_path / "home"
    for i in range(50):
        (root / f"d{i:02}").mkdir(parents=True)
    shutil.copy(FIXTURES / "mounts" / "config" / "mcp.json", root / "d49" / "mcp.json")
    project = _project(tmp_path, ["./home:/root"])
    assert [m.inside for m in mounted_configs(project)] == ["/root/d49/mcp.json"]
    monkeypatch.setattr(compose_mounts, "MAX_ENTRIES", 40)  # the 50 directories already exhaust it
    assert mounted_configs(project) == ()


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("compose.yaml", "services: {}\n", True),
        ("docker-compose.override.yml", "x: 1\n", True),
        ("stack.yaml", "services:\n  a: {image: x}\n", True),
        ("config.yaml", "mcpServers:\n  - name: a\n    url: http://x/mcp\n", False),
        ("goose.yaml", "services: {}\nextensions: {}\n", False),
        ("mcp.json", '{"services": {}}', False),
    ],
)
def test_compose_files_are_known_by_name_or_shape(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text)
    assert is_compose_file(str(path)) is expected
