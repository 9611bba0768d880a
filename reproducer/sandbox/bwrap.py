"""Bubblewrap: whether it works here, and the command line that confines one command.

The sandbox's root is an empty read-only tmpfs holding only what a command needs (see `hostview`):
the system directories, a few /etc entries, the interpreters and environments it is given, and the
capsule, also at the mount points Code Ocean capsules expect (`/capsule`, `/code`, `/data`, `/results`).
The command runs as uid 1000 in its own user namespace with no capabilities and cannot create further
user namespaces (so it cannot regain capabilities to remount anything); `/tmp` and `/dev/shm` are
tmpfs of a fixed size. Run by root, bubblewrap maps that uid to root outside: the defence is that
nothing of the host that root owns is mounted writable, and nothing private is mounted at all.
"""

import functools
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from reproducer.sandbox.hostview import SANDBOX_GID, SANDBOX_UID, system_mounts

PROBE_TIMEOUT_SECONDS = 15.0
CODE_OCEAN_DIRS = ("code", "data", "results")
PROBE_TMP_BYTES = 1024 * 1024


def bwrap_command(
    command: Sequence[str],
    *,
    capsule_dir: Path | None,
    cwd: Path,
    read_only: Sequence[Path],
    env: Mapping[str, str],
    network: bool,
    tmp_bytes: int,
    writable: Sequence[Path] = (),
    capsule_writable: bool = True,
    placed: Mapping[Path, Path] | None = None,
    user_namespace: bool | None = None,
) -> list[str]:
    """bwrap's argv running `command` in `cwd`, with only the capsule dir, `writable` (HOME among them)
    and /tmp writable (the capsule read-only unless `capsule_writable`). `placed` binds host files
    read-only at other paths inside (a tool whose own path would reveal the host's layout).
    `user_namespace` (default: whenever one can be made here) runs the command as uid 1000 in one."""
    user = _user_namespace() if user_namespace is None else user_namespace
    args = [shutil.which("bwrap") or "bwrap", *_namespaces(network, user), *system_mounts()]
    args += ["--dev", "/dev", "--proc", "/proc"]
    # /dev/shm would otherwise be part of /dev's tmpfs, which has no size limit.
    for tmpfs in ("/tmp", "/dev/shm"):
        args += ["--size", str(tmp_bytes), "--perms", "1777", "--tmpfs", tmpfs]
    for path in read_only:
        args += ["--ro-bind", str(path), str(path)]
    for path in writable:
        args += ["--bind", str(path), str(path)]
    for source, inside in (placed or {}).items():
        args += ["--ro-bind", str(source), str(inside)]
    if capsule_dir is not None:
        bind = "--bind" if capsule_writable else "--ro-bind"
        args += [bind, str(capsule_dir), str(capsule_dir), bind, str(capsule_dir), "/capsule"]
        for name in CODE_OCEAN_DIRS:
            if (capsule_dir / name).is_dir():
                args += [bind, str(capsule_dir / name), f"/{name}"]
    args += ["--remount-ro", "/", "--clearenv"]
    for name, value in env.items():
        args += ["--setenv", name, value]
    return [*args, "--chdir", str(cwd), "--", *command]


def _namespaces(network: bool, user: bool) -> list[str]:
    args = ["--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_GID), "--disable-userns"]
    args = [*(args if user else []), "--cap-drop", "ALL", "--unshare-pid", "--unshare-ipc", "--unshare-uts"]
    args += ["--unshare-cgroup-try", "--die-with-parent", "--new-session", "--hostname", "sandbox"]
    return [*args, "--share-net" if network else "--unshare-net"]


def bwrap_problem() -> str | None:
    """Why bubblewrap (the `bwrap` on PATH) cannot confine commands here, or None when it can."""
    binary = shutil.which("bwrap")
    if binary is None:
        return "bwrap is not installed (apt-get install bubblewrap)"
    return _probe(binary)[0]


def bwrap_caveat() -> str | None:
    """What bubblewrap's confinement lacks here: None, or that no user namespace can be made (then,
    run by root, commands run as root without capabilities)."""
    binary = shutil.which("bwrap")
    if binary is None or _probe(binary)[1]:
        return None
    return "no user namespace can be made here: commands run as root, without capabilities"


def _user_namespace() -> bool:
    binary = shutil.which("bwrap")
    return binary is None or _probe(binary)[1]


@functools.cache
def _probe(binary: str) -> tuple[str | None, bool]:
    """(why bubblewrap cannot confine commands, or None; whether it can use a user namespace). Without
    one, root may still confine commands, as root without capabilities."""
    problem: str | None = None
    for user in (True, False) if os.geteuid() == 0 else (True,):
        probe = bwrap_command(
            ["true"],
            capsule_dir=None,
            cwd=Path("/"),
            read_only=[],
            env={},
            network=False,
            tmp_bytes=PROBE_TMP_BYTES,
            user_namespace=user,
        )
        try:
            done = subprocess.run(
                [binary, *probe[1:]], capture_output=True, text=True, timeout=PROBE_TIMEOUT_SECONDS
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"{binary} could not be started: {error}", True
        if done.returncode == 0:
            return None, user
        problem = problem or (done.stderr.strip() or f"exit {done.returncode}")
    return f"{binary} cannot create namespaces here: {problem}", True
