"""House rules for OpenAPI list endpoints: one cursor-pagination envelope for every list."""

from __future__ import annotations

import re

from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.lint.context import LintContext
from contractkit.lint.registry import lint_rule
from contractkit.lint.rules.responses import is_json, is_or_extends, media_type, merged_properties, shared_schema
from contractkit.loaders.document import Cursor
from contractkit.spec.walk import Operation, operations

_LIST_ID = re.compile(r"[Ll]ist(?![a-z])", re.ASCII)
_PAGE_PARAMETERS = ("limit", "cursor")


def _is_array(schema: Cursor) -> bool:
    kind = schema.raw("type")
    return kind == "array" or (isinstance(kind, list) and "array" in kind)


def _is_object(schema: Cursor) -> bool:
    kind = schema.raw("type")
    return kind == "object" or (isinstance(kind, list) and "object" in kind) or schema.raw("properties") is not None


def _ok_json(op: Operation, *, only: str | None) -> Cursor | None:
    """Return the first JSON media type object of the operation's `200` response (``only``: that media type)."""
    responses = op.cursor.get("responses")
    ok = responses.get("200") if responses is not None else None
    content = ok.get("content") if ok is not None else None
    for key, media in content.items() if content is not None else ():
        bare = media_type(key)
        if (bare == only) if only is not None else is_json(bare):
            return media
    return None


def _list_reason(op: Operation) -> str | None:
    """Return why ``op`` is a list endpoint, or ``None`` when it is not one."""
    if op.method != "get" or op.webhook:
        return None
    operation_id = op.cursor.raw("operationId")
    if isinstance(operation_id, str) and _LIST_ID.match(operation_id):
        return f"its `operationId` `{operation_id}`"
    for param in op.parameters():
        if isinstance(param.value, dict) and param.value.get("in") == "query":
            name = param.value.get("name")
            if name in _PAGE_PARAMETERS:
                return f"its query parameter `{name}`"
    media = _ok_json(op, only=None)
    schema = media.get("schema") if media is not None else None
    if schema is not None and _is_array(schema):
        return "its `200` array response"
    return None


@lint_rule(
    "list-pagination-envelope-missing",
    severity=Severity.WARNING,
    summary="every list returns the house cursor-pagination envelope, so clients page through all lists alike",
    specs=(SpecKind.OPENAPI,),
)
def list_pagination_envelope_missing(ctx: LintContext) -> None:
    """A list must be returned in the house envelope: a bare array cannot grow a next-page cursor later.

    A list endpoint is a `GET` of `paths` whose `operationId` starts with `list` (`listOrders`), that takes a
    `limit` or `cursor` query parameter, or whose `200` JSON response is an array. Its `200` `application/json`
    schema must be the shared envelope (option `pagination-envelope`, default
    `common/pagination.yaml#/CursorPage` under the contracts root) or an `allOf` that includes it and narrows
    `items`. When the envelope's file is not under the contracts root, the schema is only checked for an
    `items` array and a `page` object. Endpoints without a `200` `application/json` response are not checked.

    Fix: return `allOf: [{$ref: '../common/pagination.yaml#/CursorPage'}, {properties: {items: {type: array,
    items: {$ref: '#/components/schemas/Order'}}}}]` and take the `limit` and `cursor` query parameters.
    """
    envelope = shared_schema(ctx, "pagination-envelope", "common/pagination.yaml#/CursorPage")
    for op in operations(ctx.doc):
        reason = _list_reason(op)
        if reason is None:
            continue
        media = _ok_json(op, only="application/json")
        schema = media.get("schema") if media is not None else None
        if media is None or schema is None:
            continue
        at = media.file.location((*media.parts, "schema"))
        where = f"list endpoint `{op.label}`"
        hint = (
            f"return `allOf: [{{$ref: '{envelope.ref_from(media)}'}}, {{properties: {{items: {{type: array, "
            f"items: ...}}}}}}]` (it counts as a list endpoint because of {reason})"
        )
        if envelope.identity is not None and is_or_extends(schema, envelope.identity):
            continue
        if _is_array(schema):
            ctx.report(
                at, f"{where} returns a bare array, not the `{envelope.name}` envelope", operation=op.label, hint=hint
            )
            continue
        if envelope.identity is not None:
            ctx.report(
                at,
                f"{where} does not return the `{envelope.name}` envelope (`{envelope.option}`) "
                "or an `allOf` extending it",
                operation=op.label,
                hint=hint,
            )
            continue
        properties = merged_properties(schema)
        items, page = properties.get("items"), properties.get("page")
        if items is None or not _is_array(items) or page is None or not _is_object(page):
            ctx.report(
                at,
                f"{where} does not return an envelope with an `items` array and a `page` object",
                operation=op.label,
                hint=f"{envelope.missing}, so the schema was checked for its shape instead; {hint}",
            )
