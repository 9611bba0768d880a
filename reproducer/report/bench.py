"""A bench run directory (`reproducer bench`) read for the report: its configuration, scores, and each
task's result joined with the task's own run directory.

The layout is `reproducer.rundir.bench_layout`'s; results are read as plain JSON (not validated), so a result
written by another version, or half a run, still shows what it has.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reproducer.report.limits import CELL_CHARS
from reproducer.report.records import dig, mapping, read_json
from reproducer.report.task_view import TaskView, task_view
from reproducer.report.text import clean, clip
from reproducer.rundir.bench_layout import INTERRUPTED_INFIX, RESULT_SUFFIX, BenchDir

# The status the report gives a task folder without a result file (cut off, or still running).
UNFINISHED = "unfinished"
# Bench statuses outside the accuracy's denominator (errors stay in it, as in `reproducer.bench`).
NOT_COUNTED = frozenset({"skipped", UNFINISHED})


@dataclass
class BenchView:
    run_id: str = ""
    config: list[tuple[str, str]] = field(default_factory=list)
    scores: list[tuple[str, str]] = field(default_factory=list)
    interrupted: int = 0
    problems: list[str] = field(default_factory=list)


def is_bench_dir(path: Path) -> bool:
    bench = BenchDir(path)
    return bench.config.is_file() or (bench.results.is_dir() and bench.tasks.is_dir())


def bench_tasks(
    path: Path, finish: Callable[[TaskView], None] = lambda _task: None
) -> tuple[BenchView, list[TaskView]]:
    """The bench's header and a view per task: finished ones (with a result) by key, then unfinished ones.
    `finish` is called on each view as soon as it is complete (to write its page and slim it)."""
    bench = BenchDir(path)
    config, scores = read_json(bench.config), read_json(bench.scores)
    view = BenchView(problems=[record.problem for record in (config, scores) if record.problem])
    view.run_id = clean(str(dig(config.data, "run_id", default="")))
    view.config = _pairs(dig(config.data, "config", default={}))
    view.scores = _pairs(mapping(scores.data))
    results = _results(bench, view)
    folders = sorted(p.name for p in bench.tasks.iterdir() if p.is_dir()) if bench.tasks.is_dir() else []
    view.interrupted = sum(INTERRUPTED_INFIX in name for name in folders)
    unfinished = [name for name in folders if INTERRUPTED_INFIX not in name and name not in results]
    tasks: list[TaskView] = []
    for index, (key, result) in enumerate(sorted(results.items())):
        tasks.append(_finished(bench, key, result, index))
        finish(tasks[-1])
    for name in unfinished:
        task = task_view(bench.task_dir(name), f"task-{len(tasks) + 1}", name)
        task.capsule_id, task.status = clean(name), UNFINISHED
        task.official = task.robust = None
        task.counted = False
        tasks.append(task)
        finish(task)
    return view, tasks


def _results(bench: BenchDir, view: BenchView) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    if not bench.results.is_dir():
        return found
    for path in sorted(bench.results.iterdir()):
        if not path.name.endswith(RESULT_SUFFIX) or path.name.startswith("."):
            continue
        record = read_json(path)
        if isinstance(record.data, dict):
            found[path.name.removesuffix(RESULT_SUFFIX)] = record.data
        else:
            view.problems.append(record.problem or f"{path.name}: not a task result")
    return found


def _finished(bench: BenchDir, key: str, result: dict[str, Any], index: int) -> TaskView:
    run_dir = result.get("run_dir")
    folder = bench.task_dir(key)
    if (
        isinstance(run_dir, str)
        and run_dir
        and (bench.root / run_dir).resolve().is_relative_to(bench.root.resolve())
    ):
        folder = bench.root / run_dir
    task = task_view(folder, f"task-{index + 1}", key)
    # The bench's result is the authority on the task: its status says why a task failed.
    task.capsule_id = clean(key)
    task.status = str(result.get("status") or task.status)
    task.level = str(result.get("level") or task.level)
    task.field, task.language = clean(str(result.get("field", ""))), clean(str(result.get("language", "")))
    for name in ("official", "robust"):
        grade = result.get(name)
        setattr(
            task, name, bool(grade["correct"]) if isinstance(grade, dict) and "correct" in grade else None
        )
    task.counted = task.status not in NOT_COUNTED
    for name, attribute in (("cost_usd", "cost_usd"), ("seconds", "seconds")):
        value = result.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            setattr(task, attribute, float(value))
    if result.get("detail"):
        task.problems.insert(0, clean(f"bench: {result['detail']}"))
    return task


def _pairs(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    """A mapping flattened to (dotted key, value) pairs for a two-column table."""
    if not isinstance(data, dict):
        return []
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            pairs += _pairs(value, f"{name}.")
        else:
            pairs.append((clip(name, CELL_CHARS), clip(str(value), CELL_CHARS)))
    return pairs
