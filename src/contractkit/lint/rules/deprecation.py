"""House rules for deprecations (OpenAPI and AsyncAPI): every deprecation says when the node goes away."""

from __future__ import annotations

from collections.abc import Iterator

from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.lint.context import LintContext
from contractkit.lint.registry import lint_rule
from contractkit.loaders.document import Cursor, Document
from contractkit.loaders.pointer import to_pointer
from contractkit.spec.markers import deprecated, sunset_header, sunset_of
from contractkit.spec.walk import operations

# Subtrees that hold data, not contract nodes: a `deprecated: true` in an example is not a deprecation.
_DATA_KEYS = frozenset({"example", "examples", "default", "const", "enum", "x-examples"})
_NAMED_BY_PARENT = {
    "properties": "property",
    "headers": "header",
    "schemas": "schema",
    "channels": "channel",
    "messages": "message",
    "operations": "operation",
    "parameters": "parameter",
}
Identity = tuple[str, tuple[str, ...]]


@lint_rule(
    "deprecated-without-sunset",
    severity=Severity.WARNING,
    summary="a deprecation without a sunset date never ends: clients cannot plan, and the removal is never allowed",
    specs=(SpecKind.OPENAPI, SpecKind.ASYNCAPI),
)
def deprecated_without_sunset(ctx: LintContext) -> None:
    """A deprecated node says from which day it may be removed: its sunset date.

    The deprecation policy of `contractkit breaking` allows removing a deprecated operation, path, parameter,
    header, schema property, channel or message only once its sunset date has passed; without a date the
    removal stays breaking forever, and clients are never told how long they have. Deprecated is
    `deprecated: true` (OpenAPI operations, parameters, headers and schemas; AsyncAPI schemas) or
    `x-deprecated: true` (anywhere, e.g. AsyncAPI 3.0 operations, channels and messages). The sunset date is
    `x-sunset` on the node (an ISO date `2026-03-01`, an RFC 3339 date-time or an HTTP-date), or for an
    OpenAPI operation a `Sunset` response header (RFC 8594) whose `example` (or schema `example`, `default`,
    `const` or first `enum` value) is the date. An `x-sunset` that is not a date is reported too.

    Fix: add `x-sunset: 2026-03-01` (the first day the node may be removed) to the deprecated node.
    """
    operation_labels = _operation_labels(ctx.doc)
    for cursor in _nodes(ctx.doc):
        sunset = sunset_of(cursor)
        if sunset is not None and sunset.date is None:
            ctx.report(
                sunset.at,
                f"`x-sunset` `{sunset.text}` of {_describe(cursor, operation_labels)} is not a date",
                hint="write the date as `YYYY-MM-DD` (or an RFC 3339 date-time, or an HTTP-date)",
            )
            continue
        if sunset is not None or not deprecated(cursor):
            continue
        label = operation_labels.get(cursor.identity)
        if label is not None:
            header = sunset_header(cursor)
            if header is not None and header.date is not None:
                continue
            if header is not None:
                ctx.report(header.at, f"the `Sunset` header of operation `{label}` is `{header.text}`, not a date")
                continue
        what = _describe(cursor, operation_labels)
        extra = ", or a `Sunset` response header (RFC 8594)" if label is not None else ""
        ctx.report(
            cursor,
            f"{what} is deprecated without a sunset date",
            operation=label,
            hint=f"add `x-sunset: YYYY-MM-DD` (the first day it may be removed){extra}",
        )


def _operation_labels(doc: Document) -> dict[Identity, str]:
    if doc.spec.kind is not SpecKind.OPENAPI:
        return {}
    return {op.cursor.identity: op.label for op in operations(doc)}


def _nodes(doc: Document) -> Iterator[Cursor]:
    """Yield every mapping of every file the document reaches (each once), data subtrees left out."""
    for file in doc.files():
        stack = [Cursor(doc, file, (), file.data)]
        while stack:
            cursor = stack.pop()
            value = cursor.value
            if isinstance(value, dict):
                if "deprecated" in value or "x-deprecated" in value or "x-sunset" in value:
                    yield cursor
                children = [(str(k), v) for k, v in value.items() if k not in _DATA_KEYS]
            elif isinstance(value, list):
                children = [(str(i), v) for i, v in enumerate(value)]
            else:
                continue
            for key, child in reversed(children):
                if isinstance(child, dict | list):
                    stack.append(Cursor(doc, file, (*cursor.parts, key), child))


def _describe(cursor: Cursor, operation_labels: dict[Identity, str]) -> str:
    """Name the node: ``operation `GET /orders```, ``property `total```, ``channel `orders```..."""
    label = operation_labels.get(cursor.identity)
    if label is not None:
        return f"operation `{label}`"
    parts = cursor.parts
    value = cursor.value
    if isinstance(value, dict) and isinstance(value.get("name"), str) and isinstance(value.get("in"), str):
        return f"{value['in']} parameter `{value['name']}`"
    if len(parts) >= 2 and parts[-1] in ("publish", "subscribe"):
        return f"operation `{parts[-1]}` of channel `{parts[-2]}`"
    if len(parts) >= 2 and parts[-2] in _NAMED_BY_PARENT:
        return f"{_NAMED_BY_PARENT[parts[-2]]} `{parts[-1]}`"
    return f"`{to_pointer(parts) or '/'}`"
