"""fix for stdio entries: the rules' ArgEdits planned into a real config file, shown masked, all or none."""

from __future__ import annotations

import dataclasses
import json

import pytest

from mcp_dockernet import engine
from mcp_dockernet.fix.plan import apply_to_text, diff, plan
from mcp_dockernet.mcpconfig.docker_run import parse_docker_run
from mcp_dockernet.mcpconfig.mcp_config import load_config, parse_config
from mcp_dockernet.mcpconfig.stdio_entries import stdio_command
from mcp_dockernet.model import (
    ConfigFile,
    EngineState,
    HostState,
    Listener,
    Snapshot,
    StdioFacts,
)
from mcp_dockernet.report import ArgEdit, Finding, Report, ServerReport, Severity

HDI = "host.docker.internal"
ADD_HOST = f"--add-host={HDI}:host-gateway"
SECRET = "sk-abcdefghijklmnopqrstuvwxyz0123456789"
GH = "ghp_0123456789abcdefghijklmnopqrstuvwxyz"


def config_of(tmp_path, servers: dict, name: str = ".mcp.json") -> ConfigFile:
    path = tmp_path / name
    path.write_text(json.dumps({"mcpServers": servers}, indent=2) + "\n")
    return load_config(str(path))  # the real reader: StdioCommand with its spans and docker run parse


def judged(config: ConfigFile, listening: tuple[int, ...] = ()) -> Report:
    """The real rules on the config (engine.run), the machine as given: docker found, the image there."""
    facts = StdioFacts("/usr/bin/docker", image_present=True)
    host = HostState(tuple(Listener("0.0.0.0", p, None, "srv") for p in listening))
    snap = Snapshot((config,), EngineState(()), host, stdio=tuple((e.id, facts) for e in config.entries))
    return engine.run(snap, debug=True)


def planned(config: ConfigFile, report: Report) -> tuple[str, list, list[str]]:
    notes: list[str] = []
    edits = plan(report, [config], notes)
    return apply_to_text(config.text, edits), list(edits), notes


def test_it_becomes_i_and_nothing_else_changes(tmp_path):
    config = config_of(tmp_path, {"s": {"command": "docker", "args": ["run", "-it", "--rm", "img"]}})
    report = judged(config)
    assert [f.code for f in report.servers[0].findings] == ["docker-run-tty"]
    after, edits, notes = planned(config, report)
    assert after == config.text.replace('"-it"', '"-i"') and notes == []
    assert [(e.what, e.old_url, e.new_url) for e in edits] == [("args", "docker run -it", "docker run -i")]


def test_no_stdin_gets_i_right_after_run(tmp_path):
    config = config_of(tmp_path, {"s": {"command": "docker", "args": ["run", "--rm", "img"]}})
    after, edits, _ = planned(config, judged(config))
    assert after == config.text.replace('"run",\n', '"run",\n        "-i",\n')
    assert [(e.old_url, e.new_url) for e in edits] == [("docker run", "docker run -i")]


def test_tty_add_host_and_the_url_are_one_fix(tmp_path):
    args = ["run", "-it", "--rm", "-e", "API_URL=http://localhost:8080/v1", "img"]
    config = config_of(tmp_path, {"s": {"command": "docker", "args": args}})
    report = judged(config, listening=(8080,))
    assert sorted(f.code for f in report.servers[0].findings) == ["docker-run-tty", "localhost-in-container"]
    after, edits, notes = planned(config, report)
    fixed = ["run", ADD_HOST, "-i", "--rm", "-e", f"API_URL=http://{HDI}:8080/v1", "img"]
    assert after == config.text.replace(json.dumps(args, indent=2).replace("\n", "\n      "),
                                        json.dumps(fixed, indent=2).replace("\n", "\n      "))  # fmt: skip
    assert notes == [] and {e.what for e in edits} == {"args"}
    assert ("docker run -e API_URL=http://localhost:8080/v1", f"docker run -e API_URL=http://{HDI}:8080/v1") in [
        (e.old_url, e.new_url) for e in edits
    ]


def test_env_value_is_rewritten_and_described_without_its_secret_parts(tmp_path):
    env = {"DATABASE_URL": "postgresql://app:hunter2@localhost:5432/db"}
    config = config_of(tmp_path, {"s": {"command": "docker", "args": ["run", "-i", "-e", "DATABASE_URL", "img"],
                                        "env": env}})  # fmt: skip
    after, edits, notes = planned(config, judged(config, listening=(5432,)))
    assert f"postgresql://app:hunter2@{HDI}:5432/db" in after and ADD_HOST in after and notes == []
    described = [(e.what, e.old_url, e.new_url) for e in edits]
    assert ("env", "env DATABASE_URL=postgresql://app:***@localhost:5432/db",
            f"env DATABASE_URL=postgresql://app:***@{HDI}:5432/db") in described  # fmt: skip
    assert all("hunter2" not in e.old_url + e.new_url for e in edits)
    shown = diff(config, edits)
    assert "hunter2" not in shown and '"DATABASE_URL": "***" (changed)' in shown and ADD_HOST in shown


def test_without_evidence_a_fix_is_a_note_and_nothing_is_written(tmp_path):
    args = ["run", "-i", "--rm", "-e", "API_URL=http://localhost:8080", "img"]
    config = config_of(tmp_path, {"s": {"command": "docker", "args": args}})
    after, edits, notes = planned(config, judged(config))  # nothing listens on 8080
    assert edits == [] and after == config.text
    assert len(notes) == 1 and "localhost-in-container" in notes[0] and "not written" in notes[0]


@pytest.mark.parametrize("indent", [2, None])  # None: all on the one line the diff shows
def test_diff_never_shows_a_token_in_args_or_env_beside_an_edited_word(tmp_path, indent):
    args = ["run", "-it", "-e", f"OPENAI_API_KEY={SECRET}", "-e", "GITHUB_TOKEN", "img", "--api-key", SECRET, GH]
    path = tmp_path / ".mcp.json"
    path.write_text(json.dumps({"mcpServers": {"s": {"command": "docker", "args": args, "env": {"GITHUB_TOKEN": GH}}}},
                               indent=indent))  # fmt: skip
    config = load_config(str(path))
    after, edits, _ = planned(config, judged(config))
    assert '"-i"' in after and SECRET in after and GH in after  # written as they are, only -it changed
    shown = diff(config, edits)
    assert '"-it"' in shown and '"-i"' in shown
    assert SECRET not in shown and GH not in shown and "sk-" not in shown and "ghp_" not in shown
    assert shown.count('"***"') == (1 if indent else 8)  # one line: 4 secrets, before and after


def test_a_placeholder_in_the_word_holds_back_all_of_the_entrys_fixes(tmp_path):
    config = config_of(tmp_path, {"s": {"command": "docker", "args": ["run", "-it", "-e", "U=${API}", "img"]}})
    cmd = config.entries[0].stdio
    args = (*cmd.args[:3], "U=http://localhost:8080", "img")
    resolved = dataclasses.replace(cmd, args=args, docker=parse_docker_run("docker", args))  # as if ${API} were set
    config = dataclasses.replace(config, entries=(dataclasses.replace(config.entries[0], stdio=resolved),))
    after, edits, notes = planned(config, judged(config, listening=(8080,)))
    assert edits == [] and after == config.text
    assert notes == [f"{config.path}: s: argument 4 is written with a placeholder; it is not rewritten from its value"]


def _bridge(tmp_path, url_fix: str, arg_edit: ArgEdit) -> tuple[ConfigFile, Report]:
    """An mcp-remote bridge run by docker: a URL suggestion and a stdio fix on the same entry."""
    args = ["run", "-it", "--rm", "node", "npx", "mcp-remote", "http://localhost:8000/mcp"]
    config = config_of(tmp_path, {"r": {"command": "docker", "args": args}}, "claude_desktop_config.json")
    entry = config.entries[0]
    if entry.stdio is None:  # the reader keeps a bridge's command line out of it: read it as for any stdio entry
        doc, body = parse_config(config), json.loads(config.text)["mcpServers"]["r"]
        cmd = stdio_command(doc, ("mcpServers", "r"), body, "claude-desktop", "brace", {}, ValueError, "r")
        entry = dataclasses.replace(entry, stdio=cmd)
        config = dataclasses.replace(config, entries=(entry,))
    assert entry.bridge == "mcp-remote" and entry.url_span is not None
    tty = Finding("docker-run-tty", Severity.ERROR, entry.id, "m", "f", writable=True, arg_edits=(arg_edit,))
    server = ServerReport(entry, "host", "", "error", (tty,), url_fix, None, writable=True)
    return config, Report((server,), (config.path,))


def test_a_bridge_gets_its_url_and_its_command_line_fixed_together(tmp_path):
    config, report = _bridge(tmp_path, f"http://{HDI}:8000/mcp", ArgEdit("replace-arg", 1, ("-i",), "-it"))
    after, edits, notes = planned(config, report)
    assert notes == [] and {e.what for e in edits} == {"url", "args"}
    fixed = config.text.replace('"-it"', '"-i"').replace(
        'localhost:8000/mcp"', f'{HDI}:8000/mcp",\n        "--allow-http"'
    )
    assert after == fixed  # mcp-remote takes plain http to a name other than localhost only with --allow-http


def test_a_bridge_whose_command_line_cannot_be_fixed_keeps_its_url_too(tmp_path):
    config, report = _bridge(tmp_path, f"http://{HDI}:8000/mcp", ArgEdit("replace-arg", 1, ("-i",), "-t"))
    after, edits, notes = planned(config, report)
    assert edits == [] and after == config.text and "argument 2 no longer reads" in notes[0]


@pytest.mark.parametrize(
    "name, text",
    [
        ("config.toml", '[mcp_servers.s]\ncommand = "docker"\nargs = ["run", "-it", "--rm", "img"]\n'),
        ("mcp.json", '{"mcpServers": {"s": {"command": "docker", "args": ["run", "-it", "--rm", "img"]}}}'),
    ],
)
def test_other_formats_are_written_in_their_own_style(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    config = load_config(str(path))
    after, edits, _ = planned(config, judged(config))
    assert after == text.replace('"-it"', '"-i"') and len(edits) == 1
