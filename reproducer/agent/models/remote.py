"""What every model behind a provider's API shares, whichever SDK calls it: our one retry policy around
the SDK call, and the priced, redacted `AssistantTurn` built from a reply's parts and usage."""

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from reproducer.agent.classify import classify, server_retry_after
from reproducer.agent.model import AssistantTurn, Usage
from reproducer.agent.redact import redact_json
from reproducer.agent.retry import DEFAULT_RETRY_MINUTES, Backoff, call_with_retries

T = TypeVar("T")

log = logging.getLogger(__name__)


class RemoteModel:
    """A base for provider models: `name`, `api` (the service in messages), `key_variable` (where its
    credentials come from, named when they are refused) and the secrets no record may hold.

    Answers that say "later" (`retryable`) are retried for `retry_minutes`, at most `retry_budget` times
    when that is given, waiting as `backoff` says and as long as the server asks (capped).
    """

    def __init__(
        self,
        name: str,
        *,
        api: str,
        key_variable: str,
        secrets: tuple[str, ...],
        retry_budget: int | None = None,
        retry_minutes: float = DEFAULT_RETRY_MINUTES,
        backoff: Backoff | None = None,
    ) -> None:
        self.name = name
        self.api, self.key_variable = api, key_variable
        self.retry_budget, self.retry_minutes = retry_budget, retry_minutes
        self.backoff = backoff or Backoff()
        self._secrets = secrets

    def cost(self, usage: Usage) -> float:
        raise NotImplementedError

    def _retried(self, call: Callable[[], T], retryable: Callable[[Exception], bool]) -> T:
        """`call()` under our retry policy; our own error (`reproducer.agent.errors`) when it gives up."""
        return call_with_retries(
            call,
            budget_s=self.retry_minutes * 60,
            max_retries=self.retry_budget,
            backoff=self.backoff,
            retryable=retryable,
            retry_after=server_retry_after,
            give_up=lambda error, attempts: classify(
                error,
                attempts=attempts,
                model_id=self.name,
                secrets=self._secrets,
                api=self.api,
                key_variable=self.key_variable,
            ),
            on_wait=self._log_wait,
        )

    def _log_wait(self, error: Exception, wait_s: float) -> None:
        status = getattr(error, "status_code", "no answer")
        log.warning("%s (%s) answered %s; retrying in %.1f s", self.api, self.name, status, wait_s)

    def _turn_of(
        self, reply: dict[str, Any], content: list[dict[str, Any]], stop_reason: str | None, usage: Usage
    ) -> AssistantTurn:
        """The turn a reply makes: its parts and usage, priced, the whole reply kept without secrets."""
        return AssistantTurn(
            content=content,
            stop_reason=stop_reason,
            usage=usage,
            cost_usd=self.cost(usage),
            model=str(reply.get("model") or self.name),
            raw=redact_json(reply, self._secrets),
        )
