"""Byte-exact edits of a stdio entry's command line and env: report.ArgEdits become text splices.

Works from the token spans the config reader records (StdioCommand.arg_spans / env_spans) and the
file's text, in every format the tool reads: JSON, JSONC (comments, trailing commas), YAML flow and
block sequences, TOML arrays and inline tables. Nothing is re-serialised: a replaced word changes
only the characters that differ (or its whole token, JSON-quoted, which every format reads); a
removed word takes one separator with it (the comma before it, or after it for the first word; a
YAML block item its whole line); inserted words copy their neighbours' layout and quoting.

An entry's edits are all or none: any one that cannot be written safely (a placeholder where the
rule saw a value, a token form we do not edit, edits that overlap) returns the reason instead, and
the result is parsed again to prove the file stays valid and reads as intended.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mcp_dockernet.mcpconfig import jsonc, toml_doc, yaml_doc
from mcp_dockernet.model import StdioCommand

if TYPE_CHECKING:  # the edit's shape only: a loader does not depend on the report at run time
    from mcp_dockernet.report import ArgEdit

Splice = tuple[int, int, str]  # replace text[start:end] with the string
Planned = tuple[Splice, tuple["ArgEdit", ...]]  # a splice and the edits it carries out
Spans = Sequence[tuple[int, int] | None]
FORMATS = ("json", "jsonc", "yaml", "toml")
_CLEAN_GAP = re.compile(r"\s*,\s*")  # a separator with nothing in it but one comma: no comment lost
_INLINE_GAP = re.compile(r"[ \t]*,[ \t]*")
_BLOCK_LEAD = re.compile(r"[ \t]*-[ \t]+")  # a YAML block sequence item: "  - word"
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off"})  # booleans to YAML 1.1 readers: quote them


def splices(text: str, fmt: str, cmd: StdioCommand, edits: Sequence[ArgEdit]) -> list[Splice] | str:
    """The splices that carry out ``edits`` on the entry, or why none are written."""
    planned = entry_splices(text, fmt, cmd, edits)
    return planned if isinstance(planned, str) else [s for s, _ in planned]


def entry_splices(text: str, fmt: str, cmd: StdioCommand, edits: Sequence[ArgEdit]) -> list[Planned] | str:
    """Each splice with the edits it carries out (for display), sorted; or why nothing is written."""
    if fmt not in FORMATS:
        return "its command line is in a file format mcp-dockernet does not edit"
    raw = cmd.raw_args
    spans: list[tuple[int, int] | None] = [(s.start, s.end) if s else None for s in cmd.arg_spans]
    if len(spans) != len(raw):
        return "the places of its arguments in the file are not known"
    replaced: dict[int, ArgEdit] = {}
    removed: dict[int, ArgEdit] = {}
    envs: dict[str, ArgEdit] = {}
    inserts: list[ArgEdit] = []
    for edit in dict.fromkeys(edits):  # equal edits (two findings, one cure) are one edit
        why = _refusal(edit, cmd, spans)
        if why is not None:
            return why
        if edit.kind == "insert-args":
            inserts.append(edit)
            continue
        taken = envs if edit.kind == "replace-env" else replaced if edit.kind == "replace-arg" else removed
        key: Any = edit.env_name if edit.kind == "replace-env" else edit.index
        if key in envs or key in replaced or key in removed:
            return f"two fixes change {_what(edit)} differently; change it by hand"
        taken[key] = edit
    planned: list[Planned] = []
    for i, edit in replaced.items():
        span = spans[i]
        splice = replace_token(text, fmt, span, raw[i], edit.words[0]) if span else None
        if splice is None:
            return f"argument {i + 1} is written in a form mcp-dockernet does not edit"
        planned.append((splice, (edit,)))
    env_spans, raw_env = dict(cmd.env_spans), dict(cmd.raw_env)
    for name, edit in envs.items():
        at = env_spans[name]
        splice = replace_token(text, fmt, (at.start, at.end), raw_env[name], edit.words[0])
        if splice is None:
            return f"env {name} is written in a form mcp-dockernet does not edit"
        planned.append((splice, (edit,)))
    cut = _removals(text, fmt, spans, sorted(removed))
    if isinstance(cut, str):
        return cut
    planned += [(splice, tuple(removed[i] for i in run)) for splice, run in cut]
    by_place: dict[int, list[ArgEdit]] = {}
    for edit in inserts:  # words before a removed word go before the next one kept
        place = edit.index
        while place in removed:
            place += 1
        by_place.setdefault(place, []).append(edit)
    for place, group in sorted(by_place.items()):
        group.sort(key=lambda e: e.index)  # stable: inserts at one index keep their order
        splice = insertion(text, fmt, spans, place, [w for e in group for w in e.words])
        if splice is None:
            return "its arguments are written in a form mcp-dockernet does not edit"
        planned.append((splice, tuple(group)))
    planned.sort(key=lambda p: (p[0][0], p[0][1]))
    if any(_clash(a[0], b[0]) for a, b in itertools.pairwise(planned)):
        return "its fixes touch the same words; change it by hand"
    after_args = [w for i in range(len(raw) + 1) for w in _words_at(i, raw, replaced, removed, by_place)]
    after_env = {name: e.words[0] for name, e in envs.items()}
    why = _verify(text, fmt, cmd, [s for s, _ in planned], after_args, after_env)
    return why if why is not None else planned


def _clash(a: Splice, b: Splice) -> bool:
    """b (sorted after a) overlaps a, or both insert at one place (their order would be a guess)."""
    return b[0] < a[1] or b[0] == b[1] == a[0] == a[1]


def _words_at(i: int, raw: tuple[str, ...], replaced: dict[int, ArgEdit], removed: dict[int, ArgEdit],
              by_place: dict[int, list[ArgEdit]]) -> list[str]:  # fmt: skip
    """What stands at args[i] after the edits: the words inserted before it, then it (unless removed)."""
    out = [w for e in by_place.get(i, []) for w in e.words]
    if i < len(raw) and i not in removed:
        out.append(replaced[i].words[0] if i in replaced else raw[i])
    return out


def _what(edit: ArgEdit) -> str:
    return f"env {edit.env_name}" if edit.kind == "replace-env" else f"argument {edit.index + 1}"


def _refusal(edit: ArgEdit, cmd: StdioCommand, spans: Spans) -> str | None:
    """Why this edit is not written as it stands; the words are never part of the reason (they may be secret)."""
    n = len(cmd.raw_args)
    if edit.kind == "replace-env":
        name = edit.env_name or ""
        raw = dict(cmd.raw_env).get(name)
        if name not in dict(cmd.env_spans) or raw is None:
            return f"env {name} is not written as a plain value mcp-dockernet can edit"
        if raw != edit.old:
            return f"env {name} is written with a placeholder; it is not rewritten from its value"
        return None if len(edit.words) == 1 else "an env edit must give one value"
    if edit.kind == "insert-args":
        if not edit.words or not 0 <= edit.index <= n or n == 0:
            return "an argument insert does not fit the entry's arguments"
        return None if all(s is not None for s in spans) else "some of its arguments are not plain strings"
    if edit.kind not in ("replace-arg", "remove-arg"):
        return f"an edit of kind {edit.kind!r} is not one mcp-dockernet writes"
    if not 0 <= edit.index < n or (edit.kind == "replace-arg" and len(edit.words) != 1):
        return "an argument edit does not fit the entry's arguments"
    if spans[edit.index] is None or (edit.kind == "remove-arg" and any(s is None for s in spans)):
        return f"argument {edit.index + 1} is not a plain string in the file"
    if cmd.raw_args[edit.index] != edit.old:
        if edit.index < len(cmd.args) and cmd.args[edit.index] == edit.old:
            return f"argument {edit.index + 1} is written with a placeholder; it is not rewritten from its value"
        return f"argument {edit.index + 1} no longer reads as it did when it was checked"
    return None


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


def _removals(text: str, fmt: str, spans: Spans, indexes: list[int]) -> list[tuple[Splice, list[int]]] | str:
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


# --- the proof: the edited text parses and reads as intended ---


def parse(text: str, fmt: str) -> jsonc.Parsed:
    """The document in its format (a ValueError when it is malformed)."""
    if fmt == "yaml":
        return yaml_doc.parse(text)
    if fmt == "toml":
        return toml_doc.parse(text)
    return jsonc.parse(text, jsonc=fmt == "jsonc")


def apply(text: str, edits: Sequence[Splice]) -> str:
    for start, end, new in sorted(edits, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _verify(text: str, fmt: str, cmd: StdioCommand, edits: list[Splice], args: list[str],
            env: dict[str, str]) -> str | None:  # fmt: skip
    """None when the edited text parses and its args list and env values read as the edits intend."""
    before = parse(text, fmt)
    where = {span: path for path, span in before.spans.items()}
    first = next((s for s in cmd.arg_spans if s is not None), None)
    element = where.get((first.start, first.end)) if first is not None else None
    if element is None or not isinstance(element[-1], int):
        return "the places of its arguments do not match the file"
    env_paths = {name: where.get((s.start, s.end)) for name, s in cmd.env_spans if name in env}
    try:
        after = parse(apply(text, edits), fmt)
    except ValueError:
        return "the edit would not leave a valid file (a bug in mcp-dockernet: please report it); nothing written"
    if [_text(v) for v in _get(after.value, element[:-1]) or ()] != args:
        return "the edited arguments would not read as intended (a bug in mcp-dockernet); nothing written"
    for name, value in env.items():
        path = env_paths.get(name)
        if path is None or _get(after.value, path) != value:
            return f"the edited env {name} would not read as intended (a bug in mcp-dockernet); nothing written"
    return None


def _text(value: Any) -> Any:
    """A number in args reads as its text, as the clients (and the reader) take it."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _get(value: Any, path: tuple[str | int, ...]) -> Any:
    try:
        for key in path:
            value = value[key]
    except (KeyError, IndexError, TypeError):
        return None
    return value
