"""The types a schema's values may have, and `null`: what a type or nullability change does to clients.

A request that accepts more types, or `null`, breaks no client; a response that sends another type, or `null`,
breaks the clients that parse the old one. An untyped `oneOf`/`anyOf` has the types of its variants.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contractkit.breaking.openapi.fixes import NEW_VERSION
from contractkit.breaking.openapi.said import AT
from contractkit.breaking.openapi.schema_view import SchemaView, accepts, describe_types, overlap
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, change_rule

if TYPE_CHECKING:
    from contractkit.breaking.openapi.schemas import SchemaDiff
    from contractkit.breaking.openapi.sites import Sites

# --- request side (what clients send) ---------------------------------------------------------------------
REQ_TYPE_CHANGED = change_rule(
    id="request-type-changed",
    level=ERROR,
    direction="request",
    summary="values of the old type, which clients send, are now rejected",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
)
REQ_TYPE_WIDENED = change_rule(
    id="request-type-widened",
    level=INFO,
    direction="request",
    summary="accepting more types breaks no client",
    category=CHANGE,
    schema=True,
)
PARAM_BECAME_STRING = change_rule(
    id="request-parameter-became-string",
    level=WARNING,
    direction="request",
    summary="a parameter travels as text, so every old value is still a string on the wire; but typed clients and "
    "generated models change their signature (an `int` argument becomes a `str`)",
    fix="keep the type; accept the new values in a new parameter, or in a new major version.",
    category=CHANGE,
)
REQ_NULLABLE_REMOVED = change_rule(
    id="request-nullable-removed",
    level=ERROR,
    direction="request",
    summary="clients sending `null` are now rejected",
    fix="keep accepting `null`.",
    category=CHANGE,
    schema=True,
)
REQ_BECAME_NULLABLE = change_rule(
    id="request-became-nullable",
    level=INFO,
    direction="request",
    summary="accepting `null` breaks no client",
    category=CHANGE,
    schema=True,
)
# --- response side (what clients read) --------------------------------------------------------------------
RESP_TYPE_CHANGED = change_rule(
    id="response-type-changed",
    level=ERROR,
    direction="response",
    summary="clients parsing the old type fail on the new one",
    fix="add a new property with the new type; keep the old one.",
    category=CHANGE,
    schema=True,
)
RESP_TYPE_NARROWED = change_rule(
    id="response-type-narrowed",
    level=INFO,
    direction="response",
    summary="sending fewer types breaks no client",
    category=CHANGE,
    schema=True,
)
RESP_BECAME_NULLABLE = change_rule(
    id="response-became-nullable",
    level=ERROR,
    direction="response",
    summary="clients that do not expect `null` crash on it",
    fix="omit the property instead of sending `null`, or add a new one.",
    category=CHANGE,
    schema=True,
)
RESP_NULLABLE_REMOVED = change_rule(
    id="response-nullable-removed",
    level=INFO,
    direction="response",
    summary="no longer sending `null` is safe",
    category=CHANGE,
    schema=True,
)

_SCALARS = frozenset({"string", "integer", "number", "boolean"})


def compare_nullable(diff: SchemaDiff, old: SchemaView, new: SchemaView, sites: Sites) -> None:
    """Report that a schema (or the reference at its place, ``sites``) became nullable or stopped being so."""
    before, after = sites
    was = old.nullable or (before is not None and before.nullable)
    now = new.nullable or (after is not None and after.nullable)
    if was == now:
        return
    if diff.request:
        rule = REQ_NULLABLE_REMOVED if was else REQ_BECAME_NULLABLE
        what = "no longer accepts `null`" if was else "now accepts `null`"
    else:
        rule = RESP_BECAME_NULLABLE if now else RESP_NULLABLE_REMOVED
        what = "is never `null` any more" if was else "may now be `null`"
    base, revision = (before.cursor if before else old.cursor), (after.cursor if after else new.cursor)
    diff.say(rule, f"{AT} {what}", base, revision, node=revision)


def compare_types(diff: SchemaDiff, old: SchemaView, new: SchemaView, root: bool) -> bool:
    """Report a type change; return whether the two schemas still share a type (worth comparing deeper).

    An untyped `oneOf`/`anyOf` has the types of its variants: `{oneOf: [A, B]}` of two objects is an object.
    """
    before, after = choice_types(diff, old), choice_types(diff, new)
    if before == after:
        return True
    text = f"type of {AT} changed from `{describe_types(before)}` to `{describe_types(after)}`"
    if diff.request:
        if accepts(after, before):
            rule = REQ_TYPE_WIDENED
        elif diff.textual and root and after == frozenset({"string"}) and before is not None and before <= _SCALARS:
            rule = PARAM_BECAME_STRING  # the wire accepts every old value; typed clients change
        else:
            rule = REQ_TYPE_CHANGED
        diff.say(rule, text, old, new)
    else:
        diff.say(RESP_TYPE_NARROWED if accepts(before, after) else RESP_TYPE_CHANGED, text, old, new)
    return overlap(before, after)


def choice_types(diff: SchemaDiff, schema: SchemaView) -> frozenset[str] | None:
    """Return the declared types of a schema, or the union of its variants' (``None``: some is untyped)."""
    if schema.types is not None or not schema.variants:
        return schema.types
    union: set[str] = set()
    for variant in schema.variants:
        types = diff.view(variant).types
        if types is None:
            return None
        union |= types
    return frozenset(union)
