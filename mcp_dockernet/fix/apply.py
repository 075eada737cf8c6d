"""Write planned edits to a user's file without ever damaging or losing it.

Temp file in the same directory, fsync, os.replace: a crash leaves the old file or the new one,
never half of one. The original is kept as PATH.bak; the mode (and owner, when we may) is kept;
a symlink is written through to its target; a file that changed since it was read is refused.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from collections.abc import Sequence

from mcp_dockernet.errors import FixError
from mcp_dockernet.fix.plan import Edit, apply_to_text
from mcp_dockernet.model import ConfigFile

BOM = "\ufeff"


def write_config(config: ConfigFile, edits: Sequence[Edit], *, backup: bool = True, in_place: bool = False) -> str:
    """Apply the edits to one file; returns the path written (the symlink's target, if any).

    ``in_place`` is for a file bind-mounted into a container as a single file: the mount pins
    the inode, so a rename would leave the container reading the old file (and inside the
    container a rename onto the mount fails with EBUSY). Then the file is overwritten in place,
    after the backup, and read back to verify.
    """
    if not edits:
        return config.path
    target = os.path.realpath(config.path)
    current = _read(target)
    if hashlib.sha256(current).hexdigest() != config.sha256 or any(e.expected_sha256 != config.sha256 for e in edits):
        raise FixError(f"{config.path}: the file changed since it was read; nothing was written, run the command again")
    new_text = apply_to_text(config.text, edits)
    data = ((BOM if config.has_bom else "") + new_text).encode("utf-8")
    info = os.stat(target)
    if backup or in_place:  # an in-place write is only safe with a copy beside it
        _atomic_write(target + ".bak", current, info)
    if hashlib.sha256(_read(target)).hexdigest() != config.sha256:  # last look, just before the swap
        raise FixError(f"{config.path}: the file changed while it was being fixed; nothing was written")
    if in_place:
        _write_in_place(target, data)
        return target
    try:
        _atomic_write(target, data, info)
    except _MountPinned:  # we run inside a container where the file is a single-file bind mount
        _write_in_place(target, data)
    return target


class _MountPinned(FixError):
    """os.replace onto a single-file bind mount fails with EBUSY: the mount pins the inode."""


def _write_in_place(path: str, data: bytes) -> None:
    try:
        with open(path, "r+b") as f:
            f.write(data)
            f.truncate()
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:
        raise FixError(f"{path}: the in-place write failed ({e.strerror or e}); restore it from {path}.bak") from None
    if _read(path) != data:
        raise FixError(f"{path}: reading it back after the write gave other bytes; restore it from {path}.bak")


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise FixError(f"{path}: cannot read it again before writing: {e.strerror or e}") from None


def _atomic_write(path: str, data: bytes, like: os.stat_result) -> None:
    directory = os.path.dirname(path) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=".mcp-dockernet-", dir=directory)
    except OSError as e:
        raise FixError(f"{path}: cannot create a temporary file beside it: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, like.st_mode & 0o7777)
        if hasattr(os, "chown") and os.geteuid() == 0:
            os.chown(tmp, like.st_uid, like.st_gid)
        os.replace(tmp, path)
    except OSError as e:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if e.errno == errno.EBUSY:
            raise _MountPinned(f"{path}: busy (a single-file bind mount)") from None
        raise FixError(f"{path}: the write failed ({e.strerror or e}); the file was left as it was") from None
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_file(path: str, data: bytes, *, backup: bool = True) -> None:
    """Write a whole file of ours (a Compose override), atomically; an existing one is kept as .bak."""
    if os.path.exists(path):
        info = os.stat(path)
        if backup:
            _atomic_write(path + ".bak", _read(path), info)
    else:
        info = os.stat_result((0o100644, 0, 0, 0, os.getuid(), os.getgid(), 0, 0, 0, 0))
    _atomic_write(path, data, info)
