"""The AsyncAPI view: channels, operations and messages of a 2.x or 3.x document, with typed AMQP bindings.

One model for both versions, so that an engine (the messaging runtime, the message fuzzer, and later lint and
the breaking check) reads a contract one way:

=====================  ==========================================  ==========================================
                       AsyncAPI 2.x                                AsyncAPI 3.x
=====================  ==========================================  ==========================================
channel                ``channels`` key (the address)              ``channels.*`` (``address``, else the key)
application sends      ``subscribe``                               ``action: send``
application receives   ``publish``                                 ``action: receive``
operation key          ``operationId``, else ``ACTION address``    the ``operations`` key
messages               ``message``, or ``message.oneOf``           ``operation.messages``, else the channel's
=====================  ==========================================  ==========================================

Message and operation traits are applied by :func:`contractkit.spec.traits.apply_traits`, the one merge every
reader shares (JSON Merge Patch, deep: 2.x merges a trait over the object, the trait wins; 3.x keeps what the
object says itself). A message without ``contentType`` takes ``defaultContentType``.

This is the one walk of AsyncAPI ``channels`` and ``operations`` (``tests/spec/test_one_asyncapi_walk.py``): the
messaging runtime and the message fuzzer read it, the breaking check builds its model from it
(:mod:`contractkit.breaking.asyncapi.model`: channel ``parameters``, 3.x ``reply``, the raw AMQP binding objects,
2.x anonymous ``oneOf`` variants), and codegen collects message schemas from it (:attr:`AsyncApiView.components`
and the channels' messages).

AMQP bindings (0.3.0) are read into :class:`AmqpChannel` and :class:`AmqpOperation`. Binding 0.3.0 cannot say
a queue's arguments or which exchange a queue is bound to; the house convention writes them as ``x-`` keys of
the channel binding: ``x-queue-type``, ``x-dead-letter-exchange``, ``x-message-ttl``... and ``x-bound-to``
(a list of ``{exchange, routingKey, exchangeType?}``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from contractkit.loaders.document import Cursor, Document
from contractkit.loaders.types import JsonValue
from contractkit.spec.traits import apply_traits

Action = Literal["send", "receive"]
SEND: Action = "send"
RECEIVE: Action = "receive"
_ACTIONS_2X: dict[str, Action] = {"subscribe": SEND, "publish": RECEIVE}
BOUND_TO = "x-bound-to"
_DEPRECATED = ("deprecated", "x-deprecated")

__all__ = [
    "BOUND_TO",
    "RECEIVE",
    "SEND",
    "AmqpChannel",
    "AmqpExchange",
    "AmqpOperation",
    "AmqpQueue",
    "AsyncApiView",
    "Channel",
    "Message",
    "Operation",
    "QueueBinding",
    "Reply",
    "message_key_2x",
    "read_asyncapi",
]


@dataclass(frozen=True, slots=True)
class AmqpExchange:
    """An exchange as a channel binding declares it (a missing ``type`` reads as ``topic``)."""

    name: str
    type: str
    durable: bool
    auto_delete: bool
    vhost: str


@dataclass(frozen=True, slots=True)
class QueueBinding:
    """One binding of a queue to an exchange (``x-bound-to``); ``exchange_type`` when the entry says it."""

    exchange: str
    routing_key: str
    exchange_type: str | None = None


@dataclass(frozen=True, slots=True)
class AmqpQueue:
    """A queue as a channel binding declares it.

    Attributes:
        arguments: the queue's ``x-`` arguments (``x-queue-type``, ``x-dead-letter-exchange``, ...).
        bound_to: its bindings to exchanges.
    """

    name: str
    durable: bool
    exclusive: bool
    auto_delete: bool
    vhost: str
    arguments: Mapping[str, JsonValue] = field(default_factory=lambda: MappingProxyType({}))
    bound_to: tuple[QueueBinding, ...] = ()

    @property
    def dead_letter_exchange(self) -> str | None:
        """Return the queue's ``x-dead-letter-exchange``, if it has one."""
        value = self.arguments.get("x-dead-letter-exchange")
        return value if isinstance(value, str) else None

    @property
    def dead_letter_routing_key(self) -> str | None:
        """Return the queue's ``x-dead-letter-routing-key``, if it has one."""
        value = self.arguments.get("x-dead-letter-routing-key")
        return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class AmqpChannel:
    """A channel's AMQP binding: ``is`` a routing key on an exchange, or a queue."""

    is_: Literal["routingKey", "queue"]
    exchange: AmqpExchange | None
    queue: AmqpQueue | None
    cursor: Cursor


@dataclass(frozen=True, slots=True)
class AmqpOperation:
    """An operation's AMQP binding (what a publisher sets on each message, what a consumer does)."""

    delivery_mode: int | None = None
    mandatory: bool | None = None
    ack: bool | None = None
    priority: int | None = None
    expiration: int | None = None
    timestamp: bool | None = None
    cc: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Message:
    """A message, traits applied.

    Attributes:
        key: its key (the channel's ``messages`` key in 3.x; the ``messageId``, component name or ``name`` in 2.x).
        name: its ``name`` (``order.created``; a trait's, as every other field), else the key.
        cursor: the message object.
        payload, headers: its schemas (``None`` when it has none; a 3.x multi-format payload is unwrapped).
        content_type: its content type (the document's default when it names none).
        schema_format: the payload's ``schemaFormat`` (``None``: the AsyncAPI schema, a JSON Schema superset).
        message_type: the AMQP binding's ``messageType`` (what a publisher sets as the AMQP ``type`` property).
        content_encoding: the AMQP binding's ``contentEncoding``.
        correlation_id: the correlation id's ``location`` (``$message.header#/correlation-id``).
        component: the ``components/messages`` key it is defined under, when it is one.
        amqp: the AMQP binding object as written (traits applied), for a reader that compares it whole.
        deprecated: marked ``deprecated`` or ``x-deprecated`` (by itself or a trait).
        anonymous: a 2.x inline ``oneOf`` variant with no ``messageId``, component or ``name``: its key is its
            position (``message0``), so no other version's message can be matched to it.
        position: its index in a 2.x ``message.oneOf`` (``None``: the operation's one message, or 3.x).
    """

    key: str
    name: str
    cursor: Cursor
    payload: Cursor | None
    headers: Cursor | None
    content_type: str | None
    schema_format: str | None
    message_type: str | None
    content_encoding: str | None
    correlation_id: str | None
    component: str | None
    amqp: Cursor | None = None
    deprecated: bool = False
    anonymous: bool = False
    position: int | None = None


@dataclass(frozen=True, slots=True)
class Channel:
    """A channel.

    Attributes:
        key: the 3.x ``channels`` key (the address in 2.x).
        address: the address: for AMQP the routing key, or the queue's name.
        messages: key -> message (3.x: the channel's ``messages``; 2.x: those of its operations, the first of a key).
        amqp: the AMQP binding, when there is one.
        parameters: name -> parameter object.
        amqp_binding: the AMQP binding object as written (``amqp`` is its typed reading).
    """

    key: str
    address: str
    cursor: Cursor
    messages: Mapping[str, Message]
    amqp: AmqpChannel | None
    parameters: Mapping[str, Cursor] = field(default_factory=lambda: MappingProxyType({}))
    amqp_binding: Cursor | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """The reply of a 3.x request/reply operation.

    Attributes:
        cursor: the reply object.
        channel: the reply channel (``None``: it names none, or not one of ``channels``).
        messages: the messages of the reply (``reply.messages``, else all of its channel's; none without a channel).
    """

    cursor: Cursor
    channel: Channel | None
    messages: tuple[Message, ...]


@dataclass(frozen=True, slots=True)
class Operation:
    """An operation of the application: it sends messages to a channel, or receives them from one.

    Attributes:
        amqp_binding: the AMQP binding object as written, traits applied (``amqp`` is its typed reading).
        reply: the 3.x ``reply``, when it has one.
    """

    key: str
    action: Action
    channel: Channel
    cursor: Cursor
    messages: tuple[Message, ...]
    amqp: AmqpOperation | None
    amqp_binding: Cursor | None = None
    reply: Reply | None = None

    @property
    def label(self) -> str:
        """Return ``SEND order.created`` or ``RECEIVE mes.order-intake``."""
        return f"{self.action.upper()} {self.channel.address}"


@dataclass(frozen=True, slots=True)
class AsyncApiView:
    """One AsyncAPI document: what it is, its channels and its operations (in document order).

    Attributes:
        version: the ``asyncapi`` version (``3.0.0``).
        title, info_version: ``info.title`` and ``info.version``.
        doc_id: the document's ``id`` (``urn:...``), when it has one.
        channels: key -> channel (the address in 2.x).
        operations: key -> operation.
        components: the ``components/messages``, key -> message (traits applied; used by a channel or not), when
            read ``with_components``.
    """

    version: str
    title: str
    info_version: str
    doc_id: str | None
    channels: Mapping[str, Channel]
    operations: Mapping[str, Operation]
    components: Mapping[str, Message] = field(default_factory=lambda: MappingProxyType({}))

    def messages(self) -> Iterator[Message]:
        """Yield every distinct message that a channel carries (once, however many channels carry it)."""
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for channel in self.channels.values():
            for message in channel.messages.values():
                if message.cursor.identity not in seen:
                    seen.add(message.cursor.identity)
                    yield message


def read_asyncapi(doc: Document, *, with_components: bool = False) -> AsyncApiView:
    """Return the view of an AsyncAPI 2.x or 3.x document.

    Args:
        doc: the document.
        with_components: read :attr:`AsyncApiView.components` too (every ``components/messages`` entry, used by a
            channel or not: what codegen generates); left empty otherwise.
    """
    root = doc.cursor()
    info = root.get("info")
    default = root.raw("defaultContentType")
    reader = _Reader(default if isinstance(default, str) else None, doc.spec.version.startswith("2."))
    channels, operations = reader.read_2x(root) if reader.v2 else reader.read_3x(root)
    components = reader.components(root) if with_components else {}
    title = info.raw("title") if info is not None else None
    version = info.raw("version") if info is not None else None
    doc_id = root.raw("id")
    return AsyncApiView(
        doc.spec.version,
        str(title) if title is not None else doc.name,
        str(version) if version is not None else "",
        doc_id if isinstance(doc_id, str) else None,
        MappingProxyType(channels),
        MappingProxyType(operations),
        MappingProxyType(components),
    )


@dataclass(slots=True)
class _Reader:
    default_content_type: str | None
    v2: bool

    def read_2x(self, root: Cursor) -> tuple[dict[str, Channel], dict[str, Operation]]:
        channels: dict[str, Channel] = {}
        operations: dict[str, Operation] = {}
        for address, item in _items(root.get("channels")):
            found: list[tuple[Action, Cursor, list[Message]]] = []
            messages: dict[str, Message] = {}
            for verb, action in _ACTIONS_2X.items():
                op = item.get(verb)
                if op is None or not isinstance(op.value, dict):
                    continue
                chosen = list(self._messages_2x(op))
                for message in chosen:
                    messages.setdefault(message.key, message)
                found.append((action, op, chosen))
            channel = self._channel(address, address, item, messages)
            channels[address] = channel
            for action, op, chosen in found:
                operation_id = op.raw("operationId")
                op_key = operation_id if isinstance(operation_id, str) else f"{action.upper()} {address}"
                operations[op_key] = self._operation(op_key, action, channel, op, tuple(chosen))
        return channels, operations

    def _messages_2x(self, op: Cursor) -> Iterator[Message]:
        declared = op.get("message")
        if declared is None:
            return
        variants = declared.get("oneOf")
        if variants is None:
            yield self._message(declared, _key_2x(declared, op.is_ref("message"), "message"))
            return
        refs = declared.raw("oneOf")
        for index, variant in enumerate(variants.elements()):
            raw = refs[index] if isinstance(refs, list) and index < len(refs) else None
            ref = raw.get("$ref") if isinstance(raw, dict) else None
            key = message_key_2x(variant, ref if isinstance(ref, str) else None)
            yield self._message(variant, key or f"message{index}", anonymous=key is None, position=index)

    def read_3x(self, root: Cursor) -> tuple[dict[str, Channel], dict[str, Operation]]:
        channels: dict[str, Channel] = {}
        by_identity: dict[tuple[str, tuple[str, ...]], Channel] = {}
        for key, item in _items(root.get("channels")):
            address = item.raw("address")
            messages = {name: self._message(m, name) for name, m in _items(item.get("messages"))}
            channel = self._channel(key, address if isinstance(address, str) else key, item, messages)
            channels[key] = by_identity[item.identity] = channel
        operations: dict[str, Operation] = {}
        for key, op in _items(root.get("operations")):
            action = op.raw("action")
            target = op.get("channel")
            found_channel = by_identity.get(target.identity) if target is not None else None
            if action not in (SEND, RECEIVE) or found_channel is None:
                continue  # `contractkit validate` reports it
            chosen = self._chosen(op.get("messages"), found_channel)
            reply = self._reply(op.get("reply"), by_identity)
            operations[key] = self._operation(
                key, SEND if action == SEND else RECEIVE, found_channel, op, chosen, reply
            )
        return channels, operations

    def _chosen(self, listed: Cursor | None, channel: Channel) -> tuple[Message, ...]:
        """The messages an operation (or reply) lists, each a ref into its channel's; all of the channel's if none."""
        if listed is None:
            return tuple(channel.messages.values())
        by_cursor = {m.cursor.identity: m for m in channel.messages.values()}
        return tuple(by_cursor.get(m.identity) or self._message(m, m.key) for m in listed.elements())

    def _reply(self, reply: Cursor | None, by_identity: Mapping[tuple[str, tuple[str, ...]], Channel]) -> Reply | None:
        if reply is None:
            return None
        target = reply.get("channel")
        channel = by_identity.get(target.identity) if target is not None else None
        messages = self._chosen(reply.get("messages"), channel) if channel is not None else ()
        return Reply(reply, channel, messages)

    def _channel(self, key: str, address: str, item: Cursor, messages: dict[str, Message]) -> Channel:
        declared = item.get("parameters")
        parameters = MappingProxyType(dict(declared.items())) if declared is not None else MappingProxyType({})
        bindings = item.get("bindings")
        binding = bindings.get("amqp") if bindings is not None else None
        return Channel(key, address, item, MappingProxyType(messages), _amqp_channel(binding), parameters, binding)

    def _operation(
        self,
        key: str,
        action: Action,
        channel: Channel,
        op: Cursor,
        messages: tuple[Message, ...],
        reply: Reply | None = None,
    ) -> Operation:
        bindings = apply_traits(op).get("bindings")
        binding = bindings.get("amqp") if bindings is not None else None
        return Operation(key, action, channel, op, messages, _amqp_operation(binding), binding, reply)

    def components(self, root: Cursor) -> dict[str, Message]:
        """The ``components/messages``, key -> message."""
        components = root.get("components")
        declared = components.get("messages") if components is not None else None
        return {key: self._message(cursor, key) for key, cursor in _items(declared)}

    def _message(self, cursor: Cursor, key: str, *, anonymous: bool = False, position: int | None = None) -> Message:
        traited = apply_traits(cursor)
        content_type = traited.get("contentType")
        headers = traited.get("headers")
        schema_format = cursor.raw("schemaFormat")
        payload = cursor.get("payload")
        if payload is not None and isinstance(payload.value, dict) and "schemaFormat" in payload.value:
            schema_format = payload.value.get("schemaFormat")  # 3.x multi-format schema object
            payload = payload.get("schema")
        if headers is not None and isinstance(headers.value, dict) and "schemaFormat" in headers.value:
            headers = headers.get("schema")
        bindings = traited.get("bindings")
        amqp = bindings.get("amqp") if bindings is not None else None
        amqp_raw = amqp.value if amqp is not None and isinstance(amqp.value, dict) else {}
        correlation = traited.get("correlationId")
        location = correlation.raw("location") if correlation is not None else None
        name = traited.raw("name")
        parts = cursor.parts
        component = parts[2] if len(parts) == 3 and parts[:2] == ("components", "messages") else None
        deprecated = any(traited.raw(flag) is True for flag in _DEPRECATED)
        return Message(
            key=key,
            name=name if isinstance(name, str) else key,
            cursor=cursor,
            payload=payload,
            headers=headers,
            content_type=str(content_type.value) if content_type is not None else self.default_content_type,
            schema_format=schema_format if isinstance(schema_format, str) else None,
            message_type=_str(amqp_raw.get("messageType")),
            content_encoding=_str(amqp_raw.get("contentEncoding")),
            correlation_id=location if isinstance(location, str) else None,
            component=component,
            amqp=amqp,
            deprecated=deprecated,
            anonymous=anonymous,
            position=position,
        )


def _amqp_operation(amqp: Cursor | None) -> AmqpOperation | None:
    if amqp is None or not isinstance(amqp.value, dict):
        return None
    raw = amqp.value
    cc = raw.get("cc")
    return AmqpOperation(
        delivery_mode=_int(raw.get("deliveryMode")),
        mandatory=_bool(raw.get("mandatory")),
        ack=_bool(raw.get("ack")),
        priority=_int(raw.get("priority")),
        expiration=_int(raw.get("expiration")),
        timestamp=_bool(raw.get("timestamp")),
        cc=tuple(str(c) for c in cc) if isinstance(cc, list) else (),
    )


def message_key_2x(message: Cursor, ref: str | None) -> str | None:
    """A 2.x message's key: its ``messageId``, else the component it refers to, else its ``name``; else ``None``."""
    message_id = message.raw("messageId")
    if isinstance(message_id, str):
        return message_id
    if ref is not None and "/components/messages/" in ref:
        return ref.rsplit("/", 1)[-1]
    name = message.raw("name")
    return name if isinstance(name, str) else None


def _key_2x(message: Cursor, ref: str | None, fallback: str) -> str:
    key = message_key_2x(message, ref)
    return key if key is not None else fallback


def _amqp_channel(amqp: Cursor | None) -> AmqpChannel | None:
    if amqp is None or not isinstance(amqp.value, dict):
        return None
    raw = amqp.value
    exchange = _exchange(raw.get("exchange"))
    queue = _queue(raw.get("queue"), raw)
    kind = raw.get("is")
    if kind not in ("routingKey", "queue"):
        kind = "queue" if queue is not None and exchange is None else "routingKey"
    return AmqpChannel("queue" if kind == "queue" else "routingKey", exchange, queue, amqp)


def _exchange(raw: JsonValue) -> AmqpExchange | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        return None
    return AmqpExchange(
        name=str(raw["name"]),
        type=_str(raw.get("type")) or "topic",
        durable=_bool(raw.get("durable")) or False,
        auto_delete=_bool(raw.get("autoDelete")) or False,
        vhost=_str(raw.get("vhost")) or "/",
    )


def _queue(raw: JsonValue, binding: dict[str, JsonValue]) -> AmqpQueue | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        return None
    arguments = {k: v for source in (binding, raw) for k, v in source.items() if k.startswith("x-") and k != BOUND_TO}
    bound: list[QueueBinding] = []
    declared = binding.get(BOUND_TO, raw.get(BOUND_TO))
    for entry in declared if isinstance(declared, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("exchange"), str):
            bound.append(
                QueueBinding(str(entry["exchange"]), str(entry.get("routingKey", "")), _str(entry.get("exchangeType")))
            )
    return AmqpQueue(
        name=str(raw["name"]),
        durable=_bool(raw.get("durable")) or False,
        exclusive=_bool(raw.get("exclusive")) or False,
        auto_delete=_bool(raw.get("autoDelete")) or False,
        vhost=_str(raw.get("vhost")) or "/",
        arguments=MappingProxyType(arguments),
        bound_to=tuple(bound),
    )


def _items(cursor: Cursor | None) -> Iterator[tuple[str, Cursor]]:
    return cursor.items() if cursor is not None else iter(())


def _str(value: JsonValue) -> str | None:
    return value if isinstance(value, str) else None


def _bool(value: JsonValue) -> bool | None:
    return value if isinstance(value, bool) else None


def _int(value: JsonValue) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
