"""YAML the way Compose reads it, with the position of every string kept.

compose-go decodes with go-yaml, which follows YAML 1.2 here: ``22:22`` and ``on`` stay strings,
only true/false (three spellings) are booleans, and there are no base-60 numbers. PyYAML is
YAML 1.1, so our loader swaps its implicit resolvers for YAML 1.2 core ones (research doc 1.5).
``!reset`` and ``!override`` are the Compose merge tags (compose-spec 13-merge.md). Aliases are
shared by PyYAML but expanded by every later walk, so an alias bomb is refused by size first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mcp_dockernet.errors import ConfigError
from mcp_dockernet.mcpconfig.mcp_config import read_text

MAX_EXPANDED_NODES = 500_000  # far above any real project; a "billion laughs" file is refused


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a scalar is written. start/end cover the whole scalar, quotes included."""

    file: str
    start: int
    end: int
    line: int  # 1-based
    style: str | None  # None (plain), "'", '"', "|" or ">"
    exact: bool  # the characters inside the quotes are the value itself (no escapes, folding, or blocks)

    @property
    def inner(self) -> tuple[int, int]:
        q = 1 if self.style in ("'", '"') else 0
        return self.start + q, self.end - q


class Located(str):
    """A string that remembers where it is written and, after interpolation, how it was written."""

    loc: Loc | None
    raw: str | None

    def __new__(cls, value: str, loc: Loc | None, raw: str | None = None) -> Located:
        s = super().__new__(cls, value)
        s.loc = loc
        s.raw = raw
        return s

    @property
    def written(self) -> str:
        return self.raw if self.raw is not None else str(self)


class _Reset:
    def __repr__(self) -> str:
        return "!reset"


RESET = _Reset()


@dataclass(frozen=True, slots=True)
class Override:
    value: Any


DROPPED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}
INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class ComposeLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core scalars, Located strings, duplicate-key errors and merge tags."""

    text: str = ""
    path: str = ""


ComposeLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ComposeLoader.add_implicit_resolver("tag:yaml.org,2002:bool", BOOL, list("tTfF"))
ComposeLoader.add_implicit_resolver("tag:yaml.org,2002:int", INT, list("-+0123456789"))
ComposeLoader.add_implicit_resolver("tag:yaml.org,2002:float", FLOAT, list("-+0123456789."))


def _int(loader: ComposeLoader, node: ScalarNode) -> int | float | str:
    text = node.value
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    try:
        if digits.startswith("0o"):
            return sign * int(digits[2:], 8)
        if digits.startswith("0x"):
            return sign * int(digits[2:], 16)
        if len(digits) > 1 and digits.startswith("0"):  # Go's ParseInt(base 0): a leading 0 is octal
            return sign * int(digits[1:], 8)
        return sign * int(digits)
    except ValueError:
        return float(text) if FLOAT.match(text) else text


def _float(loader: ComposeLoader, node: ScalarNode) -> float:
    text = node.value.lower()
    if text.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    if text == ".nan":
        return math.nan
    return float(text)


def _bool(loader: ComposeLoader, node: ScalarNode) -> bool:
    return bool(node.value.lower() == "true")


def _str(loader: ComposeLoader, node: ScalarNode) -> Located:
    value = loader.construct_scalar(node)
    start, end = node.start_mark.index, node.end_mark.index
    loc = Loc(loader.path, start, end, node.start_mark.line + 1, node.style, False)
    i, j = loc.inner
    exact = node.style in (None, "'", '"') and loader.text[i:j] == value
    return Located(value, Loc(loc.file, start, end, loc.line, loc.style, exact))


def _plain_copy(loader: Any, node: Any) -> Any:
    """The tagged node's value as if it had no tag (for !override)."""
    if isinstance(node, ScalarNode):
        tag = loader.resolve(ScalarNode, node.value, (node.style is None, False))
        return loader.construct_object(ScalarNode(tag, node.value, node.start_mark, node.end_mark, node.style), True)
    if isinstance(node, SequenceNode):
        seq = SequenceNode("tag:yaml.org,2002:seq", node.value, node.start_mark, node.end_mark, node.flow_style)
        return loader.construct_object(seq, True)
    mapping = MappingNode("tag:yaml.org,2002:map", node.value, node.start_mark, node.end_mark, node.flow_style)
    return loader.construct_object(mapping, True)


def _mapping(loader: Any, node: Any, deep: bool = False) -> dict[Any, Any]:
    if isinstance(node, MappingNode):
        seen: set[str] = set()
        for key, _ in node.value:
            if key.tag == "tag:yaml.org,2002:merge":
                continue
            if not isinstance(key, ScalarNode) or key.tag != "tag:yaml.org,2002:str":
                what = key.value if isinstance(key, ScalarNode) else "a collection"
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {what!r} is not a string (compose-go refuses it; quote it)", key.start_mark
                )
            if key.value in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key.value!r} is defined twice in one mapping", key.start_mark
                )
            seen.add(key.value)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=True)


ComposeLoader.add_constructor("tag:yaml.org,2002:int", _int)
ComposeLoader.add_constructor("tag:yaml.org,2002:float", _float)
ComposeLoader.add_constructor("tag:yaml.org,2002:bool", _bool)
ComposeLoader.add_constructor("tag:yaml.org,2002:str", _str)
ComposeLoader.add_constructor("!reset", lambda loader, node: RESET)
ComposeLoader.add_constructor("!override", lambda loader, node: Override(_plain_copy(loader, node)))
ComposeLoader.construct_mapping = _mapping  # type: ignore[assignment]


def _expanded_size(root: Node, path: str) -> int:
    """Nodes a full walk would visit (aliases expanded), computed without expanding; cycles refused."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise ConfigError(
                path, "an alias refers to a node that contains it (a recursive alias)", node.start_mark.line + 1
            )
        active.add(key)
        children: list[Node] = []
        if isinstance(node, SequenceNode):
            children = list(node.value)
        elif isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        total = 1
        for child in children:
            total += size(child)
            if total > MAX_EXPANDED_NODES:
                raise ConfigError(
                    path,
                    f"its aliases expand to more than {MAX_EXPANDED_NODES} nodes; refusing it as an alias bomb",
                    node.start_mark.line + 1,
                )
        active.discard(key)
        sizes[key] = total
        return total

    return size(root)


def read_compose_text(path: str) -> str:
    """The file's text with a BOM removed (spans are counted in this text, like config files')."""
    return read_text(path, "Compose file")[0]


def parse_documents(path: str, text: str) -> list[dict[str, Any]]:
    """Each YAML document of the file as plain data (dict/list/Located/int/float/bool/None, merge tags)."""
    docs: list[dict[str, Any]] = []
    try:
        loader = ComposeLoader(text)
        loader.text, loader.path = text, path
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            _expanded_size(node, path)
            value = loader.construct_document(node)
            if value is None:
                continue
            if not isinstance(value, dict):
                raise ConfigError(
                    path,
                    "the top level must be a mapping of Compose keys (services:, networks:, ...)",
                    node.start_mark.line + 1,
                )
            docs.append(value)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        reason = " ".join(x for x in (e.context, e.problem) if x) or "invalid YAML"
        raise ConfigError(path, f"invalid YAML: {reason}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as e:
        raise ConfigError(path, "invalid YAML: " + " ".join(str(e).split())) from None
    return docs


def load_documents(path: str) -> tuple[str, list[dict[str, Any]]]:
    text = read_compose_text(path)
    docs = parse_documents(path, text)
    if not docs:
        raise ConfigError(path, "the Compose file is empty", 1)
    return text, docs
