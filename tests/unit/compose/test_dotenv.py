"""The .env syntax Compose accepts (research doc 1.3)."""

from __future__ import annotations

import pytest

from mcp_dockernet.compose.dotenv import parse_dotenv
from mcp_dockernet.errors import ConfigError


def test_syntax() -> None:
    text = (
        "\ufeff# comment\n\nexport A=1\nB: colon\nC=plain value   # comment\nD=no#comment\n"
        'E=\'lit ${A} \\n\'\nF="l1\\nl2 ${A}"\nG=${A}-x\nH="a # b"\nI =  spaced  \nA=2\n'
        'J="multi\nline"\nK=$OUTER\n'
    )
    assert parse_dotenv(text, ".env", {"OUTER": "o"}) == {
        "A": "2",
        "B": "colon",
        "C": "plain value",
        "D": "no#comment",
        "E": "lit ${A} \\n",
        "F": "l1\nl2 1",
        "G": "1-x",
        "H": "a # b",
        "I": "spaced",
        "J": "multi\nline",
        "K": "o",
    }


def test_environment_wins_inside_dotenv_interpolation() -> None:
    assert parse_dotenv("A=file\nB=${A}\n", ".env", {"A": "os"}) == {"A": "file", "B": "os"}


def test_bare_name_takes_the_environment() -> None:
    assert parse_dotenv("A\nB\n", ".env", {"A": "x"}) == {"A": "x"}


@pytest.mark.parametrize(("text", "line"), [("A=1\nB='open\n", 2), ("A=1\n=x\n", 2), ("A=${\n", 1)])
def test_errors_name_the_line(text: str, line: int) -> None:
    with pytest.raises(ConfigError) as e:
        parse_dotenv(text, "x.env")
    assert e.value.line == line
