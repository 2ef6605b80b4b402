"""The contract on RabbitMQ through aio-pika: topology declared, publishes validated and confirmed, deliveries checked.

For services without FastStream::

    async with ContractClient("order-events", "amqp://guest:guest@localhost/") as client:
        await client.publish("publishOrderCreated", payload, correlation_id=order_id)
        await client.consume("consumeProductionJobEvents", handle)   # handle(received) -> awaitable

One robust connection (aio-pika reconnects and restores consumers after a broker restart), one publisher channel
with publisher confirms and ``on_return_raises`` (a publish is confirmed, or :class:`PublishFailed` is raised),
one channel per consumer with a bounded prefetch.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from contractkit.messaging._outgoing import prepare
from contractkit.messaging._pipeline import ConsumerPipeline, Delivery, Handler
from contractkit.messaging.contract import MessageContract
from contractkit.messaging.errors import (
    MessagingError,
    PublishFailed,
    TopologyConflict,
    UnknownOperation,
    broker_unreachable,
)
from contractkit.messaging.observability import MessageObserver
from contractkit.messaging.retry import RetryPolicy
from contractkit.messaging.topology import Redeclaration, Topology, dead_letter_problems, plan_topology
from contractkit.spec.asyncapi import RECEIVE

if TYPE_CHECKING:
    import logging

    from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractIncomingMessage, AbstractRobustConnection

DEFAULT_PREFETCH = 32
PUBLISH_TIMEOUT: float | None = None  # wait for the broker's confirm (or for the connection to fail)


class ContractClient:
    """A RabbitMQ client held to one AsyncAPI contract.

    Args:
        spec: the contract: a path, a dict, a catalog id, a generated package (its models then shape consumed
            payloads) or a :class:`MessageContract`.
        url: the broker's AMQP URL.
        declare: declare the contract's topology on connect (exchanges, queues with arguments, bindings); a
            contradiction with what the broker holds raises :class:`TopologyConflict` naming each one.
        prefetch: how many unacknowledged deliveries one consumer holds at most.
        retry: how a failing handler is retried before its message is dead-lettered.
        metrics, logger: as for the HTTP middleware (``None``: the default Prometheus registry when installed).
        reconnect_interval: seconds between reconnection attempts after the connection is lost.
    """

    def __init__(
        self,
        spec: object,
        url: str,
        *,
        declare: bool = True,
        prefetch: int = DEFAULT_PREFETCH,
        retry: RetryPolicy | None = None,
        metrics: Any = None,
        logger: logging.Logger | None = None,
        models: Any = None,
        reconnect_interval: float = 1.0,
    ) -> None:
        """Compile the contract (raises :class:`contractkit.errors.ContractkitError` if it is unusable)."""
        if not isinstance(prefetch, int) or not 1 <= prefetch <= 65535:
            raise MessagingError(f"prefetch={prefetch!r} is not between 1 and 65535", title="invalid option")
        self.contract = MessageContract.from_spec(spec, models=models)
        self.topology: Topology = plan_topology(self.contract.view)
        self.url = url
        self.declare = declare
        self.prefetch = prefetch
        self.retry = retry or RetryPolicy()
        self.observer = MessageObserver(self.contract.name, metrics, logger)
        self.reconnect_interval = reconnect_interval
        self._connection: AbstractRobustConnection | None = None
        self._publisher: AbstractChannel | None = None
        self._exchanges: dict[str, AbstractExchange] = {}
        self._consumers: list[_Consumer] = []

    async def __aenter__(self) -> Self:
        """Connect (see :meth:`connect`)."""
        return await self.connect()

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        """Close (see :meth:`close`)."""
        await self.close()

    async def connect(self) -> Self:
        """Connect, open the publisher channel and declare the topology.

        Raises:
            BrokerUnreachable: no connection could be made.
            TopologyConflict: the broker holds exchanges or queues that contradict the contract.
        """
        import aio_pika

        try:
            self._connection = await aio_pika.connect_robust(self.url, reconnect_interval=self.reconnect_interval)
        except (TimeoutError, OSError, aio_pika.exceptions.AMQPError) as exc:
            raise broker_unreachable(self.url, exc) from None
        if self.declare:
            try:
                await declare_topology(self._connection, self.topology)
            except BaseException:  # `async with` does not close what a failed `__aenter__` opened
                await self.close()
                raise
        self._publisher = await self._connection.channel(publisher_confirms=True, on_return_raises=True)
        return self

    async def close(self) -> None:
        """Stop every consumer (letting the handlers in progress finish), then close the connection."""
        for consumer in self._consumers:
            await consumer.stop()
        self._consumers.clear()
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    # --- publish ------------------------------------------------------------------------------------------
    async def publish(
        self,
        operation: str,
        payload: Any,
        *,
        headers: Mapping[str, Any] | None = None,
        message: str | None = None,
        correlation_id: str | None = None,
        traceparent: str | None = None,
        timeout: float | None = PUBLISH_TIMEOUT,
    ) -> str | None:
        """Validate a message of the send operation ``operation`` and publish it, persistent and confirmed.

        Args:
            operation: the send operation's key (``publishOrderCreated``).
            payload: JSON values, a generated Pydantic model, or JSON bytes.
            headers: application headers; ``message-id``, ``traceparent`` (the current trace, see
                :mod:`contractkit.messaging.tracing`) and ``schema-version`` are filled in when the contract
                declares them and they are not given, ``correlation-id`` from ``correlation_id``.
            message: which message of the operation, when it has several.
            correlation_id: the ``correlation-id`` header (the order id for order events).
            traceparent: the trace context to send (default: the current one, or a new trace).
            timeout: seconds to wait for the broker's confirm (default: until it comes, or the connection fails;
                a timer per publish costs ~10 µs).

        Returns:
            the message id.

        Raises:
            MessageRefused: the message breaks the contract (nothing was sent).
            PublishFailed: the broker did not confirm it (unroutable, nacked, connection lost, timeout).
        """
        with prepare(
            self.contract,
            self.observer,
            operation,
            payload,
            headers,
            message=message,
            correlation_id=correlation_id,
            traceparent=traceparent,
        ) as out:
            outgoing = _message(
                out.verdict.body,
                out.verdict.headers,
                content_type=out.message.content_type,
                message_type=out.message_type,
                persistent=out.persistent,
                timestamp=out.timestamp,
                priority=out.priority,
                expiration=out.expiration,
            )
            await self._publish(out.operation.exchange, out.operation.routing_key, outgoing, out.mandatory, timeout)
        return out.message_id

    async def publish_raw(
        self,
        exchange: str,
        routing_key: str,
        message: Any,
        *,
        mandatory: bool = True,
        timeout: float | None = PUBLISH_TIMEOUT,
    ) -> None:
        """Publish an ``aio_pika.Message`` as it is, confirmed (for the dead letters and replays; no validation)."""
        await self._publish(exchange, routing_key, message, mandatory, timeout)

    async def _publish(
        self, exchange: str, routing_key: str, message: Any, mandatory: bool, timeout: float | None
    ) -> None:
        import aio_pika

        if self._publisher is None:
            raise PublishFailed("the client is not connected", tip="call `await client.connect()` first.")
        try:
            target = await self._exchange(exchange)
            await target.publish(message, routing_key=routing_key, mandatory=mandatory, timeout=timeout)
        except aio_pika.exceptions.PublishError:
            raise PublishFailed(
                f"the broker returned the message: no queue is bound to `{exchange or '(default)'}` with "
                f"`{routing_key}`",
                tip="declare (or bind) the queue that should receive it; the message was not stored.",
            ) from None
        except aio_pika.exceptions.DeliveryError as exc:
            raise PublishFailed(f"the broker refused the message (nack): {exc}") from None
        except (TimeoutError, aio_pika.exceptions.AMQPError, OSError, RuntimeError) as exc:
            raise PublishFailed(
                f"the publish to `{exchange or '(default)'}` with `{routing_key}` was not confirmed: {exc!r}",
                tip="the message may or may not have been stored: publish it again (consumers de-duplicate on "
                "`message-id`).",
            ) from None

    async def _exchange(self, name: str) -> AbstractExchange:
        assert self._publisher is not None
        if name == "":
            return self._publisher.default_exchange
        found = self._exchanges.get(name)
        if found is None:
            found = self._exchanges[name] = await self._publisher.get_exchange(name, ensure=False)
        return found

    # --- consume ------------------------------------------------------------------------------------------
    async def consume(
        self, operation: str, handler: Handler, *, queue: str | None = None, prefetch: int | None = None
    ) -> _Consumer:
        """Consume the queue of the receive operation ``operation``, handing each valid delivery to ``handler``.

        Every delivery goes through :class:`~contractkit.messaging._pipeline.ConsumerPipeline`: validated before
        ``handler(received)`` runs, dead-lettered with reasons when invalid or when the handler keeps failing,
        acknowledged only after the handler succeeded.

        Raises:
            UnknownOperation: no such receive operation.
            MessagingError: the queue's dead letters would be lost (no dead-letter exchange, or nothing bound to it).
        """
        if self._connection is None:
            raise MessagingError("the client is not connected", tip="call `await client.connect()` first.")
        op = self.contract.operation(operation, RECEIVE)
        name = queue or op.queue
        spec = self.topology.queue(name) if name else None
        if spec is None:
            raise UnknownOperation(
                f"`{operation}` reads no queue the contract declares",
                tip="describe the queue in the channel's AMQP binding (`is: queue`), or pass queue=.",
            )
        problems = dead_letter_problems(self.topology, spec.name)
        if problems:
            raise MessagingError(
                "; ".join(problems),
                title="refusing to consume: messages could be lost",
                tip="give the queue an `x-dead-letter-exchange` in the contract and bind a dead-letter queue to it.",
            )
        pipeline = ConsumerPipeline(self.contract, op, spec, handler, retry=self.retry, observer=self.observer)
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=prefetch or self.prefetch)
        declared = await channel.declare_queue(
            spec.name,
            durable=spec.durable,
            exclusive=spec.exclusive,
            auto_delete=spec.auto_delete,
            arguments=dict(spec.arguments),
        )
        consumer = _Consumer(self, pipeline, channel)
        await consumer.start(declared)
        self._consumers.append(consumer)
        return consumer


class _Consumer:
    """One running consumer; :meth:`stop` cancels it and waits for the deliveries in progress."""

    def __init__(self, client: ContractClient, pipeline: ConsumerPipeline, channel: AbstractChannel) -> None:
        self.client = client
        self.pipeline = pipeline
        self.channel = channel
        self._queue: Any = None
        self._tag: str | None = None
        self._active: set[asyncio.Task[Any]] = set()

    async def start(self, queue: Any) -> None:
        self._queue = queue
        self._tag = await queue.consume(self._on_message, no_ack=False)

    async def _on_message(self, incoming: AbstractIncomingMessage) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._active.add(task)
        try:
            delivery = Delivery(
                body=incoming.body,
                headers=incoming.headers or {},
                content_type=incoming.content_type,
                content_encoding=incoming.content_encoding,
                message_type=incoming.type,
                exchange=incoming.exchange or "",
                routing_key=incoming.routing_key or "",
                redelivered=bool(incoming.redelivered),
            )
            await self.pipeline.handle(delivery, _AioPikaTransport(self.client, incoming))
        finally:
            if task is not None:
                self._active.discard(task)

    async def stop(self, timeout: float = 30.0) -> None:
        """Stop receiving, wait up to ``timeout`` seconds for the deliveries in progress, close the channel."""
        if self._queue is not None and self._tag is not None:
            with contextlib.suppress(Exception):  # the channel is already gone
                await self._queue.cancel(self._tag)
            self._tag = None
        if self._active:
            await asyncio.wait(set(self._active), timeout=timeout)
        if not self.channel.is_closed:
            await self.channel.close()


class _AioPikaTransport:
    def __init__(self, client: ContractClient, incoming: AbstractIncomingMessage) -> None:
        self.client = client
        self.incoming = incoming

    async def ack(self) -> None:
        await self.incoming.ack()

    async def requeue(self) -> None:
        await self.incoming.nack(requeue=True)

    async def dead_letter(self, exchange: str, routing_key: str, headers: dict[str, Any]) -> None:
        import aio_pika

        incoming = self.incoming
        copy = aio_pika.Message(  # the delivery as it came (body and properties), the reason headers added
            incoming.body,
            headers=headers,
            content_type=incoming.content_type,
            content_encoding=incoming.content_encoding,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            priority=incoming.priority,
            correlation_id=incoming.correlation_id,
            reply_to=incoming.reply_to,
            message_id=incoming.message_id,
            timestamp=incoming.timestamp,
            type=incoming.type,
            app_id=incoming.app_id,
        )
        await self.client.publish_raw(exchange, routing_key, copy, mandatory=True)


def _message(
    body: bytes,
    headers: Mapping[str, Any],
    *,
    content_type: str | None,
    message_type: str | None,
    persistent: bool,
    timestamp: bool = False,
    priority: int | None = None,
    expiration: int | None = None,
) -> Any:
    import aio_pika

    mid = headers.get("message-id")
    cid = headers.get("correlation-id")
    return aio_pika.Message(
        body,
        headers=dict(headers),
        content_type=content_type,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT if persistent else aio_pika.DeliveryMode.NOT_PERSISTENT,
        message_id=mid if isinstance(mid, str) else None,
        correlation_id=cid if isinstance(cid, str) else None,
        type=message_type,
        priority=priority,
        expiration=expiration / 1000 if expiration is not None else None,
        timestamp=dt.datetime.now(dt.UTC) if timestamp else None,
    )


async def declare_topology(connection: Any, topology: Topology) -> None:
    """Declare every exchange, queue and binding of ``topology``; report every contradiction at once.

    RabbitMQ refuses a redeclaration with other properties by closing the channel (``PRECONDITION_FAILED``),
    naming one argument. The refusal is explained (which exchange or queue, which argument, both values), the
    declaration is made again on a new channel with the broker's value of that argument, so that RabbitMQ names
    the next one (:class:`~contractkit.messaging.topology.Redeclaration`), and the rest is still checked.

    Raises:
        TopologyConflict: one line per contradiction.
    """
    import aio_pika

    conflicts = list(topology.problems)
    channel = await connection.channel()

    async def attempt(what: str, call: Any, declaration: dict[str, Any] | None = None) -> bool:
        nonlocal channel
        tracker = Redeclaration(declaration)
        while True:  # each refusal names a new argument (Redeclaration.refused): this ends
            try:
                await call(channel, tracker.declaration)
            except aio_pika.exceptions.ChannelPreconditionFailed as exc:
                channel = await connection.channel()
                if not tracker.refused(str(exc)):
                    break
            except aio_pika.exceptions.ChannelNotFoundEntity:
                channel = await connection.channel()
                tracker.conflicts.append(
                    f"{what} is not on the broker, and the contract does not say how to declare it"
                )
                break
            else:
                break
        conflicts.extend(tracker.conflicts)
        return not tracker.conflicts

    present: set[str] = set()
    for exchange in topology.exchanges:
        if exchange.type is None:
            ok = await attempt(
                f"exchange `{exchange.name}` (named as a dead-letter exchange, its type given nowhere)",
                lambda ch, _d, e=exchange: ch.declare_exchange(e.name, passive=True),
            )
        else:
            ok = await attempt(
                f"exchange `{exchange.name}`",
                lambda ch, d, e=exchange: ch.declare_exchange(
                    e.name, d["type"], durable=d["durable"], auto_delete=d["auto_delete"]
                ),
                {"type": exchange.type, "durable": exchange.durable, "auto_delete": exchange.auto_delete},
            )
        if ok:
            present.add(exchange.name)
    queues: set[str] = set()
    for queue in topology.queues:
        ok = await attempt(
            f"queue `{queue.name}`",
            lambda ch, d, q=queue: ch.declare_queue(
                q.name,
                durable=d["durable"],
                exclusive=d["exclusive"],
                auto_delete=d["auto_delete"],
                arguments=d["arguments"],
            ),
            {
                "durable": queue.durable,
                "exclusive": queue.exclusive,
                "auto_delete": queue.auto_delete,
                "arguments": dict(queue.arguments),
            },
        )
        if ok:
            queues.add(queue.name)
    for binding in topology.bindings:
        if binding.queue in queues and binding.exchange in present:

            async def bind(ch: Any, _declaration: Any, b: Any = binding) -> None:
                declared = await ch.get_queue(b.queue, ensure=False)
                await declared.bind(b.exchange, routing_key=b.routing_key)

            await attempt(f"binding of `{binding.queue}` to `{binding.exchange}`", bind)
    if not channel.is_closed:
        await channel.close()
    if conflicts:
        raise TopologyConflict(conflicts)


async def declare(spec: object, url: str) -> Topology:
    """Connect to ``url``, declare the topology of the contract ``spec``, and disconnect (FastStream start-up).

    Raises:
        BrokerUnreachable, TopologyConflict: as :meth:`ContractClient.connect`.
    """
    import aio_pika

    contract = spec.contract if hasattr(spec, "contract") else MessageContract.from_spec(spec)
    topology = plan_topology(contract.view)
    try:
        connection = await aio_pika.connect(url)
    except (TimeoutError, OSError, aio_pika.exceptions.AMQPError) as exc:
        raise broker_unreachable(url, exc) from None
    try:
        await declare_topology(connection, topology)
    finally:
        await connection.close()
    return topology
