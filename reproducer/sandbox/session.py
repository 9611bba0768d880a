"""A bubblewrap sandbox that lives across commands, so an agent's background jobs outlive the command
that started them without leaving the sandbox's PID namespace.

A supervisor (`sleep infinity`) runs in a fresh bubblewrap sandbox; each command enters that sandbox's
namespaces (user, mount, PID, IPC, UTS, network) with nsenter, so it sees the same files, /tmp and
processes, and cannot see the host's processes (the runner's /proc/PID/environ among them). Entering a
user namespace grants capabilities in it, but only until the next execve: a process whose uid is not
the namespace's root gets none from a file without file capabilities, so the command starts with none,
and `setpriv --no-new-privs` keeps it so. Jobs left in the background are reparented to the
namespace's init. Stopping the launcher ends the namespace, and with it every process inside.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from reproducer.errors import WorkFailed
from reproducer.sandbox.cgroup import RunCgroup
from reproducer.sandbox.limits import RunLimits
from reproducer.sandbox.rlimits import rlimit_setter

SUPERVISOR = ("sleep", "infinity")
START_SECONDS = 10.0
POLL_SECONDS = 0.02
NAMESPACES = ("--mount", "--pid", "--ipc", "--uts", "--net")
# Without a user namespace (root's fallback, see `bwrap_caveat`), entering keeps root's capabilities:
# these securebits make the command's execve grant none, and the bounding set is emptied first.
ROOT_WITHOUT_CAPABILITIES = (
    "--securebits=+noroot,+noroot_locked,+no_setuid_fixup,+no_setuid_fixup_locked",
    "--bounding-set=-all",
    "--inh-caps=-all",
)


def _children(pid: int) -> list[int]:
    """The children of `pid`, from /proc/PID/task/PID/children or, without it, every process's parent."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        pass
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if entry.name.isdigit() and stat[stat.rfind(")") + 2 :].split()[1] == str(pid):
            found.append(int(entry.name))
    return found


def _user_namespace_of(pid: int) -> str:
    try:
        return str(Path(f"/proc/{pid}/ns/user").readlink())
    except OSError:
        return ""


def _own_user_namespace() -> str:
    return _user_namespace_of(os.getpid())


class Session:
    """The supervisor's sandbox; `enter(argv, cwd)` is the argv running a command inside it."""

    def __init__(
        self, bwrap_argv: Sequence[str], env: Mapping[str, str], limits: RunLimits, cgroup: RunCgroup | None
    ) -> None:
        """`bwrap_argv` is the bubblewrap command line up to and including `--`; `env` is the launcher's
        whole environment (bubblewrap's init keeps it, and the commands inside can read it)."""
        enter = cgroup.enter() if cgroup is not None else None
        self.launcher = subprocess.Popen(
            [*bwrap_argv, *SUPERVISOR],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=rlimit_setter(limits, cgroup=cgroup is not None, then=enter),
        )
        self.supervisor = self._find_supervisor()
        self.user_namespace = _own_user_namespace() != _user_namespace_of(self.supervisor)

    def _find_supervisor(self) -> int:
        """The supervisor's pid: the child of bubblewrap's init, itself the launcher's child."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.launcher.poll() is not None:
                error = self.launcher.stderr.read().decode(errors="replace") if self.launcher.stderr else ""
                raise WorkFailed(f"the agent's sandbox could not start: {error.strip()}")
            for init in _children(self.launcher.pid):
                supervisors = _children(init)
                if supervisors:
                    return supervisors[0]
            time.sleep(POLL_SECONDS)
        self.stop()
        raise WorkFailed(f"the agent's sandbox did not start within {START_SECONDS:g} s")

    def alive(self) -> bool:
        return self.launcher.poll() is None and Path(f"/proc/{self.supervisor}").exists()

    def enter(self, argv: Sequence[str], cwd: Path) -> list[str]:
        nsenter = shutil.which("nsenter") or "nsenter"
        target = self.supervisor
        # The working directory is opened through the supervisor's root, so it lies in its mounts.
        user = ["--user", "--preserve-credentials"] if self.user_namespace else []
        where = [f"--target={target}", *user, *NAMESPACES, "--root", f"--wd=/proc/{target}/root{cwd}"]
        drop = [] if self.user_namespace else list(ROOT_WITHOUT_CAPABILITIES)
        return [nsenter, *where, "--", "setpriv", "--no-new-privs", *drop, "--", *argv]

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.launcher.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.launcher.wait(timeout=START_SECONDS)
        if self.launcher.stderr is not None:
            self.launcher.stderr.close()
