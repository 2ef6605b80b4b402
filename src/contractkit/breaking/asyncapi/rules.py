"""Every AsyncAPI breaking-change rule, in one place: id, level, direction, rationale and fix.

Direction is who reads the message. A message the application **sends** (3.x ``action: send``, 2.x
``subscribe``) is read by consumers: like an OpenAPI response, it may not grow what readers do not expect. A
message the application **receives** (3.x ``receive``, 2.x ``publish``) is written by producers: like a request,
it may not stop accepting what producers send. The compatibility table is Confluent Schema Registry's for JSON
Schema (FORWARD for sent messages, BACKWARD for received ones), open and closed content models included.

Payload and header schema rules are the OpenAPI request/response schema rules, renamed: ``request-X`` becomes
``received-message-X`` and ``response-X`` becomes ``sent-message-X``, with the same level and fix (see
:func:`schema_rules`), so a schema rule is written once for both spec kinds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType

from contractkit.breaking.openapi import rules as openapi_rules
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, ChangeRule, change_rule
from contractkit.kinds import SpecKind
from contractkit.rules.registry import Rule, RuleKind, register

ASYNC = (SpecKind.ASYNCAPI,)
DEPRECATE = "deprecate it first (`x-deprecated: true` with an `x-sunset` date) and remove it in a new major version."
REDECLARE = (
    "declare a new exchange or queue (a new name, e.g. with a version suffix), bind it beside the old one, move "
    "producers and consumers over, then delete the old one."
)

# --- channels ---------------------------------------------------------------------------------------------
CHANNEL_REMOVED = change_rule(
    "channel-removed",
    ERROR,
    "channel",
    "producers and consumers of a removed channel lose it",
    DEPRECATE,
    specs=ASYNC,
    removes="channel",
    category=CHANGE,
)
CHANNEL_ADDRESS_CHANGED = change_rule(
    "channel-address-changed",
    ERROR,
    "channel",
    "a renamed address (routing key, queue, topic) is a new channel: messages sent to the old one reach nobody",
    "keep the old address and add the new one beside it; move producers and consumers, then remove the old one.",
    specs=ASYNC,
    category=CHANGE,
)
CHANNEL_ADDED = change_rule(
    "channel-added", INFO, "channel", "a new channel breaks no producer or consumer", specs=ASYNC, category=CHANGE
)
CHANNEL_PARAMETER_CHANGED = change_rule(
    "channel-parameter-changed",
    ERROR,
    "channel",
    "the values a channel parameter may take (its enum, pattern or schema) changed: subscriptions and routing "
    "built from the old values may match nothing",
    "keep the old values valid; add new values only.",
    specs=ASYNC,
    category=CHANGE,
)

# --- operations -------------------------------------------------------------------------------------------
OPERATION_REMOVED = change_rule(
    "async-operation-removed",
    ERROR,
    "operation",
    "the other side of a removed operation waits for messages that never come, or sends messages nobody reads",
    DEPRECATE,
    specs=ASYNC,
    removes="operation",
    category=CHANGE,
)
OPERATION_ADDED = change_rule(
    "async-operation-added",
    INFO,
    "operation",
    "a new operation breaks no producer or consumer",
    specs=ASYNC,
    category=CHANGE,
)
OPERATION_ACTION_CHANGED = change_rule(
    "async-operation-action-changed",
    ERROR,
    "operation",
    "an operation that sent now receives (or the reverse): every producer or consumer of it is on the wrong side",
    "add a new operation; remove the old one in a new major version.",
    specs=ASYNC,
    category=CHANGE,
)
OPERATION_CHANNEL_CHANGED = change_rule(
    "async-operation-channel-changed",
    ERROR,
    "operation",
    "the operation moved to another channel: its producers or consumers still use the old one",
    "keep the operation on its channel; add a new operation on the new one.",
    specs=ASYNC,
    category=CHANGE,
)

OPERATION_DEPRECATED = change_rule(
    "async-operation-deprecated",
    INFO,
    "operation",
    "a deprecation warns producers and consumers before a removal",
    specs=ASYNC,
    category=CHANGE,
)

# --- messages ---------------------------------------------------------------------------------------------
MESSAGE_REMOVED = change_rule(
    "message-removed",
    ERROR,
    "message",
    "producers still send the removed message, or consumers still wait for it",
    DEPRECATE,
    specs=ASYNC,
    removes="message",
    category=CHANGE,
)
MESSAGE_ADDED = change_rule(
    "message-added",
    INFO,
    "message",
    "a new message type on a channel: consumers that dispatch on the message type ignore types they do not know",
    specs=ASYNC,
    category=CHANGE,
)
CONTENT_TYPE_CHANGED = change_rule(
    "message-content-type-changed",
    ERROR,
    "message",
    "the other side decodes the bytes with the old content type and fails",
    "keep the content type; send the new encoding as a new message on a new channel.",
    specs=ASYNC,
    category=CHANGE,
)
PAYLOAD_FORMAT_CHANGED = change_rule(
    "message-schema-format-changed",
    ERROR,
    "message",
    "the payload schema's `schemaFormat` (AsyncAPI, JSON Schema, Avro, ...) changed: readers generated from the old "
    "schema cannot read the new encoding",
    "keep the schema format; publish the new one on a new channel.",
    specs=ASYNC,
    category=CHANGE,
)
PAYLOAD_NOT_COMPARED = change_rule(
    "message-payload-not-compared",
    WARNING,
    "message",
    "the payload schema is not JSON Schema (Avro, Protobuf, RAML): contractkit cannot judge its changes; review them",
    "check the change with the schema format's own compatibility tool (e.g. a schema registry).",
    specs=ASYNC,
    category=CHANGE,
)
HEADERS_REMOVED = change_rule(
    "message-headers-removed",
    WARNING,
    "message",
    "the message no longer declares its headers: readers that rely on them may no longer get them",
    "keep declaring the headers.",
    specs=ASYNC,
    category=CHANGE,
)
HEADERS_ADDED = change_rule(
    "message-headers-added",
    WARNING,
    "message",
    "headers are declared for the first time: a received message's producers may not send them",
    "declare the headers optional (no `required`) until every producer sends them.",
    specs=ASYNC,
    category=CHANGE,
)
MESSAGE_DEPRECATED = change_rule(
    "message-deprecated",
    INFO,
    "message",
    "a deprecation warns producers and consumers before a removal",
    specs=ASYNC,
    category=CHANGE,
)

# --- AMQP (RabbitMQ) --------------------------------------------------------------------------------------
AMQP_EXCHANGE_CHANGED = change_rule(
    "amqp-exchange-changed",
    ERROR,
    "channel",
    "RabbitMQ refuses to redeclare an existing exchange with another type, `durable`, `autoDelete` or vhost "
    "(PRECONDITION_FAILED), and a renamed exchange is a new one that no queue is bound to",
    REDECLARE,
    specs=ASYNC,
    category=CHANGE,
)
AMQP_QUEUE_CHANGED = change_rule(
    "amqp-queue-changed",
    ERROR,
    "channel",
    "RabbitMQ refuses to redeclare an existing queue with another `durable`, `exclusive`, `autoDelete`, vhost or "
    "argument (`x-queue-type`, `x-dead-letter-exchange`, ...: PRECONDITION_FAILED), and a renamed queue is a new "
    "one that holds none of the old messages",
    REDECLARE,
    specs=ASYNC,
    category=CHANGE,
)
AMQP_BINDING_TYPE_CHANGED = change_rule(
    "amqp-channel-type-changed",
    ERROR,
    "channel",
    "the channel switched between a routing key and a queue (`is`): producers and consumers address it differently",
    "add a new channel; remove the old one in a new major version.",
    specs=ASYNC,
    category=CHANGE,
)
AMQP_ROUTING_KEY_CHANGED = change_rule(
    "amqp-routing-key-changed",
    ERROR,
    "operation",
    "the routing keys (`cc`, `bcc`, or a queue's `x-bound-to` bindings) changed: queues bound with the old keys "
    "no longer receive the messages",
    "publish with both the old and the new routing keys until every queue is bound to the new one.",
    specs=ASYNC,
    category=CHANGE,
)
AMQP_DELIVERY_CHANGED = change_rule(
    "amqp-delivery-changed",
    WARNING,
    "operation",
    "the delivery guarantees changed (`deliveryMode`, `mandatory`, `ack`, `expiration`, `priority`): "
    "the other side may lose messages it relied on keeping, or redeliveries it relied on",
    "keep persistent, acknowledged delivery; document a weaker one as a new operation.",
    specs=ASYNC,
    category=CHANGE,
)
AMQP_MESSAGE_TYPE_CHANGED = change_rule(
    "amqp-message-type-changed",
    ERROR,
    "message",
    "consumers that dispatch on the AMQP `type` property (`messageType`) or decode by `contentEncoding` no longer "
    "recognise the message",
    "keep the message type and encoding; add a new message for the new ones.",
    specs=ASYNC,
    category=CHANGE,
)

# --- payload and header schemas: the OpenAPI schema rules, per reading side ---------------------------------
_SIDES = (
    ("request-", "received-message-", "receive", "producers", "producer"),
    ("response-", "sent-message-", "send", "consumers", "consumer"),
)


def _renamed(rule: ChangeRule) -> ChangeRule:
    """Return the AsyncAPI twin of an OpenAPI request/response schema rule (same level, fix and ``removes``)."""
    for old_prefix, prefix, direction, many, one in _SIDES:
        if rule.id.startswith(old_prefix):
            summary = rule.rule.summary.replace("clients", many).replace("client", one)
            fix = rule.fix.replace("clients", many).replace("client", one)
            twin = Rule(
                prefix + rule.id.removeprefix(old_prefix),
                RuleKind.BREAKING,
                rule.level,
                summary,
                ASYNC,
                fix,
                direction,
                rule.rule.category,
            )
            return dataclasses.replace(rule, rule=register(twin), fix=fix)
    raise ValueError(f"`{rule.id}` is not a request or response rule")


def schema_rules() -> Mapping[str, ChangeRule]:
    """Return OpenAPI schema rule id -> its AsyncAPI twin, for :class:`~..openapi.schemas.SchemaDiff`."""
    return _SCHEMA_RULES


_SCHEMA_RULES: Mapping[str, ChangeRule] = MappingProxyType(
    {rule.id: _renamed(rule) for rule in openapi_rules.SCHEMA_RULES}
)
