"""Our own retries for answers that say "try again later" (429, 529), around the SDK's small ones.

They last a budget in minutes, not a count of attempts: an account's rate limit or an overloaded API can
take several minutes to clear, and a benchmark task that ends as `infra_error` after half a minute loses
everything the agent did.
"""

import random
import time
from collections.abc import Callable, Mapping
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")

# How long our retries of one call may last, waits included.
DEFAULT_RETRY_MINUTES = 15.0


class Backoff(BaseModel):
    """How long to wait before retry number `retry` (0 for the first).

    A server's `retry-after` is honoured up to `retry_after_cap_s` (and never past the retry budget), so
    one odd header cannot stall a benchmark for an hour. Without one the wait doubles from `first_delay_s`
    up to `max_delay_s`, less a random share of up to `jitter`, so parallel runs that failed together do
    not all come back at the same instant.
    """

    model_config = ConfigDict(frozen=True)

    first_delay_s: float = 2.0
    max_delay_s: float = 60.0
    retry_after_cap_s: float = 600.0
    jitter: float = 0.25

    def delay(self, retry: int, retry_after_s: float | None = None) -> float:
        if retry_after_s is not None and retry_after_s >= 0:
            return min(retry_after_s, self.retry_after_cap_s)
        delay = min(self.first_delay_s * 2.0**retry, self.max_delay_s)
        return delay * (1 - self.jitter * random.random())


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The wait a response asks for: `retry-after-ms`, else `retry-after` in seconds; None if neither.

    An HTTP-date `retry-after` is ignored (None): the API sends seconds.
    """
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / scale
        except ValueError:
            continue
        if seconds >= 0:
            return seconds
    return None


def call_with_retries(
    call: Callable[[], T],
    *,
    backoff: Backoff,
    retryable: Callable[[Exception], bool],
    retry_after: Callable[[Exception], float | None],
    give_up: Callable[[Exception, int], Exception],
    budget_s: float = DEFAULT_RETRY_MINUTES * 60,
    max_retries: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    on_wait: Callable[[Exception, float], None] | None = None,
) -> T:
    """`call()`, repeated while it fails retryably and `budget_s` seconds (waits included) are not spent,
    and at most `max_retries` more times when that is given.

    `retry_after(error)` is the wait the server asked for, in seconds, or None; a wait is cut to what is
    left of the budget. Once the budget is spent, or on an error that is not `retryable`,
    `give_up(error, attempts)` builds the exception to raise.
    """
    attempts = 0
    deadline = clock() + budget_s
    while True:
        attempts += 1
        try:
            return call()
        except Exception as error:
            left = deadline - clock()
            out_of_tries = max_retries is not None and attempts > max_retries
            if not retryable(error) or out_of_tries or left <= 0:
                raise give_up(error, attempts) from None
            wait = min(backoff.delay(attempts - 1, retry_after(error)), left)
            if on_wait is not None:
                on_wait(error, wait)
            sleep(wait)
