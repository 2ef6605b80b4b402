"""AMQP 0-9-1 (RabbitMQ) bindings: what RabbitMQ refuses to redeclare, and what moves messages elsewhere.

An exchange or queue is declared by whoever starts first, producer or consumer; declaring it again with other
properties fails the channel with ``PRECONDITION_FAILED``. So a change to an exchange's name, type,
``durable``, ``autoDelete`` or vhost, or to a queue's name, ``durable``, ``exclusive``, ``autoDelete``, vhost or
arguments (``x-queue-type``, ``x-dead-letter-exchange``, ``x-message-ttl``...: written as ``x-`` keys of the
binding, which AMQP binding 0.3.0 cannot otherwise say) breaks every service that declares it the old way.
"""

from __future__ import annotations

import json

from contractkit.breaking.asyncapi.fixes import ASYNC
from contractkit.breaking.context import DiffContext
from contractkit.breaking.registry import CHANGE, ERROR, WARNING, AnyChangeRule, change_rule
from contractkit.loaders.document import Cursor

REDECLARE = (
    "declare a new exchange or queue (a new name, e.g. with a version suffix), bind it beside the old one, move "
    "producers and consumers over, then delete the old one."
)
AMQP_EXCHANGE_CHANGED = change_rule(
    id="amqp-exchange-changed",
    level=ERROR,
    direction="channel",
    summary="RabbitMQ refuses to redeclare an existing exchange with another type, `durable`, `autoDelete` or vhost "
    "(PRECONDITION_FAILED), and a renamed exchange is a new one that no queue is bound to",
    fix=REDECLARE,
    category=CHANGE,
    specs=ASYNC,
)
AMQP_QUEUE_CHANGED = change_rule(
    id="amqp-queue-changed",
    level=ERROR,
    direction="channel",
    summary="RabbitMQ refuses to redeclare an existing queue with another `durable`, `exclusive`, `autoDelete`, vhost "
    "or argument (`x-queue-type`, `x-dead-letter-exchange`, ...: PRECONDITION_FAILED), and a renamed queue is a new "
    "one that holds none of the old messages",
    fix=REDECLARE,
    category=CHANGE,
    specs=ASYNC,
)
AMQP_BINDING_TYPE_CHANGED = change_rule(
    id="amqp-channel-type-changed",
    level=ERROR,
    direction="channel",
    summary="the channel switched between a routing key and a queue (`is`): producers and consumers address it "
    "differently",
    fix="add a new channel; remove the old one in a new major version.",
    category=CHANGE,
    specs=ASYNC,
)
AMQP_ROUTING_KEY_CHANGED = change_rule(
    id="amqp-routing-key-changed",
    level=ERROR,
    direction="operation",
    summary="the routing keys (`cc`, `bcc`, or a queue's `x-bound-to` bindings) changed: queues bound with the old "
    "keys no longer receive the messages",
    fix="publish with both the old and the new routing keys until every queue is bound to the new one.",
    category=CHANGE,
    specs=ASYNC,
)
AMQP_DELIVERY_CHANGED = change_rule(
    id="amqp-delivery-changed",
    level=WARNING,
    direction="operation",
    summary="the delivery guarantees changed (`deliveryMode`, `mandatory`, `ack`, `expiration`, `priority`): the "
    "other side may lose messages it relied on keeping, or redeliveries it relied on",
    fix="keep persistent, acknowledged delivery; document a weaker one as a new operation.",
    category=CHANGE,
    specs=ASYNC,
)
AMQP_MESSAGE_TYPE_CHANGED = change_rule(
    id="amqp-message-type-changed",
    level=ERROR,
    direction="message",
    summary="consumers that dispatch on the AMQP `type` property (`messageType`) or decode by `contentEncoding` no "
    "longer recognise the message",
    fix="keep the message type and encoding; add a new message for the new ones.",
    category=CHANGE,
    specs=ASYNC,
)


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
    if was != now and was is not None and now is not None:
        text = f"channel `{address}` changed from a `{was}` to a `{now}`"
        ctx.report(AMQP_BINDING_TYPE_CHANGED, text, base=old, revision=new)
    for kind, fields in (("exchange", _EXCHANGE), ("queue", _QUEUE)):
        before, after = old.get(kind), new.get(kind)
        if before is None or after is None:
            continue
        rule = AMQP_EXCHANGE_CHANGED if kind == "exchange" else AMQP_QUEUE_CHANGED
        for name in fields:
            _field(ctx, rule, before, after, name, f"{kind} of channel `{address}`")
    if now == "queue" or (now is None and new.get("queue") is not None):
        for name in _QUEUE_ARGUMENTS:
            _field(ctx, AMQP_QUEUE_CHANGED, old, new, name, f"queue of channel `{address}`", argument=True)
        _queue_bindings(ctx, old, new, address)


def _queue_bindings(ctx: DiffContext, old: Cursor, new: Cursor, address: str) -> None:
    """``x-bound-to``: the exchange bindings of a queue; one dropped or changed starves its consumers."""
    before, after = _bound(old.raw(_BOUND_TO)), _bound(new.raw(_BOUND_TO))
    lost = sorted(before - after)
    if before and lost:
        shown = ", ".join(f"`{exchange}` with `{key}`" for exchange, key in lost)
        text = f"queue of channel `{address}` is no longer bound to {shown}"
        ctx.report(AMQP_ROUTING_KEY_CHANGED, text, base=old.get(_BOUND_TO) or old, revision=new.get(_BOUND_TO) or new)


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
        before, after = _keys(old.raw(name)), _keys(new.raw(name))
        if set(before) - set(after):  # a key added beside the old ones starves nobody
            text = f"routing keys `{name}` changed from {_list(before)} to {_list(after)}"
            ctx.report(AMQP_ROUTING_KEY_CHANGED, text, base=old, revision=new.get(name) or new, operation=label)
    for name in _DELIVERY:
        _field(ctx, AMQP_DELIVERY_CHANGED, old, new, name, "operation's AMQP binding", operation=label)


def compare_message_bindings(
    ctx: DiffContext, old: Cursor | None, new: Cursor | None, where: str, label: str | None
) -> None:
    """Compare the AMQP bindings of one message (``messageType``, ``contentEncoding``)."""
    if old is None or new is None:
        return
    for name in _MESSAGE:
        _field(ctx, AMQP_MESSAGE_TYPE_CHANGED, old, new, name, where, operation=label)


def _field(
    ctx: DiffContext,
    rule: AnyChangeRule,
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
    if before == after or (before is None and rule is AMQP_DELIVERY_CHANGED):
        return  # a delivery guarantee newly stated was the broker's default before
    text = f"`{name}` of the {where} changed from {_value(before)} to {_value(after)}"
    ctx.report(rule, text, base=old.get(name) or old, revision=new.get(name) or new, operation=operation)


def _keys(value: object) -> list[str]:
    return sorted(str(v) for v in value) if isinstance(value, list) else []


def _list(values: list[str]) -> str:
    return ", ".join(f"`{v}`" for v in values) if values else "none"


def _value(value: object) -> str:
    return "none" if value is None else f"`{json.dumps(value)}`"
