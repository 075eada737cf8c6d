"""The interpolation grammar (research doc 1.4); cases modelled on compose-go's template tests."""

from __future__ import annotations

import pytest

from mcp_dockernet.compose.interpolate import TemplateError, substitute

ENV = {"SET": "value", "EMPTY": "", "FOO": "foo"}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("$SET", "value"),
        ("${SET}", "value"),
        ("$SET-bar", "value-bar"),
        ("${UNSET}", ""),
        ("$UNSET", ""),
        ("${UNSET:-def}", "def"),
        ("${EMPTY:-def}", "def"),
        ("${EMPTY-def}", ""),
        ("${UNSET-def}", "def"),
        ("${SET:-def}", "value"),
        ("${SET:+alt}", "alt"),
        ("${EMPTY:+alt}", ""),
        ("${EMPTY+alt}", "alt"),
        ("${UNSET+alt}", ""),
        ("${SET:?msg}", "value"),
        ("${EMPTY?msg}", ""),
        ("$$SET", "$SET"),
        ("$${SET}", "${SET}"),
        ("${UNSET:-${ALSO:-${SET}}}", "value"),
        ("${UNSET-$FOO}", "foo"),
        ("${SET+$FOO ${FOO:+second}}", "foo second"),
        ("${UNSET-a:-b}", "a:-b"),
        ('${UNSET:-{"json":1}}', '{"json":1}'),
        ("a $ string", "a $ string"),
        ("^REGEX$", "^REGEX$"),
        ("$}", "$}"),
        ("$", "$"),
        ("$1", "$1"),
        ("${set}", ""),  # names are case-sensitive in the environment
    ],
)
def test_substitute(template: str, expected: str) -> None:
    assert substitute(template, ENV.get) == expected


@pytest.mark.parametrize("template", ["${", "${}", "${ }", "${ foo}", "${foo }", "${foo!}", "${foo:-x", "${9}"])
def test_invalid_templates(template: str) -> None:
    with pytest.raises(TemplateError) as e:
        substitute(template, ENV.get)
    assert e.value.invalid


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("${UNSET:?must be set}", "required variable UNSET is missing a value: must be set"),
        ("${EMPTY:?}", "required variable EMPTY is missing a value"),
        ("${UNSET?x $SET}", "required variable UNSET is missing a value: x value"),
    ],
)
def test_required(template: str, message: str) -> None:
    with pytest.raises(TemplateError, match="^" + message.replace("$", r"\$") + "$") as e:
        substitute(template, ENV.get)
    assert not e.value.invalid


def test_unset_names_are_collected() -> None:
    unset: list[str] = []
    substitute("$A ${B} ${C:-x} $SET", ENV.get, unset)
    assert unset == ["A", "B"]
