"""The breaking check's model of an AsyncAPI 2.x or 3.x document: the AsyncAPI view, keyed for comparing.

The document is read once, by :func:`contractkit.spec.asyncapi.read_asyncapi` (the walk of channels, operations
and messages that the messaging runtime, the message fuzzer and codegen read too; traits merged by
:mod:`contractkit.spec.traits`). This module only re-keys it the way two versions are compared:

=====================  ==========================================  ==========================================
                       AsyncAPI 2.x                                AsyncAPI 3.x
=====================  ==========================================  ==========================================
channel                keyed by its address                        keyed by its address (the key when null)
operation key          ``operationId``, else ``ACTION address``    the ``operations`` key; a ``reply`` is one
                                                                   more operation, ``KEY reply``
message key            ``messageId``, component name, ``name``     the channel's ``messages`` key
=====================  ==========================================  ==========================================

A message is the view's :class:`~contractkit.spec.asyncapi.Message` itself. A message the application **sends**
is read by consumers: it is compared like an OpenAPI response. A message it **receives** is written by producers:
it is compared like a request.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from contractkit.loaders.document import Cursor, Document
from contractkit.spec.asyncapi import RECEIVE, SEND, Message, read_asyncapi
from contractkit.spec.asyncapi import Operation as ViewOperation

__all__ = ["RECEIVE", "SEND", "AsyncModel", "Channel", "Message", "Operation", "read_model"]


@dataclass(slots=True)
class Channel:
    """A channel, keyed by its address.

    Attributes:
        address: the address (the routing key or queue of AMQP, the topic of Kafka and MQTT).
        key: the 3.x ``channels`` key (the address in 2.x).
        cursor: the channel object.
        parameters: name -> parameter object.
        amqp: the channel's AMQP binding object.
        messages: key -> message (3.x: the channel's ``messages``; 2.x: those of its operations).
    """

    address: str
    key: str
    cursor: Cursor
    parameters: dict[str, Cursor] = field(default_factory=dict)
    amqp: Cursor | None = None
    messages: dict[str, Message] = field(default_factory=dict)


@dataclass(slots=True)
class Operation:
    """An operation of the application on a channel.

    Attributes:
        key: the 3.x ``operations`` key, or the 2.x ``operationId`` (``ACTION address`` without one).
        action: ``send`` or ``receive`` (2.x ``subscribe`` and ``publish`` translated).
        address: its channel's address.
        cursor: the operation object.
        messages: key -> message it sends or receives.
        amqp: the operation's AMQP binding object (traits applied).
        reply: for a 3.x request/reply operation, whether this is the reply half (its action is the opposite).
    """

    key: str
    action: str
    address: str
    cursor: Cursor
    messages: dict[str, Message] = field(default_factory=dict)
    amqp: Cursor | None = None
    reply: bool = False

    @property
    def label(self) -> str:
        """Return how findings name the operation: ``SEND order.created`` (``... reply`` for a reply)."""
        return f"{self.action.upper()} {self.address}" + (" reply" if self.reply else "")


@dataclass(slots=True)
class AsyncModel:
    """The channels and operations of one AsyncAPI document.

    Attributes:
        channels: address -> channel.
        operations: key -> operation.
    """

    channels: dict[str, Channel] = field(default_factory=dict)
    operations: dict[str, Operation] = field(default_factory=dict)

    def readers(self, address: str, message: str) -> set[str]:
        """Return the actions of the operations that carry ``message`` on ``address`` (``send``, ``receive``)."""
        return {op.action for op in self.operations.values() if op.address == address and message in op.messages}


def read_model(doc: Document) -> AsyncModel:
    """Return the model of an AsyncAPI 2.x or 3.x document, read once per document (diff and policies share it)."""
    model = _MODELS.get(doc)
    if model is None:
        model = _MODELS[doc] = _read(doc)
    return model


_MODELS: weakref.WeakKeyDictionary[Document, AsyncModel] = weakref.WeakKeyDictionary()


def _read(doc: Document) -> AsyncModel:
    view = read_asyncapi(doc)
    model = AsyncModel()
    for channel in view.channels.values():
        model.channels[channel.address] = Channel(
            channel.address,
            channel.key,
            channel.cursor,
            dict(channel.parameters),
            channel.amqp_binding,
            dict(channel.messages),
        )
    for key, op in view.operations.items():
        model.operations[key] = Operation(
            key, op.action, op.channel.address, op.cursor, _keyed(op.messages), op.amqp_binding
        )
        if op.reply is not None:
            model.operations[f"{key} reply"] = _reply(key, op)
    return model


def _reply(key: str, op: ViewOperation) -> Operation:
    """The reply half of a request/reply operation: the opposite action, on the reply channel."""
    assert op.reply is not None
    channel = op.reply.channel
    address = channel.address if channel is not None else op.channel.address
    action = RECEIVE if op.action == SEND else SEND
    return Operation(f"{key} reply", action, address, op.reply.cursor, _keyed(op.reply.messages), reply=True)


def _keyed(messages: tuple[Message, ...]) -> dict[str, Message]:
    """Key -> message (the later of two with one key, as a 2.x ``oneOf`` read in order)."""
    return {message.key: message for message in messages}
