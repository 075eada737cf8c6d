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
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mcp_dockernet.mcpconfig import jsonc, splice, toml_doc
from mcp_dockernet.mcpconfig.splice import Spans, Splice
from mcp_dockernet.model import StdioCommand

if TYPE_CHECKING:  # the edit's shape only: a loader does not depend on the report at run time
    from mcp_dockernet.report import ArgEdit

Planned = tuple[Splice, tuple["ArgEdit", ...]]  # a splice and the edits it carries out
FORMATS = ("json", "jsonc", "yaml", "toml")


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
        change = splice.replace_token(text, fmt, span, raw[i], edit.words[0]) if span else None
        if change is None:
            return f"argument {i + 1} is written in a form mcp-dockernet does not edit"
        planned.append((change, (edit,)))
    env_spans, raw_env = dict(cmd.env_spans), dict(cmd.raw_env)
    for name, edit in envs.items():
        at = env_spans[name]
        change = splice.replace_token(text, fmt, (at.start, at.end), raw_env[name], edit.words[0])
        if change is None:
            return f"env {name} is written in a form mcp-dockernet does not edit"
        planned.append((change, (edit,)))
    cut = splice.removals(text, fmt, spans, sorted(removed))
    if isinstance(cut, str):
        return cut
    planned += [(change, tuple(removed[i] for i in run)) for change, run in cut]
    by_place: dict[int, list[ArgEdit]] = {}
    for edit in inserts:  # words before a removed word go before the next one kept
        place = edit.index
        while place in removed:
            place += 1
        by_place.setdefault(place, []).append(edit)
    for place, group in sorted(by_place.items()):
        group.sort(key=lambda e: e.index)  # stable: inserts at one index keep their order
        added = splice.insertion(text, fmt, spans, place, [w for e in group for w in e.words])
        if added is None:
            return "its arguments are written in a form mcp-dockernet does not edit"
        planned.append((added, tuple(group)))
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


# --- the proof: the edited text parses and reads as intended ---


def parse(text: str, fmt: str) -> jsonc.Parsed:
    """The document in its format (a ValueError when it is malformed)."""
    if fmt == "yaml":
        from mcp_dockernet.mcpconfig import yaml_doc  # PyYAML: loaded only for a YAML document

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
    if [_text(v) for v in jsonc.value_at(after.value, element[:-1]) or ()] != args:
        return "the edited arguments would not read as intended (a bug in mcp-dockernet); nothing written"
    for name, value in env.items():
        path = env_paths.get(name)
        if path is None or jsonc.value_at(after.value, path) != value:
            return f"the edited env {name} would not read as intended (a bug in mcp-dockernet); nothing written"
    return None


def _text(value: Any) -> Any:
    """A number in args reads as its text, as the clients (and the reader) take it."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
