"""House rules for AsyncAPI messages (2.x and 3.x): named, with a payload, and carrying the trace headers."""

from __future__ import annotations

import os
from pathlib import Path

from contractkit.errors import ConfigError
from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.lint.context import LintContext
from contractkit.lint.registry import lint_rule
from contractkit.loaders.document import Cursor
from contractkit.spec.walk import Message, messages

_TRACE_HEADERS = ("traceparent", "message-id", "correlation-id")
Identity = tuple[str, tuple[str, ...]]


def _what(message: Message) -> str:
    """Return how a finding names ``message``: ``message `OrderCreated```, or ``the message of channel x``."""
    if message.key.isdigit():  # an inline variant of a 2.x `oneOf`
        return f"message `oneOf[{message.key}]` of {message.label}"
    return f"message `{message.key}`" if message.key else f"the message of {message.label}"


def _schema(node: Cursor) -> Cursor | None:
    """Return the schema ``node``, unwrapping a 3.x multi-format schema (``{schemaFormat, schema}``)."""
    if isinstance(node.value, dict) and "schemaFormat" in node.value and "schema" in node.value:
        return node.get("schema")
    return node


@lint_rule(
    "message-name-missing",
    severity=Severity.ERROR,
    summary="generated code and the wire `messageType` need a stable machine name for every message",
    specs=(SpecKind.ASYNCAPI,),
)
def message_name_missing(ctx: LintContext) -> None:
    """Every message needs a `name`: code generators name the message class after it, and consumers route on it.

    The key a message is declared under (the component or 3.x channel message key) is not enough: it is a
    document detail that may be renamed freely, while `name` is the machine name generated code and the
    wire's `messageType` rely on. Messages of AsyncAPI 2.x channel operations (with each `oneOf` variant),
    of 3.x channels, and of `components/messages` are checked, each once; a `name` given by a message trait
    counts.

    Fix: add `name: OrderCreated` (a stable machine-friendly name) to the message.
    """
    for message in messages(ctx.doc):
        name = message.raw("name")
        if not isinstance(name, str) or not name.strip():
            suggestion = message.key or "OrderCreated"
            ctx.report(message.cursor, f"{_what(message)} has no `name`", hint=f"add `name: {suggestion}`")


@lint_rule(
    "message-payload-missing",
    severity=Severity.ERROR,
    summary="a message without a payload schema cannot be validated, generated or checked for breaking changes",
    specs=(SpecKind.ASYNCAPI,),
)
def message_payload_missing(ctx: LintContext) -> None:
    """Every message declares its `payload` schema: without it nothing can be validated, generated or compared.

    A message whose body is really empty says so with `payload: {type: 'null'}`. (Message traits cannot
    supply a payload.)

    Fix: add `payload` with the schema of the message body, usually a `$ref` to `components/schemas`.
    """
    for message in messages(ctx.doc):
        if message.cursor.raw("payload") is None:
            ctx.report(
                message.cursor,
                f"{_what(message)} has no `payload`",
                hint="add `payload:` with the body's schema, such as `$ref: '#/components/schemas/OrderCreated'`",
            )


def _trace_headers(ctx: LintContext) -> list[str]:
    value = ctx.option("trace-headers", list(_TRACE_HEADERS))
    if not isinstance(value, list | tuple) or not all(isinstance(name, str) and name for name in value):
        raise ConfigError(
            f"the lint option `trace-headers` must be a list of header names, not {value!r}",
            tip="write it as a list, such as `trace-headers: [traceparent, message-id, correlation-id]`.",
        )
    return [str(name) for name in value]


def _collect(schema: Cursor, declared: set[str], required: set[str], seen: set[Identity]) -> None:
    """Add the ``properties`` and ``required`` names of ``schema`` and of its ``allOf`` parts, refs followed."""
    if schema.identity in seen or not isinstance(schema.value, dict):
        return
    seen.add(schema.identity)
    properties = schema.value.get("properties")
    if isinstance(properties, dict):
        declared.update(properties)
    names = schema.value.get("required")
    if isinstance(names, list):
        required.update(name for name in names if isinstance(name, str))
    all_of = schema.get("allOf")
    for part in all_of.elements() if all_of is not None else ():
        _collect(part, declared, required, seen)


@lint_rule(
    "message-trace-headers-missing",
    severity=Severity.ERROR,
    summary="every message must carry the trace headers, so any message can be traced, de-duplicated and correlated",
    specs=(SpecKind.ASYNCAPI,),
)
def message_trace_headers_missing(ctx: LintContext) -> None:
    """Every message carries the trace headers, so that any message can be traced, de-duplicated and correlated.

    The message's `headers` schema (refs and `allOf` followed, the `headers` of its traits included) must
    declare each trace header in `properties` and list it in `required`: an optional header is one a producer
    may forget. The headers are named by the option `trace-headers` (default `traceparent`, `message-id`,
    `correlation-id`).

    Fix: add `headers: {$ref: '../common/trace-headers.yaml#/MessageHeaders'}`, or an `allOf` that includes it
    next to the message's own headers.
    """
    wanted = _trace_headers(ctx)
    shared = ctx.doc.resolver.root_dir / "common" / "trace-headers.yaml"
    for message in messages(ctx.doc):
        hint = "declare each of them in `headers.properties` and list it in `headers.required`"
        if ctx.doc.resolver.store.exists(shared):
            ref = Path(os.path.relpath(shared, message.cursor.file.path.parent)).as_posix()
            hint = f"use `headers: {{$ref: '{ref}#/MessageHeaders'}}`, or an `allOf` that includes it"
        schemas = [schema for layer in message.traited.layers("headers") if (schema := _schema(layer)) is not None]
        if not schemas:
            names = ", ".join(f"`{name}`" for name in wanted)
            ctx.report(message.cursor, f"{_what(message)} has no `headers`: it must carry {names}", hint=hint)
            continue
        declared: set[str] = set()
        required: set[str] = set()
        seen: set[Identity] = set()
        for schema in schemas:
            _collect(schema, declared, required, seen)
        problems = [
            f"`{name}` ({'not declared' if name not in declared else 'not required'})"
            for name in wanted
            if name not in declared or name not in required
        ]
        if problems:
            owner = message.traited.owner("headers")  # where the winning `headers` is written: message or trait
            at = owner.file.location((*owner.parts, "headers")) if owner is not None else message.cursor.location
            ctx.report(at, f"{_what(message)} lacks trace headers: {', '.join(problems)}", hint=hint)
