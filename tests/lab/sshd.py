"""The lab's engine reached as a remote one: a throwaway sshd on a loopback port, a test key, an `ssh` wrapper.

`DOCKER_HOST=ssh://root@127.0.0.1:PORT` then goes through a real ssh connection to `docker system
dial-stdio` on the "engine host" (this machine, as the sshd sees it), exactly as an engine on another
machine is reached. Nothing of the user's ~/.ssh is read or written: the keys, known_hosts and the
client config live in a temp dir, and the `ssh` the docker SDK and CLI run is a wrapper on PATH that
adds `-F` with that config (ssh reads ~/.ssh from the passwd entry, not $HOME). Debian's
openssh-server comes from scripts/lab-sshd (run by scripts/lab-parts). The sshd is stopped by its
pid at the end.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

SSHD = "/usr/sbin/sshd"
START_TIMEOUT = 15.0  # seconds for sshd to accept connections


def free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SshEngine:
    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.port = free_loopback_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"ssh://root@127.0.0.1:{self.port}"

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a process that reaches the engine through this sshd."""
        base = {k: v for k, v in os.environ.items() if not k.startswith("DOCKER_")}
        return {**base, "PATH": f"{self.dir / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}", **extra}

    def start(self) -> None:
        d = self.dir
        d.mkdir(parents=True, exist_ok=True)
        for name in ("host_key", "client_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(d / name)], check=True)
        (d / "authorized_keys").write_text((d / "client_key.pub").read_text())
        (d / "known_hosts").write_text(f"[127.0.0.1]:{self.port} {(d / 'host_key.pub').read_text()}")
        for p in ("host_key", "client_key", "authorized_keys"):
            os.chmod(d / p, 0o600)
        (d / "sshd_config").write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {d / 'host_key'}\n"
            f"AuthorizedKeysFile {d / 'authorized_keys'}\nPidFile {d / 'sshd.pid'}\n"
            "PermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
            "UsePAM no\nStrictModes no\nMaxStartups 50:30:100\nMaxSessions 50\n"
        )
        (d / "ssh_config").write_text(
            f"Host *\n  IdentityFile {d / 'client_key'}\n  IdentitiesOnly yes\n  BatchMode yes\n"
            f"  UserKnownHostsFile {d / 'known_hosts'}\n  StrictHostKeyChecking yes\n  LogLevel ERROR\n"
        )
        (d / "bin").mkdir(exist_ok=True)
        wrapper = d / "bin" / "ssh"
        wrapper.write_text(f'#!/bin/sh\nexec {shutil.which("ssh") or "/usr/bin/ssh"} -F {d / "ssh_config"} "$@"\n')
        wrapper.chmod(0o755)
        os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege separation directory
        log = open(d / "sshd.log", "wb")  # noqa: SIM115 - kept open for the daemon's life
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(d / "sshd_config")], stdout=log, stderr=log)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sshd exited: {(d / 'sshd.log').read_text()[-1000:]}")
            done = subprocess.run(
                ["ssh", "-p", str(self.port), "root@127.0.0.1", "true"], env=self.env(), capture_output=True, timeout=10
            )
            if done.returncode == 0:
                return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"sshd on 127.0.0.1:{self.port} did not accept the test key in {START_TIMEOUT:g} s")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None
