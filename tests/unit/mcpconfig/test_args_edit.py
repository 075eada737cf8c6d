"""Arg and env edits of stdio entries, byte for byte, in every format the tool reads; and what is refused.

Each row is a whole file before and after. The result is parsed again with the tool's own reader and its
args must read as the edits say (tests/unit/rules/factory.apply_edits applies them to the list itself).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from mcp_dockernet.mcpconfig import args_edit, bridges, splice
from mcp_dockernet.mcpconfig.clients import CLIENTS
from mcp_dockernet.mcpconfig.entries import read_entries
from mcp_dockernet.mcpconfig.mcp_config import parse_text
from mcp_dockernet.model import StdioCommand
from mcp_dockernet.report import ArgEdit

HDI = "host.docker.internal"
ADD_HOST = f"--add-host={HDI}:host-gateway"
PG, PG_FIXED = "postgresql://localhost:5432/db", f"postgresql://{HDI}:5432/db"
CLIENT_OF = {"json": "claude-code", "jsonc": "gemini", "yaml": "continue", "toml": "codex"}


def command_at(text: str, fmt: str, **resolved: Any) -> StdioCommand:
    """The entry's StdioCommand as the tool's own reader reads it (a client of that format);
    ``resolved``: args / env as if placeholders had these values."""
    cmd = read_entries("f", CLIENTS[CLIENT_OF[fmt]], fmt, parse_text("f", text, fmt), text)[0].stdio
    assert cmd is not None
    return dataclasses.replace(cmd, **resolved)


def edited(text: str, fmt: str, *edits: ArgEdit, cmd: StdioCommand | None = None) -> str:
    cmd = cmd or command_at(text, fmt)
    result = args_edit.splices(text, fmt, cmd, edits)
    assert not isinstance(result, str), result
    after = args_edit.apply(text, result)
    again = command_at(after, fmt)  # the tool's own reader: valid, and the args read as intended
    assert again.raw_args == meant(cmd.raw_args, edits)
    for e in edits:
        if e.kind == "replace-env":
            assert dict(again.raw_env)[e.env_name] == e.words[0]
    return after


def meant(args: tuple[str, ...], edits: tuple[ArgEdit, ...]) -> tuple[str, ...]:
    """What the edits mean for the list: before each original word the words inserted there, then the word
    itself (replaced, or gone); equal edits count once."""
    unique = list(dict.fromkeys(edits))
    out: list[str] = []
    for i in range(len(args) + 1):
        out += [w for e in unique if e.kind == "insert-args" and e.index == i for w in e.words]
        if i < len(args) and not any(e.kind == "remove-arg" and e.index == i for e in unique):
            out.append(next((e.words[0] for e in unique if e.kind == "replace-arg" and e.index == i), args[i]))
    return tuple(out)


def replace(i: int, new: str, old: str) -> ArgEdit:
    return ArgEdit("replace-arg", i, (new,), old)


def remove(i: int, old: str) -> ArgEdit:
    return ArgEdit("remove-arg", i, (), old)


def insert(i: int, *words: str) -> ArgEdit:
    return ArgEdit("insert-args", i, words)


def env(name: str, new: str, old: str) -> ArgEdit:
    return ArgEdit("replace-env", words=(new,), old=old, env_name=name)


TTY = replace(1, "-i", "-it")
ENV = env("DATABASE_URL", PG_FIXED, PG)

JSON_LINE = '{"mcpServers": {"s": {"command": "docker", "args": ["run", "-it", "--rm", "img"]}}}'
JSON_COMPACT = '{"mcpServers":{"s":{"command":"docker","args":["run","--rm","img"]}}}'
JSON_PRETTY = (
    "{\n"
    '  "mcpServers": {\n'
    '    "s": {\n'
    '      "command": "docker",\n'
    '      "args": [\n'
    '        "run",\n'
    '        "-it",\n'
    '        "--rm",\n'
    '        "img",\n'
    f'        "{PG}"\n'
    "      ],\n"
    f'      "env": {{"DATABASE_URL": "{PG}"}}\n'
    "    }\n"
    "  }\n"
    "}\n"
)
JSONC = (
    "{\n"
    "  // my servers\n"
    '  "mcpServers": {\n'
    '    "s": {\n'
    '      "command": "docker",\n'
    '      "args": [\n'
    '        "run",\n'
    "        // stdin open, no tty\n"
    '        "-i",\n'
    '        "-t", // remove me\n'
    '        "img", /* the image */\n'
    "      ],\n"
    "    },\n"
    "  },\n"
    "}\n"
)
YAML_BLOCK = (
    "mcpServers:\n"
    "  - name: s\n"
    "    command: docker\n"
    "    args:\n"
    "      - run\n"
    "      - -it   # a tty\n"
    "      # the server's own flags follow the image\n"
    "      - --rm\n"
    "      - 'img'\n"
    "    env:\n"
    f"      DATABASE_URL: {PG}\n"
)
JSONC_ENV = JSONC.replace("      ],\n    },", f'      ],\n      "env": {{"DATABASE_URL": "{PG}",}},\n    }},')
YAML_FLOW = f'mcpServers:\n  - name: s\n    command: docker\n    args: [run, -it, --rm, img, "{PG}"]\n'
YAML_FLOW_ENV = YAML_FLOW + f"    env: {{DATABASE_URL: '{PG}'}}\n"
TOML_ENV_TABLE = (
    '[mcp_servers.s]\ncommand = "docker"\nargs = ["run", "-i", "--rm", "img"]\n\n'
    f"[mcp_servers.s.env]\n# the database\nDATABASE_URL = '{PG}'\n"
)
TOML_LINE = (
    '[mcp_servers.s]\ncommand = "docker"\nargs = ["run", "-it", "--rm", "img"]\n'
    f'env = {{ DATABASE_URL = "{PG}", TOKEN = "sk-secret" }}\n'
)
# fmt: off
TOML_MULTI = (
    "[mcp_servers.s]\n"
    'command = "docker"\n'
    "args = [\n"
    '  "run",\n'
    '  "-it", # a tty\n'
    "  'img',\n"
    f"  '{PG}',\n"
    "]\n"
)
# fmt: on


@pytest.mark.parametrize(
    "fmt, before, edits, after",
    [
        # JSON on one line: each kind
        ("json", JSON_LINE, [TTY], JSON_LINE.replace('"-it"', '"-i"')),
        ("json", JSON_LINE, [remove(2, "--rm")], JSON_LINE.replace(' "--rm",', "")),
        ("json", JSON_LINE, [insert(4, "--x")], JSON_LINE.replace('"img"]', '"img", "--x"]')),
        ("json", JSON_LINE, [insert(0, "--context", "c")], JSON_LINE.replace('["run"', '["--context", "c", "run"')),
        ("json", JSON_LINE, [remove(0, "run")], JSON_LINE.replace('"run", ', "")),
        ("json", JSON_COMPACT, [insert(1, "-i")], JSON_COMPACT.replace('"run",', '"run","-i",')),
        # the three docker fixes at once: -it -> -i, the --add-host pair inserted there, a URL argument
        (
            "json",
            JSON_PRETTY,
            [TTY, insert(1, ADD_HOST), replace(4, PG_FIXED, PG)],
            JSON_PRETTY.replace('"run",\n        "-it"', f'"run",\n        "{ADD_HOST}",\n        "-i"').replace(
                f'"{PG}"\n', f'"{PG_FIXED}"\n'
            ),
        ),
        ("json", JSON_PRETTY, [remove(4, PG)], JSON_PRETTY.replace(f',\n        "{PG}"\n', "\n")),
        ("json", JSON_PRETTY, [remove(1, "-it"), insert(1, "-i")], JSON_PRETTY.replace('"-it"', '"-i"')),
        ("json", JSON_PRETTY, [ENV], JSON_PRETTY.replace(f'"DATABASE_URL": "{PG}"', f'"DATABASE_URL": "{PG_FIXED}"')),
        (
            "json",
            JSON_PRETTY.replace("\n", "\r\n"),
            [insert(1, "-i")],
            JSON_PRETTY.replace('"run",\n', '"run",\n        "-i",\n').replace("\n", "\r\n"),
        ),
        # JSONC: a word's own line goes with its comment, comments on other lines stay, trailing comma kept
        ("jsonc", JSONC, [remove(2, "-t")], JSONC.replace('        "-t", // remove me\n', "")),
        (
            "jsonc",
            JSONC,
            [insert(3, ADD_HOST)],
            JSONC.replace('        "img"', f'        "{ADD_HOST}",\n        "img"'),
        ),
        (
            "jsonc",
            JSONC,
            [insert(4, "--x")],
            JSONC.replace('"img",', '"img",\n        "--x",'),
        ),  # /* */: not a line comment
        (
            "jsonc",
            JSONC.replace("/* the image */", "// the image"),
            [insert(4, "--x")],
            JSONC.replace('"img", /* the image */\n', '"img", // the image\n        "--x",\n'),
        ),  # fmt: skip
        (
            "toml",
            TOML_MULTI.replace("\n", "\r\n"),
            [insert(4, "--x")],
            TOML_MULTI.replace(f"'{PG}',\n", f"'{PG}',\n  '--x',\n").replace("\n", "\r\n"),
        ),  # fmt: skip
        ("jsonc", JSONC, [replace(2, "-i", "-t")], JSONC.replace('"-t", // remove me', '"-i", // remove me')),
        (
            "jsonc",
            JSONC_ENV,
            [ENV, remove(2, "-t")],
            JSONC_ENV.replace(PG, PG_FIXED).replace('        "-t", // remove me\n', ""),
        ),
        # YAML block: "- word" lines
        ("yaml", YAML_BLOCK, [TTY], YAML_BLOCK.replace("- -it ", "- -i ")),
        ("yaml", YAML_BLOCK, [remove(1, "-it")], YAML_BLOCK.replace("      - -it   # a tty\n", "")),
        (
            "yaml",
            YAML_BLOCK,
            [insert(1, "-i", ADD_HOST)],
            YAML_BLOCK.replace("      - -it", f"      - -i\n      - {ADD_HOST}\n      - -it"),
        ),
        ("yaml", YAML_BLOCK, [insert(4, "a: b")], YAML_BLOCK.replace("- 'img'\n", "- 'img'\n      - 'a: b'\n")),
        ("yaml", YAML_BLOCK, [insert(2, "yes")], YAML_BLOCK.replace("      - --rm", '      - "yes"\n      - --rm')),
        ("yaml", YAML_BLOCK, [ENV], YAML_BLOCK.replace(f"URL: {PG}", f"URL: {PG_FIXED}")),
        ("yaml", YAML_BLOCK, [env("DATABASE_URL", "x: y", PG)], YAML_BLOCK.replace(f"URL: {PG}", 'URL: "x: y"')),
        (
            "yaml",
            YAML_BLOCK,
            [remove(1, "-it"), insert(1, "-i"), insert(1, ADD_HOST)],
            YAML_BLOCK.replace("      - -it   # a tty\n", "").replace(
                "      - --rm", f"      - -i\n      - {ADD_HOST}\n      - --rm"
            ),
        ),
        # YAML flow
        ("yaml", YAML_FLOW, [TTY, insert(1, ADD_HOST)], YAML_FLOW.replace("run, -it", f"run, {ADD_HOST}, -i")),
        (
            "yaml",
            YAML_FLOW,
            [remove(2, "--rm"), replace(4, PG_FIXED, PG)],
            YAML_FLOW.replace("--rm, ", "").replace(PG, PG_FIXED),
        ),  # fmt: skip
        ("yaml", YAML_FLOW_ENV, [ENV, TTY], YAML_FLOW_ENV.replace(f"'{PG}'", f"'{PG_FIXED}'").replace("-it,", "-i,")),
        ("yaml", YAML_FLOW, [insert(5, "a,b")], YAML_FLOW.replace(f'"{PG}"]', f'"{PG}", "a,b"]')),
        # TOML: an array on one line, a multi-line one with comments, env in an inline table
        ("toml", TOML_LINE, [TTY, remove(2, "--rm")], TOML_LINE.replace('"-it", "--rm"', '"-i"')),
        ("toml", TOML_LINE, [ENV], TOML_LINE.replace(f'URL = "{PG}"', f'URL = "{PG_FIXED}"')),
        ("toml", TOML_LINE, [insert(1, "-i", ADD_HOST)], TOML_LINE.replace('"run", ', f'"run", "-i", "{ADD_HOST}", ')),
        (
            "toml",
            TOML_ENV_TABLE,
            [ENV, insert(4, "x")],
            TOML_ENV_TABLE.replace(PG, PG_FIXED).replace('img"]', 'img", "x"]'),
        ),
        (
            "toml",
            TOML_MULTI,
            [remove(1, "-it"), insert(1, "-i")],
            TOML_MULTI.replace('  "-it", # a tty\n', "").replace("  'img'", "  '-i',\n  'img'"),
        ),  # fmt: skip
        ("toml", TOML_MULTI, [insert(4, "it's")], TOML_MULTI.replace(f"'{PG}',\n", f"'{PG}',\n  \"it's\",\n")),
        ("toml", TOML_MULTI, [replace(3, PG_FIXED, PG)], TOML_MULTI.replace(PG, PG_FIXED)),
    ],
)
def test_edits_change_only_their_words(fmt, before, edits, after):
    assert edited(before, fmt, *edits) == after


def test_equal_edits_from_two_findings_are_written_once():
    assert edited(JSON_LINE, "json", insert(1, ADD_HOST), insert(1, ADD_HOST)) == JSON_LINE.replace(
        '"run", ', f'"run", "{ADD_HOST}", '
    )


def test_numbers_among_the_words_are_kept_as_written():
    text = YAML_FLOW.replace("--rm, img", "-p, 8080, img")
    assert edited(text, "yaml", TTY) == text.replace("-it,", "-i,")


def test_a_minimal_splice_keeps_escapes_elsewhere_in_the_word():
    text = '{"mcpServers": {"s": {"command": "docker", "args": ["run", "-e", "U=http://localhost:1/\\u00e9"]}}}'
    after = edited(text, "json", replace(2, f"U=http://{HDI}:1/\u00e9", "U=http://localhost:1/\u00e9"))
    assert after == text.replace("localhost", HDI)


@pytest.mark.parametrize(
    "fmt, text, edit, reason",
    [
        ("json", JSON_LINE, replace(1, "-i", "-t"), "no longer reads as it did"),
        ("json", JSON_LINE, replace(9, "-i", "-t"), "does not fit"),
        ("json", JSON_LINE, ArgEdit("swap-args", 1), "not one mcp-dockernet writes"),
        ("json", JSON_LINE, env("NOPE", "x", "y"), "env NOPE is not written as a plain value"),
        (
            "yaml",
            YAML_BLOCK.replace("- run", "- &r run").replace("- --rm", "- *r"),
            remove(2, "run"),
            "not a plain string",
        ),  # fmt: skip
        ("yaml", YAML_BLOCK.replace("- --rm", "- >-\n        --rm"), replace(2, "--rm=true", "--rm"), "a form"),
        ("yaml", YAML_BLOCK.replace("- --rm", "- !!str --rm"), replace(2, "--rm=true", "--rm"), "a form"),
        ("jsonc", JSONC.replace('"-t", // remove me', '/* a */ "-t" /* b */,'), remove(2, "-t"), "comments beside it"),
    ],
)
def test_unusual_forms_are_refused_with_a_reason(fmt, text, edit, reason):
    result = args_edit.splices(text, fmt, command_at(text, fmt), [edit])
    assert isinstance(result, str) and reason in result


def test_a_placeholder_is_never_rewritten_from_its_value():
    text = JSON_PRETTY.replace(f'        "{PG}"\n', '        "${DB_URL}"\n')
    text = text.replace(f'"DATABASE_URL": "{PG}"', '"DATABASE_URL": "${env:DB}"')
    raw = command_at(text, "json")
    cmd = command_at(text, "json", args=(*raw.raw_args[:4], PG), env=(("DATABASE_URL", PG),))
    for edit in (replace(4, PG_FIXED, PG), ENV):
        result = args_edit.splices(text, "json", cmd, [TTY, edit])  # all or none: the -it fix waits too
        assert isinstance(result, str) and "placeholder" in result and "localhost" not in result


def test_edits_that_touch_one_word_are_all_refused():
    for edits in ([TTY, remove(1, "-it")], [TTY, replace(1, "-d", "-it")]):
        result = args_edit.splices(JSON_LINE, "json", command_at(JSON_LINE, "json"), edits)
        assert result == "two fixes change argument 2 differently; change it by hand"


def test_no_edit_leaves_an_entry_without_arguments():
    text = '{"mcpServers": {"s": {"command": "x", "args": ["-t"]}}}'
    result = args_edit.splices(text, "json", command_at(text, "json"), [remove(0, "-t")])
    assert result == "removing its arguments would leave none"


def test_a_yaml_block_item_on_the_last_line_of_the_file_goes_with_its_line_break():
    text = "mcpServers:\n  - name: s\n    command: docker\n    args:\n      - run\n      - img\n      - -t"
    assert edited(text, "yaml", remove(2, "-t")) == text[: -len("\n      - -t")]


def test_a_broken_result_is_refused_not_written(monkeypatch):
    monkeypatch.setattr(splice, "replace_token", lambda *a: (0, 1, "["))
    result = args_edit.splices(JSON_LINE, "json", command_at(JSON_LINE, "json"), [TTY])
    assert isinstance(result, str) and "nothing written" in result


@pytest.mark.parametrize(
    "word, ok",
    [("-i", True), (ADD_HOST, True), (PG, True), ("yes", False), ("on", False), ("1", False), ("a: b", False),
     ("#x", False), ("a,b", False), ("[x]", False), ("", False), (" x", False), ("null", False)],
)  # fmt: skip
def test_yaml_plain_words_read_back_as_themselves(word, ok):
    assert splice.plain_ok(word) is ok


def test_bridges_append_after_the_last_element_through_the_same_insertion():
    text = '{"mcpServers": {"a": {"command": "npx", "args": ["mcp-remote","http://x:1/mcp"]}}}'
    doc = parse_text("f", text, "json")
    pos, added = bridges.append_args(text, "json", doc, ("mcpServers", "a", "args"), ["--allow-http"])
    assert text[:pos] + added + text[pos:] == text.replace('/mcp"]', '/mcp","--allow-http"]')
