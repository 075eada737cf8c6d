"""The lab's engine behind TLS on a loopback port, without touching the shared dockerd: a small TLS proxy.

It listens on 127.0.0.1 with a server certificate of a throwaway CA, requires a client certificate of the
same CA (as `dockerd --tlsverify` does), and pipes each connection to the engine's unix socket. The
certificates are made with the openssl CLI in a temp dir, named as DOCKER_CERT_PATH expects (ca.pem,
cert.pem, key.pem for the client). Bounded: at most MAX_CONNECTIONS at once; stopped at the end.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import subprocess
import threading
from pathlib import Path

ENGINE_SOCKET = "/var/run/docker.sock"
MAX_CONNECTIONS = 32


def make_certs(d: Path) -> None:
    """ca.pem, server-{cert,key}.pem (IP 127.0.0.1) and the client's cert.pem/key.pem, all signed by the CA."""
    d.mkdir(parents=True, exist_ok=True)

    def ossl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True, timeout=60)

    ossl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2",
         "-subj", "/CN=mdn-test-ca")  # fmt: skip
    (d / "server.ext").write_text("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    (d / "client.ext").write_text("extendedKeyUsage=clientAuth\n")
    for who, key, cert in (("server", "server-key.pem", "server-cert.pem"), ("client", "key.pem", "cert.pem")):
        ossl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", f"{who}.csr", "-subj", f"/CN=mdn-{who}")
        ossl("x509", "-req", "-in", f"{who}.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
             "-out", cert, "-days", "2", "-extfile", f"{who}.ext")  # fmt: skip


class TlsProxy:
    def __init__(self, certs: Path) -> None:
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(certs / "ca.pem"))
        self.context.load_cert_chain(str(certs / "server-cert.pem"), str(certs / "server-key.pem"))
        self.context.verify_mode = ssl.CERT_REQUIRED
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = int(self.listener.getsockname()[1])
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.listener.close()
        self.thread.join(timeout=10)

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                raw, _ = self.listener.accept()
            except OSError:
                return
            if not self.slots.acquire(timeout=10):
                raw.close()
                continue
            threading.Thread(target=self._one, args=(raw,), daemon=True).start()

    def _one(self, raw: socket.socket) -> None:
        try:
            with contextlib.closing(raw), self.context.wrap_socket(raw, server_side=True) as tls:
                with socket.socket(socket.AF_UNIX) as engine:
                    engine.connect(ENGINE_SOCKET)
                    back = threading.Thread(target=_pipe, args=(engine, tls), daemon=True)
                    back.start()
                    _pipe(tls, engine)
                    back.join(timeout=60)
        except (OSError, ssl.SSLError):
            pass  # a client that failed the handshake (the test of a wrong certificate) or went away
        finally:
            self.slots.release()


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    with contextlib.suppress(OSError):
        dst.shutdown(socket.SHUT_WR)
