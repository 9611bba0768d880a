"""Limits of a sandbox container as a whole; defaults fit a 2-core / 24 GiB machine running one capsule."""

from pydantic import BaseModel, ConfigDict, Field

MIB = 1024 * 1024
GIB = 1024 * MIB
NANO = 1_000_000_000


class ContainerLimits(BaseModel):
    """What the engine enforces on the container (its cgroup and its processes' ulimits).

    Memory has no swap on top (the engine's memory+swap limit equals `memory_bytes`), so a hog is
    OOM-killed instead of thrashing the host. `/tmp` is a tmpfs of `tmp_bytes` (it counts towards the
    memory limit too): a capsule cannot fill the host's disk through it. `/dev/shm` is a tmpfs that
    counts towards the memory limit; PyTorch data loaders need more than Docker's default 64 MiB.
    `file_size_bytes` caps any one file a process writes, `log_*` the engine's log of the container
    (only PID 1 writes to it).
    `open_files` may not exceed the engine's own hard limit (the container cannot raise it without
    CAP_SYS_RESOURCE): engines started by hand often have 20000 or less.
    """

    model_config = ConfigDict(frozen=True)

    memory_bytes: int = Field(default=16 * GIB, ge=64 * MIB)
    cpus: float = Field(default=2.0, gt=0)
    pids: int = Field(default=4096, ge=32)
    shm_bytes: int = Field(default=2 * GIB, ge=MIB)
    tmp_bytes: int = Field(default=2 * GIB, ge=MIB)
    open_files: int = Field(default=8192, ge=256)
    file_size_bytes: int = Field(default=16 * GIB, ge=MIB)
    log_max_bytes: int = Field(default=10 * MIB, ge=1024)
    log_files: int = Field(default=3, ge=1)

    @property
    def nano_cpus(self) -> int:
        return int(self.cpus * NANO)

    @property
    def threads(self) -> int:
        """Threads a numeric library should start (OMP_NUM_THREADS and friends): one per CPU allowed."""
        return max(1, int(self.cpus))
