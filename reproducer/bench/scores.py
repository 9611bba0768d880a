"""The scores of a bench run (`RUNDIR/scores.json`): every counted task in the denominator, errors
listed apart, skipped tasks outside it, both grading modes, and pass@k / pass^k over repeats."""

from collections import Counter
from collections.abc import Mapping, Sequence

from pydantic import BaseModel

from reproducer.bench.passk import mean_over_tasks
from reproducer.bench.selection import BenchTask
from reproducer.grading import summarize
from reproducer.rundir.bench_result import TaskResult
from reproducer.rundir.statuses import BENCH_STATUSES, ERROR_STATUSES, SKIPPED
from reproducer.rundir.verdict import GradeSummary, Mode, TaskGrade

SKIPPED_NOTE = (
    "skipped tasks (GPU capsules with --no-gpu, tasks of vision questions only with --no-vision) "
    "are not in the denominator"
)


class ModeScores(BaseModel):
    """One grading mode's totals, with the fields of CORE-Bench's `score_results` in `summary`."""

    summary: GradeSummary
    written_question_accuracy: float
    vision_question_accuracy: float


class Scores(BaseModel):
    level: str
    complete: bool
    tasks: int
    finished: int
    counted: int
    not_run: list[str]
    statuses: dict[str, int]
    accuracy: float
    accuracy_by_level: dict[str, float]
    errors: dict[str, list[str]]
    failures: dict[str, list[str]]
    skipped: dict[str, str]
    skipped_note: str = SKIPPED_NOTE
    official: ModeScores
    robust: ModeScores
    modes_differ: list[str]
    repeats: int
    pass_at_k: dict[str, float | None]
    pass_hat_k: dict[str, float | None]
    cost_usd: float
    task_seconds: float


def task_grade(result: TaskResult, mode: Mode) -> TaskGrade:
    """The result's grade in `mode`; a task that was never graded counts all its questions wrong."""
    graded = result.official if mode == "official" else result.robust
    if graded is not None:
        return graded
    return TaskGrade(
        capsule_id=result.key,
        mode=mode,
        verdicts=[],
        correct_written=0,
        total_written=result.total_written,
        correct_vision=0,
        total_vision=result.total_vision,
        correct=False,
        error=result.status,
    )


def mode_scores(results: Sequence[TaskResult], mode: Mode) -> ModeScores:
    summary = summarize(task_grade(result, mode) for result in results)
    return ModeScores(
        summary=summary,
        written_question_accuracy=_ratio(summary.correct_written_questions, summary.total_written_questions),
        vision_question_accuracy=_ratio(summary.correct_vision_questions, summary.total_vision_questions),
    )


def compute_scores(
    items: Sequence[BenchTask], results: Mapping[str, TaskResult], level: str, repeats: int
) -> Scores:
    finished = [results[item.key] for item in items if item.key in results]
    counted = [result for result in finished if result.status != SKIPPED]
    statuses = Counter[str](result.status for result in finished)
    correct = statuses["correct"]
    by_status = {s: [r.key for r in counted if r.status == s] for s in BENCH_STATUSES if statuses[s]}
    runs: dict[str, list[bool]] = {}
    for result in counted:
        runs.setdefault(result.capsule_id, []).append(result.status == "correct")
    counts = [(len(flags), sum(flags)) for flags in runs.values()]
    ks = range(1, repeats + 1)
    return Scores(
        level=level,
        complete=len(finished) == len(items),
        tasks=len(items),
        finished=len(finished),
        counted=len(counted),
        not_run=[item.key for item in items if item.key not in results],
        statuses={status: statuses[status] for status in (*BENCH_STATUSES, SKIPPED)},
        accuracy=_ratio(correct, len(counted)),
        accuracy_by_level={level: _ratio(correct, len(counted))},
        errors={s: keys for s, keys in by_status.items() if s in ERROR_STATUSES},
        failures={s: keys for s, keys in by_status.items() if s not in ERROR_STATUSES and s != "correct"},
        skipped={r.key: r.detail for r in finished if r.status == SKIPPED},
        official=mode_scores(counted, "official"),
        robust=mode_scores(counted, "robust"),
        modes_differ=[
            r.key for r in counted if task_grade(r, "official").correct != task_grade(r, "robust").correct
        ],
        repeats=repeats,
        pass_at_k={str(k): mean_over_tasks(counts, k, every=False) for k in ks},
        pass_hat_k={str(k): mean_over_tasks(counts, k, every=True) for k in ks},
        cost_usd=round(sum(r.cost_usd for r in finished), 6),
        task_seconds=round(sum(r.seconds for r in finished), 3),
    )


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
