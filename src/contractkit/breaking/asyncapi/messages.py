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
from contractkit.breaking.registry import CHANGE, CHANGE_RULES, ERROR, INFO, WARNING, AnyChangeRule, change_rule
from contractkit.loaders.document import Cursor
from contractkit.rules.registry import Rule, RuleKind, register

CONTENT_TYPE_CHANGED = change_rule(
    id="message-content-type-changed",
    level=ERROR,
    direction="message",
    summary="the other side decodes the bytes with the old content type and fails",
    fix="keep the content type; send the new encoding as a new message on a new channel.",
    category=CHANGE,
    specs=ASYNC,
)
PAYLOAD_FORMAT_CHANGED = change_rule(
    id="message-schema-format-changed",
    level=ERROR,
    direction="message",
    summary="the payload schema's `schemaFormat` (AsyncAPI, JSON Schema, Avro, ...) changed: readers generated from "
    "the old schema cannot read the new encoding",
    fix="keep the schema format; publish the new one on a new channel.",
    category=CHANGE,
    specs=ASYNC,
)
PAYLOAD_NOT_COMPARED = change_rule(
    id="message-payload-not-compared",
    level=WARNING,
    direction="message",
    summary="the payload schema is not JSON Schema (Avro, Protobuf, RAML): contractkit cannot judge its changes; "
    "review them",
    fix="check the change with the schema format's own compatibility tool (e.g. a schema registry).",
    category=CHANGE,
    specs=ASYNC,
)
HEADERS_REMOVED = change_rule(
    id="message-headers-removed",
    level=WARNING,
    direction="message",
    summary="the message no longer declares its headers: readers that rely on them may no longer get them",
    fix="keep declaring the headers.",
    category=CHANGE,
    specs=ASYNC,
)
HEADERS_ADDED = change_rule(
    id="message-headers-added",
    level=WARNING,
    direction="message",
    summary="headers are declared for the first time: a received message's producers may not send them",
    fix="declare the headers optional (no `required`) until every producer sends them.",
    category=CHANGE,
    specs=ASYNC,
)
MESSAGE_DEPRECATED = change_rule(
    id="message-deprecated",
    level=INFO,
    direction="message",
    summary="a deprecation warns producers and consumers before a removal",
    category=CHANGE,
    specs=ASYNC,
)


# Payload schema formats that are JSON Schema (or the AsyncAPI and OpenAPI supersets of it).
_JSON_SCHEMA_FORMATS = ("application/vnd.aai.asyncapi", "application/schema+", "application/vnd.oai.openapi")


def compare_message(
    ctx: DiffContext, old: Message, new: Message, *, actions: Iterable[str], label: str | None, where: str
) -> None:
    """Report every change of one message, for each reading side in ``actions`` (``send``, ``receive``)."""
    name = f"message `{new.key}`" + (f" on {where}" if where else "")
    if old.content_type != new.content_type and (old.content_type or new.content_type):
        text = f"content type of {name} changed from `{old.content_type}` to `{new.content_type}`"
        ctx.report(CONTENT_TYPE_CHANGED, text, base=old.cursor, revision=new.cursor, operation=label)
    if new.deprecated and not old.deprecated:
        ctx.report(MESSAGE_DEPRECATED, f"{name} was deprecated", base=old.cursor, revision=new.cursor, operation=label)
    directions = sorted({RESPONSE if action == SEND else REQUEST for action in actions})
    _payload(ctx, old, new, directions, label, name)
    _headers(ctx, old, new, directions, label, name)
    compare_message_bindings(ctx, old.amqp, new.amqp, f"AMQP binding of {name}", label)


def _payload(ctx: DiffContext, old: Message, new: Message, directions: list[str], label: str | None, name: str) -> None:
    if _normalised_format(old.schema_format) != _normalised_format(new.schema_format):
        before, after = (f"`{f}`" if f else "the AsyncAPI default" for f in (old.schema_format, new.schema_format))
        text = f"payload schema format of {name} changed from {before} to {after}"
        ctx.report(PAYLOAD_FORMAT_CHANGED, text, base=old.cursor, revision=new.cursor, operation=label)
        return
    if old.payload is None or new.payload is None:
        return  # no schema: anything goes, before or after
    if not _is_json_schema(new.schema_format):
        if old.payload.value != new.payload.value:
            text = f"the `{new.schema_format}` payload schema of {name} changed"
            ctx.report(PAYLOAD_NOT_COMPARED, text, base=old.payload, revision=new.payload, operation=label)
        return
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
        if old.headers is not None and RESPONSE in directions:
            text = f"{name} no longer declares headers"
            ctx.report(HEADERS_REMOVED, text, base=old.headers, near=new.cursor, operation=label)
        elif new.headers is not None and REQUEST in directions and _requires(new.headers):
            text = f"{name} now declares required headers"
            ctx.report(HEADERS_ADDED, text, base=old.cursor, revision=new.headers, operation=label)
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
