"""YAML as Compose reads it: 1.2 scalars, merge tags, positions, and refusals."""

from __future__ import annotations

import pytest

from mcp_dockernet.compose.yaml_nodes import RESET, Located, Override, parse_documents
from mcp_dockernet.errors import ConfigError


def one(text: str) -> dict[str, object]:
    docs = parse_documents("f.yaml", text)
    assert len(docs) == 1
    return docs[0]


@pytest.mark.parametrize(
    ("scalar", "expected"),
    [
        ("22:22", "22:22"),
        ("1:30", "1:30"),
        ("on", "on"),
        ("yes", "yes"),
        ("off", "off"),
        ("true", True),
        ("FALSE", False),
        ("017", 15),
        ("0x1F", 31),
        ("0o17", 15),
        ("8080", 8080),
        ("-5", -5),
        ("1.10", 1.1),
        ("2001-12-14", "2001-12-14"),
        ("~", None),
        ("null", None),
        ('"8080"', "8080"),
    ],
)
def test_yaml12_scalars(scalar: str, expected: object) -> None:
    value = one(f"v: {scalar}\n")["v"]
    assert value == expected and type(value) is type(expected) or isinstance(value, str) and isinstance(expected, str)


def test_strings_know_where_they_are_written() -> None:
    text = "a: plain\nb: \"dq\"\nc: 'it''s'\nd: \"tab\\t\"\ne: |\n  block\n"
    doc = one(text)
    for key, exact in (("a", True), ("b", True), ("c", False), ("d", False), ("e", False)):
        value = doc[key]
        assert isinstance(value, Located) and value.loc is not None
        assert value.loc.exact is exact
    loc = doc["b"].loc  # type: ignore[attr-defined]
    assert text[loc.start : loc.end] == '"dq"' and loc.line == 2


def test_merge_tags_and_keys() -> None:
    doc = one("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n  r: !reset []\n  o: !override [1, on]\n")
    assert doc["use"] == {"x": 1, "y": 3, "r": RESET, "o": Override([1, "on"])}


def test_multi_documents() -> None:
    assert len(parse_documents("f", "a: 1\n---\nb: 2\n")) == 2


@pytest.mark.parametrize(
    ("text", "reason", "line"),
    [
        ("a: 1\nb: 2\na: 3\n", "defined twice", 3),
        ("env:\n  TRUE: x\n", "not a string", 2),
        ("env:\n  8080: x\n", "not a string", 2),
        ("a: [1, {\n", "invalid YAML", 2),
        ("- a\n- b\n", "top level must be a mapping", 1),
        ("a: !custom x\n", "invalid YAML", 1),
        ("a: &a [*a]\n", "recursive alias", 1),
    ],
)
def test_refusals(text: str, reason: str, line: int) -> None:
    with pytest.raises(ConfigError) as e:
        parse_documents("f.yaml", text)
    assert reason in e.value.reason and e.value.line == line and e.value.path == "f.yaml"
    assert "\n" not in str(e.value)


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(ConfigError, match="alias bomb"):
        parse_documents("bomb.yaml", "\n".join(lines) + "\n")
