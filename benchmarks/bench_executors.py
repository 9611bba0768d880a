"""Throughput of the bench's executors on a few examples: local threads at -j 1 and -j 2, and Ray with two
worker processes (its run directories sent back as archives, and written in place), as ratios from one
run; and each executor's own overhead per task.

Every configuration runs the same tasks (the examples below, each `--repeats` times) into a fresh run
directory, after one warm-up pass that builds and caches their environments, so all runs measure
running, not building. Ray's runtime is started once before the Ray runs, and its worker processes
import the pipeline in a pass at Easy; that start-up is shown apart (it is paid once per bench).

  tasks/min        finished tasks per minute of the dispatch (the bench's wall time, runtime excluded)
  executor/task    per task, the time between the scheduler handing the task to the executor and getting
                   its result back, minus the task's own time (`TaskResult.seconds`, measured where the
                   task ran): submission, queueing, the archive's packing, transfer and unpacking, and
                   the result's write

Usage: scripts/with-uv python benchmarks/bench_executors.py [LEVEL] [REPEATS]   (default: hard 2)
"""

import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from reproducer.bench.config import BenchConfig
from reproducer.bench.executor import ExecutorFactory, ExecutorSetup, LocalExecutor
from reproducer.bench.facts import own_capsule
from reproducer.bench.ray_executor import SANDBOX_RESOURCE, UV_RUN_HOOK, RayExecutor, RayOptions
from reproducer.bench.runner import BenchRequest, run_bench
from reproducer.bench.scheduler import Display
from reproducer.bench.selection import bench_tasks
from reproducer.capsules import Level
from reproducer.tasks.load import load_task

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["diabetes-logreg", "sorting-notebook", "clinic-waits-pandas"]
RAY_WORKERS = 2


@dataclass
class Measured:
    name: str
    tasks: int
    correct: int
    wall: float
    overhead: float

    @property
    def per_minute(self) -> float:
        return 60 * self.tasks / self.wall


def run(work: Path, name: str, level: Level, repeats: int, jobs: int, executor: ExecutorFactory) -> Measured:
    tasks = [load_task(ROOT / "tasks" / example / "task.yaml") for example in EXAMPLES]
    items = bench_tasks(tasks, repeats=repeats, no_vision=False)
    config = BenchConfig(
        command="executors",
        dataset="examples",
        dataset_sha256="0",
        level=level,
        agent="offline",
        command_timeout_s=300,
        repeats=repeats,
    )
    request = BenchRequest(
        out=work / name.replace(" ", "-"),
        config=config,
        tasks=items,
        resolve=own_capsule,
        agent=lambda: None,
        level=level,
        backend="local",
        command_timeout_s=300,
        jobs=jobs,
        max_connections=jobs,
        max_total_usd=None,
        command_line=["bench_executors.py"],
        executor=executor,
    )
    began = time.monotonic()
    outcome = run_bench(request, lambda _tally: Display())
    wall = time.monotonic() - began
    own = {result.key: result.seconds for result in outcome.dispatched.results}
    overhead = sum(t.returned - t.started - own[t.key] for t in outcome.dispatched.timings if t.key in own)
    return Measured(name, len(items), outcome.scores.statuses["correct"], wall, overhead / max(len(own), 1))


def ray_factory(shared: bool) -> ExecutorFactory:
    return lambda setup: RayExecutor(setup, RayOptions(shared=shared))


def local_factory(setup: ExecutorSetup) -> LocalExecutor:
    return LocalExecutor(setup)


def main() -> None:
    level: Level = "hard" if len(sys.argv) < 2 else sys.argv[1]  # type: ignore[assignment]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    with tempfile.TemporaryDirectory(prefix="bench-executors-") as scratch:
        work = Path(scratch)
        os.environ["REPRODUCER_CACHE"] = str(work / "cache")
        os.environ.setdefault(UV_RUN_HOOK, "0")
        warm = run(work, "warm-up", level, 1, 2, local_factory)
        assert warm.correct == warm.tasks, "the examples must pass before they are timed"
        rows = [run(work, "local -j 1", level, repeats, 1, local_factory)]
        rows.append(run(work, "local -j 2", level, repeats, 2, local_factory))
        import ray

        began = time.monotonic()
        ray.init(
            num_cpus=RAY_WORKERS,
            resources={SANDBOX_RESOURCE: RAY_WORKERS},
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
        # Up, and its worker processes have imported the pipeline (a pass at Easy, not shown).
        run(work, "ray warm-up", "easy", 1, RAY_WORKERS, ray_factory(shared=True))
        started = time.monotonic() - began
        rows.append(run(work, "ray 2 apart", level, repeats, RAY_WORKERS, ray_factory(shared=False)))
        rows.append(run(work, "ray 2 shared", level, repeats, RAY_WORKERS, ray_factory(shared=True)))
        ray.shutdown()
    base = rows[0]
    print(f"{len(EXAMPLES)} examples x {repeats} at {level}, {os.cpu_count()} cores; figures from one run")
    print(f"Ray start-up, runtime and warm workers (not in the figures below): {started:.1f} s\n")
    head = f"{'tasks':>7}{'correct':>9}{'wall':>10}{'tasks/min':>11}{'vs -j 1':>9}{'executor/task':>15}"
    print(f"{'':14}{head}")
    for row in rows:
        print(
            f"{row.name:14}{row.tasks:7}{row.correct:9}{row.wall:9.1f}s{row.per_minute:11.1f}"
            f"{base.wall / row.wall:8.2f}x{1000 * row.overhead:12.0f} ms"
        )


if __name__ == "__main__":
    main()
