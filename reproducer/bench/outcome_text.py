"""What `reproducer bench` says when it ends: the scores in words, or as JSON, and how to resume."""

import shlex
from collections.abc import Sequence
from typing import Any

from reproducer.bench.runner import BenchOutcome
from reproducer.rundir.statuses import RETRIED_STATUSES

EXIT_COMPLETE = 0
EXIT_INCOMPLETE = 1
EXIT_INTERRUPTED = 130


def exit_code(outcome: BenchOutcome) -> int:
    """0 when every task has a result, 130 after Ctrl-C, 1 when tasks are left (dollar cap, bench errors)."""
    if outcome.dispatched.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_COMPLETE if outcome.scores.complete else EXIT_INCOMPLETE


def resume_command(argv: Sequence[str], out: str) -> str:
    """The command line that continues this run: the same one, with --out pointing at the run directory."""
    words = ["reproducer", *argv]
    if "--out" not in words and not any(word.startswith("--out=") for word in words):
        words += ["--out", out]
    return shlex.join(words)


def outcome_json(outcome: BenchOutcome, argv: Sequence[str]) -> dict[str, Any]:
    dispatched = outcome.dispatched
    return {
        "run_dir": str(outcome.bench_dir.root),
        "run_id": outcome.stored.run_id,
        "complete": outcome.scores.complete,
        "interrupted": dispatched.interrupted,
        "budget_reached": dispatched.budget_reached,
        "earlier_results": outcome.earlier,
        "cancelled": dispatched.cancelled,
        "not_started": dispatched.not_started,
        "bench_errors": dispatched.errors,
        "resume": None if outcome.scores.complete else resume_command(argv, str(outcome.bench_dir.root)),
        "scores": outcome.scores.model_dump(mode="json"),
        "exports": [str(path) for path in outcome.exports],
    }


def outcome_lines(outcome: BenchOutcome, argv: Sequence[str]) -> list[str]:
    scores, dispatched, resumed = outcome.scores, outcome.dispatched, outcome.resumed
    lines: list[str] = []
    if resumed.moved or resumed.killed or resumed.docker_removed:
        lines.append(
            f"resumed: {len(resumed.moved)} cut-off tasks moved aside and run again, "
            f"{len(resumed.killed)} leftover processes killed, "
            f"{len(resumed.docker_removed)} Docker resources removed"
        )
    lines += [f"note: {note}" for note in resumed.notes]
    counted = scores.counted
    lines.append(
        f"{scores.level}: {scores.statuses['correct']} of {counted} tasks correct "
        f"(accuracy {scores.accuracy:.1%}; {scores.finished} of {scores.tasks} finished)"
    )
    official, robust = scores.official, scores.robust
    written = official.written_question_accuracy if official.summary.total_written_questions else None
    vision = official.vision_question_accuracy if official.summary.total_vision_questions else None
    lines.append(f"questions (official grader): written {_share(written)}, vision {_share(vision)}")
    if scores.modes_differ:
        lines.append(
            f"robust grader: {robust.summary.correct_tasks} tasks correct "
            f"(differs from official on {', '.join(scores.modes_differ)})"
        )
    for status, keys in {**scores.failures, **scores.errors}.items():
        kind = "error" if status in scores.errors else "failed"
        lines.append(
            f"  {kind} {status}: {len(keys)} ({', '.join(keys[:5])}{' ...' if len(keys) > 5 else ''})"
        )
    if scores.skipped:
        lines.append(f"skipped: {len(scores.skipped)} ({scores.skipped_note})")
    if scores.repeats > 1:
        for k in range(1, scores.repeats + 1):
            at, every = scores.pass_at_k[str(k)], scores.pass_hat_k[str(k)]
            lines.append(f"pass@{k} {_share(at)}   pass^{k} {_share(every)}")
    lines.append(f"cost ${scores.cost_usd:.2f}; scores in {outcome.bench_dir.scores}")
    if dispatched.errors:
        lines.append(f"{len(dispatched.errors)} tasks hit an error in the bench itself and have no result")
    if dispatched.interrupted:
        lines.append(
            f"stopped: {len(dispatched.cancelled)} running tasks cancelled, "
            f"{len(dispatched.not_started)} not started; every result written so far is kept"
        )
    elif dispatched.budget_reached:
        lines.append(f"the dollar cap was reached: {len(dispatched.not_started)} tasks not started")
    if not scores.complete:
        lines.append(f"to resume: {resume_command(argv, str(outcome.bench_dir.root))}")
    retried = [key for status in RETRIED_STATUSES for key in scores.errors.get(status, [])]
    if retried and "--retry-errors" not in argv:
        again = resume_command([*argv, "--retry-errors"], str(outcome.bench_dir.root))
        lines.append(
            f"{len(retried)} tasks ended in infra_error (network, harness); to run them again: {again}"
        )
    return lines


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"
