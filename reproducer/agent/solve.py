"""The entry the pipeline calls after its offline attempt: let the model finish the job."""

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from reproducer.agent.context import first_message, system_prompt
from reproducer.agent.drafts import Draft, Drafts
from reproducer.agent.history import Memory
from reproducer.agent.limits import AgentLimits
from reproducer.agent.loop import Agent
from reproducer.agent.model import Model
from reproducer.agent.models.keys import secret_values
from reproducer.agent.outcome import Outcome, Submitted
from reproducer.agent.tools import ToolContext, make_toolbox
from reproducer.agent.tools.registry import ToolBox
from reproducer.agent.trajectory import Trajectory
from reproducer.backends.capabilities import Capabilities
from reproducer.backends.files import WorkspaceFiles
from reproducer.backends.installer import Installer
from reproducer.rundir.layout import TRAJECTORY_FILE
from reproducer.sandbox.base import Sandbox
from reproducer.tasks.model import Task


class AgentResult(BaseModel):
    """How the agent's run ended; `answers` holds the submission (every question) or None, `drafts` the
    draft answers the model gave on the way (by question)."""

    outcome: Outcome
    answers: dict[str, Any] | None
    drafts: dict[str, Draft] = Field(default_factory=dict)
    steps: int
    cost_usd: float
    seconds: float


@dataclass(frozen=True)
class AgentRun:
    """What our agent is given to work on, whether it starts afresh (`solve_with_agent`) or goes on
    (`resume.resume_with_agent`).

    `sandbox` runs commands in `capsule_dir` (for background jobs a LocalSandbox needs
    `keep_background=True`); `installer` adds packages to its environment. `secrets` (and the API key
    variables of this process) are redacted from the trajectory. `memory` says how much of the history
    each request carries whole (the default masks old tool outputs). `capabilities` (the backend's)
    shape the prompt and the tools' descriptions; `files` serve the file tools the capsule's workspace (the
    backend session's; None: `capsule_dir` on this host).
    """

    task: Task
    run_dir: Path
    capsule_dir: Path
    sandbox: Sandbox
    model: Model
    limits: AgentLimits = AgentLimits()  # noqa: RUF009 - immutable
    installer: Installer | None = None
    secrets: Iterable[str] = ()
    memory: Memory | None = None
    capabilities: Capabilities | None = None
    files: WorkspaceFiles | None = None

    def tool_context(self, **resumed: Any) -> ToolContext:
        """The tools' view of the run (`resumed`: where an earlier part left the clock and the logs)."""
        return ToolContext(
            task=self.task,
            run_dir=self.run_dir,
            capsule_dir=self.capsule_dir,
            sandbox=self.sandbox,
            limits=self.limits,
            installer=self.installer,
            capabilities=self.capabilities,
            files=self.files,
            **resumed,
        )

    def trajectory(self) -> Trajectory:
        hidden = [*self.secrets, *secret_values()]
        return Trajectory(self.run_dir / TRAJECTORY_FILE, secrets=[secret for secret in hidden if secret])

    def agent(self, toolbox: ToolBox, trajectory: Trajectory, drafts: Drafts) -> Agent:
        return Agent(self.model, toolbox, self.limits, trajectory, memory=self.memory, drafts=drafts)


def agent_result(outcome: Outcome, drafts: Drafts, trajectory: Trajectory, started: float) -> AgentResult:
    """How a run of our agent ended, from its loop's outcome, drafts and trajectory totals."""
    return AgentResult(
        outcome=outcome,
        answers=outcome.answers if isinstance(outcome, Submitted) else None,
        drafts=drafts.answers,
        steps=trajectory.spent.steps,
        cost_usd=round(trajectory.spent.cost_usd, 6),
        seconds=round(time.monotonic() - started, 3),
    )


def solve_with_agent(run: AgentRun) -> AgentResult:
    """Run the agent on a run directory the offline pipeline filled; `RUNDIR/trajectory.json` records it.
    The caller writes report.json."""
    started = time.monotonic()
    context = run.tool_context()
    toolbox = make_toolbox(context)
    system = system_prompt(run.limits, list(toolbox.tools), context.backend())
    trajectory = run.trajectory()
    drafts = Drafts(run.task.questions)
    agent = run.agent(toolbox, trajectory, drafts)
    outcome = agent.run(system, first_message(run.task, run.run_dir, run.capsule_dir))
    return agent_result(outcome, drafts, trajectory, started)


class FinalAnswer(BaseModel):
    """One question's answer in report.json and where it came from: the agent's submission, one of its
    drafts (`draft_submit_attempt`, `draft_text`), the offline pipeline, or nothing."""

    question: str
    value: Any
    source: str
    step: int | None = None


def final_answers(task: Task, result: AgentResult, offline: Mapping[str, Any]) -> list[FinalAnswer]:
    """Each question's answer: the submission's, else the latest draft's, else the offline one."""
    final = []
    for question in task.questions:
        if result.answers is not None and question in result.answers:
            final.append(FinalAnswer(question=question, value=result.answers[question], source="agent"))
        elif question in result.drafts:
            draft = result.drafts[question]
            source = f"draft_{draft.source}"
            final.append(FinalAnswer(question=question, value=draft.value, source=source, step=draft.step))
        elif offline.get(question) is not None:
            final.append(FinalAnswer(question=question, value=offline[question], source="offline"))
        else:
            final.append(FinalAnswer(question=question, value=None, source="none"))
    return final


def merged_report(task: Task, result: AgentResult, offline: Mapping[str, Any]) -> dict[str, Any]:
    """report.json's content from `final_answers`; answered questions first, nulls last (as
    `reproducer.answer.report_dict` orders them, for the official grader)."""
    values = {answer.question: answer.value for answer in final_answers(task, result, offline)}
    answered = {q: value for q, value in values.items() if value is not None}
    return answered | {q: None for q, value in values.items() if value is None}
