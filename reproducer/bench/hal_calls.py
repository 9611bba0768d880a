"""What HAL's upload takes from Weave, rebuilt from each task's `trajectory.json`.

HAL logs every model call through Weave and uploads the calls as `raw_logging_results` (a list), with
`total_usage` summed per model. Here the trajectory holds the same facts: each step is one call, with the
messages added since the previous call, the reply, its usage, cost and timing. The trajectory is read
as plain JSON, key by key, so a task whose trajectory is missing, unreadable or of a newer shape still
exports (with no calls) instead of failing the whole export.

A task answered without a model (the offline answerer) made no call; it gets one entry with no messages
and `call_metadata.model_calls == 0`, so that every task appears in the log and the list is never empty.
"""

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reproducer.rundir.bench_result import TaskResult
from reproducer.rundir.layout import TRAJECTORY_FILE

# HAL's usage keys (what Weave records for Anthropic calls), from our Usage's billing split.
HAL_USAGE_KEYS = (
    "prompt_tokens",
    "completion_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
)


def read_trajectory(bench_root: Path, result: TaskResult) -> dict[str, Any] | None:
    if result.run_dir is None:
        return None
    path = bench_root / result.run_dir / TRAJECTORY_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def hal_usage(usage: Any) -> dict[str, int]:
    """Our per-call `usage` in HAL's keys; prompt tokens are the uncached input, as the API counts them."""
    data = usage if isinstance(usage, dict) else {}

    def count(key: str) -> int:
        value = data.get(key, 0)
        return int(value) if isinstance(value, int | float) else 0

    return {
        "prompt_tokens": count("input_tokens"),
        "completion_tokens": count("output_tokens"),
        "cache_creation_input_tokens": count("cache_write_5m_tokens") + count("cache_write_1h_tokens"),
        "cache_read_input_tokens": count("cache_read_tokens"),
    }


def _steps(trajectory: dict[str, Any] | None) -> list[dict[str, Any]]:
    steps = (trajectory or {}).get("steps")
    return [step for step in steps if isinstance(step, dict)] if isinstance(steps, list) else []


def task_calls(result: TaskResult, trajectory: dict[str, Any] | None) -> list[dict[str, Any]]:
    """One entry per model call of the task (or one call-less entry when it made none)."""
    steps = _steps(trajectory)
    messages = (trajectory or {}).get("messages")
    messages = messages if isinstance(messages, list) else []
    default_model = str((trajectory or {}).get("model") or "")
    calls: list[dict[str, Any]] = []
    sent_before = 0
    for index, step in enumerate(steps):
        sent = step.get("messages_sent")
        sent = sent if isinstance(sent, int) and sent >= sent_before else sent_before
        calls.append(
            {
                "weave_task_id": result.capsule_id,
                "repeat": result.repeat,
                # The messages this call added to the conversation: concatenated in order, the calls
                # give the whole conversation once (each request is all the messages before it).
                "messages": messages[sent_before:sent],
                "output": step.get("response") or {"text": step.get("text", "")},
                "call_metadata": {
                    "call_index": index,
                    "step": step.get("step", index + 1),
                    "model": step.get("model") or default_model,
                    "started_at": step.get("started_at"),
                    "model_seconds": step.get("model_seconds"),
                    "stop_reason": step.get("stop_reason"),
                    "usage": hal_usage(step.get("usage")),
                    "cost_usd": step.get("cost_usd", 0.0),
                    "tool_calls": [
                        call.get("name") for call in step.get("tool_calls") or [] if isinstance(call, dict)
                    ],
                },
            }
        )
        sent_before = sent
    if calls:
        return calls
    return [
        {
            "weave_task_id": result.capsule_id,
            "repeat": result.repeat,
            "messages": [],
            "output": result.report if isinstance(result.report, dict) else {},
            "call_metadata": {"model": default_model or None, "model_calls": 0, "status": result.status},
        }
    ]


def logging_results(bench_root: Path, results: Sequence[TaskResult]) -> list[dict[str, Any]]:
    return [call for result in results for call in task_calls(result, read_trajectory(bench_root, result))]


def total_usage(bench_root: Path, results: Sequence[TaskResult]) -> dict[str, dict[str, int]]:
    """Tokens per model over every call of these results, in HAL's keys."""
    totals: dict[str, dict[str, int]] = {}
    for result in results:
        trajectory = read_trajectory(bench_root, result)
        for step in _steps(trajectory):
            model = str(step.get("model") or (trajectory or {}).get("model") or "unknown")
            total = totals.setdefault(model, dict.fromkeys(HAL_USAGE_KEYS, 0))
            for key, value in hal_usage(step.get("usage")).items():
                total[key] += value
    return totals
