"""AMQP 0-9-1 (RabbitMQ) bindings: what RabbitMQ refuses to redeclare, and what moves messages elsewhere.

An exchange or queue is declared by whoever starts first, producer or consumer; declaring it again with other
properties fails the channel with ``PRECONDITION_FAILED``. So a change to an exchange's name, type,
``durable``, ``autoDelete`` or vhost, or to a queue's name, ``durable``, ``exclusive``, ``autoDelete``, vhost or
arguments (``x-queue-type``, ``x-dead-letter-exchange``, ``x-message-ttl``...: written as ``x-`` keys of the
binding, which AMQP binding 0.3.0 cannot otherwise say) breaks every service that declares it the old way.

The walkers below compare the bindings of a channel, an operation and a message field by field; each field that
differs becomes a :class:`BindingChange`, which the rules of :data:`BINDING_RULES` judge (each rule judges the
fields of one part: the channel's type, its exchange, its queue, the routing, the delivery, the message).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from contractkit.breaking.asyncapi.fixes import ASYNC
from contractkit.breaking.context import DiffContext
from contractkit.breaking.registry import CHANGE, ERROR, WARNING, AnyChangeRule, breaking_rule, fired
from contractkit.loaders.document import Cursor

REDECLARE = (
    "declare a new exchange or queue (a new name, e.g. with a version suffix), bind it beside the old one, move "
    "producers and consumers over, then delete the old one."
)


@dataclass(frozen=True, slots=True)
class BindingChange:
    """One field of an AMQP binding that differs between the two versions, for the rules below.

    Attributes:
        part: what the field belongs to: ``channel`` (its type, ``is``), ``exchange``, ``queue``, ``routing``
            (an operation's ``cc``/``bcc``, a queue's ``x-bound-to``), ``delivery`` (an operation's guarantees)
            or ``message``.
        name: the field (``durable``, ``x-queue-type``, ``cc``...).
        where: what holds it, as messages name it (``exchange of channel `orders```; the address for ``is``).
        before: the base's value (a field's default when it is absent), or ``None``.
        after: the revision's value, likewise.
    """

    part: str
    name: str
    where: str
    before: object
    after: object

    def changed(self) -> str:
        """Say the field's change."""
        return f"`{self.name}` of the {self.where} changed from {_value(self.before)} to {_value(self.after)}"


#: The binding rules, each judging the fields of one part (a field belongs to one part: one rule at most fires).
BINDING_RULES: list[AnyChangeRule] = []


@breaking_rule(
    id="amqp-exchange-changed",
    level=ERROR,
    direction="channel",
    summary="RabbitMQ refuses to redeclare an existing exchange with another type, `durable`, `autoDelete` or vhost "
    "(PRECONDITION_FAILED), and a renamed exchange is a new one that no queue is bound to",
    fix=REDECLARE,
    category=CHANGE,
    specs=ASYNC,
    group=BINDING_RULES,
)
def amqp_exchange_changed(change: BindingChange) -> str | None:
    """The exchange of a channel changed its name, type, `durable`, `autoDelete` or vhost.

    Every producer or consumer that still declares the exchange the old way fails with `PRECONDITION_FAILED`
    when it starts; a renamed exchange is a new one, bound to no queue, so what is published to it is dropped.
    """
    return change.changed() if change.part == "exchange" else None


@breaking_rule(
    id="amqp-queue-changed",
    level=ERROR,
    direction="channel",
    summary="RabbitMQ refuses to redeclare an existing queue with another `durable`, `exclusive`, `autoDelete`, vhost "
    "or argument (`x-queue-type`, `x-dead-letter-exchange`, ...: PRECONDITION_FAILED), and a renamed queue is a new "
    "one that holds none of the old messages",
    fix=REDECLARE,
    category=CHANGE,
    specs=ASYNC,
    group=BINDING_RULES,
)
def amqp_queue_changed(change: BindingChange) -> str | None:
    """The queue of a channel changed its name, `durable`, `exclusive`, `autoDelete`, vhost or an `x-` argument.

    A service that declares the queue the old way fails with `PRECONDITION_FAILED`; a renamed queue starts empty,
    and the messages waiting in the old one are read by nobody.
    """
    return change.changed() if change.part == "queue" else None


@breaking_rule(
    id="amqp-channel-type-changed",
    level=ERROR,
    direction="channel",
    summary="the channel switched between a routing key and a queue (`is`): producers and consumers address it "
    "differently",
    fix="add a new channel; remove the old one in a new major version.",
    category=CHANGE,
    specs=ASYNC,
    group=BINDING_RULES,
)
def amqp_channel_type_changed(change: BindingChange) -> str | None:
    """An AMQP channel that was a routing key is now a queue (its binding's `is`), or the reverse.

    Producers publish to an exchange with a routing key but consumers read a queue: both sides built for the old
    kind address the channel in a way that no longer reaches it.
    """
    if change.part == "channel" and change.before is not None and change.after is not None:
        return f"channel `{change.where}` changed from a `{change.before}` to a `{change.after}`"
    return None


@breaking_rule(
    id="amqp-routing-key-changed",
    level=ERROR,
    direction="operation",
    summary="the routing keys (`cc`, `bcc`, or a queue's `x-bound-to` bindings) changed: queues bound with the old "
    "keys no longer receive the messages",
    fix="publish with both the old and the new routing keys until every queue is bound to the new one.",
    category=CHANGE,
    specs=ASYNC,
    group=BINDING_RULES,
)
def amqp_routing_key_changed(change: BindingChange) -> str | None:
    """A routing key an operation published with (`cc`, `bcc`) is gone, or a queue lost one of its bindings.

    Queues bound with the old key (`x-bound-to` says a queue's exchange bindings) no longer receive the messages,
    and their consumers starve; a key added beside the old ones breaks nobody.
    """
    if change.part != "routing":
        return None
    if change.name == _BOUND_TO:
        lost = sorted(_bound(change.before) - _bound(change.after))
        if not lost:
            return None
        shown = ", ".join(f"`{exchange}` with `{key}`" for exchange, key in lost)
        return f"{change.where} is no longer bound to {shown}"
    before, after = _keys(change.before), _keys(change.after)
    if set(before) - set(after):  # a key added beside the old ones starves nobody
        return f"routing keys `{change.name}` changed from {_list(before)} to {_list(after)}"
    return None


@breaking_rule(
    id="amqp-delivery-changed",
    level=WARNING,
    direction="operation",
    summary="the delivery guarantees changed (`deliveryMode`, `mandatory`, `ack`, `expiration`, `priority`): the "
    "other side may lose messages it relied on keeping, or redeliveries it relied on",
    fix="keep persistent, acknowledged delivery; document a weaker one as a new operation.",
    category=CHANGE,
    specs=ASYNC,
    group=BINDING_RULES,
)
def amqp_delivery_changed(change: BindingChange) -> str | None:
    """An operation changed a delivery guarantee it stated: `deliveryMode`, `mandatory`, `ack`, `expiration`...

    A consumer that relied on persistent messages or on redelivery after a failure may lose messages. A guarantee
    stated for the first time is not reported: it was the broker's default before.
    """
    return change.changed() if change.part == "delivery" and change.before is not None else None


@breaking_rule(
    id="amqp-message-type-changed",
    level=ERROR,
    direction="message",
    summary="consumers that dispatch on the AMQP `type` property (`messageType`) or decode by `contentEncoding` no "
    "longer recognise the message",
    fix="keep the message type and encoding; add a new message for the new ones.",
    category=CHANGE,
    specs=ASYNC,
    group=BINDING_RULES,
)
def amqp_message_type_changed(change: BindingChange) -> str | None:
    """A message's AMQP binding changed its `messageType` (the AMQP `type` property) or its `contentEncoding`.

    Consumers that dispatch on the type ignore or reject the message, and those that decode by the encoding fail.
    """
    return change.changed() if change.part == "message" else None


_EXCHANGE = ("name", "type", "durable", "autoDelete", "vhost")
_QUEUE = ("name", "durable", "exclusive", "autoDelete", "vhost")
#: Queue arguments that a redeclaration must repeat exactly (RabbitMQ's x-arguments).
_QUEUE_ARGUMENTS = (
    "x-queue-type",
    "x-dead-letter-exchange",
    "x-dead-letter-routing-key",
    "x-message-ttl",
    "x-expires",
    "x-max-length",
    "x-max-length-bytes",
    "x-overflow",
    "x-max-priority",
    "x-delivery-limit",
    "x-queue-mode",
    "x-single-active-consumer",
)
#: The queue's bindings to exchanges (our extension: AMQP binding 0.3.0 has no field for them).
_BOUND_TO = "x-bound-to"
_DELIVERY = ("deliveryMode", "mandatory", "ack", "expiration", "priority")
_MESSAGE = ("messageType", "contentEncoding")
# What an absent field means: the binding does not say, so services declare with their AMQP client's defaults
# (pika, amqplib, the Java client: not durable, not exclusive, not auto-deleted) on the default vhost.
_DEFAULTS: dict[str, object] = {"durable": False, "autoDelete": False, "exclusive": False, "vhost": "/"}


def compare_channel_bindings(ctx: DiffContext, old: Cursor | None, new: Cursor | None, address: str) -> None:
    """Compare the AMQP bindings of one channel (exchange, queue, routing key or queue)."""
    if old is None or new is None:
        return
    was, now = old.raw("is"), new.raw("is")
    if was != now:
        for rule, text in fired(BINDING_RULES, BindingChange("channel", "is", address, was, now)):
            ctx.report(rule, text, base=old, revision=new)
    for kind, fields in (("exchange", _EXCHANGE), ("queue", _QUEUE)):
        before, after = old.get(kind), new.get(kind)
        if before is None or after is None:
            continue
        for name in fields:
            _field(ctx, kind, before, after, name, f"{kind} of channel `{address}`")
    if now == "queue" or (now is None and new.get("queue") is not None):
        for name in _QUEUE_ARGUMENTS:
            _field(ctx, "queue", old, new, name, f"queue of channel `{address}`", argument=True)
        _queue_bindings(ctx, old, new, address)


def _queue_bindings(ctx: DiffContext, old: Cursor, new: Cursor, address: str) -> None:
    """``x-bound-to``: the exchange bindings of a queue; one dropped or changed starves its consumers."""
    before, after = old.raw(_BOUND_TO), new.raw(_BOUND_TO)
    if before == after:
        return
    change = BindingChange("routing", _BOUND_TO, f"queue of channel `{address}`", before, after)
    for rule, text in fired(BINDING_RULES, change):
        ctx.report(rule, text, base=old.get(_BOUND_TO) or old, revision=new.get(_BOUND_TO) or new)


def _bound(value: object) -> set[tuple[str, str]]:
    if not isinstance(value, list):
        return set()
    return {
        (str(item.get("exchange")), str(item.get("routingKey", "")))
        for item in value
        if isinstance(item, dict) and item.get("exchange") is not None
    }


def compare_operation_bindings(ctx: DiffContext, old: Cursor | None, new: Cursor | None, label: str) -> None:
    """Compare the AMQP bindings of one operation: routing keys, then delivery guarantees."""
    if old is None or new is None:
        return
    for name in ("cc", "bcc"):
        before, after = old.raw(name), new.raw(name)
        if before == after:
            continue
        change = BindingChange("routing", name, "operation's AMQP binding", before, after)
        for rule, text in fired(BINDING_RULES, change):
            ctx.report(rule, text, base=old, revision=new.get(name) or new, operation=label)
    for name in _DELIVERY:
        _field(ctx, "delivery", old, new, name, "operation's AMQP binding", operation=label)


def compare_message_bindings(
    ctx: DiffContext, old: Cursor | None, new: Cursor | None, where: str, label: str | None
) -> None:
    """Compare the AMQP bindings of one message (``messageType``, ``contentEncoding``)."""
    if old is None or new is None:
        return
    for name in _MESSAGE:
        _field(ctx, "message", old, new, name, where, operation=label)


def _field(
    ctx: DiffContext,
    part: str,
    old: Cursor,
    new: Cursor,
    name: str,
    where: str,
    *,
    operation: str | None = None,
    argument: bool = False,
) -> None:
    default = None if argument else _DEFAULTS.get(name)
    raw_before, raw_after = old.raw(name), new.raw(name)
    before: object = default if raw_before is None else raw_before
    after: object = default if raw_after is None else raw_after
    if before == after:
        return
    for rule, text in fired(BINDING_RULES, BindingChange(part, name, where, before, after)):
        ctx.report(rule, text, base=old.get(name) or old, revision=new.get(name) or new, operation=operation)


def _keys(value: object) -> list[str]:
    return sorted(str(v) for v in value) if isinstance(value, list) else []


def _list(values: list[str]) -> str:
    return ", ".join(f"`{v}`" for v in values) if values else "none"


def _value(value: object) -> str:
    return "none" if value is None else f"`{json.dumps(value)}`"
