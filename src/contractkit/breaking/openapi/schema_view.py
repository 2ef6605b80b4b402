"""A schema as the diff sees it: `allOf` merged, `nullable`/type arrays/`const` normalised, refs followed.

Both OpenAPI 3.0 (`nullable`, boolean `exclusiveMaximum`) and 3.1 (type arrays, `const`, numeric exclusive
bounds, `$defs` through refs, `oneOf: [X, {type: 'null'}]`) end up in the same :class:`SchemaView`, so each
rule is written once, and a 3.0 contract migrated to 3.1 without changing its meaning compares equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from contractkit.loaders.document import Cursor

# Numeric bounds (inclusive or exclusive) and length/count bounds, with the way that is "narrower".
NUMERIC = ("maximum", "minimum")
LENGTHS = ("maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties")
UPPER = frozenset({"maximum", "maxLength", "maxItems", "maxProperties"})


@dataclass(frozen=True, slots=True)
class Bound:
    """One bound: its value and, for `maximum`/`minimum`, whether the value itself is excluded."""

    value: float
    exclusive: bool = False

    def tighter(self, other: Bound, upper: bool) -> bool:
        """Return whether this bound admits fewer values than ``other`` (same direction)."""
        if self.value != other.value:
            return self.value < other.value if upper else self.value > other.value
        return self.exclusive and not other.exclusive


@dataclass(slots=True)
class SchemaView:
    """The facts of one schema that compatibility depends on.

    Attributes:
        cursor: the schema itself (for locations).
        types: the JSON types it accepts, ``None`` for any; ``"null"`` is never in it (see ``nullable``).
            Without a ``type``, ``properties`` imply ``object`` and ``items`` imply ``array``.
        nullable: whether ``null`` is accepted.
        enum: the allowed values (``const`` counts as a one-value enum), or ``None``.
        extensible: ``x-extensible-enum`` is set: consumers must accept unknown values.
        properties: name -> property schema, ``allOf`` members merged.
        required: the required property names.
        additional: ``False`` when ``additionalProperties: false``.
        sole: the only member of a `oneOf`/`anyOf` (merged into this view), to pair it with another choice's.
        additional_schema: the schema of unlisted properties (a map's values), when one is given.
        items: the array item schema.
        variants: the ``oneOf``/``anyOf`` members (a ``null`` member folded into ``nullable``).
        variant_keyword: which keyword holds them.
        bounds: ``maximum``/``minimum`` (exclusive forms of 3.0 and 3.1 folded in) and length/count bounds.
        pattern: the regular expression, if any.
        format: the declared format, if any.
        discriminator: the property name, if a discriminator is declared.
        mapping: the discriminator's explicit mapping (value -> ``$ref``).
        read_only: ``readOnly: true`` (never sent by clients).
        write_only: ``writeOnly: true`` (never returned to clients).
        ref_flags: property name -> ``readOnly``/``writeOnly`` written beside the property's ``$ref`` (3.1).
        sites: property name -> the property as written (a ``$ref`` is not followed), for locations.
    """

    cursor: Cursor
    types: frozenset[str] | None = None
    nullable: bool = False
    enum: list[object] | None = None
    extensible: bool = False
    properties: dict[str, Cursor] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    additional: bool = True
    sole: Cursor | None = None
    additional_schema: Cursor | None = None
    items: Cursor | None = None
    variants: list[Cursor] = field(default_factory=list)
    variant_keyword: str = ""
    bounds: dict[str, Bound] = field(default_factory=dict)
    pattern: str | None = None
    format: str | None = None
    discriminator: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    read_only: bool = False
    write_only: bool = False
    ref_flags: dict[str, set[str]] = field(default_factory=dict)
    sites: dict[str, Cursor] = field(default_factory=dict)


def view(cursor: Cursor, *, openapi_30: bool) -> SchemaView:
    """Return the :class:`SchemaView` of the schema at ``cursor``."""
    result = SchemaView(cursor)
    _merge(result, cursor, openapi_30, set())
    if result.types is None and not result.variants:
        # `properties` without `type: object` is an object in every real contract: adding the `type` later
        # must not read as "the request no longer accepts strings". Likewise `items` for arrays.
        if result.properties or result.required or result.additional_schema is not None:
            result.types = frozenset({"object"})
        elif result.items is not None:
            result.types = frozenset({"array"})
    return result


def _merge(result: SchemaView, cursor: Cursor, openapi_30: bool, seen: set[tuple[str, tuple[str, ...]]]) -> None:
    if cursor.identity in seen or not isinstance(cursor.value, dict):
        return
    seen.add(cursor.identity)
    raw = cursor.value
    _merge_types(result, raw, openapi_30)
    _merge_enum(result, raw)
    properties = cursor.get("properties")
    if properties is not None:
        result.properties.update(properties.items())
        raw_props = properties.value if isinstance(properties.value, dict) else {}
        for name, raw_prop in raw_props.items():
            # Where the property is written (its `$ref`, not the shared schema the ref leads to).
            result.sites[str(name)] = Cursor(cursor.doc, properties.file, (*properties.parts, str(name)), raw_prop)
            if not openapi_30 and isinstance(raw_prop, dict) and "$ref" in raw_prop:
                # 3.1: keywords beside a `$ref` apply too (`{$ref: Money, readOnly: true}`); 3.0 ignores them.
                flags = {k for k in ("readOnly", "writeOnly") if raw_prop.get(k) is True}
                if flags:
                    result.ref_flags[str(name)] = flags
    required = raw.get("required")
    if isinstance(required, list):
        result.required.update(str(name) for name in required)
    if raw.get("additionalProperties") is False or raw.get("unevaluatedProperties") is False:
        result.additional = False
    additional = cursor.get("additionalProperties")
    if additional is not None and isinstance(additional.value, dict):
        result.additional_schema = additional
    items = cursor.get("items")
    if items is not None and isinstance(items.value, dict):
        result.items = items
    _bounds(result, raw, openapi_30)
    if isinstance(raw.get("pattern"), str):
        result.pattern = str(raw["pattern"])
    if isinstance(raw.get("format"), str):
        result.format = str(raw["format"])
    result.read_only = result.read_only or raw.get("readOnly") is True
    result.write_only = result.write_only or raw.get("writeOnly") is True
    discriminator = raw.get("discriminator")
    if isinstance(discriminator, str):  # the AsyncAPI Schema Object names the property directly
        result.discriminator = discriminator
    elif isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
        result.discriminator = str(discriminator["propertyName"])
        mapping = discriminator.get("mapping")
        if isinstance(mapping, dict):
            result.mapping.update({str(k): str(v) for k, v in mapping.items()})
    for keyword in ("oneOf", "anyOf"):
        members = cursor.get(keyword)
        if members is None:
            continue
        variants = []
        for member in members.elements():
            if _is_null(member.value, openapi_30):
                result.nullable = True  # `oneOf: [X, {type: 'null'}]` is 3.1's nullable X
            else:
                variants.append(member)
        if len(variants) == 1:  # a single member (beside `null`) is that member
            _merge(result, variants[0], openapi_30, seen)
            result.sole = variants[0]
        elif variants:
            result.variants = variants
            result.variant_keyword = keyword
    members = cursor.get("allOf")
    if members is not None:
        for member in members.elements():
            _merge(result, member, openapi_30, seen)


def _merge_types(result: SchemaView, raw: Mapping[str, object], openapi_30: bool) -> None:
    types = _types(raw, openapi_30)
    if types is not None:
        concrete = frozenset(t for t in types if t != "null")
        result.types = concrete if result.types is None else result.types & concrete
        result.nullable = result.nullable or "null" in types
    if openapi_30 and raw.get("nullable") is True:
        result.nullable = True


def _merge_enum(result: SchemaView, raw: Mapping[str, object]) -> None:
    declared = raw.get("enum")
    values: list[object] | None = list(declared) if isinstance(declared, list) else None
    if "const" in raw:
        values = [raw["const"]]
    if values is not None:
        if None in values:
            result.nullable = True
            values = [v for v in values if v is not None]
        result.enum = values
    extensible = raw.get("x-extensible-enum")
    if extensible is True:
        result.extensible = True
    elif isinstance(extensible, list):  # Zalando style: the values live in `x-extensible-enum`
        result.extensible = True
        result.enum = list(extensible)


def _is_null(raw: object, openapi_30: bool) -> bool:
    """Return whether a `oneOf`/`anyOf` member accepts only ``null`` (``{type: 'null'}``, ``{const: null}``)."""
    if not isinstance(raw, dict):
        return False
    if not openapi_30 and (raw.get("type") == "null" or raw.get("type") == ["null"]):
        return True
    return raw.get("enum") == [None] or ("const" in raw and raw["const"] is None)


def _types(raw: Mapping[str, object], openapi_30: bool) -> frozenset[str] | None:
    declared = raw.get("type")
    if isinstance(declared, str):
        return frozenset({declared})
    if isinstance(declared, list) and not openapi_30:
        return frozenset(str(t) for t in declared)
    return None


def _bounds(result: SchemaView, raw: Mapping[str, object], openapi_30: bool) -> None:
    found: dict[str, Bound] = {}
    for keyword in LENGTHS:
        value = raw.get(keyword)
        if isinstance(value, int | float) and not isinstance(value, bool):
            found[keyword] = Bound(float(value))
    for keyword, exclusive_keyword in (("maximum", "exclusiveMaximum"), ("minimum", "exclusiveMinimum")):
        value, exclusive = raw.get(keyword), raw.get(exclusive_keyword)
        candidates = []
        if isinstance(value, int | float) and not isinstance(value, bool):
            # 3.0: `exclusiveMaximum: true` qualifies `maximum`.
            candidates.append(Bound(float(value), openapi_30 and exclusive is True))
        if isinstance(exclusive, int | float) and not isinstance(exclusive, bool):
            candidates.append(Bound(float(exclusive), True))  # 3.1: a number of its own
        for candidate in candidates:
            current = found.get(keyword)
            if current is None or candidate.tighter(current, keyword in UPPER):
                found[keyword] = candidate
    for keyword, bound in found.items():
        current = result.bounds.get(keyword)
        if current is None or bound.tighter(current, keyword in UPPER):  # allOf: every member's bound holds
            result.bounds[keyword] = bound


def accepts(outer: frozenset[str] | None, inner: frozenset[str] | None) -> bool:
    """Return whether every value of types ``inner`` is a value of types ``outer`` (``integer`` is a ``number``)."""
    if outer is None:
        return True
    if inner is None:
        return False
    return all(t in outer or (t == "integer" and "number" in outer) for t in inner)


def overlap(left: frozenset[str] | None, right: frozenset[str] | None) -> bool:
    """Return whether some value has one of ``left``'s types and one of ``right``'s."""
    if left is None or right is None:
        return True
    widened_left = left | ({"integer"} if "number" in left else set())
    widened_right = right | ({"integer"} if "number" in right else set())
    return bool(widened_left & widened_right)


def describe_types(types: frozenset[str] | None) -> str:
    """Return ``string`` or ``integer|string`` or ``any``."""
    return "|".join(sorted(types)) if types is not None else "any"
