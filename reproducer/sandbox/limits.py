"""Limits applied to every command a sandbox runs; defaults are sized for one paper's capsule.

The resource limits match the Docker backend's (`reproducer.docker.limits.ContainerLimits`): 16 GiB of
memory without swap, 2 CPUs, 4096 processes, 8192 open files, 16 GiB per file.
"""

import os

from pydantic import BaseModel, ConfigDict, Field

MIB = 1024 * 1024
GIB = 1024 * MIB
DEFAULT_MAX_DISK_GB = 10.0
# What one sandbox may hold in memory (the Docker backend's container limit is the same).
DEFAULT_MAX_MEMORY_GB = 16.0
MIN_MEMORY_BYTES = 64 * MIB


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0)) or 1


class RunLimits(BaseModel):
    """Caps on one command's files, memory, processes, disk, output and shutdown.

    `memory_bytes`, `pids` and `cpus` are enforced by a cgroup per run when one can be made (else
    memory by RLIMIT_AS and processes by RLIMIT_NPROC, both coarser). `disk_bytes` caps what the
    workspace and HOME may grow by while the sandbox lives (status "disk_limit"); `/tmp` is a tmpfs of
    `tmp_bytes`, which counts towards the memory too. `output_kill_bytes` is how much a
    single stream may print before the command is stopped (status "output_limit"); below it, output
    beyond `stream_cap_bytes` is only dropped from the middle.
    """

    model_config = ConfigDict(frozen=True)

    memory_bytes: int = Field(default=int(DEFAULT_MAX_MEMORY_GB * GIB), ge=MIN_MEMORY_BYTES)
    cpus: float = Field(default=2.0, gt=0)
    pids: int = Field(default=4096, ge=32)
    open_files: int = Field(default=8192, ge=256)
    max_file_size_bytes: int = 16 * GIB
    max_address_space_bytes: int | None = None
    disk_bytes: int = Field(default=int(DEFAULT_MAX_DISK_GB * GIB), ge=MIB)
    disk_poll_seconds: float = 1.0
    tmp_bytes: int = Field(default=2 * GIB, ge=MIB)
    stream_cap_bytes: int = 20 * MIB
    excerpt_bytes: int = 64 * 1024
    output_kill_bytes: int = 1 * GIB
    term_grace_seconds: float = 5.0
    # After timeout + grace the parent gives up waiting for an unkillable process (e.g. stuck in disk I/O).
    backstop_seconds: float = 10.0
    threads: int = Field(default_factory=_cpu_count)
    max_snapshot_files: int = 200_000
    max_reported_changes: int = 2_000
