"""CORE-Bench's own results file, so a bench run can be scored like the official harness does.

Matched against siegelz/core-bench: `benchmark/benchmark.py` (`__write_task_result`, commit
0857bb65751c21fca0bc444c1f53540fbedbc15e) for the `capsule_results` entries, and
`benchmark/evaluations.py` (`eval_result_json`, `score_results`, commit
53ce33205543d36e7168187d3fc83a58b441fc84) for the answer counts and the `summary` keys. As there, a
task that produced no report has `result_report` `{}` and scores zero; skipped tasks are left out (the
official harness skips GPU capsules with --no_gpu the same way).
"""

from collections.abc import Sequence
from typing import Any

from reproducer.bench.scores import task_grade
from reproducer.grading import summarize
from reproducer.rundir.bench_result import TaskResult

# `score_results`'s summary, in its order (our GradeSummary adds accuracy fields it does not have).
SUMMARY_KEYS = (
    "correct_tasks",
    "total_tasks",
    "correct_questions",
    "total_questions",
    "correct_written_tasks",
    "total_written_tasks",
    "correct_vision_tasks",
    "total_vision_tasks",
    "correct_written_questions",
    "total_written_questions",
    "correct_vision_questions",
    "total_vision_questions",
)


def capsule_result(result: TaskResult) -> dict[str, Any]:
    grade = task_grade(result, "official")
    return {
        "field": result.field,
        "language": result.language,
        "capsule_title": result.capsule_title,
        "capsule_id": result.capsule_id,
        "result_report": result.report if isinstance(result.report, dict) else {},
        "result_paths": result.result_paths,
        "result_paths_success": bool(result.result_paths_success),
        "correct_written_answers": grade.correct_written,
        "correct_vision_answers": grade.correct_vision,
        "total_written_questions": grade.total_written,
        "total_vision_questions": grade.total_vision,
    }


def corebench_results(results: Sequence[TaskResult]) -> dict[str, Any]:
    """`{"capsule_results": [...], "summary": {...}}` over the counted (not skipped) results given."""
    summary = summarize(task_grade(result, "official") for result in results).model_dump()
    return {
        "capsule_results": [capsule_result(result) for result in results],
        "summary": {key: summary[key] for key in SUMMARY_KEYS},
    }
