"""What a run did, step by step: written to `summary.json` after every step."""

from typing import Literal

from pydantic import BaseModel, Field

from reproducer.grading.verdict import TaskGrade

RunStatus = Literal[
    "correct",
    "incorrect",
    "unanswered",
    "answered",
    "timeout",
    "disk_limit",
    "env_failed",
    "infra_error",
    "invalid_task",
]
StepStatus = Literal["ok", "failed", "skipped"]


class StepRecord(BaseModel):
    name: str
    status: StepStatus
    seconds: float
    detail: str = ""


class CommandRecord(BaseModel):
    command: str
    cwd: str
    status: str
    exit_code: int | None
    seconds: float
    stdout_path: str | None = None
    stderr_path: str | None = None


class AgentRecord(BaseModel):
    """How the LLM agent's part of a run ended (`outcome` is the Outcome's kind)."""

    model: str
    outcome: str
    steps: int
    cost_usd: float
    seconds: float
    detail: str = ""


class RunSummary(BaseModel):
    """The outcome of `reproducer run`; `status` is one of the benchmark statuses."""

    run_dir: str
    capsule_id: str
    level: str
    backend: str
    answerer: str = "offline"
    status: RunStatus = "unanswered"
    steps: list[StepRecord] = Field(default_factory=list)
    environment_label: str | None = None
    commands: list[CommandRecord] = Field(default_factory=list)
    answered: int = 0
    unanswered: int = 0
    agent: AgentRecord | None = None
    official: TaskGrade | None = None
    robust: TaskGrade | None = None
