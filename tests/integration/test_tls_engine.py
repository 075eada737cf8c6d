"""tcp:// with TLS, for real: the lab's engine behind a TLS proxy on loopback (tests/lab/tls_proxy.py).

Reached with DOCKER_HOST + DOCKER_TLS_VERIFY + DOCKER_CERT_PATH and through a context the docker CLI
made with the same certificates; a client without the certificate is refused in one line. tcp:// to a
loopback address counts as this machine (endpoint.py says why), so the report says local.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lab.docker_lab import free_port
from tests.lab.tls_proxy import TlsProxy, make_certs

pytestmark = [
    pytest.mark.docker,
    pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl CLI to make the test certificates"),
]


@pytest.fixture
def proxy(docker_client, tmp_path) -> Iterator[tuple[TlsProxy, Path]]:  # type: ignore[no-untyped-def]
    certs = tmp_path / "certs"
    make_certs(certs)
    the_proxy = TlsProxy(certs)
    the_proxy.start()
    try:
        yield the_proxy, certs
    finally:
        the_proxy.stop()


def certifi_bundle() -> str:
    import certifi

    return str(certifi.where())


def doctor(env: dict[str, str], cwd: Path, cfg: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DOCKER_")}
    root = str(Path(__file__).resolve().parents[2])
    return subprocess.run(
        [sys.executable, "-m", "mcp_dockernet", "doctor", "--format", "json", "--no-probe", "--config", str(cfg)],
        # A CA bundle in the environment (as behind a corporate proxy) must not replace the engine's ca.pem:
        # requests lets it override a Session's own verify path (psf/requests#3829).
        env={**base, "PYTHONPATH": root, "REQUESTS_CA_BUNDLE": certifi_bundle(), **env},
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_tcp_with_tls_by_env_and_by_context(proxy, tmp_path):
    the_proxy, certs = proxy
    url = f"tcp://127.0.0.1:{the_proxy.port}"
    cfg = tmp_path / ".mcp.json"
    cfg.write_text(json.dumps({"mcpServers": {"a": {"type": "http", "url": f"http://localhost:{free_port()}/mcp"}}}))

    by_env = doctor({"DOCKER_HOST": url, "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(certs)}, tmp_path, cfg)
    assert by_env.returncode in (0, 1), by_env.stderr
    engine = json.loads(by_env.stdout)["engine"]
    assert engine["endpoint"] == url and engine["reachable"] is True and engine["local"] is True
    assert engine["machines"] == "host clients, engine, containers and servers: this machine"

    config = tmp_path / "dockercfg"
    made = subprocess.run(
        ["docker", "context", "create", "tls", "--docker",
         f"host={url},ca={certs / 'ca.pem'},cert={certs / 'cert.pem'},key={certs / 'key.pem'}"],
        env={"PATH": os.environ["PATH"], "DOCKER_CONFIG": str(config), "HOME": str(tmp_path)},
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    by_context = doctor({"DOCKER_CONFIG": str(config), "DOCKER_CONTEXT": "tls"}, tmp_path, cfg)
    assert by_context.returncode in (0, 1), by_context.stderr
    engine = json.loads(by_context.stdout)["engine"]
    assert engine["chosen_by"] == "DOCKER_CONTEXT=tls" and engine["reachable"] is True

    # without the client certificate the proxy refuses the handshake, as dockerd --tlsverify does
    no_cert = tmp_path / "nocert"
    no_cert.mkdir()
    shutil.copy(certs / "ca.pem", no_cert / "ca.pem")
    refused = doctor({"DOCKER_HOST": url, "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(no_cert)}, tmp_path, cfg)
    doc = json.loads(refused.stdout) if refused.stdout else {}
    assert refused.returncode in (0, 1, 2), refused.stderr
    assert doc.get("engine", {}).get("reachable") is False or "error" in doc, refused.stdout
