"""Reproduce a capsule N times with the deterministic pipeline and collect each run's answers."""

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reproducer.errors import WorkFailed
from reproducer.pipeline.run import DEFAULT_COMMAND_TIMEOUT_S, Level, run_capsule
from reproducer.rundir.layout import RunDir
from reproducer.tasks.model import Task

TRUTH_FOLDER = "truth"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Hole:
    """A question one run left unanswered (or answered with a value that cannot be ground truth)."""

    question: str
    run: int
    run_dir: Path
    why: str

    def __str__(self) -> str:
        return f"run {self.run} ({self.run_dir}): {self.question!r} {self.why}"


@dataclass
class TruthRuns:
    """Each run's answers in question order, where the runs are, and the holes found."""

    runs: list[dict[str, Any]] = field(default_factory=list)
    run_dirs: list[Path] = field(default_factory=list)
    holes: list[Hole] = field(default_factory=list)

    def complete(self) -> list[dict[str, Any]]:
        """The runs without any question that some run left unanswered (every run keeps the same keys)."""
        dropped = {hole.question for hole in self.holes}
        return [{q: v for q, v in run.items() if q not in dropped} for run in self.runs]


def run_folder(root: Path, number: int) -> Path:
    """Where run `number` (1-based) of a truth recording goes: `ROOT/truth/run-<number>`."""
    return root / TRUTH_FOLDER / f"run-{number}"


def record_truth(
    source: str | Path,
    task: Task,
    root: Path,
    runs: int,
    *,
    level: Level = "hard",
    command_timeout_s: float = DEFAULT_COMMAND_TIMEOUT_S,
    cache_root: Path | None = None,
    allow_missing: bool = False,
    progress: Progress = lambda _message: None,
) -> TruthRuns:
    """Run `task` (questions, no results) `runs` times into `ROOT/truth/run-<k>/`, offline.

    Without `allow_missing`, the first run that leaves a question unanswered ends the recording with
    `WorkFailed` naming the question and the run; the run directories made so far are kept.
    """
    if runs < 1:
        raise ValueError("at least one run is needed")
    found = TruthRuns()
    for number in range(1, runs + 1):
        run_dir = run_folder(root, number)
        progress(f"run {number} of {runs} -> {run_dir}")
        summary = run_capsule(
            source,
            task,
            run_dir,
            level=level,
            command_timeout_s=command_timeout_s,
            cache_root=cache_root,
            progress=lambda message: progress(f"  {message}"),
        )
        answers, holes = _answers(task, run_dir, number, summary.status)
        found.runs.append(answers)
        found.run_dirs.append(run_dir)
        found.holes += holes
        if holes and not allow_missing:
            listed = "\n  ".join(str(hole) for hole in holes)
            raise WorkFailed(
                f"no ground truth written: {len(holes)} question(s) without a usable answer:\n  {listed}\n"
                "(see `reproducer show` on the run directory; --allow-missing leaves such questions out)"
            )
    return found


def _answers(task: Task, run_dir: Path, number: int, status: str) -> tuple[dict[str, Any], list[Hole]]:
    report_path = RunDir(run_dir).report
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        report = {}
    if not isinstance(report, dict):
        report = {}
    answers: dict[str, Any] = {}
    holes: list[Hole] = []
    for question in task.questions:
        value = report.get(question)
        problem = _unusable(value, status)
        if problem:
            holes.append(Hole(question, number, run_dir, problem))
        answers[question] = value
    return answers, holes


def _unusable(value: Any, status: str) -> str:
    """Why `value` cannot be a ground-truth value, or '' when it can."""
    if value is None:
        return f"was not answered (run status: {status})"
    if isinstance(value, bool) or not isinstance(value, int | float | str | list):
        return f"has a value of type {type(value).__name__} ({value!r}), not a number, text or list"
    if isinstance(value, float) and not math.isfinite(value):
        return f"has the value {value!r}, which cannot be ground truth"
    return ""
