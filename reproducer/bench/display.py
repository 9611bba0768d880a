"""The progress of a bench run: a live bar on a terminal, plain lines otherwise (or with --json)."""

import sys
import time
from collections import Counter
from collections.abc import Iterable
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from reproducer.bench.scheduler import Display
from reproducer.bench.selection import BenchTask
from reproducer.bench.spending import Spending
from reproducer.rundir.bench_result import TaskResult
from reproducer.rundir.statuses import SKIPPED


class Tally:
    """Counts for the display: done (earlier invocations included), running, correct, failed, and the
    time left at this invocation's rate."""

    def __init__(self, total: int, earlier: Iterable[TaskResult], spending: Spending) -> None:
        self.total, self.spending = total, spending
        self.statuses = Counter[str](result.status for result in earlier)
        self.running: set[str] = set()
        self.finished_now = 0
        self.began = time.monotonic()

    @property
    def done(self) -> int:
        return sum(self.statuses.values())

    @property
    def failed(self) -> int:
        return self.done - self.statuses["correct"] - self.statuses[SKIPPED]

    def finish(self, key: str, status: str | None) -> None:
        self.running.discard(key)
        if status is not None:
            self.statuses[status] += 1
            self.finished_now += 1

    def eta_seconds(self) -> float | None:
        if not self.finished_now:
            return None
        rate = self.finished_now / (time.monotonic() - self.began)
        return (self.total - self.done) / rate

    def line(self) -> str:
        eta = self.eta_seconds()
        left = "?" if eta is None else _duration(eta)
        return (
            f"{len(self.running)} running, {self.statuses['correct']} correct, {self.failed} failed, "
            f"${self.spending.spent:.2f} spent, {left} left"
        )


class PlainDisplay(Display):
    """One line per finished task, for logs and pipes."""

    def __init__(self, tally: Tally, stream: TextIO = sys.stdout) -> None:
        self.tally, self.stream = tally, stream

    def started(self, item: BenchTask) -> None:
        self.tally.running.add(item.key)

    def finished(self, result: TaskResult) -> None:
        self.tally.finish(result.key, result.status)
        detail = f" - {result.detail.splitlines()[0][:120]}" if result.detail else ""
        self._print(
            f"[{self.tally.done}/{self.tally.total}] {result.key}: {result.status} "
            f"({result.seconds:.1f} s, ${result.cost_usd:.2f}){detail}"
        )

    def failed(self, item: BenchTask, error: str) -> None:
        self.tally.finish(item.key, None)
        self._print(f"{item.key}: not recorded, the bench itself failed ({error}); it runs again on resume")

    def _print(self, text: str) -> None:
        self.stream.write(f"{text} | {self.tally.line()}\n")
        self.stream.flush()


class LiveDisplay(PlainDisplay):
    """A rich progress bar with the counts, and a line above it per finished task."""

    def __init__(self, tally: Tally, console: Console) -> None:
        super().__init__(tally)
        self.progress = Progress(
            TextColumn("[bold]bench"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[counts]}"),
            console=console,
            transient=False,
        )
        self.bar = self.progress.add_task(
            "tasks", total=tally.total, completed=tally.done, counts=tally.line()
        )

    def __enter__(self) -> "LiveDisplay":
        self.progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.tick()
        self.progress.stop()

    def started(self, item: BenchTask) -> None:
        super().started(item)
        self.tick()

    def tick(self) -> None:
        self.progress.update(self.bar, completed=self.tally.done, counts=self.tally.line())

    def _print(self, text: str) -> None:
        self.progress.console.print(text, highlight=False, markup=False)
        self.tick()


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"
