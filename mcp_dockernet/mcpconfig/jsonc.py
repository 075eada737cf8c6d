"""A JSON / JSONC reader that remembers where every value sits in the text.

The standard library's json module gives values but no positions; rewriting one URL without
re-serialising the file needs the exact span of that string. This reader returns the parsed
value plus ``spans``: for each path (a tuple of keys and indexes) the character range of its
value, so an edit can replace those characters and leave every other byte alone.

Strict JSON is the default; ``jsonc=True`` also accepts // and /* */ comments and trailing
commas (VS Code, Zed and Gemini CLI read their settings that way).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]
MAX_DEPTH = 256  # a config nested deeper than this is not a config; refuse before Python's stack does

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
_WHITESPACE = " \t\n\r"


class DocumentSyntaxError(ValueError):
    """What every reader (jsonc, yaml_doc, toml_doc) raises for a malformed document: the message and
    where, so the dispatcher can name the line without importing each reader's parser library."""

    message: str
    line: int | None
    column: int | None


class JsonSyntaxError(DocumentSyntaxError):
    def __init__(self, message: str, text: str, pos: int):
        self.message = message
        self.line = text.count("\n", 0, pos) + 1
        self.column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        super().__init__(f"{message} (line {self.line}, column {self.column})")


@dataclass(frozen=True, slots=True)
class Parsed:
    value: Any
    spans: dict[Path, tuple[int, int]]
    key_spans: dict[Path, tuple[int, int]]


def parse(text: str, *, jsonc: bool = False) -> Parsed:
    parser = _Parser(text, jsonc)
    parser.skip()
    if parser.pos >= len(text):
        raise JsonSyntaxError("the file is empty", text, 0)
    value = parser.value((), 0)
    parser.skip()
    if parser.pos != len(text):
        raise JsonSyntaxError("unexpected text after the end of the document", text, parser.pos)
    return Parsed(value, parser.spans, parser.key_spans)


def value_at(value: Any, path: Path) -> Any:
    """The value at ``path`` in a parsed document; None when the path is not there."""
    try:
        for key in path:
            value = value[key]
    except (KeyError, IndexError, TypeError):
        return None
    return value


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


class _Parser:
    def __init__(self, text: str, jsonc: bool):
        self.text = text
        self.jsonc = jsonc
        self.pos = 0
        self.spans: dict[Path, tuple[int, int]] = {}
        self.key_spans: dict[Path, tuple[int, int]] = {}

    def fail(self, message: str, pos: int | None = None) -> JsonSyntaxError:
        return JsonSyntaxError(message, self.text, self.pos if pos is None else pos)

    def skip(self) -> None:
        text, n = self.text, len(self.text)
        while self.pos < n:
            ch = text[self.pos]
            if ch in _WHITESPACE:
                self.pos += 1
            elif ch == "/" and self.jsonc and text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                self.pos = n if end < 0 else end
            elif ch == "/" and self.jsonc and text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end < 0:
                    raise self.fail("unterminated /* comment")
                self.pos = end + 2
            elif ch == "/":
                raise self.fail("comments are not allowed in strict JSON")
            else:
                return

    def value(self, path: Path, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail(f"nested more than {MAX_DEPTH} levels deep")
        start = self.pos
        ch = self.text[start] if start < len(self.text) else ""
        if ch == "{":
            result: Any = self.obj(path, depth)
        elif ch == "[":
            result = self.array(path, depth)
        elif ch == '"':
            result = self.string()
        else:
            result = self.scalar()
        self.spans[path] = (start, self.pos)
        return result

    def string(self) -> str:
        match = _STRING.match(self.text, self.pos)
        if not match:
            raise self.fail("invalid or unterminated string")
        self.pos = match.end()
        decoded: str = json.loads(match.group())
        return decoded

    def scalar(self) -> Any:
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return value
        match = _NUMBER.match(self.text, self.pos)
        if not match or match.end() == self.pos:
            if self.pos >= len(self.text):
                raise self.fail("unexpected end of file")
            raise self.fail(f"unexpected character {self.text[self.pos]!r}")
        self.pos = match.end()
        return json.loads(match.group())

    def obj(self, path: Path, depth: int) -> dict[str, Any]:
        self.pos += 1
        result: dict[str, Any] = {}
        self.skip()
        if self.peek() == "}":
            self.pos += 1
            return result
        while True:
            self.skip()
            if self.peek() == "}" and self.jsonc and result:
                self.pos += 1  # trailing comma
                return result
            if self.peek() != '"':
                raise self.fail("expected a quoted key")
            key_start = self.pos
            key = self.string()
            if key in result and isinstance(result[key], dict | list):  # JSON.parse keeps the last value:
                self.forget((*path, key))  # forget where the parts of the first one were
            self.key_spans[(*path, key)] = (key_start, self.pos)
            self.skip()
            self.expect(":")
            self.skip()
            result[key] = self.value((*path, key), depth + 1)
            self.skip()
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("}")
            return result

    def array(self, path: Path, depth: int) -> list[Any]:
        self.pos += 1
        result: list[Any] = []
        self.skip()
        if self.peek() == "]":
            self.pos += 1
            return result
        while True:
            self.skip()
            if self.peek() == "]" and self.jsonc and result:
                self.pos += 1
                return result
            result.append(self.value((*path, len(result)), depth + 1))
            self.skip()
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("]")
            return result

    def forget(self, prefix: Path) -> None:
        for spans in (self.spans, self.key_spans):
            for stale in [p for p in spans if p[: len(prefix)] == prefix]:
                del spans[stale]

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, ch: str) -> None:
        if self.peek() != ch:
            found = repr(self.peek()) if self.peek() else "the end of the file"
            raise self.fail(f"expected {ch!r} but found {found}")
        self.pos += 1
