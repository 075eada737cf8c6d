"""The probe's own code, carried into a client's container: read-only mounts, or a copy for exec.

What is carried is small and pure Python: this package and httpx with its dependencies. The
container's python3 must be 3.11 or newer (the model uses StrEnum); an older one fails, and the
caller tries the next way.
"""

from __future__ import annotations

import importlib.util
import io
import json
import tarfile
import uuid
from pathlib import Path
from typing import Any

MODULE = "mcp_dockernet.probes.remote"
MOUNT_ROOT = "/opt/mcp-dockernet-probe"
# httpx and what it imports; each found as a package directory or a single module file.
CARRIED = ("mcp_dockernet", "httpx", "httpcore", "h11", "anyio", "idna", "certifi", "sniffio", "typing_extensions")


def sources() -> dict[str, Path]:
    """name -> the package directory or module file on this machine."""
    found = {}
    for name in CARRIED:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        origin = Path(spec.origin)
        found[name] = origin.parent if origin.name == "__init__.py" else origin
    return found


def bind_mounts() -> dict[str, str]:
    """host path -> container path, for a helper container of the client's image."""
    return {str(path): f"{MOUNT_ROOT}/{path.name}" for path in sources().values()}


def archive(root: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A tar of the carried code under ``root`` (no byte-code caches), and ``extra`` files (name -> bytes)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in sources().values():
            tar.add(path, arcname=f"{root}/{path.name}", filter=_no_cache)
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644  # read by the exec user, whoever it is
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _no_cache(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
    if "__pycache__" in info.name or info.name.endswith(".pyc"):
        return None
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def file_archive(files: dict[str, bytes]) -> bytes:
    """A tar of files at absolute paths, to unpack at "/" (a probe request that holds secrets)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path, data in files.items():
            info = tarfile.TarInfo(path.lstrip("/"))
            info.size, info.mode = len(data), 0o644  # the helper may run as another user (USER 10001)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def exec_probe(api: Any, container_id: str, request: str, *, as_file: bool = False) -> bytes:
    """docker exec python3 in the client container itself, with the code copied to /tmp and removed after.

    ``as_file``: the request holds secrets, so it travels in the copied directory, not in the command.
    """
    root = f"mcp-dockernet-probe-{uuid.uuid4().hex[:8]}"
    extra = {f"{root}/request.json": request.encode()} if as_file else {}
    if not api.put_archive(container_id, "/tmp", archive(root, extra)):
        raise RuntimeError("could not copy the probe code into /tmp")
    argument = f"@/tmp/{root}/request.json" if as_file else request
    try:
        out = _exec(api, container_id, ["python3", "-m", MODULE, argument], {"PYTHONPATH": f"/tmp/{root}"})
    finally:
        cleanup = f"import shutil; shutil.rmtree({json.dumps('/tmp/' + root)}, ignore_errors=True)"
        try:
            _exec(api, container_id, ["python3", "-c", cleanup], {})
        except Exception:  # nothing we can do; the directory holds no secret, only our code
            pass
    return out


def _exec(api: Any, container_id: str, command: list[str], env: dict[str, str]) -> bytes:
    created = api.exec_create(container_id, command, environment=env or None, stdout=True, stderr=True)
    stdout, stderr = api.exec_start(created["Id"], demux=True)
    code = api.exec_inspect(created["Id"]).get("ExitCode")
    if code != 0:
        lines = (stderr or stdout or b"").decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"exec exit {code}: {lines[-1] if lines else 'no message'}")
    return bytes(stdout or b"")
