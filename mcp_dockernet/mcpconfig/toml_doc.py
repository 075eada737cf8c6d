"""A TOML reader that keeps every value's position (Codex CLI's config.toml).

Values come from the standard library's tomllib, which also decides what is valid TOML and
words the errors. tomllib gives no positions, so a small scanner walks the same text for the
span of every value (tables, arrays of tables, dotted keys, inline tables, all four string
kinds). The scanner only runs on text tomllib accepted, and a span whose text does not decode
to tomllib's value is dropped, so a scanner mistake can cost an edit but never misplace one.
tomlkit would also preserve the file, but it offers no character offsets to splice at, and a
dependency is not worth what ~150 lines do here.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from mcp_dockernet.mcpconfig.jsonc import MAX_DEPTH, DocumentSyntaxError, Parsed, Path

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2})|(.))", re.S)
_SIMPLE = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b"}
_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")


class TomlSyntaxError(DocumentSyntaxError):
    def __init__(self, message: str, line: int | None, column: int | None = None):
        self.message, self.line, self.column = message, line, column
        super().__init__(message)


def parse(text: str) -> Parsed:
    scan = _Scanner(text)
    try:
        scan.document()
    except _TooDeep as e:
        line = text.count("\n", 0, e.pos) + 1
        raise TomlSyntaxError(f"nested more than {MAX_DEPTH} levels deep", line) from None
    except (IndexError, ValueError):  # text tomllib will refuse, with a better message, just below
        scan.spans.clear()
    try:
        value = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        where = _WHERE.search(str(e))
        message = _WHERE.sub("", str(e)).strip()
        if where is None:
            raise TomlSyntaxError(message, None) from None
        raise TomlSyntaxError(message, int(where.group(1)), int(where.group(2))) from None
    except RecursionError:
        raise TomlSyntaxError("nested too deeply", None) from None
    spans = {p: s for p, s in scan.spans.items() if _agrees(text[s[0] : s[1]], _at(value, p))}
    keys = {p: s for p, s in scan.key_spans.items() if p in spans}
    return Parsed(value, spans, keys)


def decode_basic(inner: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2) or m.group(3)
        return chr(int(code, 16)) if code else _SIMPLE[m.group(4)]

    return _ESCAPE.sub(one, inner)


_MISSING = object()


def _at(value: Any, path: Path) -> Any:
    try:
        for key in path:
            value = value[key]
    except (KeyError, IndexError, TypeError):
        return _MISSING
    return value


def _agrees(token: str, value: Any) -> bool:
    if value is _MISSING:
        return False
    if not isinstance(value, str):
        return not token.startswith(('"', "'"))
    if token.startswith(('"""', "'''")):
        return True  # a multi-line string: its edit replaces the whole token
    if token.startswith("'"):
        return token[1:-1] == value
    try:
        return token.startswith('"') and decode_basic(token[1:-1]) == value
    except KeyError:
        return False


class _TooDeep(Exception):
    def __init__(self, pos: int):
        self.pos = pos


class _Scanner:
    def __init__(self, text: str):
        self.t = text
        self.i = 0
        self.spans: dict[Path, tuple[int, int]] = {}
        self.key_spans: dict[Path, tuple[int, int]] = {}
        self.aot: dict[Path, int] = {}  # array-of-tables path -> index of its current element
        self.last_key = (0, 0)

    def peek(self, n: int = 1) -> str:
        return self.t[self.i : self.i + n]

    def blank(self, newlines: bool) -> None:
        while self.i < len(self.t):
            c = self.t[self.i]
            if c in " \t" or (newlines and c in "\r\n"):
                self.i += 1
            elif c == "#":
                while self.i < len(self.t) and self.t[self.i] != "\n":
                    self.i += 1
            else:
                return

    def document(self) -> None:
        table: Path = ()
        while True:
            self.blank(newlines=True)
            if self.i >= len(self.t):
                return
            start = self.i
            if self.peek(2) == "[[":
                self.i += 2
                table = self.resolve(self.key(), array=True)
                self.expect("]]")
            elif self.peek() == "[":
                self.i += 1
                table = self.resolve(self.key(), array=False)
                self.expect("]")
            else:
                self.keyval(table, 0)
                continue
            self.spans[table] = (start, self.i)  # a table's position is its header
            self.key_spans[table] = self.last_key

    def expect(self, s: str) -> None:
        self.blank(newlines=False)
        if self.peek(len(s)) != s:
            raise ValueError(f"expected {s!r} at {self.i}")
        self.i += len(s)

    def resolve(self, keys: list[str], array: bool) -> Path:
        path: Path = ()
        for n, key in enumerate(keys):
            path = (*path, key)
            if array and n == len(keys) - 1:
                self.aot[path] = self.aot.get(path, -1) + 1
            if path in self.aot:
                path = (*path, self.aot[path])
        return path

    def key(self) -> list[str]:
        keys = []
        while True:
            self.blank(newlines=False)
            start = self.i
            c = self.peek()
            if c == '"':
                end = self.basic_end(self.i)
                keys.append(decode_basic(self.t[self.i + 1 : end - 1]))
            elif c == "'":
                end = self.t.index("'", self.i + 1) + 1
                keys.append(self.t[self.i + 1 : end - 1])
            else:
                m = _BARE.match(self.t, self.i)
                if not m:
                    raise ValueError(f"no key at {self.i}")
                end = m.end()
                keys.append(m.group())
            self.i = end
            self.last_key = (start, end)
            self.blank(newlines=False)
            if self.peek() != ".":
                return keys
            self.i += 1

    def keyval(self, base: Path, depth: int) -> None:
        path = (*base, *self.key())
        self.key_spans[path] = self.last_key
        self.expect("=")
        self.blank(newlines=False)
        self.value(path, depth)

    def basic_end(self, i: int) -> int:
        i += 1
        while self.t[i] != '"':
            i += 2 if self.t[i] == "\\" else 1
        return i + 1

    def multi_end(self, quote: str) -> int:
        i = self.i + 3
        while True:
            if quote == '"' and self.t[i] == "\\":
                i += 2
            elif self.t.startswith(quote * 3, i):
                i += 3
                extra = 0
                while extra < 2 and self.t.startswith(quote, i):  # up to two quotes may end the content
                    i, extra = i + 1, extra + 1
                return i
            else:
                i += 1

    def value(self, path: Path, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise _TooDeep(self.i)
        start = self.i
        c = self.peek()
        if self.peek(3) in ('"""', "'''"):
            self.i = self.multi_end(c)
        elif c == '"':
            self.i = self.basic_end(self.i)
        elif c == "'":
            self.i = self.t.index("'", self.i + 1) + 1
        elif c == "[":
            self.array(path, depth)
        elif c == "{":
            self.inline(path, depth)
        else:
            while self.i < len(self.t) and self.t[self.i] not in ",]}#\r\n":
                self.i += 1
            while self.i > start and self.t[self.i - 1] in " \t":
                self.i -= 1
            if self.i == start:
                raise ValueError(f"no value at {start}")
        self.spans[path] = (start, self.i)

    def array(self, path: Path, depth: int) -> None:
        self.i += 1
        index = 0
        while True:
            self.blank(newlines=True)
            if self.peek() == "]":
                self.i += 1
                return
            self.value((*path, index), depth + 1)
            index += 1
            self.blank(newlines=True)
            if self.peek() == ",":
                self.i += 1
            elif self.peek() != "]":
                raise ValueError(f"bad array at {self.i}")

    def inline(self, path: Path, depth: int) -> None:
        self.i += 1
        while True:
            self.blank(newlines=True)
            if self.peek() == "}":
                self.i += 1
                return
            self.keyval(path, depth + 1)
            self.blank(newlines=True)
            if self.peek() == ",":
                self.i += 1
            elif self.peek() != "}":
                raise ValueError(f"bad inline table at {self.i}")
