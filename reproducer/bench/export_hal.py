"""HAL's files for a CORE-Bench run, so a bench run can be compared with the HAL leaderboard.

Matched against princeton-pli/hal-harness at commit 002a7495a6906d4ca8f6105f95862fcf896f2fec:
`hal/benchmarks/base_benchmark.py` (`process_results`: `<run_id>.json` holds the raw evaluation results,
`<run_id>_UPLOAD.json` the upload with `config`, `results`, `raw_eval_results`, `raw_logging_results`,
`task_prompts`, `total_usage`, `total_cost`, `git_info`, `agent_hash`, `wall_clock_times`,
`task_step_counts`) and `hal/benchmarks/corebench.py` (`evaluate_output`'s per-task counts, with
`error` for a task that could not be evaluated; `get_metrics`' accuracy, written/vision accuracy and
successful/failed task lists; benchmark names `corebench_easy|medium|hard`).

Checked against HAL's upload schema (`.github/scripts/corebench_hard_upload.schema.json`, commit
3621c502075f1167a4cc659d38993dc324e3b3a1), whose structural rules tests/schemas/hal_upload.schema.json
restates: `config.agent_args` names `model_name` and `benchmark_name`; `git_info` is
`{commit, repository_url, branch}` or `{error}`; `raw_logging_results` is a non-empty list of calls and
`total_usage` maps each model to its tokens (both rebuilt from the trajectories, see `hal_calls`);
`latencies` holds each task's start and end.
"""

import datetime as dt
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reproducer import __version__
from reproducer.bench.hal_calls import logging_results, total_usage
from reproducer.bench.scores import task_grade
from reproducer.capsules import Level, official_prompt
from reproducer.rundir.bench_result import TaskResult
from reproducer.tasks.model import Task

AGENT_NAME = "reproducer"


def hal_run_id(level: str, bench_run_id: str, repeat: int | None) -> str:
    suffix = f"_r{repeat}" if repeat is not None else ""
    return f"corebench_{level}_{AGENT_NAME}_{bench_run_id}{suffix}"


def raw_eval_results(results: Sequence[TaskResult]) -> dict[str, dict[str, Any]]:
    evaluated: dict[str, dict[str, Any]] = {}
    for result in results:
        grade = task_grade(result, "official")
        entry: dict[str, Any] = {
            "correct_written_answers": grade.correct_written,
            "correct_vision_answers": grade.correct_vision,
            "total_written_questions": grade.total_written,
            "total_vision_questions": grade.total_vision,
        }
        if result.official is None:
            entry["error"] = f"{result.status}: {result.detail}".strip()
        evaluated[result.capsule_id] = entry
    return evaluated


def hal_metrics(evaluated: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """`CoreBench.get_metrics`: task accuracy, written and vision task accuracy, task id lists."""
    successful: list[str] = []
    failed: list[str] = []
    written = vision = correct_written = correct_vision = 0
    for task_id, counts in evaluated.items():
        w_ok, w_all = counts["correct_written_answers"], counts["total_written_questions"]
        v_ok, v_all = counts["correct_vision_answers"], counts["total_vision_questions"]
        written += w_all > 0
        correct_written += w_all > 0 and w_ok == w_all
        vision += v_all > 0
        correct_vision += v_all > 0 and v_ok == v_all
        all_correct = w_ok == w_all and v_ok == v_all and (w_all > 0 or v_all > 0)
        (successful if all_correct else failed).append(task_id)
    return {
        "accuracy": len(successful) / len(evaluated) if evaluated else 0,
        "written_accuracy": correct_written / written if written else 0,
        "vision_accuracy": correct_vision / vision if vision else 0,
        "successful_tasks": successful,
        "failed_tasks": failed,
    }


def git_info(source: Path = Path(__file__).parent) -> dict[str, str]:
    """The commit of reproducer itself, as HAL records its own: `{commit, repository_url, branch}`, or
    `{error}` when reproducer does not run from a git checkout with a remote."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(source), *args], capture_output=True, text=True, timeout=10)
        if done.returncode != 0 or not done.stdout.strip():
            raise RuntimeError(done.stderr.strip() or f"git {' '.join(args)} printed nothing")
        return done.stdout.strip()

    try:
        return {
            "commit": git("rev-parse", "HEAD"),
            "repository_url": git("remote", "get-url", "origin"),
            "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
        }
    except (OSError, RuntimeError, subprocess.SubprocessError) as error:
        return {"error": f"reproducer {__version__}: no git information ({error})"}


def hal_upload(
    bench_root: Path,
    results: Sequence[TaskResult],
    tasks: dict[str, Task],
    *,
    level: Level,
    run_id: str,
    agent_args: dict[str, Any],
    command_line: str,
) -> dict[str, Any]:
    """The content of HAL's `<run_id>_UPLOAD.json` for these results (one repeat of each task)."""
    evaluated = raw_eval_results(results)
    total_cost = sum(result.cost_usd for result in results)
    model = agent_args.get("model")
    agent = str(agent_args.get("agent") or "")
    benchmark = f"corebench_{level}"
    # A brought agent (`cmd:...`, `py:...`) is named as given; ours by its model.
    brought = agent.startswith(("cmd:", "py:"))
    return {
        "config": {
            "agent_name": agent if brought else f"{AGENT_NAME} ({model or 'offline'})",
            "benchmark_name": benchmark,
            "date": dt.date.today().isoformat(),
            "run_id": run_id,
            # HAL's own agents are given these two as arguments; its schema requires them.
            "agent_args": {
                "model_name": model or (agent if brought else "offline"),
                "benchmark_name": benchmark,
                **agent_args,
            },
            "run_command": command_line,
            "prompt_sensitivity": False,
            "agent_version": __version__,
        },
        "results": {
            **hal_metrics(evaluated),
            "total_cost": total_cost,
            "latencies": {r.capsule_id: _latency(r) for r in results},
        },
        "raw_eval_results": evaluated,
        "raw_logging_results": logging_results(bench_root, results),
        "task_prompts": {
            r.capsule_id: official_prompt(tasks[r.key], level) for r in results if r.key in tasks
        },
        "total_usage": total_usage(bench_root, results),
        "total_cost": total_cost,
        "git_info": git_info(),
        "agent_hash": None,
        "wall_clock_times": {r.capsule_id: r.seconds for r in results},
        "task_step_counts": {r.capsule_id: r.agent_steps for r in results if r.agent_steps is not None},
    }


def _latency(result: TaskResult) -> dict[str, Any]:
    return {
        "first_call_timestamp": result.started_at,
        "last_call_timestamp": result.finished_at,
        "total_time": result.seconds,
    }
