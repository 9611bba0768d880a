"""How many tasks to run at once when the user does not say: one per core, and as many as the free memory
holds at the memory limit each task's sandbox is given (so parallel tasks cannot oversubscribe it)."""

import os
from pathlib import Path

from reproducer.docker.limits import ContainerLimits

# What one task's sandbox may use: the container's memory limit (the local backend's limits match it).
MEMORY_PER_TASK_BYTES = ContainerLimits().memory_bytes
MEMINFO = Path("/proc/meminfo")
KIB = 1024


def available_bytes() -> int | None:
    """MemAvailable from /proc/meminfo, or None where it cannot be read."""
    try:
        for line in MEMINFO.read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * KIB
    except (OSError, ValueError, IndexError):
        return None
    return None


def default_jobs(memory_per_task_bytes: int = MEMORY_PER_TASK_BYTES) -> int:
    """min(cores, free memory // the memory each task may use), at least 1."""
    cores = len(os.sched_getaffinity(0))
    memory = available_bytes()
    by_memory = cores if memory is None else memory // memory_per_task_bytes
    return max(1, min(cores, by_memory))
