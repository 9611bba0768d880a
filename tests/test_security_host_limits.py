"""`bench -j` from memory: parallel tasks never promise more memory than the machine has free, at the
limit each task's sandbox is really given."""

import os
from pathlib import Path

import pytest

from reproducer.backends import concurrency
from reproducer.docker.limits import GIB, ContainerLimits


@pytest.mark.parametrize(("free_gib", "expected"), [(40, 2), (15, 1), (100, 6)])
def test_jobs_follow_the_sandbox_memory_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, free_gib: int, expected: int
) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text(f"MemTotal: 999999999 kB\nMemAvailable: {free_gib * 1024 * 1024} kB\n")
    monkeypatch.setattr(concurrency, "MEMINFO", meminfo)
    cores = len(os.sched_getaffinity(0))
    assert ContainerLimits().memory_bytes == concurrency.MEMORY_PER_TASK_BYTES
    assert concurrency.default_jobs() == min(cores, expected)
    assert concurrency.default_jobs(free_gib * GIB) == 1
