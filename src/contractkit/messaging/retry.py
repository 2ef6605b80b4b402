"""How often, and how far apart, a failing handler is tried again before its message is dead-lettered.

The waiting and counting are tenacity's (``AsyncRetrying``, exponential backoff with jitter): a well-kept
library rather than one more hand-written loop. The message stays unacknowledged (so not lost) while it waits.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from contractkit.errors import UsageError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounded retries of a handler.

    Attributes:
        attempts: how many times the handler runs at most (1: no retry).
        initial: the first wait, in seconds; each next one doubles, up to ``maximum``.
        maximum: the longest wait between two attempts, in seconds.
        jitter: up to this many seconds added at random to each wait (consumers do not retry in step).
        retry_on: the exception types worth retrying; any other goes to the dead letters at once.
    """

    attempts: int = 3
    initial: float = 0.2
    maximum: float = 5.0
    jitter: float = 0.1
    retry_on: tuple[type[BaseException], ...] = (Exception,)

    def __post_init__(self) -> None:
        """Refuse a policy that would retry forever or not at all."""
        if not isinstance(self.attempts, int) or not 1 <= self.attempts <= 100:
            raise UsageError(
                f"attempts={self.attempts!r} is not between 1 and 100",
                title="invalid retry policy",
                tip="retries are bounded: a message that keeps failing goes to the dead letters.",
            )
        if self.initial < 0 or self.maximum < self.initial or self.jitter < 0:
            raise UsageError(
                f"waits initial={self.initial}, maximum={self.maximum}, jitter={self.jitter} are not 0 <= initial <= "
                "maximum, jitter >= 0",
                title="invalid retry policy",
            )

    async def run(self, call: Callable[[], Awaitable[T]], on_retry: Callable[[int, BaseException], None]) -> T:
        """Run ``call`` until it succeeds or the attempts run out (its last exception is raised then).

        ``on_retry(attempt, exception)`` is told about each failure that will be retried. The first attempt runs
        directly (the common case costs one call); tenacity takes over after a failure, with the waits
        ``initial``, ``2 * initial``, ``4 * initial``... up to ``maximum``, each plus up to ``jitter``.
        """
        try:
            return await call()
        except self.retry_on as exc:
            if self.attempts == 1:
                raise
            on_retry(1, exc)
        return await self.resume(call, on_retry)

    async def resume(self, call: Callable[[], Awaitable[T]], on_retry: Callable[[int, BaseException], None]) -> T:
        """Go on after a first attempt failed (and was reported to ``on_retry``): wait, then the other attempts."""
        await asyncio.sleep(min(self.initial, self.maximum) + random.uniform(0, self.jitter))
        retrying = _template(self).copy(before_sleep=_before_sleep(on_retry))
        result: T = await retrying(call)
        return result


_TEMPLATES: dict[RetryPolicy, Any] = {}


def _template(policy: RetryPolicy) -> Any:
    """Return the tenacity ``AsyncRetrying`` of the attempts after the first, built once per policy.

    Each run uses a copy: the object keeps state.
    """
    found = _TEMPLATES.get(policy)
    if found is None:
        from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential, wait_random

        found = _TEMPLATES[policy] = AsyncRetrying(
            stop=stop_after_attempt(policy.attempts - 1),
            wait=wait_exponential(multiplier=policy.initial * 2, max=policy.maximum) + wait_random(0, policy.jitter),
            retry=retry_if_exception_type(policy.retry_on),
            reraise=True,
        )
    return found


def _before_sleep(on_retry: Callable[[int, BaseException], None]) -> Callable[[Any], None]:
    def before_sleep(state: Any) -> None:
        outcome = state.outcome
        error = outcome.exception() if outcome is not None else None
        if error is not None:
            on_retry(state.attempt_number + 1, error)  # tenacity counts from the second attempt

    return before_sleep
