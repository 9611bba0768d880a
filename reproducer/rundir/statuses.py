"""The one status every benchmark task ends in, and how a run's summary maps to it.

`reproducer run` calls any graded run `correct` or `incorrect`; a benchmark also wants to know *why* a task
failed. A correct answer stays `correct` whatever else happened. An incorrect one is put, in this order,
under the first cause that applies: the agent hit its dollar limit (`cost_limit`), a command wrote more
than `--max-disk-gb` or filled a scratch folder (`disk_limit`), a command or the agent ran out of time
(`timeout`), the environment could not be built (`env_failed`), nothing said what
to run (`no_entry_point`), no question was answered at all (`unanswered`); otherwise it is `incorrect`.
A run stopped by a signal is `interrupted`, an error of the harness's side. Errors stay in the denominator.
"""

from typing import Literal, get_args

from reproducer.rundir.summary import RunSummary

BenchStatus = Literal[
    "correct",
    "incorrect",
    "unanswered",
    "timeout",
    "cost_limit",
    "disk_limit",
    "env_failed",
    "no_entry_point",
    "interrupted",
    "infra_error",
    "invalid_task",
]
BENCH_STATUSES: tuple[BenchStatus, ...] = get_args(BenchStatus)
# Failures of the harness or of the task itself, not of the reproduction: reported apart from the others.
ERROR_STATUSES: frozenset[BenchStatus] = frozenset({"infra_error", "invalid_task", "interrupted"})
# What `bench --retry-errors` runs again: a failure of the harness or the network, not of the task.
RETRIED_STATUSES: frozenset[BenchStatus] = frozenset({"infra_error"})
# A task left out on purpose (a GPU capsule with --no-gpu): recorded, but outside the denominator.
SKIPPED: Literal["skipped"] = "skipped"
ResultStatus = BenchStatus | Literal["skipped"]

AGENT_TIME_LIMIT = "time_limit"
AGENT_COST_LIMIT = "cost_limit"


def bench_status(summary: RunSummary) -> BenchStatus:
    """The benchmark status of a finished `run_capsule`."""
    if summary.status in ("correct", "interrupted", "infra_error", "invalid_task"):
        return summary.status
    agent_outcome = summary.agent.outcome if summary.agent else None
    if agent_outcome == AGENT_COST_LIMIT:
        return "cost_limit"
    if summary.status == "disk_limit" or any(c.status == "disk_limit" for c in summary.commands):
        return "disk_limit"
    if agent_outcome == AGENT_TIME_LIMIT or any(c.status == "timeout" for c in summary.commands):
        return "timeout"
    if summary.environment_label is not None:
        return "env_failed"
    if summary.problem == "no_entry_point":
        return "no_entry_point"
    if summary.answered == 0:
        return "unanswered"
    return "incorrect"
