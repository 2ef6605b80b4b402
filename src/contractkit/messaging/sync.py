"""A blocking publisher for WSGI apps (Flask, Django): validated, persistent, confirmed publishes through pika.

::

    publisher = SyncPublisher("order-events", "amqp://guest:guest@localhost/")
    publisher.publish("publishOrderCreated", payload, correlation_id=order_id)   # confirmed, or raises

One connection with publisher confirms, guarded by a lock (pika's blocking connection is not thread-safe); a
lost connection is opened again at the next publish. It declares the exchanges its send operations use; queues
are the consumers' business. Consuming stays asynchronous (:mod:`.aiopika`, :mod:`.faststream`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

from contractkit.messaging._outgoing import prepare
from contractkit.messaging.contract import MessageContract
from contractkit.messaging.errors import PublishFailed, TopologyConflict
from contractkit.messaging.observability import MessageObserver
from contractkit.messaging.topology import Redeclaration, plan_topology


class SyncPublisher:
    """Publishes messages of a contract's send operations, one confirmed publish at a time.

    Args:
        spec: the contract (path, dict, catalog id, generated package or :class:`MessageContract`).
        url: the broker's AMQP URL.
        metrics, logger: as for :class:`~contractkit.messaging.aiopika.ContractClient`.
    """

    def __init__(self, spec: object, url: str, *, metrics: Any = None, logger: Any = None) -> None:
        """Compile the contract; the connection opens at the first publish."""
        self.contract = MessageContract.from_spec(spec)
        self.url = url
        self.observer = MessageObserver(self.contract.name, metrics, logger)
        self._lock = threading.Lock()
        self._connection: Any = None
        self._channel: Any = None

    def __enter__(self) -> Self:
        """Return the publisher."""
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        """Close the connection."""
        self.close()

    def publish(
        self,
        operation: str,
        payload: Any,
        *,
        headers: Mapping[str, Any] | None = None,
        message: str | None = None,
        correlation_id: str | None = None,
        traceparent: str | None = None,
    ) -> str | None:
        """Validate and publish one message (see :meth:`ContractClient.publish`); return its message id.

        Raises:
            MessageRefused: it breaks the contract (nothing was sent).
            PublishFailed: the broker did not confirm it.
        """
        import pika
        import pika.exceptions

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
            properties = pika.BasicProperties(
                content_type=out.message.content_type,
                delivery_mode=2 if out.persistent else 1,
                headers=out.verdict.headers,
                message_id=out.message_id,
                correlation_id=out.correlation_id,
                type=out.message_type,
            )
            exchange, routing_key = out.operation.exchange, out.operation.routing_key
            with self._lock:
                try:
                    channel = self._open()
                    channel.basic_publish(exchange, routing_key, out.verdict.body, properties, mandatory=out.mandatory)
                except pika.exceptions.UnroutableError:
                    raise PublishFailed(
                        f"the broker returned the message: no queue is bound to `{exchange}` with `{routing_key}`"
                    ) from None
                except pika.exceptions.NackError:
                    raise PublishFailed("the broker refused the message (nack)") from None
                except (pika.exceptions.AMQPError, OSError) as exc:
                    self._drop()
                    raise PublishFailed(
                        f"the publish to `{exchange}` was not confirmed: {exc!r}",
                        tip="publish it again (consumers de-duplicate on `message-id`).",
                    ) from None
        return out.message_id

    def _open(self) -> Any:
        if self._channel is not None and self._channel.is_open:
            return self._channel
        import pika
        import pika.exceptions

        from contractkit.messaging.errors import broker_unreachable

        try:
            self._connection = pika.BlockingConnection(pika.URLParameters(self.url))
        except (pika.exceptions.AMQPError, OSError) as exc:
            raise broker_unreachable(self.url, exc) from None
        channel = self._connection.channel()
        channel.confirm_delivery()
        used = {op.exchange for op in self.contract.sends() if op.exchange}
        conflicts = []
        for exchange in plan_topology(self.contract.view).exchanges:
            if exchange.name not in used or exchange.type is None:
                continue
            tracker = Redeclaration(
                {"type": exchange.type, "durable": exchange.durable, "auto_delete": exchange.auto_delete}
            )
            while tracker.declaration is not None:
                declared = tracker.declaration
                try:
                    channel.exchange_declare(
                        exchange.name,
                        declared["type"],
                        durable=declared["durable"],
                        auto_delete=declared["auto_delete"],
                    )
                    break
                except pika.exceptions.ChannelClosedByBroker as exc:
                    channel = self._connection.channel()
                    channel.confirm_delivery()
                    if not tracker.refused(str(exc.reply_text)):
                        break
            conflicts.extend(tracker.conflicts)
        if conflicts:
            self._drop()
            raise TopologyConflict(conflicts)
        self._channel = channel
        return channel

    def _drop(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            try:
                connection.close()
            except Exception:  # already broken: nothing to close
                return

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._drop()
