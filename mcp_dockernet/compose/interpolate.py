"""Compose interpolation, with compose-go's exact grammar (research doc 1.4).

``$VAR`` ``${VAR}`` ``${VAR:-d}`` ``${VAR-d}`` ``${VAR:?e}`` ``${VAR?e}`` ``${VAR:+a}`` ``${VAR+a}``
and ``$$``. The operator that comes first after the name applies; defaults are interpolated in
turn, only when used, with braces matched by depth. A ``$`` followed by anything else stays.
Only values are interpolated, never keys; each file is interpolated before it is merged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from mcp_dockernet.compose.yaml_nodes import RESET, Located, Override
from mcp_dockernet.errors import ConfigError

log = logging.getLogger(__name__)
Lookup = Callable[[str], str | None]
FIRST = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
NAME = FIRST | set("0123456789")
_warned: set[tuple[str, str]] = set()  # warn once per file and variable, however often the file is read


class TemplateError(Exception):
    """A template that is no valid interpolation (``${``, ``${ x}``, ``${x!}``) or a required variable."""

    def __init__(self, message: str, invalid: bool = True):
        super().__init__(message)
        self.invalid = invalid


def _closing(text: str, i: int) -> int:
    """The index of the ``}`` that closes the braced expression whose body starts at i."""
    depth = 1
    while i < len(text):
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise TemplateError("Invalid template")


def substitute(text: str, lookup: Lookup, unset: list[str] | None = None) -> str:
    """``text`` with every expression replaced; names unset in ``lookup`` are added to ``unset``."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c != "$" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
        elif nxt in FIRST:
            j = i + 1
            while j < n and text[j] in NAME:
                j += 1
            out.append(_value(text[i + 1 : j], lookup, unset))
            i = j
        elif nxt == "{":
            end, replacement = _braced(text, i + 2, lookup, unset)
            out.append(replacement)
            i = end + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _value(name: str, lookup: Lookup, unset: list[str] | None) -> str:
    value = lookup(name)
    if value is None:
        if unset is not None:
            unset.append(name)
        return ""
    return value


def _braced(text: str, start: int, lookup: Lookup, unset: list[str] | None) -> tuple[int, str]:
    j = start
    if j >= len(text) or text[j] not in FIRST:
        raise TemplateError("Invalid template")
    while j < len(text) and text[j] in NAME:
        j += 1
    name = text[start:j]
    if j >= len(text):
        raise TemplateError("Invalid template")
    if text[j] == "}":
        return j, _value(name, lookup, unset)
    colon = text[j] == ":"
    op_at = j + 1 if colon else j
    if op_at >= len(text) or text[op_at] not in "-+?":
        raise TemplateError("Invalid template")
    op = text[op_at]
    end = _closing(text, op_at + 1)
    arg = text[op_at + 1 : end]
    value = lookup(name)
    empty = value is None or (colon and value == "")
    if op == "-":
        return end, substitute(arg, lookup, unset) if empty else (value or "")
    if op == "+":
        return end, "" if empty else substitute(arg, lookup, unset)
    if empty:  # "?": required
        message = substitute(arg, lookup, unset)
        raise TemplateError(f"required variable {name} is missing a value" + (f": {message}" if message else ""), False)
    return end, value or ""


def interpolate_tree(tree: Any, environ: Mapping[str, str], path: str) -> Any:
    """A copy of one file's data with every string value interpolated (keys untouched)."""
    unset: list[str] = []

    def walk(node: Any, where: str) -> Any:
        if isinstance(node, dict):
            return {k: walk(v, f"{where}.{k}" if where else str(k)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, f"{where}[{i}]") for i, v in enumerate(node)]
        if isinstance(node, Override):
            return Override(walk(node.value, where))
        if node is RESET or not isinstance(node, str):
            return node
        if "$" not in node:
            return node
        loc = node.loc if isinstance(node, Located) else None
        try:
            value = substitute(node, environ.get, unset)
        except TemplateError as e:
            line = loc.line if loc else None
            if e.invalid:
                reason = f"invalid interpolation format for {where}: {str(node)!r}; escape a literal $ as $$"
            else:
                reason = f"{e} (in {where})"
            raise ConfigError(path, reason, line) from None
        return Located(value, loc, node.written if isinstance(node, Located) else str(node))

    result = walk(tree, "")
    for name in dict.fromkeys(unset):
        if (path, name) in _warned:
            continue
        _warned.add((path, name))
        log.warning('%s: the "%s" variable is not set; defaulting to a blank string', path, name)
    return result
