"""Where a bench's tasks run: the executor seam between the scheduler and the machines.

The scheduler (`reproducer.bench.scheduler`) decides what starts when (jobs, the dollar cap, Ctrl-C and
the display); an executor runs one task to its written result and stops what runs when told. `local`
runs a task in the scheduler's own worker thread on this host; `ray` (`reproducer.bench.ray_executor`)
sends it to a Ray cluster and writes what comes back. Both write results exactly as the layout says.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from reproducer.agent.settings import AgentSettings
from reproducer.bench.reaper import kill_own_sandboxes
from reproducer.bench.selection import BenchTask
from reproducer.bench.spending import Spending
from reproducer.bench.worker import WorkerContext, run_task
from reproducer.rundir.bench_result import TaskResult

ExecutorName = Literal["local", "ray"]


@dataclass(frozen=True)
class ExecutorSetup:
    """What an executor gets from the runner. `context.agent` counts every model call against the run's
    dollars (in this process); `plain_agent` is the uncounted factory, for executors that run the agent
    elsewhere and count a task's dollars when its result comes back."""

    context: WorkerContext
    plain_agent: Callable[[], AgentSettings | None]
    jobs: int
    spending: Spending
    run_id: str


class Executor(Protocol):
    """Runs tasks; used as a context manager around one dispatch."""

    @property
    def jobs(self) -> int:
        """How many tasks run at once."""
        ...

    def __enter__(self) -> "Executor": ...

    def __exit__(self, *exc_info: object) -> None: ...

    def run(self, item: BenchTask) -> TaskResult | None:
        """Run `item` and write its result; None (and no result) when the bench was cancelled."""
        ...

    def kill(self) -> None:
        """Stop every running task (called again and again after Ctrl-C until they return)."""
        ...


ExecutorFactory = Callable[[ExecutorSetup], Executor]


class LocalExecutor:
    """Tasks in the scheduler's threads, on this host; the reaper kills their processes on Ctrl-C."""

    def __init__(self, setup: ExecutorSetup) -> None:
        self._context, self._jobs = setup.context, setup.jobs

    @property
    def jobs(self) -> int:
        return self._jobs

    def __enter__(self) -> "LocalExecutor":
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def run(self, item: BenchTask) -> TaskResult | None:
        return run_task(item, self._context)

    def kill(self) -> None:
        kill_own_sandboxes(self._context.bench_dir.tasks)


def executor_factory(name: ExecutorName, ray_address: str | None = None) -> ExecutorFactory:
    """The factory the CLI's `--executor` names (Ray is imported only when chosen)."""
    if name == "local":
        return LocalExecutor
    from reproducer.bench.ray_executor import RayExecutor, RayOptions

    options = RayOptions(address=ray_address)
    return lambda setup: RayExecutor(setup, options)
