"""The bench runner's own overhead per task, against the tasks' own work, for 50 trivial tasks.

Each task is the same tiny capsule: `code/run` (and, for the Hard level, which removes `code/run`,
`code/reproduce.sh`) is `echo "halfway value: 1"`; no requirements, so the environment is empty and cached
before anything is measured. Runs at the Hard level with -j 1 and -j 2 (and at Easy, where nothing runs),
in this process, and splits each run's wall time into:

  capsule's own work   the commands' wall time (bash echo in the sandbox)
  run_capsule steps    stage, plan, environment lookup, sandbox around the command, harvest, answer,
                       grade, and what it does between steps (run directory, summary.json rewrites)
  runner per task      finding the capsule (prepare) and writing the result (record), in the worker
  runner fixed         from the call to the first task started (lock, config, resume scan) and from the
                       last task noticed to the return (scores, exports)
  scheduling           slot time not spent in a worker: (wall - fixed) * jobs - sum of worker time

Figures are per task, in slot time (a slot is one of the -j workers; the slots' time is wall * jobs).

Usage: scripts/with-uv python benchmarks/bench_overhead.py [TASKS]
"""

import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from reproducer.bench.config import BenchConfig
from reproducer.bench.facts import own_capsule
from reproducer.bench.runner import BenchRequest, run_bench
from reproducer.bench.scheduler import Display
from reproducer.bench.selection import bench_tasks
from reproducer.capsules import Level
from reproducer.pipeline.run import run_capsule
from reproducer.rundir.summary import RunSummary
from reproducer.tasks.model import Task

TASKS = 50
QUESTION = "Report the halfway value."
ECHO = '#!/usr/bin/env bash\necho "halfway value: 1"\n'
STEPS = ("stage", "plan", "environment", "harvest", "answer", "grade")


def tiny_capsule(folder: Path) -> Path:
    for name in ("code", "data", "results"):
        (folder / name).mkdir(parents=True)
    (folder / "code" / "run").write_text(ECHO)
    (folder / "code" / "reproduce.sh").write_text(ECHO)
    (folder / "results" / "output.txt").write_text("halfway value: 1\n")
    return folder


@dataclass
class Measured:
    level: str
    jobs: int
    wall: float
    own: float
    steps: dict[str, float]
    sandbox: float
    between: float
    prepare: float
    record: float
    fixed: float
    scheduling: float


def measure(work: Path, capsule: Path, tasks: list[Task], level: Level, jobs: int) -> Measured:
    out = work / f"run-{level}-j{jobs}"
    config = BenchConfig(
        command="overhead",
        dataset="tiny",
        dataset_sha256="0",
        level=level,
        agent="offline",
        command_timeout_s=60,
    )
    request = BenchRequest(
        out=out,
        config=config,
        tasks=bench_tasks(tasks, repeats=1, no_vision=False),
        resolve=own_capsule,
        agent=lambda: None,
        level=level,
        backend="local",
        command_timeout_s=60,
        jobs=jobs,
        max_connections=jobs,
        max_total_usd=None,
        command_line=["bench_overhead.py"],
    )
    began = time.monotonic()
    outcome = run_bench(request, lambda _tally: Display())
    wall = time.monotonic() - began
    assert outcome.scores.statuses["correct"] == len(tasks), outcome.scores.statuses
    timings = outcome.dispatched.timings
    fixed = (min(t.started for t in timings) - began) + (began + wall - max(t.noticed for t in timings))
    worker_total = sum(t.returned - t.started for t in timings)
    summaries = [
        RunSummary.model_validate_json((out / "tasks" / r.key / "summary.json").read_text())
        for r in outcome.dispatched.results
    ]
    own = sum(command.seconds for s in summaries for command in s.commands)
    steps = {name: sum(st.seconds for s in summaries for st in s.steps if st.name == name) for name in STEPS}
    run_steps = sum(st.seconds for s in summaries for st in s.steps if st.name.startswith("run "))
    run_capsule_total = sum(r.run_seconds for r in outcome.dispatched.results)
    prepare = sum(r.prepare_seconds for r in outcome.dispatched.results)
    return Measured(
        level=level,
        jobs=jobs,
        wall=wall,
        own=own,
        steps=steps,
        sandbox=run_steps - own,
        between=run_capsule_total - sum(steps.values()) - run_steps,
        prepare=prepare,
        record=worker_total - run_capsule_total - prepare,
        fixed=fixed,
        scheduling=(wall - fixed) * jobs - worker_total,
    )


def ms(seconds: float, n: int) -> str:
    return f"{1000 * seconds / n:8.1f} ms"


def report(rows: list[Measured], n: int) -> None:
    """Per task, in slot time (a slot is one of the -j workers): the slots' time sums to wall * jobs."""
    print(f"{n} trivial tasks (echo one line; empty, cached environment); all figures from this run")
    print("per task, in slot time (wall * jobs is split among these)\n")
    print(f"{'':36}" + "".join(f"{r.level + ' -j' + str(r.jobs):>12}" for r in rows))

    def line(label: str, values: list[str]) -> None:
        print(f"{label:36}" + "".join(f"{value:>12}" for value in values))

    line("wall, whole run", [f"{r.wall:8.2f} s" for r in rows])
    line("wall / task", [ms(r.wall, n) for r in rows])
    line("capsule's own work (the command)", [ms(r.own, n) for r in rows])
    for name in STEPS:
        line(f"  run_capsule: {name}", [ms(r.steps[name], n) for r in rows])
    line("  run_capsule: sandbox around it", [ms(r.sandbox, n) for r in rows])
    line("  run_capsule: between steps", [ms(r.between, n) for r in rows])
    line("  runner: prepare (capsule, facts)", [ms(r.prepare, n) for r in rows])
    line("  runner: record (result, write)", [ms(r.record, n) for r in rows])
    line("  runner: scheduling (slot idle)", [ms(r.scheduling, n) for r in rows])
    line("  runner: fixed (start, end) * jobs", [ms(r.fixed * r.jobs, n) for r in rows])
    runner = [r.prepare + r.record + r.scheduling + r.fixed * r.jobs for r in rows]
    pipeline = [sum(r.steps.values()) + r.sandbox + r.between for r in rows]
    line("run_capsule overhead", [ms(value, n) for value in pipeline])
    line("runner overhead", [ms(value, n) for value in runner])
    line(
        "runner / own work",
        [f"{v / r.own:8.2f} x" if r.own else "n/a" for v, r in zip(runner, rows, strict=True)],
    )
    line("runner / run_capsule overhead", [f"{v / p:8.2f} x" for v, p in zip(runner, pipeline, strict=True)])
    line(
        "runner share of slot time",
        [f"{v / (r.wall * r.jobs):8.1%}" for v, r in zip(runner, rows, strict=True)],
    )
    hard = [r for r in rows if r.level == "hard"]
    if len(hard) == 2:
        print(f"\nwall time of -j 1 over -j 2 at hard: {hard[0].wall / hard[1].wall:.2f} x")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else TASKS
    with tempfile.TemporaryDirectory(prefix="bench-overhead-") as scratch:
        work = Path(scratch)
        os.environ["REPRODUCER_CACHE"] = str(work / "cache")
        capsule = tiny_capsule(work / "capsule")
        tasks = [
            Task(
                capsule_id=f"capsule-{number:07d}",
                task_prompt="Run the capsule.",
                results=[{QUESTION: 1}] * 3,
                capsule=str(capsule),
            )
            for number in range(1, n + 1)
        ]
        # Warm up: the empty environment is built and cached, and the grader's imports are loaded.
        warm = run_capsule(capsule, tasks[0], work / "warm", level="hard")
        assert warm.status == "correct", warm.status
        runs: list[tuple[Level, int]] = [("hard", 1), ("hard", 2), ("easy", 1), ("easy", 2)]
        report([measure(work, capsule, tasks, level, jobs) for level, jobs in runs], n)


if __name__ == "__main__":
    main()
