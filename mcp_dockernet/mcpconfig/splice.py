"""The layout of a list in a config file, for splices that keep it: one token replaced in place, words
inserted in the list's own style, words removed with one separator (mcpconfig/args_edit.py uses them;
bridges.append_args too). Nothing is re-serialised; every function works on the text and token spans.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

Splice = tuple[int, int, str]  # replace text[start:end] with the string
Spans = Sequence[tuple[int, int] | None]
_CLEAN_GAP = re.compile(r"\s*,\s*")  # a separator with nothing in it but one comma: no comment lost
_INLINE_GAP = re.compile(r"[ \t]*,[ \t]*")
_BLOCK_LEAD = re.compile(r"[ \t]*-[ \t]+")  # a YAML block sequence item: "  - word"
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off"})  # booleans to YAML 1.1 readers: quote them


# --- one token: replaced in place ---


def replace_token(text: str, fmt: str, span: tuple[int, int], old: str, new: str) -> Splice | None:
    """Change only the characters that differ, so escapes and placeholders elsewhere in it survive.

    ``old`` and ``new`` are the values as the file writes them (placeholders included). A value
    written with escapes is replaced as one token, in a form every format reads (a JSON string
    is also a YAML double-quoted scalar and a TOML basic string). None: a form we do not edit
    (a YAML plain scalar folded over lines, a block scalar, a tagged or anchored value).
    """
    start, end = span
    whole = text[start:end]
    quote = whole[:1] if whole[:1] in ('"', "'") else ""
    multiline = whole[:3] in ('"""', "'''")
    inner_start, inner_end = (start + 1, end - 1) if quote else (start, end)
    if multiline or text[inner_start:inner_end] != old:
        return (start, end, json.dumps(new)) if quote else None
    if not quote and fmt == "yaml" and not plain_ok(new):  # the new value would read as something else
        return (start, end, json.dumps(new))
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    middle = _encode_part(new[prefix : len(new) - suffix], quote, fmt)
    if middle is None:  # the new characters need a quoting the token does not have: rewrite it whole
        return (start, end, json.dumps(new))
    return (inner_start + prefix, inner_end - suffix, middle)


def _encode_part(part: str, quote: str, fmt: str) -> str | None:
    """Characters to splice inside a token with this quoting; None when the token cannot hold them."""
    if quote == '"':
        return json.dumps(part)[1:-1]
    if any(c in part for c in "\n\r\t'") or (quote == "" and (": " in part or " #" in part)):
        return None
    if quote == "'":  # a YAML or TOML single-quoted string: no escapes, and part has no quote
        return part
    return part if fmt in ("yaml", "") else None


def plain_ok(word: str) -> bool:
    """Whether a YAML plain scalar ``word`` reads back as this string, in a block and in a flow sequence."""
    if not word or word != word.strip() or not word.isprintable() or word.lower() in _YAML11_WORDS:
        return False
    from mcp_dockernet.mcpconfig import yaml_doc  # PyYAML: loaded only when a YAML word is written

    try:
        return all(yaml_doc.parse(doc).value == [word] for doc in (f"- {word}\n", f"[{word}]\n"))
    except yaml_doc.YamlSyntaxError:
        return False


def encode(word: str, style: str, fmt: str) -> str:
    """``word`` as a token quoted like its neighbour (``style``: '"', "'" or "" for a YAML plain scalar)."""
    if style == "'" and word.isprintable():
        if fmt == "toml" and "'" not in word:  # a TOML literal string has no escapes at all
            return f"'{word}'"
        if fmt == "yaml":
            return "'" + word.replace("'", "''") + "'"
    if style == "" and fmt == "yaml" and plain_ok(word):
        return word
    return json.dumps(word)


def _style(text: str, fmt: str, span: tuple[int, int]) -> str:
    first = text[span[0] : span[0] + 1]
    if fmt in ("json", "jsonc"):
        return '"'
    if first in ('"', "'"):
        return first
    return "" if fmt == "yaml" else '"'


# --- words added and removed: the list's own layout ---


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _eol(text: str, pos: int) -> str:
    """The line break this part of the file uses (the one after pos, else the one before)."""
    nl = text.find("\n", pos)
    nl = nl if nl >= 0 else text.rfind("\n", 0, pos)
    return "\r\n" if nl > 0 and text[nl - 1] == "\r" else "\n"


def _block(text: str, fmt: str, span: tuple[int, int]) -> bool:
    return fmt == "yaml" and bool(_BLOCK_LEAD.fullmatch(text[_line_start(text, span[0]) : span[0]]))


def insertion(text: str, fmt: str, spans: Spans, index: int, words: Sequence[str]) -> Splice | None:
    """An insert of ``words`` before element ``index`` of a list whose element tokens are at ``spans``
    (index == len(spans): after the last one), in the list's layout: one more ``- word`` line each in a
    YAML block sequence, one element a line when the list is written so, else on the same line with the
    separator its elements use; quoted as the neighbouring element is. None: no element to go by."""
    n = len(spans)
    ref = spans[index] if 0 <= index < n else spans[-1] if index == n and n else None
    if ref is None or not words:
        return None
    start, end = ref
    tokens = [encode(w, _style(text, fmt, ref), fmt) for w in words]
    line_start = _line_start(text, start)
    lead, eol = text[line_start:start], _eol(text, start)
    if _block(text, fmt, ref):
        if index < n:
            return (line_start, line_start, "".join(f"{lead}{t}{eol}" for t in tokens))
        nl = text.find("\n", end)
        at = len(text) if nl < 0 else nl - (text[nl - 1] == "\r")
        return (at, at, "".join(f"{eol}{lead}{t}" for t in tokens))
    if lead.strip() == "":  # one element a line: one more line each, indented like it
        if index < n:
            return (start, start, "".join(f"{t},{eol}{lead}" for t in tokens))
        if (line := _own_line(text, fmt, ref)) is not None:  # a trailing comma: new lines after its line
            at = line[1] - len(eol)
            return (at, at, "".join(f"{eol}{lead}{t}," for t in tokens))
        return (end, end, "".join(f",{eol}{lead}{t}" for t in tokens))
    sep = _separator(text, spans, index)
    if index < n:
        return (start, start, "".join(f"{t}{sep}" for t in tokens))
    return (end, end, "".join(f"{sep}{t}" for t in tokens))


def _separator(text: str, spans: Spans, index: int) -> str:
    """The comma and spaces between the elements around ``index`` (", " when they show none on one line)."""
    for a, b in ((index - 1, index), (index, index + 1), (index - 2, index - 1)):
        if 0 <= a and b < len(spans) and (x := spans[a]) is not None and (y := spans[b]) is not None:
            gap = text[x[1] : y[0]]
            if _INLINE_GAP.fullmatch(gap):
                return gap
    return ", "


def removals(text: str, fmt: str, spans: Spans, indexes: list[int]) -> list[tuple[Splice, list[int]]] | str:
    """Splices that take out these elements, each run of neighbours with one separator."""
    n = len(spans)
    if indexes and len(indexes) >= n:
        return "removing its arguments would leave none"
    runs: list[list[int]] = []
    for i in indexes:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    out: list[tuple[Splice, list[int]]] = []
    at = [s for s in spans if s is not None]  # all present: _refusal checked
    for run in runs:
        a, b = run[0], run[-1]
        if _block(text, fmt, at[a]):
            for i in run:
                line = _block_line(text, at[i])
                if line is None:
                    return f"argument {i + 1} is written in a form mcp-dockernet does not edit"
                out.append((line, [i]))
            continue
        lines = [_own_line(text, fmt, at[i]) for i in run]
        if all(lines):  # one element a line: its lines go, comments on other lines stay
            out += [(line, [i]) for line, i in zip(lines, run, strict=True) if line is not None]
            continue
        inside = all(_CLEAN_GAP.fullmatch(text[at[i][1] : at[i + 1][0]]) for i in range(a, b))
        if inside and a > 0 and _CLEAN_GAP.fullmatch(text[at[a - 1][1] : at[a][0]]):
            out.append(((at[a - 1][1], at[b][1], ""), run))  # the comma and spaces before it go along
        elif inside and b < n - 1 and _CLEAN_GAP.fullmatch(text[at[b][1] : at[b + 1][0]]):
            out.append(((at[a][0], at[b + 1][0], ""), run))  # the first word: the comma after it
        else:
            return f"argument {a + 1} has comments beside it; change it by hand"
    return out


def _own_line(text: str, fmt: str, span: tuple[int, int]) -> Splice | None:
    """The line of an element written alone on it with its comma after it (and perhaps a line comment)."""
    start, end = span
    line_start, nl = _line_start(text, start), text.find("\n", end)
    if nl < 0 or text[line_start:start].strip():
        return None
    comment = "" if fmt == "json" else r"(?://.*)?" if fmt == "jsonc" else r"(?:#.*)?"
    if not re.fullmatch(r"[ \t]*,[ \t]*" + comment, text[end:nl].rstrip("\r")):
        return None
    return (line_start, nl + 1, "")


def _block_line(text: str, span: tuple[int, int]) -> Splice | None:
    """The whole ``- word`` line of a YAML block item (a comment after it on that line goes too)."""
    start, end = span
    nl = text.find("\n", end)
    rest = text[end : nl if nl >= 0 else len(text)].strip()
    if rest and not rest.startswith("#"):
        return None
    line_start = _line_start(text, start)
    if nl >= 0:
        return (line_start, nl + 1, "")
    before = max(line_start - 1, 0)  # the file's last line: the line break before it goes instead
    before -= text[before - 1 : before] == "\r"
    return (before, len(text), "")
