"""A schema as the diff sees it: one normal form for every spelling of the same meaning.

Both OpenAPI 3.0 and 3.1 (and AsyncAPI's JSON Schema) end up in the same :class:`SchemaView`, so each rule is
written once, and a contract rewritten without changing its meaning compares equal:

- **null**: 3.0 ``nullable: true`` (also beside a ``$ref``, and as an ``allOf`` member ``{nullable: true}``),
  3.1 ``type: [T, 'null']``, a ``null`` member of ``oneOf``/``anyOf`` (``{type: 'null'}``, ``{const: null}``,
  3.0 ``{nullable: true}``) and ``null`` in an ``enum`` all set :attr:`SchemaView.nullable`;
- **wrappers**: ``allOf`` members are merged; a ``oneOf``/``anyOf`` left with one member once its ``null`` is
  taken out is that member (``anyOf: [X, {type: 'null'}]`` is a nullable X); a member that is itself only a
  ``oneOf``/``anyOf`` is flattened into its parent (a union of unions is one union);
- **sizes**: the ``format`` of an integer or a number implies its bounds (``int32``, ``int64``, ``uint8``...,
  ``float``), so ``format: int64`` and the equivalent ``minimum``/``maximum`` are the same schema; a size
  format is a bound, not a format;
- **repairs**: an invalid type that names a size (``type: int64``, ``long``, ``double``...) is read as what its
  author meant, the JSON type with that size (``integer`` with the ``int64`` bounds);
- **types**: without a ``type``, ``properties`` imply ``object``, ``items`` imply ``array``, and an ``enum`` or
  ``const`` the types of its values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from contractkit.loaders.document import Cursor

# Numeric bounds (inclusive or exclusive) and length/count bounds, with the way that is "narrower".
NUMERIC = ("maximum", "minimum")
LENGTHS = ("maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties")
UPPER = frozenset({"maximum", "maxLength", "maxItems", "maxProperties"})

#: The bounds each size format implies (OpenAPI Format Registry); ``double`` implies none (every JSON number a
#: reader keeps), so it is dropped as well.
SIZE_FORMATS: Mapping[str, tuple[str, int | float, int | float]] = {
    "int8": ("integer", -(2**7), 2**7 - 1),
    "int16": ("integer", -(2**15), 2**15 - 1),
    "int32": ("integer", -(2**31), 2**31 - 1),
    "int64": ("integer", -(2**63), 2**63 - 1),
    "uint8": ("integer", 0, 2**8 - 1),
    "uint16": ("integer", 0, 2**16 - 1),
    "uint32": ("integer", 0, 2**32 - 1),
    "uint64": ("integer", 0, 2**64 - 1),
    "float": ("number", -3.4028234663852886e38, 3.4028234663852886e38),
}
#: Invalid ``type`` names that say what their author meant: (JSON type, size format or ``None``).
TYPE_REPAIRS: Mapping[str, tuple[str, str | None]] = {
    "int": ("integer", None),
    "int32": ("integer", "int32"),
    "int64": ("integer", "int64"),
    "long": ("integer", "int64"),
    "float": ("number", "float"),
    "double": ("number", None),
    "bool": ("boolean", None),
}
# Keywords that only document a schema: a `oneOf`/`anyOf` with nothing else but these is a pure union.
_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "externalDocs", "deprecated", "$comment", "xml", "default"}
)
_JSON_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"), (dict, "object"))


@dataclass(frozen=True, slots=True)
class Bound:
    """One bound: its value and, for `maximum`/`minimum`, whether the value itself is excluded.

    ``implied_by`` names the size format the bound comes from (``int64``); it is not part of equality: the bound
    of ``format: int64`` is the same bound as an explicit ``maximum: 9223372036854775807``.
    """

    value: int | float
    exclusive: bool = False
    implied_by: str | None = field(default=None, compare=False)

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
        nullable: whether ``null`` is accepted.
        enum: the allowed values (``const`` counts as a one-value enum), or ``None``.
        open_enum: ``x-extensible-enum: true`` (or its list form): consumers must accept unknown values;
            ``x-extensible-enum: false``: the enum is closed, a value added breaks consumers; ``None``: not said.
        properties: name -> property schema, ``allOf`` members merged.
        required: the required property names.
        additional: ``False`` when ``additionalProperties: false``.
        sole: the only member of a `oneOf`/`anyOf` (merged into this view), to pair it with another choice's.
        additional_schema: the schema of unlisted properties (a map's values), when one is given.
        items: the array item schema.
        variants: the ``oneOf``/``anyOf`` members (``null`` members folded into ``nullable``, nested pure unions
            flattened).
        variant_keyword: which keyword holds them.
        bounds: ``maximum``/``minimum`` (exclusive forms of 3.0 and 3.1 and size formats folded in) and
            length/count bounds.
        pattern: the regular expression, if any.
        format: the declared format, if any (a size format such as ``int64`` is a bound instead).
        size_format: the size format folded into the bounds or dropped (``int64``, ``float``, ``double``), so a
            message can still name it.
        discriminator: the property name, if a discriminator is declared.
        mapping: the discriminator's explicit mapping (value -> ``$ref``).
        read_only: ``readOnly: true`` (never sent by clients).
        write_only: ``writeOnly: true`` (never returned to clients).
        ref_flags: property name -> ``readOnly``/``writeOnly`` written beside the property's ``$ref`` (3.1).
        sites: property name -> the property as written (a ``$ref`` is not followed), for locations.
        nullable_sites: properties written ``{$ref: X, nullable: true}`` in OpenAPI 3.0 (``items`` and
            ``additionalProperties`` as ``[]`` and ``*``): the reference is nullable where it is used.
    """

    cursor: Cursor
    types: frozenset[str] | None = None
    nullable: bool = False
    enum: list[object] | None = None
    open_enum: bool | None = None
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
    size_format: str | None = None
    discriminator: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    read_only: bool = False
    write_only: bool = False
    ref_flags: dict[str, set[str]] = field(default_factory=dict)
    sites: dict[str, Cursor] = field(default_factory=dict)
    nullable_sites: set[str] = field(default_factory=set)

    def unconstrained(self) -> bool:
        """Return whether the schema accepts every value of its types (``{type: string}``, ``{}``)."""
        return (
            self.enum is None
            and not self.bounds
            and self.pattern is None
            and self.format is None
            and not self.properties
            and not self.required
            and self.additional
            and self.additional_schema is None
            and self.items is None
            and not self.variants
        )


def view(cursor: Cursor, *, openapi_30: bool) -> SchemaView:
    """Return the :class:`SchemaView` of the schema at ``cursor``."""
    result = SchemaView(cursor)
    _merge(result, cursor, openapi_30, set())
    if result.types is None and not result.variants:
        # `properties` without `type: object` is an object in every real contract: adding the `type` later
        # must not read as "the request no longer accepts strings". Likewise `items` for arrays, and an `enum`
        # for the types of its values.
        if result.properties or result.required or result.additional_schema is not None:
            result.types = frozenset({"object"})
        elif result.items is not None:
            result.types = frozenset({"array"})
        elif result.enum:
            result.types = frozenset(json_type(value) for value in result.enum)
    _size_bounds(result)
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
            if ref_nullable(raw_prop, openapi_30):
                result.nullable_sites.add(str(name))
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
        if ref_nullable(raw.get("additionalProperties"), openapi_30):
            result.nullable_sites.add("*")
    items = cursor.get("items")
    if items is not None and isinstance(items.value, dict):
        result.items = items
        if ref_nullable(raw.get("items"), openapi_30):
            result.nullable_sites.add("[]")
    _bounds(result, raw, openapi_30)
    if isinstance(raw.get("pattern"), str):
        result.pattern = str(raw["pattern"])
    if isinstance(raw.get("format"), str):
        result.format = str(raw["format"])
    result.read_only = result.read_only or raw.get("readOnly") is True
    result.write_only = result.write_only or raw.get("writeOnly") is True
    _merge_discriminator(result, raw)
    for keyword in ("oneOf", "anyOf"):
        if cursor.get(keyword) is None:
            continue
        variants: list[Cursor] = []
        if _union_members(result, cursor, keyword, openapi_30, variants, set()):
            result.nullable = True  # `oneOf: [X, {type: 'null'}]` is 3.1's nullable X
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


def _union_members(
    result: SchemaView,
    cursor: Cursor,
    keyword: str,
    openapi_30: bool,
    into: list[Cursor],
    seen: set[tuple[str, tuple[str, ...]]],
) -> bool:
    """Collect the members of ``cursor``'s ``keyword`` into ``into``; return whether one of them is ``null``.

    A member that is itself nothing but a ``oneOf``/``anyOf`` is flattened into the list (the values of a union
    of unions are those of one union), and a 3.0 member ``{$ref: X, nullable: true}`` adds ``null``.
    """
    if cursor.identity in seen:
        return False
    seen.add(cursor.identity)
    members = cursor.get(keyword)
    raw_members = members.value if members is not None and isinstance(members.value, list) else []
    found = [(raw, members.get(str(i))) for i, raw in enumerate(raw_members)] if members is not None else []
    present = [(raw, member) for raw, member in found if member is not None]  # a broken `$ref`: validate says so
    typed = [_light_types(m.value, openapi_30) for _, m in present]
    nullable = False
    for raw_member, member in present:
        if _is_null(member.value, openapi_30) or _null_idiom(member.value, openapi_30, typed):
            nullable = True
            continue
        nullable = nullable or ref_nullable(raw_member, openapi_30)
        inner = _pure_union(member.value)
        if inner is not None:
            nullable = _union_members(result, member, inner, openapi_30, into, seen) or nullable
        else:
            into.append(member)
    return nullable


def _null_idiom(raw: object, openapi_30: bool, siblings: list[frozenset[str] | None]) -> bool:
    """Return whether a 3.0 member ``{type: T, nullable: true}`` (nothing else) stands for ``null`` in its union.

    Read literally it accepts any T, which would make every other T member of the union pointless; written
    next to one (``anyOf: [{type: object, nullable: true, title: 'null'}, {$ref: Droplet}]``), it is the 3.0
    way to say "or null". ``siblings`` are the types of every member (itself included).
    """
    if not openapi_30 or not isinstance(raw, dict) or raw.get("nullable") is not True:
        return False
    if [k for k in raw if k not in ("type", "nullable") and k not in _ANNOTATIONS and not str(k).startswith("x-")]:
        return False
    own = _types(raw, openapi_30)
    return own is not None and sum(1 for types in siblings if types is not None and types & own) >= 2


def _pure_union(raw: object) -> str | None:
    """Return ``oneOf``/``anyOf`` when ``raw`` is only that union (and documentation), else ``None``."""
    if not isinstance(raw, dict):
        return None
    unions = [k for k in ("oneOf", "anyOf") if isinstance(raw.get(k), list)]
    if len(unions) != 1:
        return None
    rest = [k for k in raw if k != unions[0] and k not in _ANNOTATIONS and not str(k).startswith("x-")]
    return unions[0] if not rest else None


def _merge_discriminator(result: SchemaView, raw: Mapping[str, object]) -> None:
    discriminator = raw.get("discriminator")
    if isinstance(discriminator, str):  # the AsyncAPI Schema Object names the property directly
        result.discriminator = discriminator
    elif isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
        result.discriminator = str(discriminator["propertyName"])
        mapping = discriminator.get("mapping")
        if isinstance(mapping, dict):
            result.mapping.update({str(k): str(v) for k, v in mapping.items()})


def _merge_types(result: SchemaView, raw: Mapping[str, object], openapi_30: bool) -> None:
    types = _types(raw, openapi_30)
    if types is not None:
        concrete = frozenset(t for t in types if t != "null")
        result.types = concrete if result.types is None else result.types & concrete
        result.nullable = result.nullable or "null" in types
        repaired = {TYPE_REPAIRS[t][1] for t in _declared(raw, openapi_30) if t in TYPE_REPAIRS}
        size = next((s for s in sorted(repaired, key=str) if s is not None), None)
        if size is not None and result.format is None:
            result.format = size  # `type: int64` is `type: integer, format: int64` (folded into bounds later)
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
        result.open_enum = True
    elif extensible is False:
        result.open_enum = False
    elif isinstance(extensible, list):  # Zalando style: the values live in `x-extensible-enum`
        result.open_enum = True
        result.enum = list(extensible)


def ref_nullable(raw: object, openapi_30: bool) -> bool:
    """Return whether ``raw`` is a 3.0 reference made nullable where it is used: ``{$ref: X, nullable: true}``.

    OpenAPI 3.0 ignores keywords beside a ``$ref``, but every author who writes this means a nullable X, as the
    ``allOf: [{$ref: X}]`` + ``nullable: true`` spelling and 3.1's ``anyOf: [X, {type: 'null'}]`` say.
    """
    return openapi_30 and isinstance(raw, dict) and "$ref" in raw and raw.get("nullable") is True


def _is_null(raw: object, openapi_30: bool) -> bool:
    """Return whether a `oneOf`/`anyOf` member accepts only ``null`` (``{type: 'null'}``, ``{const: null}``).

    In OpenAPI 3.0 a member ``{nullable: true}`` with nothing else is written to mean "or null" too.
    """
    if not isinstance(raw, dict):
        return False
    if not openapi_30 and (raw.get("type") == "null" or raw.get("type") == ["null"]):
        return True
    if openapi_30 and raw.get("nullable") is True:
        meaningful = [k for k in raw if k != "nullable" and k not in _ANNOTATIONS and not str(k).startswith("x-")]
        if not meaningful:
            return True
    return raw.get("enum") == [None] or ("const" in raw and raw["const"] is None)


def _light_types(raw: object, openapi_30: bool) -> frozenset[str] | None:
    """Return the declared types of ``raw``, or those its ``properties``/``items`` imply (no merge, no refs)."""
    if not isinstance(raw, dict):
        return None
    declared = _types(raw, openapi_30)
    if declared is not None:
        return declared
    if "properties" in raw or "required" in raw:
        return frozenset({"object"})
    return frozenset({"array"}) if "items" in raw else None


def _declared(raw: Mapping[str, object], openapi_30: bool) -> list[str]:
    declared = raw.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list) and not openapi_30:
        return [str(t) for t in declared]
    return []


def _types(raw: Mapping[str, object], openapi_30: bool) -> frozenset[str] | None:
    declared = _declared(raw, openapi_30)
    if not declared:
        return None
    return frozenset(TYPE_REPAIRS[t][0] if t in TYPE_REPAIRS else t for t in declared)


def json_type(value: object) -> str:
    """Return the JSON type of a parsed JSON value (``true`` is a ``boolean``, ``1`` an ``integer``)."""
    for kind, name in _JSON_TYPES:
        if isinstance(value, kind):
            return name
    return "array"


def _size_bounds(result: SchemaView) -> None:
    """Fold a size format (``int64``, ``float``...) into the bounds it implies, for the types it applies to."""
    name = result.format or ""
    if name == "double":
        if result.types is None or "number" in result.types or "integer" in result.types:
            result.format = None  # every JSON number a reader keeps: the format adds nothing
            result.size_format = name
        return
    size = SIZE_FORMATS.get(name)
    if size is None:
        return
    kind, low, high = size
    if result.types is not None and kind not in result.types and "number" not in result.types:
        return  # `type: string, format: int64` (a number written as text) has no numeric bounds
    result.format = None
    result.size_format = name
    for keyword, value in (("minimum", low), ("maximum", high)):
        implied = Bound(value, implied_by=name)
        current = result.bounds.get(keyword)
        if current is None or implied.tighter(current, keyword in UPPER):
            result.bounds[keyword] = implied


def _bounds(result: SchemaView, raw: Mapping[str, object], openapi_30: bool) -> None:
    found: dict[str, Bound] = {}
    for keyword in LENGTHS:
        value = raw.get(keyword)
        if isinstance(value, int | float) and not isinstance(value, bool):
            found[keyword] = Bound(value)
    for keyword, exclusive_keyword in (("maximum", "exclusiveMaximum"), ("minimum", "exclusiveMinimum")):
        value, exclusive = raw.get(keyword), raw.get(exclusive_keyword)
        candidates = []
        if isinstance(value, int | float) and not isinstance(value, bool):
            # 3.0: `exclusiveMaximum: true` qualifies `maximum`.
            candidates.append(Bound(value, openapi_30 and exclusive is True))
        if isinstance(exclusive, int | float) and not isinstance(exclusive, bool):
            candidates.append(Bound(exclusive, True))  # 3.1: a number of its own
        for candidate in candidates:
            current = found.get(keyword)
            if current is None or candidate.tighter(current, keyword in UPPER):
                found[keyword] = candidate
    for keyword, bound in found.items():
        current = result.bounds.get(keyword)
        if current is None or bound.tighter(current, keyword in UPPER):  # allOf: every member's bound holds
            result.bounds[keyword] = bound


def contains(values: list[object], value: object) -> bool:
    """Return whether ``value`` is one of ``values`` (``1`` is not ``true``, ``1`` is not ``1.0``... nor ``"1"``)."""
    return any(type(v) is type(value) and v == value for v in values)


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
