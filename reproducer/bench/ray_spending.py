"""Dollars on Ray while tasks run, so that --max-total-usd holds as it does with the local executor.

Locally every model call adds its cost to the run's `Spending` at once, and the scheduler starts no
task once the cap is reached. On Ray the agent runs on a node: each of its calls reports its cost to a
`Ledger` actor (fire and forget, keyed by task), and the driver's thread waiting on a task reads the
task's total from the ledger every `POLL_S` and adds what is new to `Spending`. When the task returns,
its result's cost tops that up (an agent the user brought is counted by its proxy, only then). Money a
cut-off attempt spent before Ray retried it stays counted: it is spent.
"""

import dataclasses
import threading
from collections.abc import Callable
from typing import Any

from reproducer.agent.model import AssistantTurn, Model
from reproducer.agent.settings import AgentSettings
from reproducer.bench.spending import Spending

# How often the driver reads a running task's dollars (and how soon it sees the task end).
POLL_S = 0.5


class Ledger:
    """The Ray actor holding each task's dollars as its calls report them."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def add(self, key: str, dollars: float) -> None:
        self.spent[key] = self.spent.get(key, 0.0) + dollars

    def of(self, key: str) -> float:
        return self.spent.get(key, 0.0)


class ReportedModel:
    """A `Model` on a node whose every call reports its cost to the ledger."""

    def __init__(self, model: Model, ledger: Any, key: str) -> None:
        self.inner, self.name, self.ledger, self.key = model, model.name, ledger, key

    def query(
        self,
        system: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        tool_choice: dict[str, Any] | None = None,
    ) -> AssistantTurn:
        turn = self.inner.query(system, messages, tools, tool_choice)
        self.ledger.add.remote(self.key, turn.cost_usd)
        return turn


def reporting_agent(
    make: Callable[[], AgentSettings | None], ledger: Any, key: str
) -> Callable[[], AgentSettings | None]:
    """The node's agent factory: our agent's model reports to the ledger (a brought agent's proxy needs
    the real model; its dollars count when the task returns)."""

    def agent() -> AgentSettings | None:
        settings = make()
        if settings is None or settings.model is None or settings.own is not None:
            return settings
        return dataclasses.replace(settings, model=ReportedModel(settings.model, ledger, key))

    return agent


class TaskDollars:
    """The driver's count of one task's dollars: what of the ledger's total is already in `Spending`."""

    def __init__(self, ray: Any, ledger: Any, key: str, spending: Spending) -> None:
        self.ray, self.ledger, self.key, self.spending = ray, ledger, key, spending
        self.counted = 0.0
        self._lock = threading.Lock()

    def _count(self, total: float) -> None:
        with self._lock:
            if total > self.counted:
                self.spending.add(total - self.counted)
                self.counted = total

    def poll(self) -> None:
        try:
            total = float(self.ray.get(self.ledger.of.remote(self.key)))
        except self.ray.exceptions.RayError:  # the ledger is out of reach: the result still counts
            return
        self._count(total)

    def finish(self, result_dollars: float) -> None:
        """The task returned: its dollars are the more of what its calls reported and its result says."""
        self.poll()
        self._count(result_dollars)
