"""`reproducer run`: stage, plan, build, run, harvest, answer (offline, then the agent) and grade one capsule.

Every step writes its artifact into the run directory as soon as it is done, and `summary.json` is
rewritten after each step, so a run that fails or is killed half-way keeps everything before it.
"""

import traceback
from pathlib import Path
from typing import Literal

from reproducer.answer import answer_questions, report_dict, write_report
from reproducer.capsules.stage import stage_capsule
from reproducer.errors import BadInput, WorkFailed
from reproducer.grading import grade
from reproducer.harvest import harvest, write_facts
from reproducer.jsonio import write_json_atomic
from reproducer.pipeline.agent_step import AgentSettings, solve
from reproducer.pipeline.backends import Backend, BackendName, open_backend
from reproducer.pipeline.execute import build_and_run
from reproducer.pipeline.rundir import RunDir
from reproducer.pipeline.steps import Progress, Steps
from reproducer.pipeline.summary import RunStatus, RunSummary
from reproducer.tasks import Task

Level = Literal["easy", "medium", "hard"]
DEFAULT_COMMAND_TIMEOUT_S = 3600.0

__all__ = ["DEFAULT_COMMAND_TIMEOUT_S", "AgentSettings", "Level", "run_capsule"]


def run_capsule(
    source: str | Path,
    task: Task,
    out: Path,
    *,
    level: Level = "hard",
    backend: BackendName = "local",
    command_timeout_s: float = DEFAULT_COMMAND_TIMEOUT_S,
    cache_root: Path | None = None,
    agent: AgentSettings | None = None,
    run_id: str | None = None,
    progress: Progress = lambda _message: None,
) -> RunSummary:
    """Reproduce `task`'s capsule from `source` into the run directory `out` and return the summary.

    `backend` is where the environment is built and the code runs (`auto`: Docker when an engine
    answers); `run_id` labels the run's containers. Bad input (a broken capsule, say) ends the run as
    `invalid_task` and re-raises; any other failure ends it as `infra_error` with the traceback in
    `traceback.txt`. Either way the run directory keeps everything done before.
    """
    run_dir = RunDir.create(out)
    summary = RunSummary(
        run_dir=str(run_dir.root),
        capsule_id=task.capsule_id,
        level=level,
        backend=backend,
        answerer=agent.model.name if agent else "offline",
    )
    steps = Steps(summary, run_dir, progress)
    try:
        opened = open_backend(backend, cache_root=cache_root, run_id=run_id)
        summary.backend = opened.name
        _pipeline(source, task, run_dir, steps, opened, level, command_timeout_s, agent)
    except BadInput:
        summary.status = "invalid_task"
        raise
    except Exception as error:
        summary.status = "infra_error"
        run_dir.traceback.write_text(traceback.format_exc(), encoding="utf-8")
        raise WorkFailed(f"{error}; the traceback is in {run_dir.traceback}") from error
    finally:
        steps.save()
    return summary


def _pipeline(
    source: str | Path,
    task: Task,
    run_dir: RunDir,
    steps: Steps,
    backend: Backend,
    level: Level,
    command_timeout_s: float,
    agent: AgentSettings | None,
) -> None:
    summary = steps.summary
    with steps.step("stage") as record:
        staged = stage_capsule(source, level, run_dir.workspace, task=task)
        record.detail = staged.detail
    harvest_paths = [staged.capsule_dir / "results"]

    if level == "easy":
        # The Easy level answers from the stored results; the official prompt forbids running code.
        steps.skip("run", "Easy level: answers come from results/")
    else:
        harvest_paths += build_and_run(
            staged.capsule_dir,
            run_dir,
            steps,
            backend,
            task_id=task.capsule_id,
            prompt=task.task_prompt,
            questions=task.questions,
            command_timeout_s=command_timeout_s,
            # An environment the agent may patch is private to the run (copies, not links into a cache).
            private=agent is not None,
        )

    with steps.step("harvest") as record:
        found = harvest(run_dir.root, harvest_paths)
        write_facts(found, run_dir.facts)
        record.detail = f"{len(found.facts)} facts from {len(found.files)} files"

    with steps.step("answer") as record:
        choices = answer_questions(task, found.facts)
        write_report(task, choices, run_dir.report, run_dir.answers)
        summary.answered = sum(choice.value is not None for choice in choices)
        summary.unanswered = len(choices) - summary.answered
        record.detail = f"{summary.answered} of {len(choices)} questions answered"

    if agent is not None:
        with steps.step(f"agent {agent.model.name}") as record:
            outcome = solve(task, run_dir, staged.capsule_dir, backend, agent, report_dict(task, choices))
            summary.agent = outcome
            report = run_dir.read_report()
            summary.answered = sum(value is not None for value in report.values())
            summary.unanswered = len(report) - summary.answered
            record.detail = f"{outcome.outcome} after {outcome.steps} steps, ${outcome.cost_usd:.4f}"

    if task.has_truth:
        with steps.step("grade") as record:
            report = run_dir.read_report()
            official, robust = grade(task, report, "official"), grade(task, report, "robust")
            summary.official, summary.robust = official, robust
            verdicts = {
                "official": official.model_dump(mode="json"),
                "robust": robust.model_dump(mode="json"),
            }
            write_json_atomic(run_dir.verdicts, verdicts)
            record.detail = "correct" if official.correct else "incorrect"
    summary.status = _status(summary)


def _status(summary: RunSummary) -> RunStatus:
    if summary.official is not None:
        return "correct" if summary.official.correct else "incorrect"
    if summary.environment_label is not None:
        return "env_failed"
    if any(command.status == "timeout" for command in summary.commands):
        return "timeout"
    return "answered" if summary.unanswered == 0 else "unanswered"
