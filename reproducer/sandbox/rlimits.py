"""Resource limits set in the child between fork and exec (inherited by bwrap and everything below it).

Open files, file size and core dumps are always limited. Memory and processes are the cgroup's job;
without a cgroup, RLIMIT_AS stands in for memory (per process, so coarser) and RLIMIT_NPROC for the
process count. RLIMIT_NPROC counts every process of the real user, which under bubblewrap run by root
is root itself, so it is set above what that user already runs.
"""

import os
import resource
from collections.abc import Callable
from pathlib import Path

from reproducer.sandbox.limits import RunLimits


def _lower(limit: int, value: int) -> None:
    _, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(limit, (value, value))


def rlimit_setter(
    limits: RunLimits, *, cgroup: bool, then: Callable[[], None] | None = None
) -> Callable[[], None]:
    """A `preexec_fn`: only `resource` and `os` calls, nothing that takes locks, so it is safe after fork.
    `cgroup` says a cgroup enforces memory and processes; `then` runs last (entering that cgroup)."""
    file_size = limits.max_file_size_bytes
    address_space = limits.max_address_space_bytes
    processes: int | None = None
    if not cgroup:
        address_space = address_space or limits.memory_bytes
        processes = limits.pids + _processes_of(os.getuid())

    def apply() -> None:
        _lower(resource.RLIMIT_CORE, 0)
        _lower(resource.RLIMIT_FSIZE, file_size)
        _lower(resource.RLIMIT_NOFILE, limits.open_files)
        if address_space is not None:
            _lower(resource.RLIMIT_AS, address_space)
        if processes is not None:
            _lower(resource.RLIMIT_NPROC, processes)
        if then is not None:
            then()

    return apply


def _processes_of(uid: int) -> int:
    count = 0
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                count += 1
        except OSError:
            continue
    return count
