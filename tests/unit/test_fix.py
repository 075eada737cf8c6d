"""Planning and writing edits: only the URL's bytes change, and the file is never damaged."""

from __future__ import annotations

import os

import pytest

from mcp_dockernet.errors import FixError
from mcp_dockernet.fix.apply import write_config
from mcp_dockernet.fix.plan import Edit, _url_edit, diff
from mcp_dockernet.loaders.mcp_config import load_config

ORIGINAL = (
    '{\r\n    "mcpServers":{ "z-last": {"url":"http://localhost:8000/mcp" , "type":"http",'
    ' "headers": {"Authorization": "Bearer tok-999"}},\r\n'
    '  "b": {"command": "x"}\r\n}}'
)


def _config(tmp_path, text=ORIGINAL, bom=False):
    path = tmp_path / ".mcp.json"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path, load_config(str(path))


def _edit(config, new="http://localhost:3000/mcp") -> Edit:
    entry = config.entries[0]
    return _url_edit(config, entry.name, entry.url, new, entry.url_span)


def test_only_the_changed_characters_are_replaced(tmp_path):
    _, config = _config(tmp_path)
    edit = _edit(config)
    assert (edit.replacement, edit.end - edit.start) == ("3", 1)


@pytest.mark.parametrize("bom", [False, True])
def test_write_changes_only_the_url_bytes_and_keeps_a_backup(tmp_path, bom):
    path, config = _config(tmp_path, bom=bom)
    before = path.read_bytes()
    os.chmod(path, 0o640)
    write_config(config, [_edit(config)])
    assert path.read_bytes() == before.replace(b"localhost:8000", b"localhost:3000")
    assert (tmp_path / ".mcp.json.bak").read_bytes() == before
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o640)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".mcp-dockernet-")] == []


def test_escaped_url_is_rewritten_as_a_whole_token(tmp_path):
    path, config = _config(tmp_path, '{"mcpServers": {"a": {"url": "http:\\/\\/localhost:8000\\/mcp"}}}')
    write_config(config, [_edit(config)], backup=False)
    assert path.read_text() == '{"mcpServers": {"a": {"url": "http://localhost:3000/mcp"}}}'
    assert not (tmp_path / ".mcp.json.bak").exists()


def test_refuses_when_the_file_changed_underneath(tmp_path):
    path, config = _config(tmp_path)
    path.write_text(ORIGINAL.replace("z-last", "renamed"))
    changed = path.read_bytes()
    with pytest.raises(FixError, match="changed since it was read"):
        write_config(config, [_edit(config)])
    assert path.read_bytes() == changed
    assert not (tmp_path / ".mcp.json.bak").exists()


def test_symlink_is_written_through_to_its_target(tmp_path):
    real = tmp_path / "dotfiles" / "mcp.json"
    real.parent.mkdir()
    real.write_text(ORIGINAL)
    link = tmp_path / ".mcp.json"
    link.symlink_to(real)
    config = load_config(str(link))
    write_config(config, [_edit(config)])
    assert link.is_symlink()
    assert "localhost:3000" in real.read_text()


def test_no_edits_touch_nothing(tmp_path):
    path, config = _config(tmp_path)
    stat = os.stat(path)
    write_config(config, [])
    assert os.stat(path).st_mtime_ns == stat.st_mtime_ns
    assert not (tmp_path / ".mcp.json.bak").exists()


def test_diff_masks_secrets_and_url_credentials(tmp_path):
    text = (
        '{\n "mcpServers": {\n  "a": {"url": "http://localhost:8000/mcp?token=abc", '
        '"headers": {"Authorization": "Bearer tok-999"}},\n'
        '  "b": {"url": "http://u:pw@localhost:1/mcp"}\n }\n}\n'
    )
    _, config = _config(tmp_path, text)
    shown = diff(config, [_edit(config, "http://localhost:3000/mcp?token=abc")])
    assert "localhost:3000" in shown and "localhost:8000" in shown
    for secret in ("abc", "tok-999", ":pw@"):
        assert secret not in shown
