"""One benchmark task, start to finish: get the capsule, run it, map the outcome to one status, and
write the result atomically. Runs in a worker thread; never raises for a task's own failure."""

import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reproducer.agent.settings import AgentSettings
from reproducer.bench.facts import FactsCache
from reproducer.bench.selection import BenchTask
from reproducer.bench.task_record import Attempt, task_result
from reproducer.capsules import Level
from reproducer.errors import BadInput, Unreachable
from reproducer.pipeline.run import run_capsule
from reproducer.rundir.bench_layout import BenchDir
from reproducer.rundir.bench_result import CapsuleRecord, TaskResult
from reproducer.rundir.layout import RunDir
from reproducer.rundir.stamp import now, write_record
from reproducer.rundir.statuses import SKIPPED, bench_status
from reproducer.rundir.summary import RunSummary
from reproducer.tasks.model import Task

GPU_SKIP = "the capsule uses a GPU (REPRODUCING.md mentions `gpu`) and --no-gpu was given"


@dataclass(frozen=True)
class WorkerContext:
    """What every task of a run shares. `agent` makes a fresh agent per task (None: offline)."""

    bench_dir: BenchDir
    level: Level
    command_timeout_s: float
    resolve: Callable[[Task], CapsuleRecord]
    facts: FactsCache
    no_gpu: bool
    agent: Callable[[], AgentSettings | None]
    cancel: threading.Event
    run_options: Mapping[str, Any]


def run_task(item: BenchTask, ctx: WorkerContext) -> TaskResult | None:
    """Run one task and write its result; None (and no result) when the bench was cancelled meanwhile."""
    result = attempt_task(item, ctx)
    if result is not None:
        write_record(ctx.bench_dir.result(item.key), result)
    return result


def attempt_task(item: BenchTask, ctx: WorkerContext) -> TaskResult | None:
    """Run one task into its run directory and return its result, unwritten (a remote executor's driver
    writes it); None when the bench was cancelled meanwhile."""
    started_at, started = now(), time.monotonic()
    if item.skip_reason is not None:
        attempt = Attempt(SKIPPED, item.skip_reason)
    elif item.invalid_reason is not None:
        attempt = Attempt("invalid_task", item.invalid_reason)
    else:
        attempt = _attempt(item, ctx)
    if ctx.cancel.is_set():
        return None
    return task_result(item, ctx.bench_dir, ctx.level, attempt, started_at, time.monotonic() - started)


def _attempt(item: BenchTask, ctx: WorkerContext) -> Attempt:
    run_dir = ctx.bench_dir.task_dir(item.key)
    attempt = Attempt("infra_error")
    began = time.monotonic()
    try:
        attempt.capsule = ctx.resolve(item.task)
        attempt.facts = ctx.facts.get(attempt.capsule.source)
        attempt.prepare_seconds = time.monotonic() - began
        if ctx.no_gpu and attempt.facts.uses_gpu:
            attempt.status, attempt.detail = SKIPPED, GPU_SKIP
            return attempt
        began = time.monotonic()
        summary = run_capsule(
            attempt.capsule.source,
            item.task,
            run_dir,
            level=ctx.level,
            command_timeout_s=ctx.command_timeout_s,
            agent=ctx.agent(),
            **ctx.run_options,
        )
        attempt.run_seconds = time.monotonic() - began
        attempt.summary, attempt.status, attempt.detail = (
            summary,
            bench_status(summary),
            _failed_steps(summary),
        )
    except BadInput as error:
        attempt.status, attempt.detail = "invalid_task", str(error)
    except Unreachable as error:  # the network failed, not the task: --retry-errors runs it again
        attempt.status, attempt.detail = "infra_error", str(error)
    except Exception as error:
        attempt.status, attempt.detail = "infra_error", f"{type(error).__name__}: {error}"
        if not RunDir(run_dir).traceback.is_file():  # else run_capsule saved the real one there
            attempt.traceback = _save_traceback(ctx.bench_dir, item.key)
    if attempt.summary is None:
        attempt.summary = _read_summary(run_dir)
    if attempt.run_seconds == 0.0 and attempt.summary is not None:
        attempt.run_seconds = time.monotonic() - began
    return attempt


def _failed_steps(summary: RunSummary) -> str:
    failed = [f"{step.name}: {step.detail}" for step in summary.steps if step.status == "failed"]
    if summary.agent is not None and summary.agent.outcome != "submitted":
        failed.append(f"agent: {summary.agent.outcome} {summary.agent.detail}".strip())
    return "; ".join(failed)


def _save_traceback(bench_dir: BenchDir, key: str) -> str:
    path = bench_dir.bench_traceback(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(traceback.format_exc(), encoding="utf-8")
    return str(path.relative_to(bench_dir.root))


def _read_summary(run_dir: Path) -> RunSummary | None:
    try:
        return RunSummary.model_validate_json(RunDir(run_dir).summary.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
