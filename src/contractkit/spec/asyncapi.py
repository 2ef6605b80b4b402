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
reader shares: 2.x merges a trait over the object (the trait wins, JSON Merge Patch), 3.x keeps what the object
says itself. A message without ``contentType`` takes ``defaultContentType``.

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


@dataclass(frozen=True, slots=True)
class Channel:
    """A channel.

    Attributes:
        key: the 3.x ``channels`` key (the address in 2.x).
        address: the address: for AMQP the routing key, or the queue's name.
        messages: key -> message.
        amqp: the AMQP binding, when there is one.
    """

    key: str
    address: str
    cursor: Cursor
    messages: Mapping[str, Message]
    amqp: AmqpChannel | None


@dataclass(frozen=True, slots=True)
class Operation:
    """An operation of the application: it sends messages to a channel, or receives them from one."""

    key: str
    action: Action
    channel: Channel
    cursor: Cursor
    messages: tuple[Message, ...]
    amqp: AmqpOperation | None

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
    """

    version: str
    title: str
    info_version: str
    doc_id: str | None
    channels: Mapping[str, Channel]
    operations: Mapping[str, Operation]

    def messages(self) -> Iterator[Message]:
        """Yield every distinct message that a channel carries (once, however many channels carry it)."""
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for channel in self.channels.values():
            for message in channel.messages.values():
                if message.cursor.identity not in seen:
                    seen.add(message.cursor.identity)
                    yield message


def read_asyncapi(doc: Document) -> AsyncApiView:
    """Return the view of an AsyncAPI 2.x or 3.x document."""
    root = doc.cursor()
    info = root.get("info")
    default = root.raw("defaultContentType")
    reader = _Reader(default if isinstance(default, str) else None, doc.spec.version.startswith("2."))
    channels, operations = reader.read_2x(root) if reader.v2 else reader.read_3x(root)
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
                messages.update({m.key: m for m in chosen if m.key not in messages})
                found.append((action, op, chosen))
            channel = Channel(address, address, item, MappingProxyType(messages), _amqp_channel(item))
            channels[address] = channel
            for action, op, chosen in found:
                operation_id = op.raw("operationId")
                op_key = operation_id if isinstance(operation_id, str) else f"{action.upper()} {address}"
                operations[op_key] = Operation(op_key, action, channel, op, tuple(chosen), self._amqp_operation(op))
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
            yield self._message(variant, _key_2x(variant, ref if isinstance(ref, str) else None, f"message{index}"))

    def read_3x(self, root: Cursor) -> tuple[dict[str, Channel], dict[str, Operation]]:
        channels: dict[str, Channel] = {}
        by_identity: dict[tuple[str, tuple[str, ...]], Channel] = {}
        for key, item in _items(root.get("channels")):
            address = item.raw("address")
            messages = {name: self._message(m, name) for name, m in _items(item.get("messages"))}
            channel = Channel(
                key,
                address if isinstance(address, str) else key,
                item,
                MappingProxyType(messages),
                _amqp_channel(item),
            )
            channels[key] = by_identity[item.identity] = channel
        operations: dict[str, Operation] = {}
        for key, op in _items(root.get("operations")):
            action = op.raw("action")
            target = op.get("channel")
            found_channel = by_identity.get(target.identity) if target is not None else None
            if action not in (SEND, RECEIVE) or found_channel is None:
                continue  # `contractkit validate` reports it
            channel = found_channel
            listed = op.get("messages")
            if listed is None:
                chosen = tuple(channel.messages.values())
            else:
                by_cursor = {m.cursor.identity: m for m in channel.messages.values()}
                chosen = tuple(by_cursor.get(m.identity) or self._message(m, m.key) for m in listed.elements())
            operations[key] = Operation(
                key, SEND if action == SEND else RECEIVE, channel, op, chosen, self._amqp_operation(op)
            )
        return channels, operations

    def _amqp_operation(self, op: Cursor) -> AmqpOperation | None:
        bindings = apply_traits(op).get("bindings")
        amqp = bindings.get("amqp") if bindings is not None else None
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

    def _message(self, cursor: Cursor, key: str) -> Message:
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


def _amqp_channel(item: Cursor) -> AmqpChannel | None:
    bindings = item.get("bindings")
    amqp = bindings.get("amqp") if bindings is not None else None
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
