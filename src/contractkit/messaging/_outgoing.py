"""A message about to be published, checked, with the AMQP properties every client sets from the contract.

The aio-pika client, the pika publisher and the FastStream middleware all publish through :func:`prepare`: the
message is checked (publisher headers filled in), refused with :class:`MessageRefused` when it breaks the
contract, and its properties derived from the operation's AMQP binding (persistent unless ``deliveryMode: 1``,
``mandatory`` unless ``mandatory: false``, ``type`` the message's ``messageType``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from contractkit.messaging._compile import CompiledMessage, CompiledOperation
from contractkit.messaging.contract import MessageContract, Verdict
from contractkit.messaging.errors import MessageRefused
from contractkit.messaging.observability import MessageObserver


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A checked message and how to publish it.

    Attributes:
        operation: the send operation.
        message: the message of the operation it is.
        verdict: the verdict (``body`` and ``headers`` are what goes on the wire).
        persistent, mandatory, timestamp: from the operation's AMQP binding.
    """

    operation: CompiledOperation
    message: CompiledMessage
    verdict: Verdict
    persistent: bool
    mandatory: bool
    timestamp: bool
    priority: int | None
    expiration: int | None

    @property
    def message_id(self) -> str | None:
        """Return the ``message-id`` header."""
        value = self.verdict.headers.get("message-id")
        return value if isinstance(value, str) else None

    @property
    def correlation_id(self) -> str | None:
        """Return the ``correlation-id`` header."""
        value = self.verdict.headers.get("correlation-id")
        return value if isinstance(value, str) else None

    @property
    def message_type(self) -> str:
        """Return the AMQP ``type`` property: the message's ``messageType``, else its name."""
        return self.message.spec.message_type or self.message.spec.name


@contextmanager
def prepare(
    contract: MessageContract,
    observer: MessageObserver,
    operation: str | CompiledOperation,
    payload: Any,
    headers: Mapping[str, Any] | None,
    *,
    message: str | None = None,
    correlation_id: str | None = None,
    traceparent: str | None = None,
) -> Iterator[Outgoing]:
    """Check a message of a send operation inside its publish span; count it ``published`` when the block ends.

    Raises:
        MessageRefused: the message breaks the contract (counted ``refused``; nothing is to be sent).
    """
    op = operation if isinstance(operation, CompiledOperation) else contract.operation(operation, "send")
    channel = op.spec.channel.address
    with observer.publishing(op.key, channel) as current:
        verdict = contract.check_outgoing(
            op, payload, headers, message=message, traceparent=traceparent or current, correlation_id=correlation_id
        )
        if not verdict.ok or verdict.message is None:
            observer.count(channel, verdict.message.spec.name if verdict.message is not None else "unknown", "refused")
            raise MessageRefused(op.key, verdict.errors)
        amqp = op.spec.amqp
        yield Outgoing(
            operation=op,
            message=verdict.message,
            verdict=verdict,
            persistent=amqp is None or amqp.delivery_mode != 1,
            mandatory=amqp is None or amqp.mandatory is not False,
            timestamp=amqp is not None and amqp.timestamp is True,
            priority=amqp.priority if amqp is not None else None,
            expiration=amqp.expiration if amqp is not None else None,
        )
    observer.count(channel, verdict.message.spec.name, "published")
