"""The agent's budget: model calls, dollars, wall time, consecutive format errors, command time."""

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from reproducer.agent.outcome import CostLimit, FormatErrors, Outcome, StepLimit, TimeLimit

DEFAULT_STEPS = 60
# CORE-Bench's budget per task.
DEFAULT_DOLLARS = 4.0
DEFAULT_WALL_SECONDS = 7200.0
DEFAULT_FORMAT_ERRORS = 3
# What one `bash` call may take when the model does not say, and at most whatever it says; longer jobs
# go to the background (`nohup ... &`) and are polled.
DEFAULT_COMMAND_TIMEOUT_S = 600.0
MAX_COMMAND_TIMEOUT_S = 1800.0
# The prompt cache's short lifetime; a pause longer than this between two model calls loses the cache.
SHORT_CACHE_S = 300.0
# The wall time kept back for the last turn: a tenth of the limit, at most two minutes.
FINAL_TURN_TIME_SHARE = 0.1
FINAL_TURN_RESERVE_S = 120.0


class AgentLimits(BaseModel):
    """When the loop stops without a submission. Each is checked before every model call."""

    model_config = ConfigDict(frozen=True)

    steps: int = Field(default=DEFAULT_STEPS, gt=0)
    dollars: float = Field(default=DEFAULT_DOLLARS, gt=0)
    wall_seconds: float = Field(default=DEFAULT_WALL_SECONDS, gt=0)
    format_errors: int = Field(default=DEFAULT_FORMAT_ERRORS, gt=0)
    command_timeout_s: float = Field(default=DEFAULT_COMMAND_TIMEOUT_S, gt=0, le=MAX_COMMAND_TIMEOUT_S)


@dataclass
class Spent:
    """What the run has used so far."""

    steps: int = 0
    cost_usd: float = 0.0
    seconds: float = 0.0
    format_errors: int = 0
    last_format_error: str = ""


LimitKind = Literal["steps", "dollars", "time"]


def reached(
    limits: AgentLimits, spent: Spent, *, steps: int = 0, dollars: float = 0.0, seconds: float = 0.0
) -> LimitKind | None:
    """Which limit `spent`, plus the margins given, reaches first; None when none is reached."""
    if spent.steps + steps >= limits.steps:
        return "steps"
    if spent.cost_usd + dollars >= limits.dollars:
        return "dollars"
    if spent.seconds + seconds >= limits.wall_seconds:
        return "time"
    return None


def ending(kind: LimitKind, limits: AgentLimits, spent: Spent) -> Outcome:
    """The outcome of a run that ended at limit `kind`."""
    if kind == "steps":
        return StepLimit(steps=spent.steps)
    if kind == "dollars":
        return CostLimit(cost_usd=spent.cost_usd, limit_usd=limits.dollars)
    return TimeLimit(seconds=spent.seconds, limit_seconds=limits.wall_seconds)


def exceeded(limits: AgentLimits, spent: Spent) -> Outcome | None:
    """The first limit `spent` has reached, as the outcome that ends the run; None to go on."""
    if spent.format_errors >= limits.format_errors:
        return FormatErrors(count=spent.format_errors, last_error=spent.last_format_error)
    kind = reached(limits, spent)
    return None if kind is None else ending(kind, limits, spent)


def nearing(limits: AgentLimits, spent: Spent, next_call_usd: float) -> LimitKind | None:
    """The limit the run would reach after the next call, which is then its last turn (and still within
    the limits): the next call is the last one allowed, two more calls like the last one would spend what
    is left of the dollars, or less than a tenth of the wall time (at most FINAL_TURN_RESERVE_S) is left."""
    return reached(limits, spent, steps=1, dollars=2 * next_call_usd, seconds=final_turn_reserve(limits))


def final_turn_reserve(limits: AgentLimits) -> float:
    """The wall time kept for the last turn: commands are cut short so that it is still there."""
    return min(FINAL_TURN_RESERVE_S, FINAL_TURN_TIME_SHARE * limits.wall_seconds)


def budget_note(limits: AgentLimits, spent: Spent) -> str:
    """What is left, as the model reads it before each call."""
    steps_left = limits.steps - spent.steps
    dollars_left = max(0.0, limits.dollars - spent.cost_usd)
    minutes_left = max(0.0, limits.wall_seconds - spent.seconds) / 60
    return (
        f"[budget left: {steps_left} model calls (this one included), ${dollars_left:.2f}, "
        f"{minutes_left:.0f} min. Near any limit you get one last turn that must submit.]"
    )


def cache_lifetime(limits: AgentLimits) -> Literal["5m", "1h"]:
    """The prompt cache's lifetime for a run: an hour whenever one command may outlast five minutes
    (the model waits for the command, and a 5-minute cache would expire and be written again in full)."""
    longest_command = min(MAX_COMMAND_TIMEOUT_S, limits.wall_seconds)
    return "1h" if longest_command > SHORT_CACHE_S else "5m"
