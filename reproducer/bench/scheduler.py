"""Running tasks N at a time, in threads, with a dollar cap and a clean stop on Ctrl-C.

Threads, not processes: a task spends its time waiting on subprocesses (the sandbox, environment
builds) or on the model's API, so the GIL is no bottleneck, and the tasks share caches in memory.
(The pipeline's own Python work, tens of milliseconds per task, does hold the GIL: trivial tasks gain
little from -j; see benchmarks/bench_overhead.py.)
A thread cannot be stopped from outside, so cancellation works on what the thread waits for: the
`cancel` event makes every further model call fail (the agent loop then ends at once) and the reaper
kills every process the runner started, and any sandbox command in RUNDIR that left its tree, again
and again until the threads return. A cancelled task writes no result (`run_task` checks the event),
so the next invocation runs it again. Worker threads are daemons: a thread stuck past the grace period
cannot keep the command from exiting, and its run directory is moved aside on resume.
"""

import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reproducer.bench.selection import BenchTask
from reproducer.bench.spending import Spending
from reproducer.rundir.bench_result import TaskResult

TICK_S = 0.25
CANCEL_GRACE_S = 30.0
KILL_EVERY_S = 0.2


class Display:
    """What the scheduler tells the progress display; the base class shows nothing."""

    def __enter__(self) -> "Display":
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def started(self, item: BenchTask) -> None: ...

    def finished(self, result: TaskResult) -> None: ...

    def failed(self, item: BenchTask, error: str) -> None: ...

    def tick(self) -> None: ...


@dataclass(frozen=True)
class Timing:
    """When a task's thread started and returned, and when the scheduler took note (monotonic seconds)."""

    key: str
    started: float
    returned: float
    noticed: float


@dataclass
class Dispatched:
    """How dispatching ended: the results written, and the tasks cancelled, never started or lost."""

    results: list[TaskResult] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    not_started: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    timings: list[Timing] = field(default_factory=list)
    interrupted: bool = False
    budget_reached: bool = False


_Outcome = tuple[BenchTask, TaskResult | None, str | None, float, float]


def dispatch(
    items: Sequence[BenchTask],
    work: Callable[[BenchTask], TaskResult | None],
    *,
    jobs: int,
    spending: Spending,
    cancel: threading.Event,
    kill: Callable[[], object],
    display: Display,
) -> Dispatched:
    """Run `work` on every item, `jobs` at a time, until done, the dollar cap or an interrupt."""
    pending, running, done = deque(items), set[str](), queue.Queue[_Outcome]()
    outcome = Dispatched()
    try:
        while pending or running:
            while pending and len(running) < jobs and not outcome.budget_reached:
                if spending.exhausted():
                    outcome.budget_reached = True
                    break
                item = pending.popleft()
                running.add(item.key)
                display.started(item)
                threading.Thread(target=_worker, args=(work, item, done), name=item.key, daemon=True).start()
            if not running:
                break
            try:
                got = done.get(timeout=TICK_S)
            except queue.Empty:
                display.tick()
                continue
            running.discard(got[0].key)
            _note(outcome, display, got)
    except KeyboardInterrupt:
        outcome.interrupted = True
        cancel.set()
        _stop(running, done, kill, outcome, display)
    outcome.not_started = [item.key for item in pending]
    return outcome


def _worker(
    work: Callable[[BenchTask], TaskResult | None], item: BenchTask, done: "queue.Queue[_Outcome]"
) -> None:
    started = time.monotonic()
    try:
        result, error = work(item), None
    except BaseException as failure:  # a bug in the bench itself: the task stays without a result
        result, error = None, f"{type(failure).__name__}: {failure}"
    done.put((item, result, error, started, time.monotonic()))


def _note(outcome: Dispatched, display: Display, got: _Outcome) -> None:
    item, result, error, started, returned = got
    outcome.timings.append(Timing(item.key, started, returned, time.monotonic()))
    if result is not None:
        outcome.results.append(result)
        display.finished(result)
    elif error is not None:
        outcome.errors[item.key] = error
        display.failed(item, error)
    else:
        outcome.cancelled.append(item.key)


def _stop(
    running: set[str],
    done: "queue.Queue[_Outcome]",
    kill: Callable[[], object],
    outcome: Dispatched,
    display: Display,
) -> None:
    """Kill the running tasks' processes until their threads return (a second Ctrl-C stops waiting)."""
    deadline = time.monotonic() + CANCEL_GRACE_S
    try:
        while running and time.monotonic() < deadline:
            kill()
            try:
                got = done.get(timeout=KILL_EVERY_S)
            except queue.Empty:
                continue
            running.discard(got[0].key)
            _note(outcome, display, got)
        kill()
    except KeyboardInterrupt:
        pass
    outcome.cancelled += sorted(running)
