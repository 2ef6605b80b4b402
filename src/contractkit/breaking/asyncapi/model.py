"""AsyncAPI 2.x and 3.x read into one model, so that every compatibility rule is written once.

What the rules compare, and how each version says it:

=====================  ==========================================  ==========================================
                       AsyncAPI 2.x                                AsyncAPI 3.x
=====================  ==========================================  ==========================================
channel                ``channels`` key (the address)              ``channels.*.address`` (the key when null)
operation              ``subscribe`` / ``publish`` of a channel    ``operations.*`` with ``action``
application sends      ``subscribe`` (consumers subscribe to it)   ``action: send``
application receives   ``publish`` (producers publish to it)       ``action: receive``
operation key          ``operationId``, else ``ACTION address``    the ``operations`` key
messages               ``message``, or ``message.oneOf``           ``operation.messages``, else the channel's
message key            ``messageId``, component name, ``name``     the channel's ``messages`` key
=====================  ==========================================  ==========================================

Message and operation traits are applied by :func:`contractkit.spec.traits.apply_traits`, the merge every reader
of a contract shares (a trait's ``headers``, ``contentType``, ``bindings``...), and a message without
``contentType`` takes the document's ``defaultContentType``.

A message the application **sends** is read by consumers: it is compared like an OpenAPI response. A message it
**receives** is written by producers: it is compared like a request (see :mod:`.rules`).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field

from contractkit.loaders.document import Cursor, Document
from contractkit.spec.asyncapi import message_key_2x
from contractkit.spec.traits import apply_traits

SEND, RECEIVE = "send", "receive"
_DEPRECATED = ("deprecated", "x-deprecated")
_ACTIONS_2X = {"subscribe": SEND, "publish": RECEIVE}

__all__ = ["RECEIVE", "SEND", "AsyncModel", "Channel", "Message", "Operation", "read_model"]


@dataclass(frozen=True, slots=True)
class Message:
    """A message as one operation (or channel) carries it.

    Attributes:
        key: what it is matched by between versions.
        cursor: the message object.
        payload: its payload schema.
        headers: its headers schema.
        content_type: its content type (the document default when it names none).
        schema_format: the payload's ``schemaFormat`` (AsyncAPI schema when absent).
        amqp: the message's AMQP binding.
        deprecated: marked `deprecated` or `x-deprecated` (by itself or a trait).
        anonymous: a 2.x inline message with no name: its key is its position in `oneOf`.
    """

    key: str
    cursor: Cursor
    payload: Cursor | None
    headers: Cursor | None
    content_type: str | None
    schema_format: str | None
    amqp: Cursor | None
    deprecated: bool = False
    anonymous: bool = False


@dataclass(slots=True)
class Channel:
    """A channel, keyed by its address.

    Attributes:
        address: the address (the routing key or queue of AMQP, the topic of Kafka and MQTT).
        key: the 3.x ``channels`` key (the address in 2.x).
        cursor: the channel object.
        parameters: name -> parameter object.
        amqp: the channel's AMQP binding.
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
        amqp: the operation's AMQP binding.
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
    root = doc.cursor()
    default = root.raw("defaultContentType")
    reader = _Reader(str(default) if isinstance(default, str) else None)
    if doc.spec.version.startswith("2."):
        return reader.read_2x(root)
    return reader.read_3x(root)


@dataclass(slots=True)
class _Reader:
    default_content_type: str | None

    # --- 2.x ----------------------------------------------------------------------------------------------
    def read_2x(self, root: Cursor) -> AsyncModel:
        model = AsyncModel()
        channels = root.get("channels")
        for address, item in channels.items() if channels is not None else ():
            channel = Channel(address, address, item, _parameters(item), _amqp(item))
            model.channels[address] = channel
            for verb, action in _ACTIONS_2X.items():
                op = item.get(verb)
                if op is None or not isinstance(op.value, dict):
                    continue
                operation_id = op.raw("operationId")
                key = str(operation_id) if isinstance(operation_id, str) else f"{action.upper()} {address}"
                operation = Operation(key, action, address, op, amqp=self._amqp_of(op))
                for message in self._messages_2x(op):
                    operation.messages[message.key] = message
                    channel.messages.setdefault(message.key, message)
                model.operations[key] = operation
        return model

    def _messages_2x(self, op: Cursor) -> Iterator[Message]:
        declared = op.get("message")
        if declared is None:
            return
        ref = op.is_ref("message")
        variants = declared.get("oneOf")
        if variants is None:
            yield self._message(declared, message_key_2x(declared, ref) or "message")
            return
        refs = declared.raw("oneOf")
        for index, variant in enumerate(variants.elements()):
            raw = refs[index] if isinstance(refs, list) and index < len(refs) else None
            variant_ref = raw.get("$ref") if isinstance(raw, dict) else None
            key = message_key_2x(variant, variant_ref if isinstance(variant_ref, str) else None)
            yield self._message(variant, key or f"message{index}", anonymous=key is None)

    # --- 3.x ----------------------------------------------------------------------------------------------
    def read_3x(self, root: Cursor) -> AsyncModel:
        model = AsyncModel()
        by_identity: dict[tuple[str, tuple[str, ...]], Channel] = {}
        channels = root.get("channels")
        for key, item in channels.items() if channels is not None else ():
            channel = self._channel_3x(key, item)
            model.channels[channel.address] = channel
            by_identity[item.identity] = channel
        operations = root.get("operations")
        for key, op in operations.items() if operations is not None else ():
            action = op.raw("action")
            channel_cursor = op.get("channel")
            if action not in (SEND, RECEIVE) or channel_cursor is None:
                continue  # validate reports it
            channel = by_identity.get(channel_cursor.identity) or self._channel_3x(channel_cursor.key, channel_cursor)
            operation = Operation(key, str(action), channel.address, op, amqp=self._amqp_of(op))
            operation.messages = self._operation_messages(op.get("messages"), channel)
            model.operations[key] = operation
            reply = op.get("reply")
            if reply is not None:
                model.operations[f"{key} reply"] = self._reply(key, operation, reply, by_identity)
        return model

    def _channel_3x(self, key: str, item: Cursor) -> Channel:
        address = item.raw("address")
        channel = Channel(address if isinstance(address, str) else key, key, item, _parameters(item), _amqp(item))
        declared = item.get("messages")
        for name, message in declared.items() if declared is not None else ():
            channel.messages[name] = self._message(message, name)
        return channel

    def _operation_messages(self, declared: Cursor | None, channel: Channel) -> dict[str, Message]:
        """Return the messages an operation lists (each a ref into its channel's), or all of the channel's."""
        if declared is None:
            return dict(channel.messages)
        chosen: dict[str, Message] = {}
        for message in declared.elements():
            found = next((m for m in channel.messages.values() if m.cursor.identity == message.identity), None)
            chosen[found.key if found is not None else message.key] = found or self._message(message, message.key)
        return chosen

    def _reply(
        self, key: str, operation: Operation, reply: Cursor, by_identity: dict[tuple[str, tuple[str, ...]], Channel]
    ) -> Operation:
        """The reply half of a request/reply operation: the opposite action, on the reply channel."""
        reply_channel = reply.get("channel")
        channel = by_identity.get(reply_channel.identity) if reply_channel is not None else None
        address = channel.address if channel is not None else operation.address
        action = RECEIVE if operation.action == SEND else SEND
        half = Operation(f"{key} reply", action, address, reply, reply=True)
        if channel is not None:
            half.messages = self._operation_messages(reply.get("messages"), channel)
        return half

    # --- both ---------------------------------------------------------------------------------------------
    def _amqp_of(self, node: Cursor) -> Cursor | None:
        bindings = apply_traits(node).get("bindings")
        return bindings.get("amqp") if bindings is not None else None

    def _message(self, cursor: Cursor, key: str, *, anonymous: bool = False) -> Message:
        traited = apply_traits(cursor)
        content_type = traited.get("contentType")
        schema_format = cursor.raw("schemaFormat")
        payload = cursor.get("payload")
        if payload is not None and isinstance(payload.value, dict) and "schemaFormat" in payload.value:
            # 3.x Multi Format Schema Object: {schemaFormat, schema}
            schema_format = payload.value.get("schemaFormat")
            payload = payload.get("schema")
        deprecated = any((found := traited.get(flag)) is not None and found.value is True for flag in _DEPRECATED)
        bindings = traited.get("bindings")
        return Message(
            key,
            cursor,
            payload,
            traited.get("headers"),
            str(content_type.value) if content_type is not None else self.default_content_type,
            str(schema_format) if isinstance(schema_format, str) else None,
            bindings.get("amqp") if bindings is not None else None,
            deprecated=deprecated,
            anonymous=anonymous,
        )


def _parameters(channel: Cursor) -> dict[str, Cursor]:
    declared = channel.get("parameters")
    return dict(declared.items()) if declared is not None else {}


def _amqp(node: Cursor) -> Cursor | None:
    bindings = node.get("bindings")
    return bindings.get("amqp") if bindings is not None else None
