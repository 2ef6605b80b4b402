"""What the messaging runtime raises, and the one error value it reports per problem of a message.

::

    ContractkitError (contractkit.errors)
    ├── UsageError
    │   └── UnknownOperation     an operation key the contract does not have
    └── MessagingError           the broker or a message stopped the runtime from doing its job
        ├── MessageRefused       a message to publish breaks the contract (nothing was sent)
        ├── PublishFailed        the broker did not confirm a publish (nacked, returned, connection lost)
        ├── TopologyConflict     the broker's exchanges/queues contradict the contract (which one, which argument)
        └── BrokerUnreachable    no connection to the broker
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple

from contractkit.errors import ContractkitError, UsageError


class MessageError(NamedTuple):
    """One thing wrong with a message.

    Attributes:
        rule: what was broken: ``payload-schema``, ``headers-schema``, ``payload-json``, ``content-type``,
            ``content-encoding``, ``body-too-large``, ``message-unknown``, ``payload-model`` (see docs/messaging.md).
        location: where: ``payload`` (the whole payload), ``payload#/items/0/quantity`` (a JSON pointer into it),
            ``header.traceparent``, ``property.content_type``.
        message: what is wrong.
    """

    rule: str
    location: str
    message: str


class UnknownOperation(UsageError):
    """An operation key that the contract does not declare (or declares with the other action)."""

    default_title = "unknown operation"


class MessagingError(ContractkitError):
    """The broker, or a message, stopped the messaging runtime from doing its job."""

    default_title = "messaging failed"


class MessageRefused(MessagingError):
    """A message to publish breaks the contract; it was not sent.

    Attributes:
        operation: the operation key.
        errors: every problem found, with its location.
    """

    default_title = "message refused by the contract"

    def __init__(self, operation: str, errors: Sequence[MessageError]) -> None:
        shown = "; ".join(f"{e.location}: {e.message}" for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"the message for `{operation}` breaks the contract: {shown}{more}", tip=refused_tip(errors))
        self.operation = operation
        self.errors = tuple(errors)


# The headers a publisher fills in (contractkit.messaging.contract.MessageContract.check_outgoing): what to do
# when one of them is wrong or missing. `publish()` is ContractClient's, SyncPublisher's and FastStream's.
_HEADER_TIPS = {
    "header.correlation-id": "pass `correlation_id=` to `publish()`: it fills the `correlation-id` header (and the "
    "AMQP correlation id)",
    "header.traceparent": "pass a W3C `traceparent=` to `publish()` (00-<32 hex>-<16 hex>-<2 hex>), or leave the "
    "header out: the current trace, else a new one, is sent",
    "header.message-id": "leave `message-id` out of the headers: a new UUID is filled in",
    "header.schema-version": "leave `schema-version` out of the headers: the contract's `info.version` is filled in",
}


def refused_tip(errors: Sequence[MessageError]) -> str:
    """Return the tip of a refused message: how to fill the headers ``publish()`` can fill, then the general one."""
    tips = list(dict.fromkeys(_HEADER_TIPS[e.location] for e in errors if e.location in _HEADER_TIPS))
    return "; ".join([*tips, "fix the payload or headers at the locations named; nothing was published."])


class PublishFailed(MessagingError):
    """The broker did not confirm a publish: it was nacked, returned as unroutable, or the connection dropped."""

    default_title = "publish not confirmed"


class TopologyConflict(MessagingError):
    """The broker holds an exchange or queue whose properties contradict the contract.

    Attributes:
        conflicts: one line per contradiction (``queue `mes.order-intake`: argument `x-queue-type` is `classic`
            on the broker, the contract says `quorum```).
    """

    default_title = "the broker's topology contradicts the contract"

    def __init__(self, conflicts: Sequence[str]) -> None:
        super().__init__(
            "; ".join(conflicts),
            tip=(
                "RabbitMQ cannot change an existing exchange or queue: delete it (after draining it) and let the "
                "contract declare it again, or fix the contract if the broker is right."
            ),
        )
        self.conflicts = tuple(conflicts)


class BrokerUnreachable(MessagingError):
    """No connection to the broker could be made."""

    default_title = "cannot reach the broker"


def masked_url(url: str) -> str:
    """Return an AMQP URL without its user and password (``amqp://host:5672/vhost``)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"


def broker_unreachable(url: str, exc: BaseException) -> BrokerUnreachable:
    """Return the error for a broker that cannot be reached at ``url`` (credentials masked)."""
    return BrokerUnreachable(
        f"cannot connect to {masked_url(url)}: {exc}",
        tip="check that RabbitMQ runs there and that the URL (user, password, vhost) is right.",
    )


@contextmanager
def quiet_client_logs() -> Iterator[None]:
    """Silence aio-pika's and aiormq's own log lines inside the block (restored after).

    A command that cannot reach the broker prints one error with a tip; their ``error when creating transport``
    line before it would say the same thing twice, the second time as a library's repr.
    """
    loggers = [logging.getLogger(name) for name in ("aiormq", "aio_pika")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
