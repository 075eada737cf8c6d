"""Planning and writing edits: only the URL's bytes change, and the file is never damaged."""

from __future__ import annotations

import json
import os

import pytest

from mcp_dockernet.errors import FixError
from mcp_dockernet.fix.apply import write_config
from mcp_dockernet.fix.plan import Edit, _url_edit, diff
from mcp_dockernet.mcpconfig.mcp_config import load_config

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


# --- the file as the client reads it: which containers mount it, the in-place write, the read-back


def _container(name, mounts, state=None):
    from mcp_dockernet.model import Container, ContainerState, MountInfo

    return Container(
        id=name * 4,
        name=name,
        image="img",
        state=state or ContainerState.RUNNING,
        compose_project="p",
        compose_service=name,
        compose_files=("/srv/p/compose.yaml",),
        mounts=tuple(MountInfo(*m) for m in mounts),
    )


@pytest.mark.parametrize(
    ("mounts", "expected"),
    [
        ([("bind", "/h/cfg/mcp.json", "/config/mcp.json")], [("/config/mcp.json", True)]),
        ([("bind", "/h/cfg", "/config")], [("/config/mcp.json", False)]),
        ([("bind", "/h/cfg/", "/config/")], [("/config/mcp.json", False)]),
        (
            [("bind", "/h", "/work"), ("bind", "/h/cfg/mcp.json", "/etc/mcp.json")],
            [("/work/cfg/mcp.json", False), ("/etc/mcp.json", True)],
        ),
        ([("bind", "/h/cfgx", "/config")], []),  # a sibling directory whose name only starts alike
        ([("volume", "/h/cfg", "/config")], []),  # a named volume's data directory is not the user's file
        ([("bind", "/h/cfg/other.json", "/config/mcp.json")], []),
    ],
)
def test_mount_sites_finds_each_mount_that_carries_the_file(mounts, expected):
    from mcp_dockernet.collectors.client_view import mount_sites

    sites = mount_sites("/h/cfg/mcp.json", [_container("agent", mounts)])
    assert [(s.inside, s.single_file) for s in sites] == expected


def test_mount_sites_skips_stopped_containers_and_follows_symlinked_sources():
    from mcp_dockernet.collectors.client_view import mount_sites
    from mcp_dockernet.model import ContainerState

    stopped = _container("old", [("bind", "/h/cfg/mcp.json", "/config/mcp.json")], ContainerState.EXITED)
    linked = _container("agent", [("bind", "/link/mcp.json", "/config/mcp.json")])
    resolve = {"/link/mcp.json": "/h/cfg/mcp.json"}.get
    sites = mount_sites("/h/cfg/mcp.json", [stopped, linked], lambda s: resolve(s) or s)
    assert [(s.container.name, s.single_file) for s in sites] == [("agent", True)]


def test_in_place_write_keeps_the_inode_and_mode_and_always_keeps_a_backup(tmp_path):
    path, config = _config(tmp_path)
    os.chmod(path, 0o600)
    before, inode = path.read_bytes(), os.stat(path).st_ino
    write_config(config, [_edit(config)], backup=False, in_place=True)
    assert os.stat(path).st_ino == inode
    assert path.read_bytes() == before.replace(b"localhost:8000", b"localhost:3000")
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o600)
    assert (tmp_path / ".mcp.json.bak").read_bytes() == before  # --no-backup or not: in place needs a copy


def test_in_place_write_refuses_a_file_changed_underneath(tmp_path):
    path, config = _config(tmp_path)
    path.write_text(ORIGINAL.replace("8000", "8001"))
    with pytest.raises(FixError, match="changed since it was read"):
        write_config(config, [_edit(config)], in_place=True)
    assert "8001" in path.read_text()


class _FakeApi:
    def __init__(self, pid, cat=b"", exit_code=0):
        self.pid, self.cat, self.exit_code, self.execs = pid, cat, exit_code, []

    def inspect_container(self, cid):
        return {"State": {"Pid": self.pid}}

    def exec_create(self, cid, cmd, **kw):
        self.execs.append(cmd)
        return {"Id": "e1"}

    def exec_start(self, eid):
        return self.cat

    def exec_inspect(self, eid):
        return {"ExitCode": self.exit_code}


def test_read_view_reads_through_proc_root_when_local_else_execs_cat(tmp_path):
    from mcp_dockernet.collectors.client_view import mount_sites, read_view

    (tmp_path / "42" / "root" / "config").mkdir(parents=True)
    (tmp_path / "42" / "root" / "config" / "mcp.json").write_bytes(b"as the container sees it")
    (site,) = mount_sites("/h/cfg/mcp.json", [_container("agent", [("bind", "/h/cfg", "/config")])])

    local = read_view(_FakeApi(42), site, local=True, proc=tmp_path)
    assert (local.content, local.how) == (b"as the container sees it", "/proc/42/root")

    api = _FakeApi(42, cat=b"through exec")
    remote = read_view(api, site, local=False, proc=tmp_path)
    assert (remote.content, remote.how, api.execs) == (
        b"through exec",
        "docker exec cat",
        [["cat", "/config/mcp.json"]],
    )

    failed = read_view(_FakeApi(42, exit_code=1), site, local=False, proc=tmp_path)
    assert failed.content is None and "cat /config/mcp.json failed" in failed.how
    assert read_view(_FakeApi(0), site, local=True, proc=tmp_path).content is None  # not running


def test_stale_fix_names_the_compose_command_that_recreates_the_container():
    from mcp_dockernet.collectors.client_view import mount_sites, stale_fix

    (site,) = mount_sites("/h/cfg/mcp.json", [_container("agent", [("bind", "/h/cfg/mcp.json", "/config/mcp.json")])])
    assert "docker compose -f /srv/p/compose.yaml up -d --force-recreate agent" in stale_fix(site)
    assert "mount the file's directory" in stale_fix(site)


def test_fix_and_watch_write_in_place_when_any_container_mounts_the_file_however_the_client_was_placed(tmp_path):
    import json

    from mcp_dockernet.model import ClientPlace, EngineState, HostState, Snapshot
    from mcp_dockernet.report import Finding, Report, ServerReport, Severity
    from mcp_dockernet.run import Diagnosis, Selection, mounted_in
    from mcp_dockernet.watch import State, Watcher

    def single_file_mount(snap, path):  # type: ignore[no-untyped-def]
        return next((s.mount for s in mounted_in(snap, path) if s.single_file), None)

    path = tmp_path / "mcp.json"
    path.write_text(json.dumps({"mcpServers": {"s": {"type": "http", "url": "http://localhost:1/mcp"}}}))
    config = load_config(str(path))
    agent = _container("agent", [("bind", str(path), "/config/mcp.json")])
    told = ClientPlace("container", name="agent", reason="--client service:agent", container_id=agent.id)  # no mount
    snap = Snapshot((config,), EngineState((agent,)), HostState(()), places=((str(path), told),))
    assert single_file_mount(snap, str(path)) == agent.mounts[0]
    directory = _container("agent", [("bind", str(tmp_path), "/config")])
    assert single_file_mount(Snapshot((config,), EngineState((directory,)), HostState(())), str(path)) is None

    finding = Finding("wrong-port", Severity.ERROR, "x", "m", "f", suggested_url="http://localhost:2/mcp")
    server = ServerReport(
        config.entries[0], "host", "t", "error", (finding,), finding.suggested_url, None, writable=True
    )
    diagnosis = Diagnosis([config], Report((server,), (config.path,)), snap)
    watcher = Watcher(Selection(configs=(str(path),)), True, State(), diagnose_fn=lambda sel, remembered: diagnosis)
    watcher.round_after_write = lambda: None  # type: ignore[method-assign]
    inode = os.stat(path).st_ino
    watcher.round()
    assert "localhost:2" in path.read_text() and os.stat(path).st_ino == inode
    assert (tmp_path / "mcp.json.bak").exists()


def test_a_suggestion_the_evidence_does_not_support_is_never_planned(tmp_path):
    from mcp_dockernet.fix.plan import plan
    from mcp_dockernet.report import Report, ServerReport

    path = tmp_path / "mcp.json"
    path.write_text(json.dumps({"mcpServers": {"s": {"type": "http", "url": "http://localhost:1/mcp"}}}))
    config = load_config(str(path))
    guess = ServerReport(config.entries[0], "host", "t", "error", (), "http://localhost:2/mcp", None, writable=False)
    notes: list[str] = []
    assert plan(Report((guess,), (config.path,)), [config], notes) == ()
    assert len(notes) == 1 and "only a candidate" in notes[0]
    backed = ServerReport(config.entries[0], "host", "t", "error", (), "http://localhost:2/mcp", None, writable=True)
    assert len(plan(Report((backed,), (config.path,)), [config])) == 1
