"""Finding the files, and the one-line errors that name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcp_dockernet.compose.interpolate import TemplateError, substitute
from mcp_dockernet.compose.load import load_project
from mcp_dockernet.compose.yaml_nodes import parse_documents
from mcp_dockernet.errors import ConfigError

ENV = {"HOME": "/home/tester"}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_discovery_walks_up_and_adds_the_override(tmp_path: Path) -> None:
    write(tmp_path / "docker-compose.yml", "services:\n  a:\n    image: old\n")
    write(tmp_path / "compose.yaml", "services:\n  a:\n    image: new\n")
    write(tmp_path / "docker-compose.override.yml", "services:\n  a:\n    hostname: h\n")
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    project = load_project(project_dir=str(tmp_path / "sub" / "deeper"), environ=ENV, use_cli=False)
    assert project.files == (str(tmp_path / "compose.yaml"), str(tmp_path / "docker-compose.override.yml"))
    assert project.service("a").hostname == "h"  # type: ignore[union-attr]
    assert project.working_dir == str(tmp_path / "sub" / "deeper")  # --project-directory as given


def test_compose_file_variable(tmp_path: Path) -> None:
    write(tmp_path / "one.yml", "services:\n  a:\n    image: x\n")
    write(tmp_path / "two.yml", "services:\n  b:\n    image: y\n")
    project = load_project(project_dir=str(tmp_path), environ={**ENV, "COMPOSE_FILE": "one.yml:two.yml"}, use_cli=False)
    assert [s.name for s in project.services] == ["a", "b"]


def test_no_compose_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no Compose file"):
        load_project(project_dir=str(tmp_path), environ=ENV, use_cli=False)


@pytest.mark.parametrize(
    ("text", "reason", "line"),
    [
        ("services:\n  a:\n    image: x\n    networks: [nope]\n", "undefined network nope", 2),
        (
            "services:\n  a:\n    image: x\n    network_mode: host\n    networks: [n]\nnetworks:\n  n:\n",
            "mutually exclusive",
            2,
        ),
        ("services:\n  a:\n    image: x\n    network_mode: service:zz\n", "no such service", 2),
        ("services:\n  a:\n    image: x\n    ports: ['80/icmp']\n", "invalid protocol", 2),
        ("services:\n  a:\n    image: x\n\n    environment:\n      U: '${ X}'\n", "invalid interpolation", 6),
        ("services:\n  a:\n    image: '${NEED:?set NEED}'\n", "required variable NEED is missing a value: set NEED", 3),
        ("services:\n  a:\n    extends: a\n", "extends itself", 2),
        ("services:\n  a:\n    extends: b\n", "which is not defined", 2),
        ("", "empty", 1),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, text: str, reason: str, line: int) -> None:
    path = write(tmp_path / "compose.yaml", text)
    with pytest.raises(ConfigError) as e:
        load_project(project_dir=str(tmp_path), environ=ENV, use_cli=False)
    assert e.value.path == str(path) and reason in e.value.reason and e.value.line == line
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("name", ["Upper", "with space", "-lead", ""])
def test_invalid_explicit_project_names(tmp_path: Path, name: str) -> None:
    write(tmp_path / "compose.yaml", "services:\n  a:\n    image: x\n")
    with pytest.raises(ConfigError, match="project name"):
        load_project(project_dir=str(tmp_path), project_name=name, environ=ENV, use_cli=False)


def test_include_cycle(tmp_path: Path) -> None:
    write(tmp_path / "compose.yaml", "include: [other.yaml]\nservices:\n  a:\n    image: x\n")
    write(tmp_path / "other.yaml", "include: [compose.yaml]\nservices:\n  b:\n    image: x\n")
    with pytest.raises(ConfigError, match="includes itself"):
        load_project(project_dir=str(tmp_path), environ=ENV, use_cli=False)


def test_include_conflict(tmp_path: Path) -> None:
    write(tmp_path / "compose.yaml", "include: [other.yaml]\nservices:\n  a:\n    image: x\n")
    write(tmp_path / "other.yaml", "services:\n  a:\n    image: y\n")
    with pytest.raises(ConfigError, match="services.a is defined here and in the included"):
        load_project(project_dir=str(tmp_path), environ=ENV, use_cli=False)


@given(st.text(alphabet="${}:-+?_aZ9 $", max_size=30))
def test_substitute_only_raises_template_errors(template: str) -> None:
    try:
        substitute(template, {"a": "1", "Z": ""}.get)
    except TemplateError:
        pass


@given(st.text(max_size=60))
def test_yaml_only_raises_config_errors(text: str) -> None:
    try:
        parse_documents("f.yaml", text)
    except ConfigError as e:
        assert "\n" not in str(e)
