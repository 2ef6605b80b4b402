"""AsyncAPI contracts enforced on RabbitMQ: validated publish and consume, dead letters with reasons, replay.

``contractkit[messaging]`` (aio-pika, FastStream, tenacity) is separate from ``contractkit[runtime]``: nothing
here is imported by the HTTP middleware, and aio-pika/FastStream are imported only by the modules that use them.

- :class:`MessageContract`: the broker-free validator (payload and headers of each message of each operation).
- :class:`ContractClient` (:mod:`.aiopika`): topology from the AMQP bindings, validated and confirmed publishes,
  validated consumers with dead letters and bounded retries.
- :class:`ContractMiddleware` (:mod:`.faststream`): the same for FastStream services.
- :class:`SyncPublisher` (:mod:`.sync`): validated, confirmed publishes from WSGI apps (pika).
- :mod:`.dlq`: list, show, replay and purge dead letters (``contractkit dlq``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contractkit.messaging._pipeline import Delivery, Received
from contractkit.messaging.contract import MessageContract, Verdict
from contractkit.messaging.deadletter import DeadLetterReason
from contractkit.messaging.errors import (
    BrokerUnreachable,
    MessageError,
    MessageRefused,
    MessagingError,
    PublishFailed,
    TopologyConflict,
    UnknownOperation,
)
from contractkit.messaging.retry import RetryPolicy
from contractkit.messaging.tracing import TraceContextMiddleware, use_traceparent

if TYPE_CHECKING:
    from contractkit.messaging.aiopika import ContractClient
    from contractkit.messaging.faststream import ContractMiddleware
    from contractkit.messaging.sync import SyncPublisher

_LAZY = {
    "ContractClient": "contractkit.messaging.aiopika",
    "ContractMiddleware": "contractkit.messaging.faststream",
    "SyncPublisher": "contractkit.messaging.sync",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "BrokerUnreachable",
    "ContractClient",
    "ContractMiddleware",
    "DeadLetterReason",
    "Delivery",
    "MessageContract",
    "MessageError",
    "MessageRefused",
    "MessagingError",
    "PublishFailed",
    "Received",
    "RetryPolicy",
    "SyncPublisher",
    "TopologyConflict",
    "TraceContextMiddleware",
    "UnknownOperation",
    "Verdict",
    "use_traceparent",
]
