"""What happens to one delivery, whatever client brought it: validate, hand over, acknowledge or dead-letter.

The order never changes, and nothing is dropped:

1. the delivery is checked against the operation (content type, size, JSON, payload, headers; the model);
2. invalid -> published to the queue's dead-letter exchange with the reason headers, then acknowledged;
3. valid -> the handler runs (in the message's trace) with the validated, model-shaped value; a failure is
   retried (:class:`~contractkit.messaging.retry.RetryPolicy`), then dead-lettered with the exception's class and
   text;
4. acknowledged only after the handler succeeded. A dead-letter publish that is not confirmed leaves the
   delivery unacknowledged (requeued after a pause), never lost.

aio-pika (:mod:`.aiopika`) and FastStream (:mod:`.faststream`) adapt their messages to :class:`Delivery` and
:class:`Transport`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from contractkit.messaging import deadletter
from contractkit.messaging._compile import CompiledOperation
from contractkit.messaging.contract import MessageContract, Verdict
from contractkit.messaging.errors import MessageError
from contractkit.messaging.observability import MessageObserver
from contractkit.messaging.retry import RetryPolicy
from contractkit.spec.asyncapi import AmqpQueue

_clock = time.perf_counter
_REQUEUE_PAUSE = 1.0


@dataclass(slots=True)
class Delivery:
    """A delivery as the pipeline needs it (whatever client received it)."""

    body: bytes
    headers: Mapping[str, Any]
    content_type: str | None
    content_encoding: str | None
    message_type: str | None
    exchange: str
    routing_key: str
    redelivered: bool


@dataclass(slots=True)
class Received:
    """What a handler gets: the validated payload and what came with it.

    Attributes:
        payload: the payload, as the generated Pydantic model of its message when there is one, else JSON values.
        message: the message's name (``order.created``).
        operation: the operation key (``consumeOrderIntake``).
        headers: the application headers.
        message_id, correlation_id, traceparent: from the headers.
        redelivered: whether the broker delivered it before (a handler must be idempotent on ``message_id``).
        routing_key: the routing key it was published with.
    """

    payload: Any
    message: str
    operation: str
    headers: Mapping[str, Any]
    message_id: str | None
    correlation_id: str | None
    traceparent: str | None
    redelivered: bool
    routing_key: str


Handler = Callable[[Received], Awaitable[Any]]


class Transport(Protocol):
    """What the pipeline asks of the client that received a delivery."""

    async def ack(self) -> None:
        """Acknowledge the delivery."""
        ...

    async def requeue(self) -> None:
        """Give the delivery back to the queue (it is delivered again)."""
        ...

    async def dead_letter(self, exchange: str, routing_key: str, headers: dict[str, Any]) -> None:
        """Publish a copy of the delivery with ``headers`` to ``exchange`` and wait for the broker's confirm."""
        ...


class ConsumerPipeline:
    """The fate of each delivery of one receive operation (see the module docstring)."""

    def __init__(
        self,
        contract: MessageContract,
        operation: CompiledOperation,
        queue: AmqpQueue,
        handler: Handler,
        *,
        retry: RetryPolicy,
        observer: MessageObserver,
    ) -> None:
        """Bind one operation, its queue (for the dead-letter exchange) and the handler."""
        self.contract = contract
        self.operation = operation
        self.queue = queue
        self.handler = handler
        self.retry = retry
        self.observer = observer
        self.channel = operation.spec.channel.address

    async def handle(self, delivery: Delivery, transport: Transport, handler: Handler | None = None) -> str:
        """Run one delivery through the pipeline; return the outcome (``consumed``, ``dead_lettered``, ``requeued``).

        ``handler`` replaces the pipeline's own for this delivery (FastStream hands over its handler chain).
        """
        started = _clock()
        try:
            verdict = self.contract.check_incoming(
                self.operation,
                delivery.body,
                delivery.headers,
                content_type=delivery.content_type,
                content_encoding=delivery.content_encoding,
                message_type=delivery.message_type,
            )
            if not verdict.ok:
                return await self._dead_letter(delivery, transport, verdict, verdict.errors, None, started)
            try:
                value = verdict.value()
            except ValueError as exc:
                error = MessageError("payload-model", "payload#", f"the generated model refused it: {exc}")
                return await self._dead_letter(delivery, transport, verdict, [error], None, started)
        except Exception as exc:  # a bug in contractkit: the message still must not reach the handler, nor be lost
            self.observer.logger.exception("contractkit could not validate a delivery on %s", self.channel)
            error = MessageError("internal-error", "message", f"contractkit failed to validate it: {exc!r}")
            return await self._dead_letter(delivery, transport, None, [error], exc, started)
        return await self._run(delivery, transport, verdict, value, started, handler or self.handler)

    async def _run(
        self, delivery: Delivery, transport: Transport, verdict: Verdict, value: Any, started: float, handler: Handler
    ) -> str:
        headers = verdict.headers
        assert verdict.message is not None
        received = Received(
            payload=value,
            message=verdict.message.spec.name,
            operation=self.operation.key,
            headers=headers,
            message_id=_text(headers.get("message-id")),
            correlation_id=_text(headers.get("correlation-id")),
            traceparent=_text(headers.get("traceparent")),
            redelivered=delivery.redelivered,
            routing_key=delivery.routing_key,
        )
        with self.observer.consuming(self.operation.key, self.channel, headers):
            try:
                await handler(received)  # the first attempt, directly: the common case costs one call
            except asyncio.CancelledError:
                await _quietly(transport.requeue())
                raise
            except Exception as first:
                failed = await self._retry(handler, received, first)
                if failed is not None:
                    error, attempts = failed
                    count = attempts + _previous_deliveries(delivery.headers)
                    return await self._dead_letter(
                        delivery, transport, verdict, [deadletter.handler_error(error)], error, started, count
                    )
        try:
            await transport.ack()
        except Exception:  # the connection dropped: the broker delivers it again (at least once)
            self.observer.logger.warning("could not acknowledge a message on %s; it will be redelivered", self.channel)
            return "requeued"
        self.observer.count(self.channel, received.message, "consumed")
        self.observer.timed(self.channel, _clock() - started)
        self.observer.log(
            logging.DEBUG,
            f"consumed {received.message} from {self.channel}",
            operation=self.operation.key,
            channel=self.channel,
            outcome="consumed",
            headers=headers,
        )
        return "consumed"

    async def _retry(self, handler: Handler, received: Received, first: Exception) -> tuple[BaseException, int] | None:
        """Retry after a first failure; return (the last error, attempts) when every attempt failed."""
        if self.retry.attempts == 1 or not isinstance(first, self.retry.retry_on):
            return first, 1
        attempts = 1

        async def attempt() -> Any:
            nonlocal attempts
            attempts += 1
            return await handler(received)

        def on_retry(number: int, error: BaseException) -> None:
            self.observer.count(self.channel, received.message, "retried")
            self.observer.log(
                logging.WARNING,
                f"handler failed on {self.channel} (attempt {number} of {self.retry.attempts}), retrying: {error!r}",
                operation=self.operation.key,
                channel=self.channel,
                outcome="retried",
                headers=received.headers,
            )

        on_retry(1, first)
        try:
            await self.retry.resume(attempt, on_retry)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            return exc, attempts
        return None

    async def _dead_letter(
        self,
        delivery: Delivery,
        transport: Transport,
        verdict: Verdict | None,
        errors: list[MessageError],
        exception: BaseException | None,
        started: float,
        count: int | None = None,
    ) -> str:
        message = verdict.message.spec.name if verdict is not None and verdict.message is not None else "unknown"
        dlx = self.queue.dead_letter_exchange or ""
        key = self.queue.dead_letter_routing_key or delivery.routing_key
        reasons = deadletter.reason_headers(
            errors=errors,
            contract=self.contract.name,
            version=self.contract.version,
            operation=self.operation.key,
            queue=self.queue.name,
            exchange=delivery.exchange,
            routing_key=delivery.routing_key,
            previous=delivery.headers,
            delivery_count=count if count is not None else 1 + _previous_deliveries(delivery.headers),
            exception=exception,
        )
        headers = {**dict(delivery.headers), **reasons}
        try:
            await transport.dead_letter(dlx, key, headers)
        except asyncio.CancelledError:
            await _quietly(transport.requeue())
            raise
        except Exception:
            self.observer.logger.exception(
                "could not dead-letter a message of %s to `%s`; it goes back to its queue", self.channel, dlx
            )
            await asyncio.sleep(_REQUEUE_PAUSE)
            await _quietly(transport.requeue())
            return "requeued"
        try:
            await transport.ack()
        except Exception:  # the dead letter is stored; the original comes back and is refused again (same reason)
            self.observer.logger.warning("could not acknowledge a dead-lettered message on %s", self.channel)
        self.observer.count(self.channel, message, "dead_lettered")
        self.observer.timed(self.channel, _clock() - started)
        self.observer.log(
            logging.WARNING,
            f"dead-lettered a message from {self.channel} to {dlx} ({reasons[deadletter.REASON]} at "
            f"{reasons[deadletter.LOCATION]}): {reasons[deadletter.MESSAGE]}",
            operation=self.operation.key,
            channel=self.channel,
            outcome="dead_lettered",
            headers=verdict.headers if verdict is not None else delivery.headers,
            errors=errors,
        )
        return "dead_lettered"


def _previous_deliveries(headers: Mapping[str, Any]) -> int:
    """Return how often the broker delivered the message before (quorum queues count in ``x-delivery-count``)."""
    value = headers.get("x-delivery-count")
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


async def _quietly(call: Awaitable[None]) -> None:
    try:
        await call
    except Exception:  # the channel is gone: the broker requeues unacknowledged deliveries itself
        return
