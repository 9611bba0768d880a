"""A whole bench invocation: lock the run directory, check its configuration, clean up after earlier
runners, run the tasks left, then write the scores and the exports (also when stopped early)."""

import dataclasses
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from reproducer.agent.settings import AgentSettings
from reproducer.bench.backend import Backend, backend_of, backend_options, labels_run_id
from reproducer.bench.config import BenchConfig, StoredConfig, start_or_resume
from reproducer.bench.display import Tally
from reproducer.bench.executor import ExecutorFactory, ExecutorSetup, LocalExecutor
from reproducer.bench.exports import write_exports
from reproducer.bench.facts import FactsCache
from reproducer.bench.lock import run_lock
from reproducer.bench.resume import Resumed, prepare, set_aside_errors
from reproducer.bench.scheduler import Dispatched, Display, dispatch
from reproducer.bench.scores import Scores, compute_scores
from reproducer.bench.selection import BenchTask
from reproducer.bench.spending import CountedModel, Spending
from reproducer.bench.worker import WorkerContext
from reproducer.capsules import Level
from reproducer.jsonio import write_json_atomic
from reproducer.rundir.bench_layout import BenchDir
from reproducer.rundir.bench_result import CapsuleRecord, TaskResult, read_results
from reproducer.rundir.stamp import write_record
from reproducer.tasks.model import Task


@dataclass(frozen=True)
class BenchRequest:
    """What to run. `agent` makes one agent per task (None: offline); `resolve` finds a task's capsule."""

    out: Path
    config: BenchConfig
    tasks: list[BenchTask]
    resolve: Callable[[Task], CapsuleRecord]
    agent: Callable[[], AgentSettings | None]
    level: Level
    backend: Backend
    command_timeout_s: float
    jobs: int
    max_connections: int
    max_total_usd: float | None
    command_line: list[str]
    # Run again the tasks whose result is `infra_error` (a network failure, a crash of the harness).
    retry_errors: bool = False
    # Where tasks run (`reproducer.bench.executor`); with Ray, `jobs` 0 means every sandbox slot.
    executor: ExecutorFactory = LocalExecutor
    # What each task's sandboxes may hold in memory, and on Ray the memory each task reserves (None:
    # the sandboxes' default, nothing reserved).
    max_memory_gb: float | None = None


@dataclass
class BenchOutcome:
    bench_dir: BenchDir
    stored: StoredConfig
    resumed: Resumed
    dispatched: Dispatched
    scores: Scores
    earlier: int
    exports: list[Path] = field(default_factory=list)


def run_bench(request: BenchRequest, make_display: Callable[[Tally], Display]) -> BenchOutcome:
    """Run the tasks of `request` without a result yet in its run directory (`rundir.bench_layout`)."""
    bench_dir = BenchDir(request.out.expanduser().resolve())
    bench_dir.root.mkdir(parents=True, exist_ok=True)
    with run_lock(bench_dir.lock):
        stored = start_or_resume(bench_dir, request.config, request.command_line)
        options = backend_options(request.backend, stored.run_id, request.max_memory_gb)
        _write_tasks(bench_dir, request.tasks)
        earlier = read_results(bench_dir.results, {item.key for item in request.tasks})
        if request.retry_errors:
            earlier = set_aside_errors(bench_dir, earlier)
        todo = [item for item in request.tasks if item.key not in earlier]
        resumed = prepare(
            bench_dir, [item.key for item in todo], backend=backend_of(options), run_id=labels_run_id(options)
        )
        spending = Spending(sum(result.cost_usd for result in earlier.values()), request.max_total_usd)
        cancel = threading.Event()
        connections = threading.Semaphore(request.max_connections)

        def agent() -> AgentSettings | None:
            settings = request.agent()
            if settings is None or settings.model is None or settings.own is not None:
                # A brought agent's proxy needs the real model; its cost counts when its task ends.
                return settings
            counted = CountedModel(settings.model, connections, spending, cancel)
            return dataclasses.replace(settings, model=counted)

        context = WorkerContext(
            bench_dir=bench_dir,
            level=request.level,
            command_timeout_s=request.command_timeout_s,
            resolve=request.resolve,
            facts=FactsCache(),
            no_gpu=request.config.no_gpu,
            agent=agent,
            cancel=cancel,
            run_options=options,
        )
        setup = ExecutorSetup(context, request.agent, request.jobs, spending, stored.run_id)
        executor = request.executor(setup)
        display = make_display(Tally(len(request.tasks), earlier.values(), spending))
        with _terminate_as_interrupt(), executor, display:
            dispatched = dispatch(
                todo,
                executor.run,
                jobs=executor.jobs,
                spending=spending,
                cancel=cancel,
                kill=executor.kill,
                display=display,
            )
        results = {**earlier, **{result.key: result for result in dispatched.results}}
        scores = compute_scores(request.tasks, results, request.level, request.config.repeats)
        write_record(bench_dir.scores, scores)
        exports = _export(bench_dir, request, stored, results)
    return BenchOutcome(bench_dir, stored, resumed, dispatched, scores, len(earlier), exports)


def _write_tasks(bench_dir: BenchDir, items: list[BenchTask]) -> None:
    """The tasks as run, once per capsule, in the own task format (so `load_tasks` reads them back)."""
    records = {item.task.capsule_id: item.task.model_dump(mode="json") for item in items}
    write_json_atomic(bench_dir.tasks_file, {"tasks": list(records.values())})


def _export(
    bench_dir: BenchDir, request: BenchRequest, stored: StoredConfig, results: dict[str, TaskResult]
) -> list[Path]:
    config = request.config
    ordered = [results[item.key] for item in request.tasks if item.key in results]
    agent_args: dict[str, Any] = {
        "level": config.level,
        "agent": config.agent,
        "model": config.model,
        "max_cost_usd": config.max_cost_usd,
        "max_steps": config.max_steps,
        "command_timeout_s": config.command_timeout_s,
        "backend": config.backend,
    }
    return write_exports(
        bench_dir,
        ordered,
        {item.key: item.task for item in request.tasks},
        level=request.level,
        run_id=stored.run_id,
        started=stored.created,
        repeats=config.repeats,
        agent_args=agent_args,
        command_line=" ".join(request.command_line),
    )


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the run like Ctrl-C does (only the main thread can install handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
