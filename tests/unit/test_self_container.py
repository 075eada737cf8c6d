from __future__ import annotations

import mcp_dockernet.collectors.self_container as sc

ID = "4f1c2d3e4f5a" + "0" * 52
MOUNTINFO = (
    "612 600 0:52 / / rw,relatime - overlay overlay rw\n"
    f"640 612 254:1 /var/lib/docker/containers/{ID}/hostname /etc/hostname rw - ext4 /dev/vda rw\n"
)


def test_the_container_id_comes_from_the_engines_bind_mounts(tmp_path, monkeypatch):
    info = tmp_path / "mountinfo"
    info.write_text(MOUNTINFO)
    monkeypatch.setattr(sc.os.path, "exists", lambda p: p == "/.dockerenv")
    assert sc.own_container_id(str(info)) == ID


def test_not_in_a_container(monkeypatch):
    monkeypatch.setattr(sc.os.path, "exists", lambda p: False)
    assert sc.own_container_id() is None
