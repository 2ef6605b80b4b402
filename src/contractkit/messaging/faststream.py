"""The contract in a FastStream service: a broker middleware that validates every publish and every delivery.

::

    contract = ContractMiddleware(order_events_v1)      # a generated package: its models shape the payloads
    broker = RabbitBroker(url)
    contract.install(broker)                            # the middleware, and the broker used for dead letters

    @broker.subscriber(contract.queue("consumeOrderIntake"))    # order.created and order.cancelled arrive here
    async def intake(received: ValidatedMessage) -> None:       # the delivery, valid, as the contract read it
        if received.message == "order.created":
            ...                                                 # received.payload: an OrderCreatedPayload
        else:
            ...                                                 # an OrderCancelledPayload

    @app.on_startup
    async def topology() -> None:
        await declare(contract, url)            # exchanges, queues with their arguments, bindings

On consume, a delivery on a queue of a receive operation goes through the same pipeline as the aio-pika runtime
(:class:`~contractkit.messaging._pipeline.ConsumerPipeline`): an invalid one never reaches the handler and is
dead-lettered with reasons; a failing handler is retried, then dead-lettered; the message is acknowledged after.
The handler gets the :class:`~contractkit.messaging.Received` through FastStream's context
(:data:`ValidatedMessage`): its ``payload`` is the model of the message's own type, however many messages the
queue carries. (A handler parameter that takes the body instead is decoded by FastStream from the JSON into its
annotation: right only for a queue that carries one message.)
A consumer of a dead-letter queue (one bound to a queue's dead-letter exchange) gets the dead letters as they
are: validating them would refuse the very messages the queue exists to hold.
On publish, a message to the exchange and routing key of a send operation is checked (headers filled in) and
refused with :class:`~contractkit.messaging.errors.MessageRefused` before it leaves. A publish or a subscribed
queue the contract does not describe is refused (``unknown="reject"``, the default) or passed (``unknown="pass"``):
the broker does not connect while it has a subscriber of such a queue; a subscriber started later has each
delivery put back in the queue after a pause (requeued, neither handled nor lost), with one error logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from contextvars import ContextVar
from typing import Annotated, Any, NoReturn

from faststream import BaseMiddleware, Context

from contractkit.errors import UsageError
from contractkit.messaging._outgoing import prepare
from contractkit.messaging._pipeline import _REQUEUE_PAUSE, ConsumerPipeline, Delivery, Received
from contractkit.messaging.contract import MessageContract
from contractkit.messaging.errors import MessageError, MessageRefused, MessagingError, PublishFailed
from contractkit.messaging.observability import MessageObserver
from contractkit.messaging.retry import RetryPolicy
from contractkit.messaging.topology import dead_letter_problems, plan_topology
from contractkit.spec.asyncapi import RECEIVE

# Set while the middleware publishes a dead letter itself: that publish is not a contract send operation.
_DEAD_LETTERING: ContextVar[bool] = ContextVar("contractkit_dead_lettering", default=False)
_RECEIVED = "contractkit_received"

#: A handler parameter that gets the validated delivery (:class:`~contractkit.messaging.Received`: ``payload`` as
#: the model of the message's type, ``message`` its name, headers, ids, trace), from FastStream's context.
ValidatedMessage = Annotated[Received, Context(_RECEIVED)]


class ContractMiddleware:
    """A FastStream broker middleware factory holding one AsyncAPI contract (see the module docstring).

    Args:
        spec: the contract (path, dict, catalog id, generated package or :class:`MessageContract`).
        retry: how a failing handler is retried before its message is dead-lettered.
        unknown: ``"reject"`` a publish or delivery the contract does not describe, or ``"pass"`` it through.
        metrics, logger: as for the HTTP middleware.
    """

    def __init__(
        self,
        spec: object,
        *,
        retry: RetryPolicy | None = None,
        unknown: str = "reject",
        metrics: Any = None,
        logger: Any = None,
        models: Any = None,
    ) -> None:
        """Compile the contract once (raises :class:`contractkit.errors.ContractkitError` if it is unusable)."""
        if unknown not in ("reject", "pass"):
            raise UsageError(f"unknown={unknown!r} is not 'reject' or 'pass'", title="invalid middleware option")
        self.contract = MessageContract.from_spec(spec, models=models)
        self.topology = plan_topology(self.contract.view)
        self.retry = retry or RetryPolicy()
        self.pass_unknown = unknown == "pass"
        self.observer = MessageObserver(self.contract.name, metrics, logger)
        self.broker: Any = None
        self._pipelines: dict[str, ConsumerPipeline] = {}
        self._dead_letter_queues = self.topology.dead_letter_queues()
        self._refused_queues: set[str | None] = set()  # the unknown queues whose error was logged

    def install(self, broker: Any) -> None:
        """Add the middleware to ``broker`` (it also publishes the dead letters through it).

        The broker then refuses to connect (and so to start) while a subscriber reads a queue the contract does not
        describe (:meth:`check_subscribers`), unless ``unknown="pass"``.
        """
        self.broker = broker
        broker.add_middleware(self)
        connect = broker.connect

        async def checked_connect(*args: Any, **kwargs: Any) -> Any:
            self.check_subscribers(broker)
            return await connect(*args, **kwargs)

        broker.connect = checked_connect  # `start()` connects too; FastStream's test broker enters it the same way

    def check_subscribers(self, broker: Any) -> None:
        """Raise unless every subscriber of ``broker`` reads a queue of a receive operation, or a dead-letter queue.

        Raises:
            MessagingError: a subscriber reads a queue the contract does not describe (with ``unknown="reject"``),
                or one whose dead letters would be lost.
        """
        for subscriber in broker.subscribers:
            queue = _queue_name(subscriber)
            if queue is None or queue in self._dead_letter_queues:
                continue
            if self._pipeline(queue) is None and not self.pass_unknown:
                raise MessagingError(
                    f"a subscriber reads the queue `{queue}`, which no receive operation of contract "
                    f"`{self.contract.name}` reads",
                    title="refusing to start: a queue the contract does not describe",
                    tip=_UNKNOWN_QUEUE_TIP + ".",
                )

    def __call__(self, msg: Any, /, *, context: Any) -> Any:
        """Return the per-message middleware (FastStream calls this for each message and each publish)."""
        return _Scope(msg, context=context, owner=self)

    def queue(self, operation: str, *, routing_key: str = "") -> Any:
        """Return the ``RabbitQueue`` of a receive operation, declared with the contract's arguments.

        ``routing_key`` is the key FastStream binds it with when the subscriber names an exchange (the in-memory
        test broker routes by it); the contract's own bindings are declared by
        :func:`~contractkit.messaging.aiopika.declare`.
        """
        from faststream.rabbit import QueueType, RabbitQueue

        op = self.contract.operation(operation, RECEIVE)
        spec = self.topology.queue(op.queue or "")
        if spec is None:
            raise UsageError(f"`{operation}` reads no queue the contract declares", title="unknown queue")
        arguments = {k: v for k, v in spec.arguments.items() if k != "x-queue-type"}
        kind = str(spec.arguments.get("x-queue-type", "classic"))
        make: Any = RabbitQueue  # its overloads tie `arguments` to a literal queue type
        return make(
            spec.name,
            queue_type=QueueType(kind),
            durable=spec.durable,
            exclusive=spec.exclusive,
            auto_delete=spec.auto_delete,
            arguments=arguments,
            routing_key=routing_key,
        )

    def _pipeline(self, queue: str) -> ConsumerPipeline | None:
        found = self._pipelines.get(queue)
        if found is None:
            op = self.contract.receive_for_queue(queue)
            spec = self.topology.queue(queue)
            if op is None or spec is None:
                return None
            problems = dead_letter_problems(self.topology, queue)
            if problems:
                raise MessagingError(
                    "; ".join(problems),
                    title="refusing to consume: messages could be lost",
                    tip="give the queue an `x-dead-letter-exchange` and bind a dead-letter queue to it.",
                )
            found = self._pipelines[queue] = ConsumerPipeline(
                self.contract, op, spec, _unreachable, retry=self.retry, observer=self.observer
            )
        return found

    async def _consume(self, call_next: Callable[[Any], Awaitable[Any]], msg: Any, context: Any) -> Any:
        from faststream.exceptions import AckMessage

        subscriber = context.get_local("handler_") if context is not None else None
        queue = _queue_name(subscriber)
        if queue in self._dead_letter_queues:
            return await call_next(msg)  # dead letters are held as they came, valid or not: the DLQ tool reads them
        pipeline = self._pipeline(queue) if queue is not None else None
        if pipeline is None:
            if self.pass_unknown:
                return await call_next(msg)
            await self._requeue_unread(queue)
        raw = msg.raw_message
        delivery = Delivery(
            body=msg.body,
            headers=dict(msg.headers or {}),
            content_type=getattr(raw, "content_type", None),
            content_encoding=getattr(raw, "content_encoding", None),
            message_type=getattr(raw, "type", None),
            exchange=getattr(raw, "exchange", "") or "",
            routing_key=getattr(raw, "routing_key", "") or "",
            redelivered=bool(getattr(raw, "redelivered", False)),
        )
        outcome: list[Any] = []

        async def handler(received: Received) -> None:
            scope = context.scope(_RECEIVED, received) if context is not None else nullcontext()
            with scope:  # what `ValidatedMessage` hands the handler
                outcome.append(await call_next(msg))

        transport = _FastStreamTransport(self, msg)
        result = await pipeline.handle(delivery, transport, handler)
        if result == "consumed":
            return outcome[-1] if outcome else None
        raise AckMessage()  # dead-lettered (and acknowledged) or requeued: FastStream has nothing left to do

    async def _requeue_unread(self, queue: str | None) -> NoReturn:
        """A delivery on a queue the contract does not describe: requeued after a pause, never handled nor dropped.

        Only a subscriber started after the broker connected gets here (:meth:`check_subscribers` refuses the
        others). Its message was not judged, so it is neither acknowledged nor rejected (rejected, a queue without
        a dead-letter exchange would drop it): it goes back to the queue, for a consumer that can read it. The
        pause keeps a lone consumer from spinning on it; the error is logged once per queue.
        """
        from faststream.exceptions import NackMessage

        if queue not in self._refused_queues:
            self._refused_queues.add(queue)
            self.observer.log(
                logging.ERROR,
                f"refusing to consume `{queue}`: no receive operation of contract `{self.contract.name}` reads it; "
                f"its messages go back to the queue unread ({_UNKNOWN_QUEUE_TIP})",
                operation="",
                channel=queue or "",
                outcome="requeued",
                headers={},
            )
        await asyncio.sleep(_REQUEUE_PAUSE)
        raise NackMessage(requeue=True)

    async def _publish(self, call_next: Callable[[Any], Awaitable[Any]], cmd: Any) -> Any:
        if _DEAD_LETTERING.get():
            return await call_next(cmd)
        exchange = getattr(getattr(cmd, "exchange", None), "name", "") or ""
        routing_key = getattr(cmd, "destination", "") or ""
        op = self.contract.send_for(exchange, routing_key)
        if op is None:
            if self.pass_unknown:
                return await call_next(cmd)
            error = MessageError(
                "operation-unknown", "destination", f"no send operation publishes to `{exchange}` with `{routing_key}`"
            )
            raise MessageRefused(f"{exchange or '(default)'}/{routing_key}", [error])
        options = cmd.message_options
        with prepare(
            self.contract,
            self.observer,
            op,
            cmd.body,
            dict(cmd.headers or {}),
            message=options.get("message_type"),
            correlation_id=cmd.correlation_id,
        ) as out:
            cmd.body = out.verdict.body
            cmd.headers = out.verdict.headers
            cmd.correlation_id = out.correlation_id or cmd.correlation_id
            options["message_id"] = out.message_id or options.get("message_id")
            options["content_type"] = out.message.content_type
            options["message_type"] = out.message_type
            options["persist"] = out.persistent
            cmd.publish_options["mandatory"] = out.mandatory
            return _confirmed(await call_next(cmd), out.operation.exchange, out.operation.routing_key)


class _Scope(BaseMiddleware):
    """One message's middleware: hands consume and publish to the :class:`ContractMiddleware` that made it."""

    def __init__(self, msg: Any, /, *, context: Any, owner: ContractMiddleware) -> None:
        super().__init__(msg, context=context)
        self.owner = owner

    async def consume_scope(self, call_next: Callable[[Any], Awaitable[Any]], msg: Any) -> Any:
        return await self.owner._consume(call_next, msg, self.context)

    async def publish_scope(self, call_next: Callable[[Any], Awaitable[Any]], cmd: Any) -> Any:
        return await self.owner._publish(call_next, cmd)


_UNKNOWN_QUEUE_TIP = "subscribe with `contract.queue(operation)`; for a queue of another contract, pass unknown='pass'"


def _queue_name(subscriber: Any) -> str | None:
    name = getattr(getattr(subscriber, "queue", None), "name", None)
    return name if isinstance(name, str) else None


async def _unreachable(received: Received) -> None:
    raise AssertionError("the FastStream middleware gives each delivery its own handler")  # pragma: no cover


class _FastStreamTransport:
    def __init__(self, owner: ContractMiddleware, msg: Any) -> None:
        self.owner = owner
        self.msg = msg

    async def ack(self) -> None:
        await self.msg.ack()

    async def requeue(self) -> None:
        await self.msg.nack()

    async def dead_letter(self, exchange: str, routing_key: str, headers: dict[str, Any]) -> None:
        broker = self.owner.broker
        if broker is None:
            raise MessagingError(
                "the middleware has no broker to publish dead letters with",
                tip="add it with `middleware.install(broker)` rather than `middlewares=[...]`.",
            )
        raw = self.msg.raw_message
        token = _DEAD_LETTERING.set(True)
        try:
            result = await broker.publish(
                self.msg.body,
                exchange=exchange,
                routing_key=routing_key,
                headers=headers,
                content_type=getattr(raw, "content_type", None),
                content_encoding=getattr(raw, "content_encoding", None),
                message_id=getattr(raw, "message_id", None),
                correlation_id=getattr(raw, "correlation_id", None),
                message_type=getattr(raw, "type", None),
                persist=True,
                mandatory=True,
            )
        finally:
            _DEAD_LETTERING.reset(token)
        _confirmed(result, exchange, routing_key)


def _confirmed(result: Any, exchange: str, routing_key: str) -> Any:
    """Raise unless a FastStream publish was confirmed: its channel hands back a returned message, not an error."""
    from pamqp.commands import Basic

    if result is None or isinstance(result, Basic.Ack):
        return result  # confirmed (or FastStream's in-memory test broker, which confirms nothing)
    if isinstance(result, Basic.Nack | Basic.Reject):
        raise PublishFailed(f"the broker refused the message for `{exchange}` with `{routing_key}` (nack)")
    raise PublishFailed(
        f"the broker returned the message: no queue is bound to `{exchange or '(default)'}` with `{routing_key}`",
        tip="declare the contract's topology (`await declare(contract, url)` at start-up); nothing was stored.",
    )


__all__ = ["ContractMiddleware", "ValidatedMessage"]
