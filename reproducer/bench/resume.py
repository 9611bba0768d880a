"""Before tasks run again in a run directory: kill what a dead runner left, move cut-off attempts aside.

Local sandboxes under bubblewrap die with their runner (`--die-with-parent`); plain-mode commands and
an agent's background jobs may not, so they are found by marker and working folder (`reaper`). Engine
resources (Docker containers) are swept by the backend registry, for backends that leave them.
"""

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field

from reproducer.backends.registry import sweep_leftovers
from reproducer.bench.reaper import kill_leftovers
from reproducer.rundir.bench_layout import INCOMING_PREFIX, BenchDir
from reproducer.rundir.bench_result import TaskResult
from reproducer.rundir.statuses import RETRIED_STATUSES


@dataclass
class Resumed:
    """What was cleaned: killed process ids, removed Docker resources, and cut-off attempts moved aside."""

    killed: set[int] = field(default_factory=set)
    docker_removed: list[str] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def prepare(bench_dir: BenchDir, todo: Iterable[str], *, backend: str, run_id: str | None) -> Resumed:
    """Clean up after earlier runners of `backend` (the caller holds the run lock, so none of them is
    alive)."""
    resumed = Resumed(killed=kill_leftovers(bench_dir.tasks) if bench_dir.tasks.is_dir() else set())
    resumed.docker_removed, resumed.notes = sweep_leftovers(backend, run_id)
    if bench_dir.results.is_dir():
        # Temporary files of a result write cut short (an atomic write's name starts with a dot).
        for partial in bench_dir.results.glob(".*"):
            partial.unlink(missing_ok=True)
    if bench_dir.tasks.is_dir():
        # Run directories a driver was unpacking from a Ray node when it stopped (the task has no
        # result and runs again; see `ray_executor`).
        for partial in bench_dir.tasks.glob(f"{INCOMING_PREFIX}*"):
            shutil.rmtree(partial, ignore_errors=True)
    for key in todo:
        cut_off = bench_dir.task_dir(key)
        if cut_off.exists():
            aside = bench_dir.next_interrupted(key)
            cut_off.rename(aside)
            resumed.moved.append((key, aside.name))
    return resumed


def set_aside_errors(bench_dir: BenchDir, earlier: dict[str, TaskResult]) -> dict[str, TaskResult]:
    """For --retry-errors: the results that keep, after moving each `infra_error` result to
    `results/<key>.json.retried-<n>` (kept, and no longer a result); `prepare` then moves its attempt's
    folder aside like any cut-off attempt, and the task runs again."""
    kept: dict[str, TaskResult] = {}
    for key, result in earlier.items():
        if result.status not in RETRIED_STATUSES:
            kept[key] = result
            continue
        path = bench_dir.result(key)
        n = 1
        while path.with_name(f"{path.name}.retried-{n}").exists():
            n += 1
        path.rename(path.with_name(f"{path.name}.retried-{n}"))
    return kept
