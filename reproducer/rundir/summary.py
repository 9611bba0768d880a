"""What a run did, step by step: written to `summary.json` after every step."""

from typing import Literal

from pydantic import BaseModel, Field

from reproducer.rundir.stamp import Stamped
from reproducer.rundir.verdict import TaskGrade

RunStatus = Literal[
    "correct",
    "incorrect",
    "unanswered",
    "answered",
    "timeout",
    "env_failed",
    "no_entry_point",
    "interrupted",
    "disk_limit",
    "infra_error",
    "invalid_task",
]
# Why a run could not do its work. The status says it, except that answers graded correct (from files
# the capsule already held) keep `correct`: the problem then stays here for the reader.
RunProblem = Literal["env_failed", "no_entry_point", "interrupted"]
StepStatus = Literal["ok", "failed", "skipped"]


class StepRecord(BaseModel):
    name: str
    status: StepStatus
    seconds: float
    detail: str = ""
    started_at: str | None = None  # UTC, ISO-8601 (None in records before stamps)


class CommandRecord(BaseModel):
    """One entry point's outcome. `status` is the sandbox's (ok, error, timeout, ...), or `skipped` when
    the total time was spent before it started, or `interrupted`; `budget_s` is the time it was given."""

    command: str
    cwd: str  # relative to the capsule
    status: str
    exit_code: int | None
    seconds: float
    # The logs, relative to the run directory (absolute in records before relative paths): read them with
    # `RunDir.resolve`.
    stdout_path: str | None = None
    stderr_path: str | None = None
    kind: str | None = None
    budget_s: float | None = None
    detail: str = ""


class TimeBudget(BaseModel):
    """The time the entry points had together (`total_s`), the cap per command, and what they used."""

    total_s: float
    per_command_s: float
    spent_s: float = 0.0


class AgentRecord(BaseModel):
    """How the LLM agent's part of a run ended (`outcome` is the Outcome's kind)."""

    model: str
    outcome: str
    steps: int
    cost_usd: float
    seconds: float
    detail: str = ""


class RunSummary(Stamped):
    """The outcome of `reproducer run`; `status` is one of the benchmark statuses."""

    # Where the run directory was when this summary was made, for messages; never written (a run directory
    # can move, and every path in it is relative to it).
    run_dir: str = Field(default="", exclude=True)
    capsule_id: str
    level: str
    backend: str
    # The capsule's field of science and its language(s): the task file's, else the plan's languages.
    field: str = ""
    language: str = ""
    answerer: str = "offline"
    status: RunStatus = "unanswered"
    steps: list[StepRecord] = Field(default_factory=list)
    problem: RunProblem | None = None
    environment_label: str | None = None
    time_budget: TimeBudget | None = None
    commands: list[CommandRecord] = Field(default_factory=list)
    # The first attempt's commands when they failed with run-time drift and ran again on the run-time rung
    # (env/ladder.json says why); `commands` then holds the second attempt, the one harvested.
    superseded_commands: list[CommandRecord] = Field(default_factory=list)
    # Every entry point exited 0, yet none wrote, changed or deleted a file or printed anything.
    produced_nothing: bool = False
    answered: int = 0
    unanswered: int = 0
    agent: AgentRecord | None = None
    official: TaskGrade | None = None
    robust: TaskGrade | None = None
