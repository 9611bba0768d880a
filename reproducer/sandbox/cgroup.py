"""A control group per run: memory without swap, a process count and a CPU quota, the OOM kills it saw,
and a kill that reaches every process in it.

Made as a child of the cgroup this runner is in (so a limit placed on the runner still holds over
it), on cgroup v2 or on the v1 memory/pids/cpu hierarchies. It needs write access there, which root has
on a host or in a VM; in a container without a delegated cgroup none can be made and the caller falls
back to rlimits. Leftovers of a runner that died are swept when the next one is made.
"""

import contextlib
import os
import re
import signal
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reproducer.sandbox.limits import RunLimits

CGROUP_ROOT = Path("/sys/fs/cgroup")
PREFIX = "reproducer-"
V1_CONTROLLERS = ("memory", "pids", "cpu")
CPU_PERIOD_US = 100_000
KILL_SWEEPS = 50
KILL_PAUSE_SECONDS = 0.05


@dataclass(frozen=True)
class RunCgroup:
    """One run's cgroup: `dirs` maps a v1 controller (or "unified" on v2) to its directory."""

    dirs: dict[str, Path]

    @property
    def procs_files(self) -> list[Path]:
        return [d / "cgroup.procs" for d in self.dirs.values()]

    def enter(self) -> Callable[[], None]:
        """A `preexec_fn` step moving the forked child into the cgroup (os calls only, safe after fork)."""
        paths = [str(p) for p in self.procs_files]

        def apply() -> None:
            pid = str(os.getpid()).encode()
            for path in paths:
                fd = os.open(path, os.O_WRONLY)
                try:
                    os.write(fd, pid)
                finally:
                    os.close(fd)

        return apply

    def pids(self) -> set[int]:
        found: set[int] = set()
        for path in self.procs_files:
            with contextlib.suppress(OSError):
                found |= {int(line) for line in path.read_text().split()}
        return found

    @property
    def memory_dir(self) -> Path:
        return self.dirs.get("unified") or self.dirs["memory"]

    def oom_kills(self) -> int:
        """How many processes the kernel's OOM killer killed in this cgroup."""
        for name in ("memory.events", "memory.oom_control"):
            with contextlib.suppress(OSError):
                text = (self.memory_dir / name).read_text()
                match = re.search(r"^oom_kill (\d+)$", text, re.MULTILINE)
                if match:
                    return int(match.group(1))
        return 0

    def kill(self) -> bool:
        """SIGKILL everything in the cgroup until it is empty; False if something survived."""
        unified = self.dirs.get("unified")
        if unified is not None and (unified / "cgroup.kill").exists():
            with contextlib.suppress(OSError):
                (unified / "cgroup.kill").write_text("1")
        for _ in range(KILL_SWEEPS):
            pids = self.pids()
            if not pids:
                return True
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(KILL_PAUSE_SECONDS)
        return not self.pids()

    def remove(self) -> None:
        """Kill what is left and remove the directories (a cgroup with processes cannot be removed)."""
        self.kill()
        for directory in self.dirs.values():
            for _ in range(KILL_SWEEPS):
                try:
                    directory.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(KILL_PAUSE_SECONDS)


def create_cgroup(limits: RunLimits) -> tuple[RunCgroup | None, str]:
    """A new cgroup with `limits` applied, or None and why none could be made here."""
    name = f"{PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}"
    try:
        if (CGROUP_ROOT / "cgroup.controllers").is_file():
            return _create_v2(name, limits), "cgroup v2"
        return _create_v1(name, limits), "cgroup v1"
    except OSError as error:
        return None, f"no cgroup could be made here ({error}); rlimits only"


def _own_paths() -> dict[str, str]:
    """This process's cgroup path per v1 controller, and under "" its v2 path."""
    paths: dict[str, str] = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            paths[controller] = path
    return paths


def _create_v2(name: str, limits: RunLimits) -> RunCgroup:
    parent = CGROUP_ROOT / _own_paths()[""].lstrip("/")
    enabled = (parent / "cgroup.subtree_control").read_text().split()
    missing = [c for c in ("memory", "pids", "cpu") if c not in enabled]
    if missing:  # fails when the parent holds processes itself (cgroup v2's no-internal-process rule)
        (parent / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in missing))
    _sweep(parent)
    directory = parent / name
    directory.mkdir()
    cgroup = RunCgroup({"unified": directory})
    try:
        (directory / "memory.max").write_text(str(limits.memory_bytes))
        if (directory / "memory.swap.max").exists():
            (directory / "memory.swap.max").write_text("0")
        (directory / "pids.max").write_text(str(limits.pids))
        quota = int(limits.cpus * CPU_PERIOD_US)
        (directory / "cpu.max").write_text(f"{quota} {CPU_PERIOD_US}")
    except OSError:
        cgroup.remove()
        raise
    return cgroup


def _create_v1(name: str, limits: RunLimits) -> RunCgroup:
    own = _own_paths()
    dirs: dict[str, Path] = {}
    cgroup = RunCgroup(dirs)
    try:
        for controller in V1_CONTROLLERS:
            parent = CGROUP_ROOT / controller / own.get(controller, "/").lstrip("/")
            _sweep(parent)
            (parent / name).mkdir()
            dirs[controller] = parent / name
        memory = dirs["memory"]
        (memory / "memory.limit_in_bytes").write_text(str(limits.memory_bytes))
        if (memory / "memory.memsw.limit_in_bytes").exists():  # memory + swap = memory: no swap
            (memory / "memory.memsw.limit_in_bytes").write_text(str(limits.memory_bytes))
        (dirs["pids"] / "pids.max").write_text(str(limits.pids))
        (dirs["cpu"] / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
        (dirs["cpu"] / "cpu.cfs_quota_us").write_text(str(int(limits.cpus * CPU_PERIOD_US)))
    except OSError:
        cgroup.remove()
        raise
    return cgroup


def _sweep(parent: Path) -> None:
    """Remove the cgroups of runners that are gone, killing what still runs in them."""
    with contextlib.suppress(OSError):
        for entry in parent.iterdir():
            match = re.fullmatch(rf"{PREFIX}(\d+)-[0-9a-f]+", entry.name)
            if match and entry.is_dir() and not _alive(int(match.group(1))):
                RunCgroup({"leftover": entry}).remove()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
