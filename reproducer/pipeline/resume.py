"""`reproducer run --resume RUNDIR`: the agent of an interrupted run goes on where its trajectory ends.

The staged workspace and the environment are reused; whichever is gone is made again the way the first
run made it (staged from the capsule's source with the plan's fixes, built from plan.json). Then the
agent resumes, report.json merges its answers with the offline ones, and the run is graded.
"""

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reproducer.agent.settings import AgentSettings
from reproducer.answer import AnswerChoice, report_dict
from reproducer.backends.base import Backend
from reproducer.backends.registry import open_backend
from reproducer.capsules.stage import stage_capsule
from reproducer.envs import EnvironmentFailed
from reproducer.errors import BadInput
from reproducer.pipeline.agent_step import solve
from reproducer.pipeline.execute import pipeline_tools
from reproducer.pipeline.run import _grade, _status
from reproducer.pipeline.steps import Progress, Steps
from reproducer.plan.fixes import apply_fixes
from reproducer.plan.model import Plan
from reproducer.rundir.layout import RunDir
from reproducer.rundir.summary import RunSummary
from reproducer.tasks import Task


def read_summary(run_dir: RunDir) -> RunSummary:
    """The run's summary.json; BadInput naming the file when it is missing or malformed."""
    try:
        summary = RunSummary.model_validate_json(run_dir.summary.read_bytes())
    except OSError:
        raise BadInput(f"{run_dir.summary}: no run summary; is {run_dir.root} a run directory?") from None
    except ValidationError as error:
        raise BadInput(f"{run_dir.summary}: not a run summary ({error.error_count()} problems)") from None
    summary.run_dir = str(
        run_dir.root
    )  # where it is now (a record before relative paths names its first place)
    return summary


def restore_workspace(
    run_dir: RunDir, task: Task, summary: RunSummary, source: str | Path | None, progress: Progress
) -> Path:
    """The staged capsule of the run: the one there, or staged again from `source` with the plan's fixes."""
    capsule_dir = run_dir.workspace / task.capsule_id
    if capsule_dir.is_dir():
        return capsule_dir
    if source is None:
        raise BadInput(f"{capsule_dir}: the staged capsule is gone; give its source to stage it anew")
    progress(f"staging {source} again: {capsule_dir} is gone")
    level = summary.level if summary.level in ("easy", "medium", "hard") else "hard"
    staged = stage_capsule(source, level, run_dir.workspace, task=task)  # type: ignore[arg-type]
    plan = read_plan(run_dir)
    if plan is not None:
        apply_fixes(plan.fixes, staged.capsule_dir)
    return staged.capsule_dir


def read_plan(run_dir: RunDir) -> Plan | None:
    try:
        return Plan.model_validate_json(run_dir.plan.read_bytes())
    except OSError:
        return None
    except ValidationError as error:
        raise BadInput(f"{run_dir.plan}: not a plan ({error.error_count()} problems)") from None


def restore_environment(
    backend: Backend, run_dir: RunDir, capsule_dir: Path, summary: RunSummary, progress: Progress
) -> str:
    """The run's environment, made ready for `backend` the way the first run had it: reused when still
    there (a local one in RUNDIR/env), built again from plan.json when gone (a Docker image is found by
    its key), and none when the first run built none (its build failed, or the level runs nothing)."""
    built = any(step.name == "environment" and step.status == "ok" for step in summary.steps)
    plan = read_plan(run_dir)
    if not built or plan is None:
        return "no environment: the first run built none"
    if backend.capabilities.environment_in_run_dir and run_dir.environment.is_file():
        return "environment reused"
    progress("environment ... (made again from plan.json)")
    try:
        extra = pipeline_tools(plan.entry_points)
        return backend.prepare(plan, capsule_dir, run_dir.root, private=True, extra=extra)
    except EnvironmentFailed as failure:
        return f"environment not made again ({failure.label}): {failure.message}"


def offline_answers(run_dir: RunDir, task: Task) -> dict[str, Any]:
    """The offline pipeline's answers (answers.json's choices; report.json may hold the agent's drafts
    by now), or report.json's when answers.json cannot be read."""
    try:
        recorded = json.loads(run_dir.answers.read_text(encoding="utf-8"))
        return report_dict(task, [AnswerChoice.model_validate(choice) for choice in recorded["answers"]])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        report = run_dir.read_report()
    except (OSError, ValueError):
        return {}
    return report if isinstance(report, dict) else {}


def resume_capsule(
    out: Path,
    task: Task,
    agent: AgentSettings,
    *,
    source: str | Path | None = None,
    cache_root: Path | None = None,
    progress: Progress = lambda _message: None,
) -> RunSummary:
    """Go on with the agent of the run in `out` and return its updated summary."""
    run_dir = RunDir(out.resolve())
    summary = read_summary(run_dir)
    if summary.capsule_id != task.capsule_id:
        raise BadInput(f"{run_dir.summary}: the run is of {summary.capsule_id}, the task {task.capsule_id}")
    if not run_dir.trajectory.is_file():
        raise BadInput(f"{run_dir.trajectory}: no agent trajectory to resume from")
    if summary.problem == "interrupted":
        summary.problem = None
    steps = Steps(summary, run_dir, progress)
    capsule_dir = restore_workspace(run_dir, task, summary, source, progress)
    backend = open_backend(summary.backend, cache_root=cache_root)
    try:
        progress(restore_environment(backend, run_dir, capsule_dir, summary, progress))
        offline = offline_answers(run_dir, task)
        with steps.step(f"agent {agent.name} (resumed)") as record:
            outcome = solve(task, run_dir, capsule_dir, backend, agent, offline, resume=True)
            summary.agent = outcome
            report = run_dir.read_report()
            summary.answered = sum(value is not None for value in report.values())
            summary.unanswered = len(report) - summary.answered
            record.detail = f"{outcome.outcome} after {outcome.steps} steps in all, ${outcome.cost_usd:.4f}"
    finally:
        backend.close()
    _grade(task, run_dir, steps)
    summary.status = _status(summary)
    steps.save()
    return summary
