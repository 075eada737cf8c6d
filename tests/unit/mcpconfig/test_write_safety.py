"""The write is safe in every format: atomic, backup, mode, symlink, refusal on change, no-op."""

from __future__ import annotations

import os
import shutil

import pytest

from mcp_dockernet.errors import FixError
from mcp_dockernet.fix.apply import write_config
from mcp_dockernet.fix.plan import plan
from mcp_dockernet.mcpconfig.mcp_config import load_config
from tests.unit.mcpconfig.golden import CASES, place, report_for

# One client per format (and the CRLF and BOM files), with its port rewrite.
FORMATS = ["claude-code", "vscode", "continue", "codex", "goose", "windsurf", "lmstudio"]


def _edits(config, client):  # type: ignore[no-untyped-def]
    return plan(report_for(config, CASES[client].rewrites["port"]), [config])


@pytest.mark.parametrize("client", FORMATS)
def test_backup_mode_and_no_stray_temp_files(tmp_path, client):
    path = place(tmp_path, client)
    before = path.read_bytes()
    os.chmod(path, 0o600)
    config = load_config(str(path))
    write_config(config, _edits(config, client))
    assert path.read_bytes() == CASES[client].after(client, "port").read_bytes()
    assert path.with_name(path.name + ".bak").read_bytes() == before
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".mcp-dockernet-")]


@pytest.mark.parametrize("client", FORMATS)
def test_symlink_is_written_through(tmp_path, client):
    real = tmp_path / "dotfiles" / "config"
    real.parent.mkdir()
    link = place(tmp_path / "home", client)
    shutil.move(link, real)
    link.symlink_to(real)
    config = load_config(str(link))
    write_config(config, _edits(config, client), backup=False)
    assert link.is_symlink()
    assert real.read_bytes() == CASES[client].after(client, "port").read_bytes()


@pytest.mark.parametrize("client", FORMATS)
def test_refused_when_the_file_changed_since_it_was_read(tmp_path, client):
    path = place(tmp_path, client)
    config = load_config(str(path))
    edits = _edits(config, client)
    with open(path, "ab") as f:  # the client saved its file meanwhile
        f.write(b"\n")
    changed = path.read_bytes()
    with pytest.raises(FixError, match="changed since it was read"):
        write_config(config, edits)
    assert path.read_bytes() == changed
    assert not path.with_name(path.name + ".bak").exists()


@pytest.mark.parametrize("client", FORMATS)
def test_nothing_is_written_when_nothing_changes(tmp_path, client):
    path = place(tmp_path, client)
    config = load_config(str(path))
    same = [(e.name, e.url) for e in config.entries if e.url and not e.unresolved and not e.resolved_url]
    edits = plan(report_for(config, same), [config])
    assert edits == ()
    mtime = os.stat(path).st_mtime_ns
    write_config(config, edits)
    assert os.stat(path).st_mtime_ns == mtime and not path.with_name(path.name + ".bak").exists()
