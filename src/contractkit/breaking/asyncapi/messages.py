"""Comparing two versions of one message: content type, schema format, headers, payload, AMQP binding.

A message is compared once per side that reads it: sent by the application (consumers read it, compared like
an OpenAPI response) or received (producers write it, compared like a request). Payload and header schemas go
through the same :class:`~contractkit.breaking.openapi.schemas.SchemaDiff` as OpenAPI bodies, with the rules
renamed for messages (:func:`schema_rules`).

Payload and header schema rules are the OpenAPI request/response schema rules (declared with ``schema=True``),
renamed: ``request-X`` becomes ``received-message-X`` and ``response-X`` becomes ``sent-message-X``, with the
same level, category and fix, so a schema rule is written once for both spec kinds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from contractkit.breaking.asyncapi.bindings import compare_message_bindings
from contractkit.breaking.asyncapi.fixes import ASYNC
from contractkit.breaking.asyncapi.model import SEND, Message
from contractkit.breaking.context import DiffContext
from contractkit.breaking.openapi.schemas import REQUEST, RESPONSE, SchemaDiff
from contractkit.breaking.registry import (
    CHANGE,
    CHANGE_RULES,
    ERROR,
    INFO,
    WARNING,
    AnyChangeRule,
    breaking_rule,
    fired,
)
from contractkit.loaders.document import Cursor
from contractkit.rules.registry import Rule, RuleKind, register

#: The rules about a message as a whole, called with its name in messages, the base's message and the revision's.
MESSAGE_RULES: list[AnyChangeRule] = []
#: The rules about a message's payload schema that are not the schema rules, called like :data:`MESSAGE_RULES`.
PAYLOAD_RULES: list[AnyChangeRule] = []
#: The rules about a message's headers declared or dropped, called like :data:`MESSAGE_RULES` plus the reading
#: sides (``request``: producers write the message; ``response``: consumers read it).
HEADER_RULES: list[AnyChangeRule] = []


@breaking_rule(
    id="message-content-type-changed",
    level=ERROR,
    direction="message",
    summary="the other side decodes the bytes with the old content type and fails",
    fix="keep the content type; send the new encoding as a new message on a new channel.",
    category=CHANGE,
    specs=ASYNC,
    group=MESSAGE_RULES,
)
def message_content_type_changed(name: str, old: Message, new: Message) -> str | None:
    """A message's content type changed (its own `contentType`, or the document's `defaultContentType`).

    The other side still decodes the bytes as the old type (JSON, Avro, Protobuf...) and fails on every message.
    """
    if old.content_type != new.content_type and (old.content_type or new.content_type):
        return f"content type of {name} changed from `{old.content_type}` to `{new.content_type}`"
    return None


@breaking_rule(
    id="message-deprecated",
    level=INFO,
    direction="message",
    summary="a deprecation warns producers and consumers before a removal",
    category=CHANGE,
    specs=ASYNC,
    group=MESSAGE_RULES,
)
def message_deprecated(name: str, old: Message, new: Message) -> str | None:
    """A message is now marked `deprecated` (itself or by a trait): nothing breaks yet, its removal is announced."""
    return f"{name} was deprecated" if new.deprecated and not old.deprecated else None


@breaking_rule(
    id="message-schema-format-changed",
    level=ERROR,
    direction="message",
    summary="the payload schema's `schemaFormat` (AsyncAPI, JSON Schema, Avro, ...) changed: readers generated from "
    "the old schema cannot read the new encoding",
    fix="keep the schema format; publish the new one on a new channel.",
    category=CHANGE,
    specs=ASYNC,
    group=PAYLOAD_RULES,
)
def message_schema_format_changed(name: str, old: Message, new: Message) -> str | None:
    """The payload schema's `schemaFormat` changed, say from JSON Schema to Avro (any AsyncAPI version is one).

    Readers generated from the old schema cannot read messages in the new format; the payloads are not compared.
    """
    if _normalised_format(old.schema_format) == _normalised_format(new.schema_format):
        return None
    before, after = (f"`{f}`" if f else "the AsyncAPI default" for f in (old.schema_format, new.schema_format))
    return f"payload schema format of {name} changed from {before} to {after}"


@breaking_rule(
    id="message-payload-not-compared",
    level=WARNING,
    direction="message",
    summary="the payload schema is not JSON Schema (Avro, Protobuf, RAML): contractkit cannot judge its changes; "
    "review them",
    fix="check the change with the schema format's own compatibility tool (e.g. a schema registry).",
    category=CHANGE,
    specs=ASYNC,
    group=PAYLOAD_RULES,
)
def message_payload_not_compared(name: str, old: Message, new: Message) -> str | None:
    """A payload schema in another format than JSON Schema (Avro, Protobuf, RAML) changed, in the same format.

    contractkit cannot tell whether the change breaks readers or writers, so it asks for a review rather than
    passing it silently.
    """
    if old.payload is None or new.payload is None or _is_json_schema(new.schema_format):
        return None
    if _normalised_format(old.schema_format) != _normalised_format(new.schema_format):
        return None  # another format: message-schema-format-changed says it
    if old.payload.value != new.payload.value:
        return f"the `{new.schema_format}` payload schema of {name} changed"
    return None


@breaking_rule(
    id="message-headers-removed",
    level=WARNING,
    direction="message",
    summary="the message no longer declares its headers: readers that rely on them may no longer get them",
    fix="keep declaring the headers.",
    category=CHANGE,
    specs=ASYNC,
    group=HEADER_RULES,
)
def message_headers_removed(name: str, old: Message, new: Message, directions: list[str]) -> str | None:
    """A message the application sends no longer declares its headers schema.

    Consumers that read a header (a correlation id, a tenant) may no longer get it.
    """
    if old.headers is not None and new.headers is None and RESPONSE in directions:
        return f"{name} no longer declares headers"
    return None


@breaking_rule(
    id="message-headers-added",
    level=WARNING,
    direction="message",
    summary="headers are declared for the first time: a received message's producers may not send them",
    fix="declare the headers optional (no `required`) until every producer sends them.",
    category=CHANGE,
    specs=ASYNC,
    group=HEADER_RULES,
)
def message_headers_added(name: str, old: Message, new: Message, directions: list[str]) -> str | None:
    """A message the application receives declares required headers for the first time.

    Its producers were never asked for them and may not send them: the application rejects or misreads their
    messages.
    """
    if old.headers is None and new.headers is not None and REQUEST in directions and _requires(new.headers):
        return f"{name} now declares required headers"
    return None


# Payload schema formats that are JSON Schema (or the AsyncAPI and OpenAPI supersets of it).
_JSON_SCHEMA_FORMATS = ("application/vnd.aai.asyncapi", "application/schema+", "application/vnd.oai.openapi")


def compare_message(
    ctx: DiffContext, old: Message, new: Message, *, actions: Iterable[str], label: str | None, where: str
) -> None:
    """Report every change of one message, for each reading side in ``actions`` (``send``, ``receive``)."""
    name = f"message `{new.key}`" + (f" on {where}" if where else "")
    for rule, text in fired(MESSAGE_RULES, name, old, new):
        ctx.report(rule, text, base=old.cursor, revision=new.cursor, operation=label)
    directions = sorted({RESPONSE if action == SEND else REQUEST for action in actions})
    _payload(ctx, old, new, directions, label, name)
    _headers(ctx, old, new, directions, label, name)
    compare_message_bindings(ctx, old.amqp, new.amqp, f"AMQP binding of {name}", label)


def _payload(ctx: DiffContext, old: Message, new: Message, directions: list[str], label: str | None, name: str) -> None:
    for rule, text in fired(PAYLOAD_RULES, name, old, new):
        if rule is message_schema_format_changed:
            ctx.report(rule, text, base=old.cursor, revision=new.cursor, operation=label)
        else:
            ctx.report(rule, text, base=old.payload, revision=new.payload, operation=label)
    if old.payload is None or new.payload is None or not _is_json_schema(new.schema_format):
        return  # no schema (anything goes, before or after), or one the schema rules cannot read
    if _normalised_format(old.schema_format) != _normalised_format(new.schema_format):
        return  # readers of the old format cannot read the new one: comparing the schemas means nothing
    openapi_30 = (new.schema_format or "").startswith("application/vnd.oai.openapi") and "version=3.0" in (
        new.schema_format or ""
    )
    for direction in directions:
        diff = SchemaDiff(ctx, direction, label or "", f"payload of {name}", renames=schema_rules())
        diff.openapi_30 = openapi_30
        diff.compare(old.payload, new.payload)


def _headers(ctx: DiffContext, old: Message, new: Message, directions: list[str], label: str | None, name: str) -> None:
    if old.headers is None and new.headers is None:
        return
    if old.headers is None or new.headers is None:
        # Consumers (sent messages) lose headers they read; producers (received ones) may not send required ones.
        for rule, text in fired(HEADER_RULES, name, old, new, directions):
            base = old.headers if old.headers is not None else old.cursor
            ctx.report(rule, text, base=base, revision=new.headers, near=new.cursor, operation=label)
        return
    for direction in directions:
        SchemaDiff(ctx, direction, label or "", f"headers of {name}", renames=schema_rules()).compare(
            old.headers, new.headers
        )


def _requires(schema: Cursor) -> bool:
    required = schema.raw("required")
    return isinstance(required, list) and bool(required)


def _is_json_schema(schema_format: str | None) -> bool:
    return schema_format is None or schema_format.startswith(_JSON_SCHEMA_FORMATS)


def _normalised_format(schema_format: str | None) -> str:
    """Treat the AsyncAPI schema format of any version, and its absence, as one format."""
    if schema_format is None or schema_format.startswith("application/vnd.aai.asyncapi"):
        return "asyncapi"
    return schema_format.split(";", 1)[0]


# --- payload and header schemas: the OpenAPI schema rules, per reading side ---------------------------------
_SIDES = (
    ("request-", "received-message-", "receive", "producers", "producer"),
    ("response-", "sent-message-", "send", "consumers", "consumer"),
)


def _renamed(rule: AnyChangeRule) -> AnyChangeRule:
    """Return the AsyncAPI twin of an OpenAPI request/response schema rule (same level, fix and ``removes``)."""
    for old_prefix, prefix, direction, many, one in _SIDES:
        if rule.id.startswith(old_prefix):
            summary = rule.rule.summary.replace("clients", many).replace("client", one)
            fix = rule.fix.replace("clients", many).replace("client", one)
            doc = (
                f"`{rule.id}`, applied to the schema of a message the application {direction}s: its {many} stand "
                "where that rule's clients do."
                if rule.rule.doc
                else ""
            )
            twin = Rule(
                prefix + rule.id.removeprefix(old_prefix),
                RuleKind.BREAKING,
                rule.level,
                summary,
                ASYNC,
                doc,
                direction,
                rule.rule.category,
                fix,
            )
            return dataclasses.replace(rule, rule=register(twin))
    raise ValueError(f"`{rule.id}` is not a request or response rule")


def schema_rules() -> Mapping[str, AnyChangeRule]:
    """Return OpenAPI schema rule id -> its AsyncAPI twin, for :class:`~..openapi.schemas.SchemaDiff`."""
    return _SCHEMA_RULES


# Every schema rule is declared by now: SchemaDiff (imported above) reports them all.
_SCHEMA_RULES: Mapping[str, AnyChangeRule] = MappingProxyType(
    {rule.id: _renamed(rule) for rule in sorted(CHANGE_RULES.values(), key=lambda r: r.id) if rule.schema}
)
