"""The types a schema's values may have, and `null`: what a type or nullability change does to clients.

A request that accepts more types, or `null`, breaks no client; a response that sends another type, or `null`,
breaks the clients that parse the old one. An untyped `oneOf`/`anyOf` has the types of its variants.

Each rule is a function: :func:`compare_types` works out a :class:`TypeChange` once and calls
:data:`TYPE_RULES`, :func:`compare_nullable` a :class:`NullableChange` and :data:`NULLABLE_RULES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from contractkit.breaking.openapi.fixes import NEW_VERSION
from contractkit.breaking.openapi.said import AT
from contractkit.breaking.openapi.schema_view import SchemaView, accepts, describe_types, overlap
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, AnyChangeRule, breaking_rule, fired

if TYPE_CHECKING:
    from contractkit.breaking.openapi.schemas import SchemaDiff
    from contractkit.breaking.openapi.sites import Sites

_SCALARS = frozenset({"string", "integer", "number", "boolean"})


@dataclass(frozen=True, slots=True)
class TypeChange:
    """The types of one schema pair differ, worked out once for :data:`TYPE_RULES`.

    Attributes:
        request: the schema is read from requests (clients write it); else from responses.
        before: the base's types (``None``: any type).
        after: the revision's types (``None``: any type).
        safe: every value clients may send (request: the new types accept the old ones) or read (response: the
            old types accepted the new ones) is as before.
        textual: the schema is a parameter's own, whose value travels as text.
    """

    request: bool
    before: frozenset[str] | None
    after: frozenset[str] | None
    safe: bool
    textual: bool

    def text(self) -> str:
        """Say the change of types."""
        return f"type of {AT} changed from `{describe_types(self.before)}` to `{describe_types(self.after)}`"

    def became_text(self) -> bool:
        """Return whether a textual parameter of scalar types became a `string` (the wire takes every old value)."""
        return (
            self.textual and self.after == frozenset({"string"}) and self.before is not None and self.before <= _SCALARS
        )


@dataclass(frozen=True, slots=True)
class NullableChange:
    """A schema (or the reference at its place) became nullable, or stopped being so, for :data:`NULLABLE_RULES`.

    Attributes:
        request: the schema is read from requests (clients write it); else from responses.
        now: the revision accepts `null` (the base did not); else the base accepted it and the revision does not.
    """

    request: bool
    now: bool


#: The type rules (exactly one says a change of types).
TYPE_RULES: list[AnyChangeRule] = []
#: The `null` rules (exactly one says a change of nullability).
NULLABLE_RULES: list[AnyChangeRule] = []


# --- types --------------------------------------------------------------------------------------------------
@breaking_rule(
    id="request-type-changed",
    level=ERROR,
    direction="request",
    summary="values of the old type, which clients send, are now rejected",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
    group=TYPE_RULES,
)
def request_type_changed(change: TypeChange) -> str | None:
    """A request value no longer accepts some type it accepted (a `string` that became an `integer`, say).

    Clients that send a value of an old type (an id as a string) are rejected with a 400, and generated clients
    change the signature of the field.
    """
    if change.request and not change.safe and not change.became_text():
        return change.text()
    return None


@breaking_rule(
    id="request-type-widened",
    level=INFO,
    direction="request",
    summary="accepting more types breaks no client",
    category=CHANGE,
    schema=True,
    group=TYPE_RULES,
)
def request_type_widened(change: TypeChange) -> str | None:
    """A request value accepts every type it accepted and more (an `integer` that also takes a `string`).

    Every value clients send today is still accepted.
    """
    return change.text() if change.request and change.safe else None


@breaking_rule(
    id="request-parameter-became-string",
    level=WARNING,
    direction="request",
    summary="a parameter travels as text, so every old value is still a string on the wire; but typed clients and "
    "generated models change their signature (an `int` argument becomes a `str`)",
    fix="keep the type; accept the new values in a new parameter, or in a new major version.",
    category=CHANGE,
    group=TYPE_RULES,
)
def request_parameter_became_string(change: TypeChange) -> str | None:
    """A parameter of a scalar type (`integer`, `number`, `boolean`) became a `string`.

    The wire carries parameters as text, so the requests clients send today still pass; but typed clients and
    models generated from the contract change their signature, which breaks the code that calls them.
    """
    return change.text() if change.request and not change.safe and change.became_text() else None


@breaking_rule(
    id="response-type-changed",
    level=ERROR,
    direction="response",
    summary="clients parsing the old type fail on the new one",
    fix="add a new property with the new type; keep the old one.",
    category=CHANGE,
    schema=True,
    group=TYPE_RULES,
)
def response_type_changed(change: TypeChange) -> str | None:
    """A response value may now have a type it never had (a number sent as a `string`, an object for a list).

    Clients that parse the old type (a typed model, a generated client) fail on the new one.
    """
    return change.text() if not change.request and not change.safe else None


@breaking_rule(
    id="response-type-narrowed",
    level=INFO,
    direction="response",
    summary="sending fewer types breaks no client",
    category=CHANGE,
    schema=True,
    group=TYPE_RULES,
)
def response_type_narrowed(change: TypeChange) -> str | None:
    """A response value now has fewer types than it could have: every value clients get was possible before."""
    return change.text() if not change.request and change.safe else None


# --- null ---------------------------------------------------------------------------------------------------
@breaking_rule(
    id="request-nullable-removed",
    level=ERROR,
    direction="request",
    summary="clients sending `null` are now rejected",
    fix="keep accepting `null`.",
    category=CHANGE,
    schema=True,
    group=NULLABLE_RULES,
)
def request_nullable_removed(change: NullableChange) -> str | None:
    """A request value that accepted `null` no longer does.

    Clients that send `null` (to clear a field, or because their model has no value) are rejected with a 400.
    """
    return f"{AT} no longer accepts `null`" if change.request and not change.now else None


@breaking_rule(
    id="request-became-nullable",
    level=INFO,
    direction="request",
    summary="accepting `null` breaks no client",
    category=CHANGE,
    schema=True,
    group=NULLABLE_RULES,
)
def request_became_nullable(change: NullableChange) -> str | None:
    """A request value now accepts `null` as well: every request clients send today still passes."""
    return f"{AT} now accepts `null`" if change.request and change.now else None


@breaking_rule(
    id="response-became-nullable",
    level=ERROR,
    direction="response",
    summary="clients that do not expect `null` crash on it",
    fix="omit the property instead of sending `null`, or add a new one.",
    category=CHANGE,
    schema=True,
    group=NULLABLE_RULES,
)
def response_became_nullable(change: NullableChange) -> str | None:
    """A response value may now be `null`.

    Clients that read it as a string, a number or an object (a non-optional field of a generated model) crash or
    reject the response when they get `null`.
    """
    return f"{AT} may now be `null`" if not change.request and change.now else None


@breaking_rule(
    id="response-nullable-removed",
    level=INFO,
    direction="response",
    summary="no longer sending `null` is safe",
    category=CHANGE,
    schema=True,
    group=NULLABLE_RULES,
)
def response_nullable_removed(change: NullableChange) -> str | None:
    """A response value that could be `null` never is any more: clients that handle `null` simply never see it."""
    return f"{AT} is never `null` any more" if not change.request and not change.now else None


def compare_nullable(diff: SchemaDiff, old: SchemaView, new: SchemaView, sites: Sites) -> None:
    """Report that a schema (or the reference at its place, ``sites``) became nullable or stopped being so."""
    before, after = sites
    was = old.nullable or (before is not None and before.nullable)
    now = new.nullable or (after is not None and after.nullable)
    if was == now:
        return
    base, revision = (before.cursor if before else old.cursor), (after.cursor if after else new.cursor)
    for rule, message in fired(NULLABLE_RULES, NullableChange(diff.request, now)):
        diff.say(rule, message, base, revision, node=revision)


def compare_types(diff: SchemaDiff, old: SchemaView, new: SchemaView, root: bool) -> bool:
    """Report a type change (:data:`TYPE_RULES`); return whether the two schemas still share a type.

    An untyped `oneOf`/`anyOf` has the types of its variants: `{oneOf: [A, B]}` of two objects is an object.
    """
    before, after = choice_types(diff, old), choice_types(diff, new)
    if before == after:
        return True
    request = diff.request
    safe = accepts(after, before) if request else accepts(before, after)
    for rule, message in fired(TYPE_RULES, TypeChange(request, before, after, safe, diff.textual and root)):
        diff.say(rule, message, old, new)
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
