"""A schema as the diff sees it: `allOf` merged, `nullable`/type arrays/`const` normalised, refs followed.

Both OpenAPI 3.0 (`nullable`, boolean `exclusiveMaximum`) and 3.1 (type arrays, `const`, numeric exclusive
bounds, `$defs` through refs) end up in the same :class:`SchemaView`, so each rule is written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from contractkit.loaders.document import Cursor

# Bounds and which way is "narrower": a lower maximum, a higher minimum.
UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")


@dataclass(slots=True)
class SchemaView:
    """The facts of one schema that compatibility depends on.

    Attributes:
        cursor: the schema itself (for locations).
        types: the JSON types it accepts, ``None`` for any; ``"null"`` is never in it (see ``nullable``).
        nullable: whether ``null`` is accepted.
        enum: the allowed values (``const`` counts as a one-value enum), or ``None``.
        extensible: ``x-extensible-enum`` is set: consumers must accept unknown values.
        properties: name -> property schema, ``allOf`` members merged.
        required: the required property names.
        additional: ``False`` when ``additionalProperties: false``.
        items: the array item schema.
        variants: the ``oneOf``/``anyOf`` members, and which keyword holds them.
        bounds: numeric and length bounds by keyword (exclusive 3.0 booleans folded into the numbers).
        pattern: the regular expression, if any.
        format: the declared format, if any.
        discriminator: (property name, mapping) when a discriminator is declared.
    """

    cursor: Cursor
    types: frozenset[str] | None = None
    nullable: bool = False
    enum: list[object] | None = None
    extensible: bool = False
    properties: dict[str, Cursor] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    additional: bool = True
    items: Cursor | None = None
    variants: list[Cursor] = field(default_factory=list)
    variant_keyword: str = ""
    bounds: dict[str, float] = field(default_factory=dict)
    pattern: str | None = None
    format: str | None = None
    discriminator: tuple[str, dict[str, str]] | None = None


def view(cursor: Cursor, *, openapi_30: bool) -> SchemaView:
    """Return the :class:`SchemaView` of the schema at ``cursor``."""
    result = SchemaView(cursor)
    _merge(result, cursor, openapi_30, set())
    return result


def _merge(result: SchemaView, cursor: Cursor, openapi_30: bool, seen: set[tuple[str, tuple[str, ...]]]) -> None:
    if cursor.identity in seen or not isinstance(cursor.value, dict):
        return
    seen.add(cursor.identity)
    raw = cursor.value
    types = _types(raw, openapi_30)
    if types is not None:
        nullable = "null" in types
        concrete = frozenset(t for t in types if t != "null")
        result.types = concrete if result.types is None else result.types & concrete
        result.nullable = result.nullable or nullable
    if openapi_30 and raw.get("nullable") is True:
        result.nullable = True
    if "enum" in raw and isinstance(raw["enum"], list):
        values: list[object] = list(raw["enum"])
        if None in values:
            result.nullable = True
            values = [v for v in values if v is not None]
        result.enum = values
    if "const" in raw:
        result.enum = [raw["const"]]
    extensible = raw.get("x-extensible-enum")
    if extensible is True:
        result.extensible = True
    elif isinstance(extensible, list):  # Zalando style: the values live in `x-extensible-enum`
        result.extensible = True
        result.enum = list(extensible)
    properties = cursor.get("properties")
    if properties is not None:
        result.properties.update(properties.items())
    required = raw.get("required")
    if isinstance(required, list):
        result.required.update(str(name) for name in required)
    if raw.get("additionalProperties") is False or raw.get("unevaluatedProperties") is False:
        result.additional = False
    items = cursor.get("items")
    if items is not None and isinstance(items.value, dict):
        result.items = items
    for keyword in ("oneOf", "anyOf"):
        members = cursor.get(keyword)
        if members is not None:
            result.variants = list(members.elements())
            result.variant_keyword = keyword
    _bounds(result, raw, openapi_30)
    if isinstance(raw.get("pattern"), str):
        result.pattern = str(raw["pattern"])
    if isinstance(raw.get("format"), str):
        result.format = str(raw["format"])
    discriminator = raw.get("discriminator")
    if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
        mapping = discriminator.get("mapping")
        result.discriminator = (
            str(discriminator["propertyName"]),
            {str(k): str(v) for k, v in mapping.items()} if isinstance(mapping, dict) else {},
        )
    members = cursor.get("allOf")
    if members is not None:
        for member in members.elements():
            _merge(result, member, openapi_30, seen)


def _types(raw: Mapping[str, object], openapi_30: bool) -> frozenset[str] | None:
    declared = raw.get("type")
    if isinstance(declared, str):
        return frozenset({declared})
    if isinstance(declared, list) and not openapi_30:
        return frozenset(str(t) for t in declared)
    return None


def _bounds(result: SchemaView, raw: Mapping[str, object], openapi_30: bool) -> None:
    for keyword in (*UPPER, *LOWER):
        value = raw.get(keyword)
        if isinstance(value, bool):
            continue  # 3.0 boolean exclusive flags: folded below
        if isinstance(value, int | float):
            result.bounds[keyword] = float(value)
    if openapi_30:
        # 3.0: `exclusiveMaximum: true` qualifies `maximum`; express it as 3.1's numeric form.
        for flag, bound in (("exclusiveMaximum", "maximum"), ("exclusiveMinimum", "minimum")):
            if raw.get(flag) is True and bound in result.bounds:
                result.bounds[flag] = result.bounds.pop(bound)


def accepts(outer: frozenset[str] | None, inner: frozenset[str] | None) -> bool:
    """Return whether every value of types ``inner`` is a value of types ``outer`` (``integer`` is a ``number``)."""
    if outer is None:
        return True
    if inner is None:
        return False
    return all(t in outer or (t == "integer" and "number" in outer) for t in inner)


def describe_types(types: frozenset[str] | None) -> str:
    """Return ``string`` or ``integer|string`` or ``any``."""
    return "|".join(sorted(types)) if types is not None else "any"
