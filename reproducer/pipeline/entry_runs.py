"""Running the plan's entry points in one sandbox, within the task's total time, recording each outcome.

The plan orders the entry points by what the questions need first, so the first ones get the most
time: each may use what is left of the total, minus a reserve for each entry after it, and never more
than the per-command limit. A failing or timed-out entry does not stop the others; an entry whose turn
comes when the total is spent is recorded as `skipped`, and one stopped by Ctrl-C/SIGTERM as
`interrupted`, in `summary.json` and in `logs/commands.jsonl` alike.
"""

import re
import time
from pathlib import Path

from reproducer.pipeline.entrypoints import command_line
from reproducer.plan.model import EntryPoint
from reproducer.rundir.layout import RunDir
from reproducer.rundir.summary import CommandRecord, RunSummary, TimeBudget
from reproducer.sandbox.base import ExecResult, Sandbox
from reproducer.sandbox.log import append_line

DEFAULT_TOTAL_TIMEOUT_S = 7200.0
# Each later entry keeps this much of the remaining time in reserve (together at most half of it).
RESERVE_PER_LATER_ENTRY_S = 300.0
# With less than this left, an entry is not started at all.
MIN_ENTRY_S = 5.0
# What `make` prints when it has nothing to do: no sign of work.
_IDLE_LINE = re.compile(r"^make(\[\d+\])?: (Nothing to be done for|'.*' is up to date|.* is up to date)")
# The notebook runner names each cell that failed on a line of its own.
_FAILED_CELL = re.compile(r"^reproducer: (cell \d+ failed: .*)$", re.M)
# How a task says that a notebook should run past failing cells.
_ALLOW_ERRORS = re.compile(
    r"allow(?:ing)?[-_ ]errors|errors? (?:are |is )?allowed|ignor\w* (?:any |the )?errors", re.I
)


def allows_errors(prompt: str | None) -> bool:
    """Whether the task's prompt allows notebook errors: a notebook with a failing cell then counts as ok.
    Either way every cell runs (see notebook_runner.py) and the failed ones are named."""
    return bool(prompt and _ALLOW_ERRORS.search(prompt))


class Budget:
    """The total time of the entry points, started when the first one is about to run."""

    def __init__(self, record: TimeBudget) -> None:
        self.record = record
        self.started = time.monotonic()

    def remaining(self) -> float:
        return self.record.total_s - (time.monotonic() - self.started)

    def for_entry(self, entries_left: int) -> float:
        """The next entry's time, `entries_left` counting it; 0 when the total is (nearly) spent."""
        remaining = self.remaining()
        if remaining < MIN_ENTRY_S:
            return 0.0
        reserve = min(RESERVE_PER_LATER_ENTRY_S * (entries_left - 1), remaining / 2)
        return min(self.record.per_command_s, max(MIN_ENTRY_S, remaining - reserve))

    def close(self) -> None:
        self.record.spent_s = round(time.monotonic() - self.started, 3)


def exec_entry(
    sandbox: Sandbox, run_dir: RunDir, entry: EntryPoint, index: int, budget_s: float, *, allow_errors: bool
) -> tuple[CommandRecord, ExecResult]:
    result = sandbox.exec(
        command_line(entry, allow_errors=allow_errors),
        cwd=entry.cwd,
        timeout=budget_s,
        log_name=f"entry-{index}",
    )
    record = CommandRecord(
        command=result.command,
        cwd=result.cwd,
        status=result.status,
        exit_code=result.exit_code,
        seconds=result.wall_seconds,
        stdout_path=run_dir.relative(result.stdout_path),
        stderr_path=run_dir.relative(result.stderr_path),
        kind=entry.kind,
        budget_s=round(budget_s, 1),
        detail=failed_cells(result.stderr) if entry.kind == "notebook" else "",
    )
    return record, result


def failed_cells(stderr: str) -> str:
    """The notebook's failing cells as the runner named them (`cell 78 failed: PyperclipException: ...`):
    the notebook ran on past them, and its later outputs are harvested, so the failure must stay in view."""
    found = _FAILED_CELL.findall(stderr)
    more = f"; and {len(found) - 1} more failed cells" if len(found) > 1 else ""
    return f"{found[0]}{more}" if found else ""


def not_run(
    entry: EntryPoint, status: str, detail: str, log_dir: Path, budget_s: float | None
) -> CommandRecord:
    """The record of an entry that did not run to its end (`skipped`, `interrupted`), also appended to
    the command log so that the log lists every entry point."""
    record = CommandRecord(
        command=entry.command,
        cwd=entry.cwd,
        status=status,
        exit_code=None,
        seconds=0.0,
        kind=entry.kind,
        budget_s=None if budget_s is None else round(budget_s, 1),
        detail=detail,
    )
    line = {**record.model_dump(mode="json"), "wall_seconds": 0.0}
    append_line(log_dir, line)
    return record


def produced_nothing(summary: RunSummary, results: list[ExecResult]) -> bool:
    """Every entry ran and exited 0, yet none created, changed or deleted a file, or printed anything but
    make's "nothing to be done"."""
    if not results or len(results) != len(summary.commands):
        return False
    return all(
        result.ok
        and not (result.created or result.changed or result.deleted or result.changes_truncated)
        and _silent(result)
        for result in results
    )


def _silent(result: ExecResult) -> bool:
    lines = f"{result.stdout}\n{result.stderr}".splitlines()
    return not any(line.strip() and not _IDLE_LINE.match(line.strip()) for line in lines)
