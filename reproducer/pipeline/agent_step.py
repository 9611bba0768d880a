"""The agent's turn in a run (ours, or one the user brought): it starts from what the pipeline did."""

import json
from pathlib import Path
from typing import Any

from reproducer.agent.limits import MAX_COMMAND_TIMEOUT_S
from reproducer.agent.resume import resume_with_agent
from reproducer.agent.settings import AgentSettings
from reproducer.agent.solve import AgentRun, final_answers, merged_report, solve_with_agent
from reproducer.backends.base import Backend
from reproducer.jsonio import write_json_atomic
from reproducer.rundir.layout import RunDir
from reproducer.rundir.stamp import write_record
from reproducer.rundir.summary import AgentRecord
from reproducer.tasks import Task


def solve(
    task: Task,
    run_dir: RunDir,
    capsule_dir: Path,
    backend: Backend,
    agent: AgentSettings,
    offline: dict[str, Any],
    *,
    resume: bool = False,
    can_install: bool = True,
) -> AgentRecord:
    """Let the model finish what the pipeline started, and write report.json from its answers
    (keeping the offline answer for any question it did not submit). With `resume`, the agent goes on
    from the run's trajectory instead of starting afresh. Without `can_install` (the Easy level, where
    no code is to run) the agent gets no `install` tool."""
    # The agent's time, plus its longest command when it starts one at the last moment.
    seconds = agent.limits.wall_seconds + MAX_COMMAND_TIMEOUT_S
    sandbox, installer = backend.agent_sandbox(capsule_dir, run_dir.root, task.capsule_id, seconds=seconds)
    start = resume_with_agent if resume else solve_with_agent
    try:
        if agent.own is not None:
            own, model = agent.own, agent.model
            files = backend.files(capsule_dir)
            result = own.solve(
                task, run_dir.root, capsule_dir, sandbox, agent.limits, model=model, files=files
            )
        else:
            assert agent.model is not None, "an agent is ours (a model) or brought"
            result = start(
                AgentRun(
                    task,
                    run_dir.root,
                    capsule_dir,
                    sandbox,
                    agent.model,
                    limits=agent.limits,
                    installer=installer if can_install else None,
                    capabilities=backend.capabilities,
                    files=backend.files(capsule_dir),
                )
            )
    finally:
        sandbox.stop()
    write_json_atomic(run_dir.report, merged_report(task, result, offline))
    final = final_answers(task, result, offline)
    _record_sources(run_dir.answers, [answer.model_dump(mode="json") for answer in final])
    return AgentRecord(
        model=agent.name,
        outcome=result.outcome.kind,
        steps=result.steps,
        cost_usd=result.cost_usd,
        seconds=result.seconds,
        detail=getattr(result.outcome, "error", "") or "",
    )


def _record_sources(path: Path, final: list[dict[str, Any]]) -> None:
    """answers.json's `final`: each question's answer in report.json and its source (the agent's
    submission, a draft, or the offline answer), beside the offline choices already there."""
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # no offline answers (or a damaged file): the sources alone
        recorded = {}
    data = recorded if isinstance(recorded, dict) else {}
    write_record(path, data | {"final": final})
