"""``docker run`` command lines, parsed as the docker CLI parses them.

The docker CLI parses with spf13/pflag, interspersed off (docker/cli cli/command/container/run.go):
flags come first, the first word that is not a flag is the image, and everything after it is the
container's command, even words that look like flags. pflag's rules, kept here exactly:

- ``--name=value`` or ``--name value``; a boolean takes no separate value (``--rm false`` makes
  "false" the image), only ``--rm=false``; ``--`` ends the flags.
- ``-it`` is a bundle of one-letter flags; the first letter that takes a value takes the rest of
  the word (``-eKEY=v``, ``-dp8080:80``) or, when nothing is left, the next word (``-dp 8080:80``);
  ``-e=KEY`` gives "KEY".
- an unknown flag, a missing value or a bad boolean makes the CLI refuse the whole line: that is
  ``DockerRun.problem``, in the CLI's own words.

The flag tables are the docker 28 CLI's (``docker run --help``, ``docker --help``, plus the hidden
aliases in docker/cli cli/command/container/opts.go: ``--net``, ``--net-alias`` and the Windows-only
ones). Podman accepts many more flags, so for podman an unknown long flag is not a refusal.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace

from mcp_dockernet.model import DockerFlag, DockerRun

# Long name -> takes a value. Short letters map to long names.
_RUN_FLAGS: dict[str, bool] = {
    **dict.fromkeys(
        "add-host attach blkio-weight blkio-weight-device cap-add cap-drop cgroup-parent cgroupns cidfile "
        "cpu-period cpu-quota cpu-rt-period cpu-rt-runtime cpu-shares cpus cpuset-cpus cpuset-mems detach-keys "
        "device device-cgroup-rule device-read-bps device-read-iops device-write-bps device-write-iops dns "
        "dns-option dns-search domainname entrypoint env env-file expose gpus group-add health-cmd health-interval "
        "health-retries health-start-period health-start-interval health-timeout hostname ip ip6 ipc isolation "
        "kernel-memory label label-file link link-local-ip log-driver log-opt mac-address memory "
        "memory-reservation memory-swap memory-swappiness mount name network network-alias oom-score-adj pid "
        "pids-limit platform publish pull restart runtime security-opt shm-size stop-signal stop-timeout "
        "storage-opt sysctl tmpfs ulimit user userns uts volume volume-driver volumes-from workdir "
        "net net-alias annotation cpu-count cpu-percent io-maxbandwidth io-maxiops".split(),
        True,
    ),
    **dict.fromkeys(
        "detach disable-content-trust help init interactive no-healthcheck oom-kill-disable privileged "
        "publish-all quiet read-only rm sig-proxy tty use-api-socket".split(),
        False,
    ),
}
_RUN_SHORT = {
    "a": "attach", "c": "cpu-shares", "d": "detach", "e": "env", "h": "hostname", "i": "interactive",
    "l": "label", "m": "memory", "p": "publish", "P": "publish-all", "q": "quiet", "t": "tty",
    "u": "user", "v": "volume", "w": "workdir",
}  # fmt: skip
_GLOBAL_FLAGS: dict[str, bool] = {
    "config": True, "context": True, "host": True, "log-level": True, "tlscacert": True, "tlscert": True,
    "tlskey": True, "debug": False, "tls": False, "tlsverify": False, "version": False, "help": False,
}  # fmt: skip
_GLOBAL_SHORT = {"c": "context", "D": "debug", "H": "host", "l": "log-level", "v": "version", "h": "help"}
# Podman's run flags that docker lacks and that take a value (podman run --help): so that
# "--pod NAME IMAGE" finds the image; other unknown podman flags are read as booleans.
_PODMAN_VALUED = frozenset(
    "arch authfile cert-dir chrootdirs conmon-pidfile decryption-key env-merge gidmap group-entry hostuser "
    "init-ctr init-path os passwd-entry pod pod-id-file preserve-fd preserve-fds rdt-class requires sdnotify "
    "seccomp-policy secret subgidname subuidname systemd timeout tz uidmap umask unsetenv variant".split()
)
_PROGRAMS = frozenset({"docker", "podman"})
_BOOL = re.compile(r"(?i)1|0|t|f|true|false")  # strconv.ParseBool


class _Refused(Exception):
    """The CLI would refuse the line; the message is the CLI's."""


def program_of(command: str) -> str | None:
    """docker or podman when the command runs one of them (a bare name or a path, .exe on Windows)."""
    name = os.path.basename(command.replace("\\", "/")).lower().removesuffix(".exe")
    return name if name in _PROGRAMS else None


def parse_docker_run(command: str, args: tuple[str, ...]) -> DockerRun | None:
    """The parsed ``docker run`` / ``docker container run`` / ``podman run`` line; None when the entry runs something else."""
    program = program_of(command)
    if program is None:
        return None
    global_flags: list[DockerFlag] = []
    try:
        i = _flags(args, 0, _GLOBAL_FLAGS, _GLOBAL_SHORT, global_flags, lenient=program == "podman")
    except _Refused:
        return None  # the CLI fails before it knows the subcommand: not a run line we can speak for
    if i < len(args) and args[i] == "container":
        i += 1
    if i >= len(args) or args[i] != "run":
        return None  # another subcommand: docker mcp gateway run, docker compose run, docker exec, ...
    run_index = i
    flags: list[DockerFlag] = []
    try:
        i = _flags(args, run_index + 1, _RUN_FLAGS, _RUN_SHORT, flags, lenient=program == "podman")
    except _Refused as refused:
        return DockerRun(program, run_index, tuple(global_flags), tuple(flags), problem=str(refused))
    if i >= len(args):
        return DockerRun(program, run_index, tuple(global_flags), tuple(flags),
                         problem=f"'{program} run' requires at least 1 argument")  # fmt: skip
    return DockerRun(program, run_index, tuple(global_flags), tuple(flags), args[i], i, tuple(args[i + 1 :]))


def _flags(
    args: tuple[str, ...],
    i: int,
    table: dict[str, bool],
    short: dict[str, str],
    out: list[DockerFlag],
    *,
    lenient: bool,
) -> int:
    """Read flags from args[i] on into ``out``; the index of the first word that is not a flag."""
    while i < len(args):
        word = args[i]
        if word == "--":
            return i + 1
        if not word.startswith("-") or word == "-":
            return i
        if word.startswith("--"):
            i = _long(args, i, table, out, lenient=lenient)
        else:
            i = _shorts(args, i, table, short, out)
    return i


def _long(args: tuple[str, ...], i: int, table: dict[str, bool], out: list[DockerFlag], *, lenient: bool) -> int:
    word = args[i]
    name, eq, value = word[2:].partition("=")
    valued = table.get(name)
    if valued is None:
        if not lenient:
            raise _Refused(f"unknown flag: --{name}")
        valued = name in _PODMAN_VALUED
    if eq:
        out.append(DockerFlag(name, _checked_bool(value, _shown(name, table)) if not valued else value, i))
        return i + 1
    if not valued:
        out.append(DockerFlag(name, None, i))
        return i + 1
    if i + 1 >= len(args):
        raise _Refused(f"flag needs an argument: --{name}")
    out.append(DockerFlag(name, args[i + 1], i, i + 1))
    return i + 2


def _shorts(args: tuple[str, ...], i: int, table: dict[str, bool], short: dict[str, str], out: list[DockerFlag]) -> int:
    """One word of short flags; each flag of a bundle (more than one flag in the word) says so."""
    word, mine = args[i], []
    letters, k, next_i = word[1:], 0, i + 1
    while k < len(letters):
        letter = letters[k]
        name = short.get(letter)
        if name is None:
            raise _Refused(f"unknown shorthand flag: {letter!r} in -{letters[k:]}")
        rest = letters[k + 1 :]
        if rest.startswith("="):  # -i=false, -e=KEY: the value is what follows "="
            value = rest[1:]
            mine.append(DockerFlag(name, value if table[name] else _checked_bool(value, _shown(name, table)), i))
            break
        if not table[name]:
            mine.append(DockerFlag(name, None, i))
            k += 1
            continue
        if rest:  # -eKEY=v, -dp8080:80: the value is the rest of the word
            mine.append(DockerFlag(name, rest, i))
        elif i + 1 >= len(args):
            raise _Refused(f"flag needs an argument: {letter!r} in -{letter}")
        else:
            mine.append(DockerFlag(name, args[i + 1], i, i + 1))
            next_i = i + 2
        break
    out += [replace(f, bundled=True) for f in mine] if len(mine) > 1 else mine
    return next_i


def _shown(name: str, table: dict[str, bool]) -> str:
    """The flag as pflag names it in errors: "-t, --tty" when it has a letter, else "--rm"."""
    short = _RUN_SHORT if table is _RUN_FLAGS else _GLOBAL_SHORT
    letter = next((k for k, v in short.items() if v == name), None)
    return f"-{letter}, --{name}" if letter else f"--{name}"


def _checked_bool(value: str, shown: str) -> str:
    if not _BOOL.fullmatch(value):
        raise _Refused(
            f'invalid argument "{value}" for "{shown}" flag: strconv.ParseBool: parsing "{value}": invalid syntax'
        )
    return value
