"""One JSON Schema document per generated module: every schema named, every ``$ref`` pointing at a name.

:class:`SchemaSet` walks a contract's schemas through the loader's :class:`~contractkit.loaders.document.Cursor`
(so refs across files are followed and a schema reached twice is one schema), converts each to JSON Schema
2020-12 (OpenAPI 3.0 ``nullable``, boolean ``exclusiveMinimum``), hoists the inline schemas that become classes
into named definitions, and rewrites every ``$ref`` to ``#/$defs/<Name>``. Schemas of ``contracts/common/`` keep
their key as name and are recorded as imports from ``contracts_common.<module>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from contractkit.codegen.naming import Names, pascal, snake, variant_names
from contractkit.errors import ContractInvalid
from contractkit.loaders.document import Cursor, Document
from contractkit.loaders.types import JsonValue
from contractkit.spec.normalise import Dialect, convert_keywords, nullable, ref_siblings

Identity = tuple[str, tuple[str, ...]]

# Keywords dcg reads as they are (in their 2020-12 spelling: `spec.normalise.convert_keywords`).
_PLAIN = frozenset(
    {
        "type",
        "format",
        "enum",
        "const",
        "default",
        "description",
        "required",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
    }
)
# Keywords whose value is one schema; the word names a hoisted inline schema.
_ONE = {"items": "Item", "additionalProperties": "Value", "not": "Not", "contains": "Item"}
_MANY = ("oneOf", "anyOf", "allOf")
# The keywords holding schemas that dcg reads, in the order their schemas are named (a name goes to the first).
_STRUCTURE = ("properties", "items", "additionalProperties", "not", "contains", "prefixItems", *_MANY)
# The same for a draft-07 tuple (`items: [...]`, `prefixItems` in 2020-12): its members are named in items' place.
_TUPLE_ORDER = ("properties", "prefixItems", "items", "additionalProperties", "not", "contains", *_MANY)
# Validation keywords that dcg writes as ``Field(...)`` constraints: where a union member, an array item or a map
# value carries one, dcg makes a named type alias for it (``Stop``, ``Input1``), so contractkit names it first.
_CONSTRAINTS = frozenset(
    {
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
    }
)
# Keywords that only apply to arrays: dropped from a schema whose `type` rules arrays out (they are no-ops there,
# and dcg would otherwise make a union of a list and an empty class out of `{type: object, items: ...}`).
_ARRAY_ONLY = ("items", "prefixItems", "contains", "minItems", "maxItems", "uniqueItems")
# Every keyword codegen reads (the rest, examples, xml, x-*, if/then/else, dependencies..., is left out).
_HOLDERS = frozenset(_STRUCTURE)
_READ = _PLAIN | _HOLDERS
# What codegen keeps of a node, by (its `type` allows arrays, OAS 3.0: `nullable` is a keyword).
_KEEP = {
    (array, oas30): _READ - (set() if array else set(_ARRAY_ONLY)) | ({"nullable"} if oas30 else set())
    for array in (True, False)
    for oas30 in (True, False)
}


@dataclass(frozen=True, slots=True)
class Example:
    """An example of the contract and the model that must accept it.

    Attributes:
        model: the class (or alias) name.
        value: the example value.
        where: where the example is (``file#pointer``).
    """

    model: str
    value: JsonValue
    where: str


@dataclass(slots=True)
class SchemaSet:
    """The named schemas of one generated module.

    Attributes:
        doc: the document schemas are read from.
        common_dir: the folder of shared schemas (imported, not generated here), or None.
        module: for a common module, the file it is generated from (its schemas are local, not imported).
        enums_as_enum: whether inline enums become ``Enum`` classes (then they need a name).
        names: the names taken.
        defs: name -> converted schema.
        common: name -> module in ``contracts_common``, for every shared schema used.
        aliases: alias -> name (``CreateOrderRequest`` -> ``OrderCreate``), in insertion order.
        examples: the examples found beside the schemas.
    """

    doc: Document
    common_dir: Path | None
    module: Path | None = None
    enums_as_enum: bool = False
    names: Names = field(default_factory=Names)
    defs: dict[str, JsonValue] = field(default_factory=dict)
    common: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    examples: list[Example] = field(default_factory=list)
    _by_identity: dict[Identity, str] = field(default_factory=dict)
    _dialect: Dialect = "oas3.1"
    _openapi30: bool = False

    def __post_init__(self) -> None:
        self.common_dir = self.common_dir.resolve() if self.common_dir is not None else None
        spec = self.doc.spec
        if spec.kind.value != "openapi":
            self._dialect = "draft-07"
        elif spec.version.startswith("3.0"):
            self._dialect = "oas3.0"
        self._openapi30 = self._dialect == "oas3.0"

    # -- naming -------------------------------------------------------------------------------------------

    def add(self, cursor: Cursor, *candidates: str) -> str:
        """Name the schema at ``cursor`` (the first free candidate, unless it has a name already) and convert it."""
        known = self._by_identity.get(cursor.identity)
        if known is not None:
            return known
        module = self._common_module(cursor)
        if module is not None and len(cursor.parts) == 1:
            return self._add_common(cursor, module)
        name = self.names.claim(cursor.identity, *candidates)
        self._by_identity[cursor.identity] = name
        self.defs[name] = None  # reserve the slot: a recursive schema refers to itself by name
        self.defs[name] = self._convert(cursor, name)
        self._schema_examples(cursor, name)
        return name

    def alias(self, alias: str, name: str) -> None:
        """Give the class ``name`` a second, operation-derived name (skipped when the name is taken)."""
        if alias != name and alias not in self.names:
            self.names.claim(("alias", alias), alias)
            self.aliases[alias] = name

    def named(self, cursor: Cursor) -> str | None:
        """Return the name given to the schema at ``cursor``, if any."""
        return self._by_identity.get(cursor.identity)

    def _add_common(self, cursor: Cursor, module: str) -> str:
        name = pascal(cursor.parts[0])
        owner = self.names.owner(name) if name in self.names else cursor.identity
        if owner != cursor.identity:
            raise ContractInvalid(
                f"the shared schema `{cursor.file.name}#/{cursor.parts[0]}` and another schema of "
                f"`{self.doc.name}` would both be the class `{name}`",
                title="cannot generate models",
                location=cursor.location,
                tip="rename one of them: a contract imports shared models by their own name.",
            )
        self.names.claim(cursor.identity, name)
        self._by_identity[cursor.identity] = name
        self.common[name] = module
        self.defs[name] = None
        self.defs[name] = self._convert(cursor, name)
        return name

    def _common_module(self, cursor: Cursor) -> str | None:
        path = cursor.file.path
        if self.common_dir is None or path is None or path.parent != self.common_dir or path == self.module:
            return None
        return snake(path.stem)

    def _ref_name(self, target: Cursor) -> str:
        known = self._by_identity.get(target.identity)
        if known is not None:
            return known
        parts = target.parts
        last = pascal(parts[-1]) if parts else pascal(target.file.path.stem if target.file.path else "Schema")
        candidates = [last]
        if len(parts) >= 2 and parts[-2] not in ("schemas", "properties", "$defs", "definitions"):
            candidates.append(pascal(parts[-2]) + last)
        if target.file.path is not None and target.file is not self.doc.root:
            candidates.append(pascal(target.file.path.stem) + last)
        return self.add(target, *candidates)

    # -- conversion ---------------------------------------------------------------------------------------

    def _child(
        self,
        parent: Cursor,
        key: str,
        hoist_as: str | None,
        *,
        force: bool = False,
        owner: str = "Schema",
        fallbacks: tuple[str, ...] = (),
    ) -> JsonValue:
        """Convert ``parent[key]``: a ref becomes a ref to a name; an inline class-like schema is hoisted.

        A hoisted schema is named ``hoist_as``, else the first free name of ``fallbacks``, else ``<hoist_as>Schema``.
        """
        raw = _raw(parent.value, key)
        cursor = parent.get(key)
        if cursor is None:
            if isinstance(raw, dict) and "$ref" in raw:
                where = parent.file.location((*parent.parts, key))
                raise ContractInvalid(
                    f"`$ref: {raw['$ref']}` cannot be followed",
                    title="cannot generate models",
                    location=where,
                    tip="`contractkit validate` lists every broken `$ref`.",
                )
            return raw
        if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
            if isinstance(cursor.value, bool):
                return cursor.value
            target: JsonValue = {"$ref": f"#/$defs/{self._ref_name(cursor)}"}
            siblings = ref_siblings(raw, self._dialect)
            if not siblings:
                return target
            # OAS 3.1: the siblings apply beside the target (annotations alone fold back into the bare ref).
            beside = Cursor(self.doc, parent.file, (*parent.parts, key), siblings)
            out: dict[str, JsonValue] = {"allOf": [target, self._convert(beside, hoist_as or owner)]}
            _simplify_all_of(out)
            if hoist_as is None or not self.needs_class(out):
                return out
            name = self.names.claim(beside.identity, hoist_as, *fallbacks, hoist_as + "Schema")  # not dcg's `Cat1`
            self._by_identity[beside.identity] = name
            self.defs[name] = out
            return {"$ref": f"#/$defs/{name}"}
        if hoist_as is not None and (force or self.needs_class(cursor.value)):
            return {"$ref": f"#/$defs/{self.add(cursor, hoist_as, *fallbacks, hoist_as + 'Schema')}"}
        return self._convert(cursor, hoist_as or owner)

    def needs_class(self, value: JsonValue) -> bool:
        """Return whether an inline schema becomes a class (an object, an allOf, an enum generated as `Enum`)."""
        if not isinstance(value, dict):
            return False
        if "properties" in value or "allOf" in value:
            return True
        return self.enums_as_enum and bool(value.get("enum"))  # dcg makes an `Enum` of one value too

    def _named_by_dcg(self, value: JsonValue) -> bool:
        """Return whether dcg names a union member / array item / map value itself (when contractkit does not).

        That is a class-like schema, a constrained one (dcg makes a type alias with the ``Field`` constraints), or
        any enum when enums are generated as ``Enum`` classes.
        """
        if not isinstance(value, dict) or "$ref" in value:
            return False
        return self.needs_class(value) or not _CONSTRAINTS.isdisjoint(value) or (self.enums_as_enum and "enum" in value)

    def _convert(self, cursor: Cursor, owner: str) -> JsonValue:
        value = cursor.value
        if isinstance(value, bool):
            return value
        if not isinstance(value, dict):
            raise ContractInvalid(
                f"a schema must be an object or a boolean, not a {type(value).__name__}",
                title="cannot generate models",
                location=cursor.location,
                tip="`contractkit validate` checks every schema of the contract.",
            )
        keep = _KEEP[_may_be_array(value), self._openapi30]
        holders: dict[str, Cursor | None] = {}  # the cursor of `properties`, `oneOf`, ... (refs followed), once

        def sub(keyword: str, path: tuple[str, ...], value: JsonValue) -> JsonValue:
            if len(path) == 1:
                return self._sub(cursor, cursor, owner, keyword, path[0])
            if path[0] not in holders:
                holders[path[0]] = cursor.get(path[0])
            holder = holders[path[0]]
            if holder is None:  # a broken `$ref` in place of `properties`, ...: validate reports it
                return value
            return self._sub(cursor, holder, owner, keyword, path[1])

        order = _TUPLE_ORDER if isinstance(value.get("items"), list) else _STRUCTURE
        converted = convert_keywords(value, self._dialect, sub, keep=keep, order=order)
        null = converted.pop("nullable", None) is True
        # dcg's input as it always was: the plain keywords in source order, then those holding schemas, in `order`.
        out: dict[str, JsonValue] = {key: sub for key, sub in converted.items() if key not in _HOLDERS}
        out.update((key, converted[key]) for key in order if key in converted)
        _simplify_all_of(out)
        discriminator = value.get("discriminator")
        if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
            out["discriminator"] = self._discriminator(cursor, discriminator)
        return nullable(out, null_first=False) if null else out

    def _sub(self, cursor: Cursor, holder: Cursor, owner: str, keyword: str, key: str) -> JsonValue:
        """Convert the subschema ``holder[key]`` of ``cursor`` (held by the 2020-12 ``keyword``), naming it for dcg."""
        if keyword == "properties":
            return self._child(holder, key, owner + pascal(key))
        if keyword == "prefixItems":
            return self._child(holder, key, f"{owner}Item{int(key) + 1}")
        if keyword in _MANY:
            return self._member(keyword, holder, int(key), owner)
        # A constrained item or map value would get a name from dcg: name it here instead.
        value = _raw(cursor.value, key)
        hoist = (keyword == "additionalProperties" and isinstance(value, dict) and len(value) > 1) or (
            keyword in ("items", "additionalProperties") and self._named_by_dcg(value)
        )
        return self._child(cursor, key, owner + _ONE[keyword], force=hoist)

    def _member(self, key: str, members: Cursor, index: int, owner: str) -> JsonValue:
        """Convert member ``index`` of an ``allOf``/``oneOf``/``anyOf``.

        An ``allOf`` member stays inline (dcg merges it into its owner). A ``oneOf``/``anyOf`` member dcg would
        name is hoisted under the first free name of :func:`~contractkit.codegen.naming.variant_names`; a member
        that stays inline lends that name to the schemas nested in it.
        """
        if key == "allOf":
            return self._child(members, str(index), None, owner=owner)
        values = members.value
        assert isinstance(values, list)
        member = values[index]
        names = variant_names(owner, member, values)
        return self._child(
            members, str(index), names[0], owner=owner, force=self._named_by_dcg(member), fallbacks=names[1:]
        )

    def _discriminator(self, cursor: Cursor, discriminator: dict[str, JsonValue]) -> JsonValue:
        out: dict[str, JsonValue] = {"propertyName": discriminator["propertyName"]}
        mapping = discriminator.get("mapping")
        if isinstance(mapping, dict):
            rewritten: dict[str, JsonValue] = {}
            for tag, ref in mapping.items():
                if not isinstance(ref, str):
                    continue
                target_ref = ref if "#" in ref or "/" in ref else f"#/components/schemas/{ref}"
                try:
                    target = self.doc.resolver.follow(cursor.file, (*cursor.parts, "discriminator"), target_ref)
                except ContractInvalid:
                    continue
                except Exception:  # an unresolvable mapping is validate's business; the union still works
                    continue
                name = self._ref_name(Cursor(self.doc, target.file, target.parts, target.value))
                rewritten[tag] = f"#/$defs/{name}"
            out["mapping"] = rewritten
        return out

    def _schema_examples(self, cursor: Cursor, name: str) -> None:
        value = cursor.value
        if not isinstance(value, dict):
            return
        where = str(cursor.location)
        if "example" in value:
            self.examples.append(Example(name, value["example"], where))
        if isinstance(value.get("examples"), list):
            for item in value["examples"]:  # type: ignore[union-attr]
                self.examples.append(Example(name, item, where))

    def document(self) -> dict[str, JsonValue]:
        """Return the JSON Schema document handed to datamodel-code-generator (definitions sorted by name)."""
        defs = {name: self.defs[name] for name in sorted(self.defs)}
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": {name: _flatten_override(value, defs) for name, value in defs.items()},
        }


def _flatten_override(value: JsonValue, defs: dict[str, JsonValue]) -> JsonValue:
    """Flatten ``allOf: [{$ref: Base}, {properties: {p: ...}}]`` when the second part redeclares a property of Base.

    dcg makes such a schema a subclass of Base and types the redeclared property as Base has it: the house page
    envelope `CursorPage` (`items: [any]`) narrowed by `OrderPage` (`items: [Order]`) came out as `items: list[Any]`,
    so a typed client got dicts, not orders. Flattened, the model has Base's properties with the narrowed ones
    (it is no longer a subclass of Base: the price of the right types).
    """
    if not isinstance(value, dict) or not isinstance(value.get("allOf"), list):
        return value
    parts = [part for part in value["allOf"] if isinstance(part, dict)]  # type: ignore[union-attr]
    refs = [part["$ref"] for part in parts if isinstance(part.get("$ref"), str)]
    inline = [part for part in parts if not isinstance(part.get("$ref"), str)]
    if len(refs) != 1 or len(inline) != 1 or len(parts) != 2:
        return value
    ref, extra = str(refs[0]), inline[0]
    base = defs.get(ref.rsplit("/", 1)[-1]) if ref.startswith("#/$defs/") else None
    base_properties = base.get("properties") if isinstance(base, dict) else None
    overriding = extra.get("properties")
    if not isinstance(base, dict) or "allOf" in base or not isinstance(base_properties, dict):
        return value
    if not isinstance(overriding, dict) or not overriding.keys() & base_properties.keys():
        return value
    merged: dict[str, JsonValue] = {k: v for k, v in base.items() if k not in _ANNOTATIONS}
    merged.update({k: v for k, v in extra.items() if k not in ("properties", "required")})
    merged["properties"] = {**base_properties, **overriding}
    required = [
        name for group in (base.get("required"), extra.get("required")) if isinstance(group, list) for name in group
    ]
    if required:
        merged["required"] = list(dict.fromkeys(required))
    merged.update({k: v for k, v in value.items() if k != "allOf"})
    return merged


def _raw(value: JsonValue, key: str) -> JsonValue:
    if isinstance(value, dict):
        return value.get(key)
    if isinstance(value, list) and key.isdigit() and int(key) < len(value):
        return value[int(key)]
    return None


_ANNOTATIONS = frozenset({"description", "title", "default", "readOnly", "writeOnly", "deprecated"})


def _simplify_all_of(out: dict[str, JsonValue]) -> None:
    """Drop annotation-only (and empty) ``allOf`` members; one member left is folded into its owner.

    ``allOf: [{$ref: X}]`` alone becomes ``$ref: X`` (no wrapper class); ``allOf: [{type: object, properties: ...}]``
    (an inline schema with an annotation beside it) becomes that schema. ``allOf: [{$ref: X}, {description: ...}]``
    is how OpenAPI 3.0 documents a reference; dcg would otherwise make a numbered class per use (``FileFullLock1``).
    """
    members = out.get("allOf")
    if not isinstance(members, list):
        return
    kept = [m for m in members if not (isinstance(m, dict) and set(m) <= _ANNOTATIONS)]
    if not kept:
        del out["allOf"]
        return
    if len(kept) == 1 and isinstance(kept[0], dict) and "$ref" not in kept[0] and _mergeable(out, kept[0]):
        del out["allOf"]
        for key, sub in kept[0].items():
            if key == "required" and isinstance(sub, list) and isinstance(out.get(key), list):
                out[key] = list(dict.fromkeys([*out[key], *sub]))  # type: ignore[misc]
            out.setdefault(key, sub)
        return
    if (
        len(kept) == 1
        and isinstance(kept[0], dict)
        and set(kept[0]) == {"$ref"}
        and set(out) <= {*_ANNOTATIONS, "allOf"}
    ):
        del out["allOf"]
        out["$ref"] = kept[0]["$ref"]
    else:
        out["allOf"] = kept


def _mergeable(out: dict[str, JsonValue], member: dict[str, JsonValue]) -> bool:
    """Return whether ``member``'s keywords can join ``out``'s (annotations aside, no keyword differs)."""
    return all(
        key in _ANNOTATIONS or key in ("allOf", "required") or out.get(key, sub) == sub for key, sub in member.items()
    )


def _may_be_array(value: dict[str, JsonValue]) -> bool:
    """Return whether a schema's ``type`` allows arrays (no ``type`` allows everything)."""
    kind = value.get("type")
    if isinstance(kind, str):
        return kind == "array"
    if isinstance(kind, list):
        return "array" in kind
    return True
