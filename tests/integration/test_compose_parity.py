"""Our Compose loader against `docker compose config --format json`, on the same files.

The CLI is the reference (compose-go itself); both must agree on every networking field. Needs
only the Compose plugin, no engine and no container. Under CI=true a missing plugin fails.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from mcp_dockernet.compose.load import cli_available, load_project
from mcp_dockernet.compose.model import ComposeProject
from mcp_dockernet.errors import ConfigError

pytestmark = pytest.mark.compose

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "compose"
CORPUS = Path("/work/shared/corpus")
FIELDS = (
    "image",
    "container_name",
    "hostname",
    "ports",
    "expose",
    "networks",
    "network_mode",
    "extra_hosts",
    "links",
    "volumes",
    "profiles",
)
ENV = {"HOME": os.environ.get("HOME", "/root"), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}

CASES: list[tuple[str, dict[str, Any]]] = [
    (p.name, {"project_dir": str(p)}) for p in sorted(FIXTURES.iterdir()) if (p / "compose.yaml").is_file()
]
CASES += [
    ("project-dir/My App_", {"project_dir": str(FIXTURES / "project-dir" / "My App_")}),
    ("profiles --profile debug", {"project_dir": str(FIXTURES / "profiles"), "profiles": ["debug"]}),
    ("profiles *", {"project_dir": str(FIXTURES / "profiles"), "profiles": ["*"]}),
    (
        "profiles COMPOSE_PROFILES",
        {"project_dir": str(FIXTURES / "profiles"), "environ": {"COMPOSE_PROFILES": "extra"}},
    ),
    ("interpolation with env", {"project_dir": str(FIXTURES / "interpolation"), "environ": {"HOST_PORT": "1"}}),
    ("project name from env", {"project_dir": str(FIXTURES / "project-name"), "environ": {"PREFIX": "X"}}),
    ("project name -p", {"project_dir": str(FIXTURES / "networks"), "project_name": "given"}),
    (
        "reset-override -f -f",
        {"files": [str(FIXTURES / "reset-override" / f) for f in ("compose.yaml", "override.yaml")]},
    ),
]
CORPUS_DIRS = sorted(
    p
    for repo in ("awesome-compose", "mcp-gateway-examples")
    if (CORPUS / repo).is_dir()
    for p in (CORPUS / repo).iterdir()
    if any((p / n).is_file() for n in ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"))
)


@pytest.fixture(scope="module", autouse=True)
def compose_plugin() -> None:
    if not cli_available():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but the Compose plugin is missing (docker compose version failed): run scripts/lab-up")
        pytest.skip("the docker compose plugin is not installed (docker compose version failed)")


def both(kw: dict[str, Any]) -> tuple[ComposeProject | str, ComposeProject | str]:
    results: list[ComposeProject | str] = []
    for use_cli in (False, True):
        args = {**kw, "environ": {**ENV, **kw.get("environ", {})}}
        try:
            results.append(load_project(use_cli=use_cli, **args))
        except ConfigError as e:
            results.append(f"error: {e}")
    return results[0], results[1]


def facts(project: ComposeProject | str) -> Any:
    if isinstance(project, str):
        return "error"
    services = {
        s.name: {f: getattr(s, f) for f in FIELDS} | {"environment": {v.name: v.value for v in s.environment}}
        for s in project.services
    }
    return {"name": project.name, "services": services, "networks": project.networks}


def assert_agree(kw: dict[str, Any]) -> None:
    ours, cli = both(kw)
    assert facts(ours) == facts(cli), (
        f"builtin: {ours if isinstance(ours, str) else ''} cli: {cli if isinstance(cli, str) else ''}"
    )


@pytest.mark.parametrize("kw", [kw for _, kw in CASES], ids=[name for name, _ in CASES])
def test_fixture_parity(kw: dict[str, Any]) -> None:
    assert_agree(kw)


@pytest.mark.parametrize("directory", CORPUS_DIRS, ids=[f"{p.parent.name}/{p.name}" for p in CORPUS_DIRS])
def test_corpus_parity(directory: Path) -> None:
    assert_agree({"project_dir": str(directory)})


@pytest.mark.parametrize(
    "text",
    [
        "services:\n  a:\n    image: x\n    networks: [nope]\n",
        "services:\n  a:\n    image: x\n    network_mode: host\n    networks: [n]\nnetworks:\n  n:\n",
        "services:\n  a:\n    image: x\n    ports: ['80/icmp']\n",
        "services:\n  a:\n    image: '${X:?X is required}'\n",
        "services:\n  a:\n    image: '${ X}'\n",
        "services:\n  a:\n    image: x\n    environment:\n      TRUE: x\n",
        "services:\n  a:\n    image: x\n    volumes: [':/media/']\n",
        "services:\n  a:\n    image: x\n    network_mode: service:missing\n",
    ],
)
def test_both_refuse(tmp_path: Path, text: str) -> None:
    (tmp_path / "compose.yaml").write_text(text)
    ours, cli = both({"project_dir": str(tmp_path)})
    assert isinstance(ours, str) and isinstance(cli, str)
    assert "compose.yaml" in ours and "\n" not in cli


def test_cli_model_keeps_builtin_positions() -> None:
    project = load_project(project_dir=str(FIXTURES / "interpolation"), environ=ENV, use_cli=True)
    assert project.source == "docker compose config"
    url = next(v for v in project.service("app").environment if v.name == "URL")  # type: ignore[union-attr]
    text = (FIXTURES / "interpolation" / "compose.yaml").read_text()
    assert url.value == "http://localhost:8123/mcp" and url.span is not None
    assert text[url.span[0] : url.span[1]] == url.raw
