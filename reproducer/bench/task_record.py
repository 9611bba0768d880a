"""A task's `TaskResult`, assembled from what its attempt left: the run summary, the run directory, the
capsule's facts."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reproducer.bench.facts import CapsuleFacts, result_paths_success
from reproducer.bench.selection import BenchTask
from reproducer.capsules.levels import RESULTS_DIR
from reproducer.rundir.bench_layout import BenchDir
from reproducer.rundir.bench_result import CapsuleRecord, TaskResult
from reproducer.rundir.layout import RunDir
from reproducer.rundir.stamp import now
from reproducer.rundir.statuses import ResultStatus
from reproducer.rundir.summary import RunSummary

MAX_DETAIL_CHARS = 500


@dataclass
class Attempt:
    """How one attempt at a task went, before it becomes a result."""

    status: ResultStatus
    detail: str = ""
    capsule: CapsuleRecord | None = None
    facts: CapsuleFacts | None = None
    summary: RunSummary | None = None
    prepare_seconds: float = 0.0
    run_seconds: float = 0.0
    traceback: str | None = None


def task_result(
    item: BenchTask, bench_dir: BenchDir, level: str, attempt: Attempt, started_at: str, seconds: float
) -> TaskResult:
    """The result to write for `item`; paths in it are relative to the run directory."""
    task, summary = item.task, attempt.summary
    run_dir = bench_dir.task_dir(item.key)
    records = RunDir(run_dir)
    produced = _file_names(records.workspace / task.capsule_id / RESULTS_DIR)
    return TaskResult(
        key=item.key,
        capsule_id=task.capsule_id,
        repeat=item.repeat,
        status=attempt.status,
        detail=attempt.detail[:MAX_DETAIL_CHARS],
        level=level,
        field=task.field,
        language=task.language,
        capsule_title=task.capsule_title,
        total_written=len(task.written_questions),
        total_vision=len(task.vision_questions),
        dropped_vision=item.dropped_vision,
        official=summary.official if summary else None,
        robust=summary.robust if summary else None,
        report=_read_json(records.report),
        result_paths=produced,
        result_paths_success=result_paths_success(attempt.facts.result_files, produced)
        if attempt.facts and summary
        else None,
        uses_gpu=attempt.facts.uses_gpu if attempt.facts else None,
        capsule=attempt.capsule,
        cost_usd=summary.agent.cost_usd if summary and summary.agent else 0.0,
        agent_steps=summary.agent.steps if summary and summary.agent else None,
        started_at=started_at,
        finished_at=now(),
        seconds=round(seconds, 3),
        prepare_seconds=round(attempt.prepare_seconds, 3),
        run_seconds=round(attempt.run_seconds, 3),
        run_dir=str(run_dir.relative_to(bench_dir.root)) if run_dir.exists() else None,
        traceback=attempt.traceback or _relative_if(records.traceback, bench_dir.root),
    )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _file_names(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(path.name for path in folder.rglob("*") if path.is_file())


def _relative_if(path: Path, root: Path) -> str | None:
    return str(path.relative_to(root)) if path.is_file() else None
