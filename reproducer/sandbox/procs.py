"""Finding and signalling every process a command started, including those that left its process group.

A command's processes are found three ways: its process group (the command runs in a new session),
a marker variable in the environment (inherited by descendants that call `setsid`; best-effort, since a
process may clear its environment), and, under bubblewrap, the PID namespace (the real guarantee: when
the namespace's PID 1 dies the kernel kills everything in it), and when there is one, the run's cgroup
(which no process can leave).
"""

import contextlib
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from reproducer.sandbox.cgroup import RunCgroup
from reproducer.sandbox.env import MARKER_VARIABLE

PROC = Path("/proc")
# A fork loop can outpace one sweep; sweep again until nothing is left, at most this often.
MAX_SWEEPS = 20
SWEEP_PAUSE_SECONDS = 0.05


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _stat_fields(pid: str) -> list[str]:
    """Fields of /proc/PID/stat after the command name (which may hold spaces): state is [0], pgid [2]."""
    raw = _read(PROC / pid / "stat").decode(errors="replace")
    return raw[raw.rfind(")") + 2 :].split()


def _pid_namespace(pid: int | str) -> str | None:
    try:
        return str((PROC / str(pid) / "ns" / "pid").readlink())
    except OSError:
        return None


def _is_namespace_init(pid: int) -> bool:
    """Whether the process is PID 1 of its own (innermost) PID namespace."""
    for line in _read(PROC / str(pid) / "status").decode(errors="replace").splitlines():
        if line.startswith("NSpid:"):
            return line.split()[-1] == "1"
    return False


def _kill(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, sig)


@dataclass(frozen=True)
class CommandProcesses:
    """The processes of one command: its group `pgid` and whoever carries its `marker` variable."""

    pgid: int
    marker: str
    # Under bubblewrap, the bwrap process: it and its namespace's PID 1 must outlive the command's own
    # processes during the grace period, since their death SIGKILLs the whole namespace at once.
    launcher_pid: int | None = None
    cgroup: RunCgroup | None = None
    # False when the command shares its PID namespace with others (a session's): its processes are
    # then not everything in it.
    whole_namespace: bool = True

    def find(self) -> set[int]:
        """Live (non-zombie) processes in the group, carrying the marker, or sharing a PID namespace
        (other than ours) with one of those."""
        own_namespace = _pid_namespace("self")
        needle = f"{MARKER_VARIABLE}={self.marker}".encode()
        found: set[int] = set()
        their_namespaces: set[str] = set()
        by_namespace: dict[str, set[int]] = {}
        for entry in PROC.iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            fields = _stat_fields(entry.name)
            if len(fields) < 3 or fields[0] in ("Z", "X"):
                continue
            pid = int(entry.name)
            namespace = _pid_namespace(pid)
            foreign = namespace is not None and namespace != own_namespace
            if foreign and namespace is not None:
                by_namespace.setdefault(namespace, set()).add(pid)
            if fields[2] == str(self.pgid) or needle in _read(entry / "environ").split(b"\0"):
                found.add(pid)
                if foreign and namespace is not None:
                    their_namespaces.add(namespace)
        for namespace in their_namespaces if self.whole_namespace else ():
            found |= by_namespace[namespace]
        if self.cgroup is not None:
            found |= self.cgroup.pids() - {os.getpid()}
        return found

    def signal(self, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pgid, sig)
        for pid in self.find():
            _kill(pid, sig)

    def terminate(self) -> None:
        """SIGTERM the command's own processes, sparing the bubblewrap launcher and namespace inits."""
        if self.launcher_pid is None:
            self.signal(signal.SIGTERM)
            return
        for pid in self.find() - {self.launcher_pid}:
            if not _is_namespace_init(pid):
                _kill(pid, signal.SIGTERM)

    def kill_all(self) -> bool:
        """SIGKILL every process of the command until none is left; False if some survived every sweep."""
        for _ in range(MAX_SWEEPS):
            if not self.find():
                return True
            self.signal(signal.SIGKILL)
            time.sleep(SWEEP_PAUSE_SECONDS)
        return not self.find()
