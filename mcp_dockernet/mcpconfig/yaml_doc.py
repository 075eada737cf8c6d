"""A YAML reader that keeps every value's position, built on PyYAML's event stream.

PyYAML's composer recurses (deep nesting overflows the stack) and expands aliases on
construction (a "billion laughs" file eats the memory), and its resolver is YAML 1.1 (``no``,
``on`` and ``1:30`` are not strings). So values are built here from events, iteratively: keys
are kept as written, plain scalars follow the YAML 1.2 core schema that Continue (npm ``yaml``)
and Goose (serde_yaml) use, nesting is capped, and aliases may reuse a node but not multiply it.
The document is never serialised again: edits splice the text at these spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events

from mcp_dockernet.mcpconfig.jsonc import MAX_DEPTH, DocumentSyntaxError, Parsed, Path

MAX_ALIAS_NODES = 10_000  # values reached through aliases; a config that needs more is a bomb
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")


class YamlSyntaxError(DocumentSyntaxError):
    def __init__(self, message: str, line: int | None, column: int | None = None):
        self.message, self.line, self.column = message, line, column
        super().__init__(f"{message} (line {line})")


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: Path
    start: int
    anchor: str | None
    spans: bool  # False inside a merge or an alias: those characters belong to another path
    key: str | None = None
    key_span: tuple[int, int] | None = None
    size: int = 1
    merges: list[Any] = field(default_factory=list)


def scalar(event: events.ScalarEvent) -> Any:
    """A scalar's value: quoted or explicitly tagged !!str is a string; plain follows YAML 1.2 core."""
    value: str = event.value
    if event.style is not None or event.tag in ("tag:yaml.org,2002:str", "!"):
        return value
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return value.lower() == "true"
    if _INT.fullmatch(value):
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if _FLOAT.fullmatch(value):
        return float(value.replace("inf", "Inf").replace("INF", "Inf").lower())
    return value


def _at(mark: Any) -> int:
    return int(mark.index) if mark is not None else 0


def _line(mark: Any) -> int | None:
    return mark.line + 1 if mark is not None else None


def parse(text: str) -> Parsed:
    builder = _Builder()
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            builder.feed(event)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = " ".join(x for x in (e.context, e.problem) if x) or "malformed YAML"
        raise YamlSyntaxError(what, _line(mark), mark.column + 1 if mark else None) from None
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1
        raise YamlSyntaxError(f"character {e.character!r} is not allowed in YAML", line) from None
    except yaml.YAMLError as e:  # no other kind is raised by the parser; keep the message
        raise YamlSyntaxError(str(e).splitlines()[0], None) from None
    if builder.documents == 0 or builder.root is None:
        raise YamlSyntaxError("the file holds no YAML document (only comments?)", 1)
    return Parsed(builder.root, builder.spans, builder.key_spans)


class _Builder:
    def __init__(self) -> None:
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.spans: dict[Path, tuple[int, int]] = {}
        self.key_spans: dict[Path, tuple[int, int]] = {}
        self.root: Any = None
        self.documents = 0
        self.aliased = 0

    def fail(self, message: str, mark: Any) -> YamlSyntaxError:
        return YamlSyntaxError(message, _line(mark), mark.column + 1 if mark else None)

    def feed(self, event: events.Event) -> None:
        if isinstance(event, events.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.fail("more than one YAML document in the file; a config holds one", event.start_mark)
        elif isinstance(event, events.ScalarEvent):
            frame = self.stack[-1] if self.stack else None
            if frame is not None and isinstance(frame.container, dict) and frame.key is None:
                if event.value in frame.container:  # npm yaml and serde_yaml refuse these too
                    raise self.fail(f"duplicate key {event.value!r}", event.start_mark)
                frame.key = event.value  # keys stay as written: "no", "on" and "1.10" are names
                frame.key_span = (_at(event.start_mark), _at(event.end_mark))
                return
            value = scalar(event)
            self.add(value, 1, event, (_at(event.start_mark), _at(event.end_mark)))
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
        elif isinstance(event, events.MappingStartEvent | events.SequenceStartEvent):
            self.open(event)
        elif isinstance(event, events.MappingEndEvent | events.SequenceEndEvent):
            self.close(event)
        elif isinstance(event, events.AliasEvent):
            if event.anchor not in self.anchors:
                raise self.fail(f"alias *{event.anchor} refers to no anchor", event.start_mark)
            value, size = self.anchors[event.anchor]
            self.aliased += size
            if self.aliased > MAX_ALIAS_NODES:
                raise self.fail(
                    f"aliases expand to more than {MAX_ALIAS_NODES} values (a YAML alias bomb?); refused",
                    event.start_mark,
                )
            self.add(value, size, event, None)

    def child_path(self) -> tuple[Path, bool]:
        if not self.stack:
            return (), True
        frame = self.stack[-1]
        key: str | int = frame.key if isinstance(frame.container, dict) else len(frame.container)  # type: ignore[assignment]
        return (*frame.path, key), frame.spans and key != "<<"

    def open(self, event: events.CollectionStartEvent) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.key is None:
            raise self.fail("a mapping key must be a plain value, not a collection", event.start_mark)
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        path, spans = self.child_path()
        container: dict[str, Any] | list[Any] = {} if isinstance(event, events.MappingStartEvent) else []
        self.stack.append(_Frame(container, path, _at(event.start_mark), event.anchor, spans))

    def close(self, event: events.CollectionEndEvent) -> None:
        frame = self.stack.pop()
        if isinstance(frame.container, dict):
            for merged in frame.merges:  # YAML 1.1 merge keys (<<): earlier keys win, as PyYAML does
                for source in merged if isinstance(merged, list) else [merged]:
                    if isinstance(source, dict):
                        for k, v in source.items():
                            frame.container.setdefault(k, v)
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.container, frame.size)
        if not self.stack:
            self.root = frame.container
            if frame.spans:
                self.spans[frame.path] = (frame.start, _at(event.end_mark))
            return
        self.add(frame.container, frame.size, event, (frame.start, _at(event.end_mark)), own=frame.spans)

    def add(self, value: Any, size: int, event: events.Event, span: tuple[int, int] | None, own: bool = True) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame.size += size
        path, spans = self.child_path()
        if isinstance(frame.container, list):
            frame.container.append(value)
        else:
            key = frame.key
            if key is None:
                raise self.fail("a mapping key must be a plain value", event.start_mark)
            if key == "<<":
                frame.merges.append(value)
            else:
                frame.container[key] = value
                if spans and frame.key_span is not None:
                    self.key_spans[path] = frame.key_span
            frame.key = frame.key_span = None
        if span is not None and spans and own:
            self.spans[path] = span
