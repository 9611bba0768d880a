"""Dollars across a bench run, and the model wrapper that counts them, limits concurrent model calls and
ends an agent's run when the bench is cancelled."""

import threading
from typing import Any

from reproducer.agent.model import AssistantTurn, Model
from reproducer.errors import WorkFailed


class Spending:
    """Dollars spent: those recorded by earlier invocations plus every model call of this one (cancelled
    tasks included: that money is spent too). `cap` None means no cap."""

    def __init__(self, recorded: float, cap: float | None) -> None:
        self._spent = recorded
        self.cap = cap
        self._lock = threading.Lock()

    def add(self, dollars: float) -> None:
        with self._lock:
            self._spent += dollars

    @property
    def spent(self) -> float:
        with self._lock:
            return self._spent

    def exhausted(self) -> bool:
        return self.cap is not None and self.spent >= self.cap


class BenchCancelled(WorkFailed):
    """The bench was cancelled: the agent loop ends its run as an infrastructure error, then discarded."""


class CountedModel:
    """A `Model` whose calls hold one of the run's model connections and add their cost to `spending`."""

    def __init__(
        self, model: Model, connections: threading.Semaphore, spending: Spending, cancel: threading.Event
    ) -> None:
        self.inner, self.name = model, model.name
        self.connections, self.spending, self.cancel = connections, spending, cancel

    def query(
        self,
        system: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        tool_choice: dict[str, Any] | None = None,
    ) -> AssistantTurn:
        if self.cancel.is_set():
            raise BenchCancelled("the bench run was cancelled")
        with self.connections:
            turn = self.inner.query(system, messages, tools, tool_choice)
        self.spending.add(turn.cost_usd)
        return turn
