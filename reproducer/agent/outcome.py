"""How an agent run ended. The loop stops only by returning one of these; each says why in words."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field


class Submitted(BaseModel):
    """The agent submitted an answer for every question of the task."""

    kind: Literal["submitted"] = "submitted"
    answers: dict[str, Any]

    @property
    def reason(self) -> str:
        return f"submitted {len(self.answers)} answers"


class StepLimit(BaseModel):
    kind: Literal["step_limit"] = "step_limit"
    steps: int

    @property
    def reason(self) -> str:
        return f"step limit: {self.steps} model calls made without a submission"


class CostLimit(BaseModel):
    kind: Literal["cost_limit"] = "cost_limit"
    cost_usd: float
    limit_usd: float

    @property
    def reason(self) -> str:
        return f"cost limit: ${self.cost_usd:.4f} spent, the limit is ${self.limit_usd:.2f}"


class TimeLimit(BaseModel):
    kind: Literal["time_limit"] = "time_limit"
    seconds: float
    limit_seconds: float

    @property
    def reason(self) -> str:
        return f"time limit: {self.seconds:.0f} s elapsed, the limit is {self.limit_seconds:.0f} s"


class FormatErrors(BaseModel):
    """Too many consecutive turns without a tool call or with malformed tool input."""

    kind: Literal["format_errors"] = "format_errors"
    count: int
    last_error: str

    @property
    def reason(self) -> str:
        return f"{self.count} consecutive turns without a usable tool call; last: {self.last_error}"


class InfraError(BaseModel):
    """The model or the sandbox failed; `error` is the failure's class (e.g. ModelAuthError)."""

    kind: Literal["infra_error"] = "infra_error"
    error: str
    message: str

    @property
    def reason(self) -> str:
        return f"infrastructure error ({self.error}): {self.message}"

    @classmethod
    def from_exception(cls, error: Exception) -> "InfraError":
        return cls(error=type(error).__name__, message=str(error))


class NoReport(BaseModel):
    """An agent the user brought ended without usable answers (`reproducer.agent.own`)."""

    kind: Literal["no_report"] = "no_report"
    detail: str

    @property
    def reason(self) -> str:
        return f"no answers: {self.detail}"


Outcome = Annotated[
    Submitted | StepLimit | CostLimit | TimeLimit | FormatErrors | InfraError | NoReport,
    Field(discriminator="kind"),
]
