"""The one schema normaliser: an OpenAPI 3.0/3.1 or AsyncAPI (draft-07) Schema Object -> JSON Schema 2020-12.

Every part that *validates instances* against a contract's schemas reads them through :class:`SchemaConverter`:
the middleware's compiled validators (``runtime/_compile.py``), the message runtime (``messaging/_compile.py``,
after :func:`contractkit.spec.schemas.standalone_schema` gathered a payload's refs), and lint's
``example-invalid`` (``lint/rules/examples.py``, with jsonschema's 2020-12 validator). So an example lint accepts
is a body the middleware accepts (``tests/workflow/test_parts_agree.py`` holds them to it).

codegen reads a schema's keywords through the same per-node function, :func:`convert_keywords` (with
:func:`nullable` and :func:`ref_siblings`), and keeps only its own job around it: naming and hoisting the schemas
that become classes, rewriting refs to those names, keeping the annotations datamodel-code-generator reads
(``description``, ``default``) and the discriminator as it is (``tests/codegen/test_keywords_agree.py``: the models
accept what the middleware accepts, keyword by keyword).

What changes on the way (done once, at start-up; ``tests/spec/test_normalise.py`` is the table):

- every local ``$ref`` is followed in the document and the target converted once into ``$defs`` (so recursion
  works and nothing is resolved per request; external refs were inlined before, by
  :func:`contractkit.spec.flatten.inline_external`). A ref that cannot be followed becomes ``true`` and is
  recorded in :attr:`SchemaConverter.broken`: the caller decides (the runtime refuses such documents earlier, lint
  skips the examples under it);
- the siblings of a ``$ref`` apply in OAS 3.1 (JSON Schema 2020-12: ``allOf: [ref, siblings]``) and are dropped in
  OAS 3.0 and AsyncAPI's draft-07, as those specifications say;
- OAS 3.0 ``nullable: true`` becomes a ``"null"`` in ``type`` (and in ``enum``); without a ``type`` it wraps
  the schema in ``anyOf: [{type: null}, ...]``, last, once the rest of the node is done (before issue 16's codegen
  merge it wrapped first, so a typeless nullable schema's ``readOnly`` properties, ``format: int32`` bounds and
  discriminator were lost in the wrapper); boolean ``exclusiveMinimum``/``exclusiveMaximum`` become the numeric
  keywords (:func:`exclusive_bounds`);
- draft-07 forms become 2020-12 ones: ``items: [...]`` is ``prefixItems`` (and ``additionalItems`` then
  ``items``), ``dependencies`` is ``dependentRequired``/``dependentSchemas`` (before issue 16 the tuple branch was
  never reached: ``items: [...]`` went through as it was);
- ``format: int32``/``int64`` add the bounds they mean (other formats are left to the validator's format
  checker);
- a ``discriminator`` next to ``oneOf``/``anyOf``/``allOf`` selects the one branch its property names (explicit
  ``mapping``, or the implicit ``#/components/schemas/<value>``), as openapi-core does: the property is
  required, an unknown value is an error on the property, and only the selected branch is validated (the rule
  carries ``$comment: discriminator`` so a reader of the errors can say so);
- in requests a ``readOnly`` property is refused (``false``) and not required; in responses ``writeOnly`` is; the
  ``plain`` direction (parameters, headers, schema-level examples) hides neither;
- annotations (``description``, ``example(s)``, ``title``, ``xml``, ``externalDocs``, ``deprecated``,
  ``$comment``, ``x-*``) and the keywords that would make the copy resolve things on its own (``$schema``,
  ``$id``, anchors, dynamic and recursive refs) are dropped.

What the readers of a schema did before this module was the one normaliser (issue 16), one line each:

- **job**: runtime/_schema made 2020-12 for jsonschema-rs; lint's ``examples._Schemas`` made dereferenced copies
  for openapi-schema-validator; spec/schemas made a message's draft-07 schema standalone for that converter;
  codegen/schemas made datamodel-code-generator's input with its own keyword list; breaking/openapi/schema_view a
  comparison view.
- **3.0 ``nullable``**: runtime ``type: [T, null]`` or ``anyOf`` (null first); lint left it to OAS30Validator;
  codegen the same as the runtime with null last; breaking a flag.
- **3.0 boolean ``exclusiveMinimum``**: runtime and codegen numeric; lint left it to the draft-4 validator;
  breaking a bound.
- **``example(s)``**: dropped by runtime and lint, kept by spec/schemas, collected by codegen as model examples.
- **``discriminator``**: runtime if/then per mapped branch; lint registry URNs for the validator's own
  discriminator (a file ref's stem as implicit name); codegen a mapping to ``$defs`` names; breaking property and
  mapping.
- **readOnly/writeOnly**: runtime ``false`` per direction; lint OAS30Read/WriteValidator (also in 3.1);
  codegen drops them; breaking flags.
- **``format``**: runtime int32/int64 bounds (jsonschema-rs asserts the rest); lint the OAS format checker;
  codegen keeps it; breaking folds size formats into bounds.
- **``$ref`` siblings**: runtime and lint 3.1 only; spec/schemas always (also AsyncAPI's draft-07, which ignores
  them); codegen dropped them (also in 3.1: a model accepted ``{$ref: Short, maxLength: 3}`` longer); breaking
  reads 3.0 ``nullable`` beside a ref.
- **recursion**: ``$defs`` pointers (runtime, spec/schemas), URN ``$ref`` (lint), a named class (codegen), lazy
  views (breaking).
- **annotations stripped**: runtime 7 and ``x-`` (kept ``$id``/``$schema``, which move a nested ``$defs`` pointer's
  base), lint 15 and ``x-``, spec/schemas none, codegen keeps docs for docstrings.
- **draft-07 forms**: ``items: [...]`` to ``prefixItems`` in the runtime and codegen (each its own code);
  ``additionalItems`` and ``dependencies`` left as 2020-12 ignores them (so the message runtime did not enforce
  them; lint did, draft-07).
- **file refs**: inlined before the runtime; followed by cursor in lint, spec/schemas, codegen (shared files
  imported) and breaking.
- **broken ref**: runtime ``true``; lint skips the example; spec/schemas raises; codegen raises.

The first three do one job, a JSON Schema 2020-12 to validate instances, and are :class:`SchemaConverter` now
(``spec/schemas`` keeps only the gathering of a message's refs across files into ``$defs``). codegen's
``SchemaSet`` reads each node through :func:`convert_keywords` (its ``keep`` the keywords dcg reads, its ``sub`` the
naming and hoisting, its ``order`` the order names are given in), applies :func:`nullable` with ``null`` last (the
order dcg's ``Optional`` output depends on) and :func:`ref_siblings` (so 3.1 siblings now shape the model: the one
change of its output, hoisted under a name of contractkit's). What stays codegen's own: which keywords dcg reads,
``allOf`` simplified, the discriminator kept as a mapping to class names. breaking's ``schema_view`` is a
comparison view (one normal form for two spellings of a meaning), a different job: it reads ``nullable`` as a flag
(also beside a 3.0 ``$ref``, which the validators ignore) and exclusive bounds as a ``Bound(value, exclusive)``
of its own (``_bounds``), the 3.0 rule :func:`exclusive_bounds` spells, which it could call on a copy.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from typing import Any, Literal

from contractkit.loaders.pointer import escape, parse_pointer
from contractkit.schema_keywords import SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_VALUES

Direction = Literal["request", "response", "plain"]
#: The Schema Object dialects: OpenAPI 3.0 (draft 4/5 with ``nullable``), OpenAPI 3.1 (2020-12), AsyncAPI (draft-07).
Dialect = Literal["oas3.0", "oas3.1", "draft-07"]
JsonSchema = dict[str, Any] | bool

_COMBINATORS = ("oneOf", "anyOf", "allOf")
_DROPPED = frozenset({
    "description", "example", "examples", "externalDocs", "xml", "title", "deprecated", "$comment",
    "$schema", "$id", "$anchor", "$dynamicAnchor", "$dynamicRef", "$recursiveRef", "$recursiveAnchor", "$vocabulary",
})  # fmt: skip
#: The mark of the rules a discriminator becomes (``$comment`` never changes a verdict).
DISCRIMINATOR = "discriminator"


def dialect_of(root: Any) -> Dialect:
    """Return the schema dialect of a document's data (``openapi: 3.0.x``, ``3.1.x``, or an AsyncAPI document)."""
    if isinstance(root, dict) and "openapi" not in root and "asyncapi" in root:
        return "draft-07"
    version = str(root.get("openapi", "3.1")) if isinstance(root, dict) else "3.1"
    return "oas3.0" if version.startswith("3.0") else "oas3.1"


class SchemaConverter:
    """Converts the schemas of one document for one direction, sharing the converted ``$ref`` targets.

    ``hidden`` is what a property hidden in this direction becomes (``false``; lint gives a marked ``not: {}``,
    because jsonschema reports a ``false`` property without its name).

    Attributes:
        defs: converted ref targets, by ``$defs`` name (add them to every root schema that uses them).
        broken: the ``$defs`` names of refs that could not be followed (``true`` in :attr:`defs`).
    """

    def __init__(
        self, root: Any, *, direction: Direction, dialect: Dialect | None = None, hidden: JsonSchema = False
    ) -> None:
        self.root = root
        self.hidden = hidden  # what a property hidden in this direction becomes (lint marks it to say why)
        self.dialect: Dialect = dialect_of(root) if dialect is None else dialect
        self.oas30 = self.dialect == "oas3.0"
        self.siblings = self.dialect == "oas3.1"
        self.direction = direction
        self.defs: dict[str, JsonSchema] = {}
        self.broken: set[str] = set()
        self._names: dict[str, str] = {}

    def root_schema(self, schema: Any) -> dict[str, Any]:
        """Return ``schema`` converted into a standalone root schema (with the ``$defs`` it reaches)."""
        converted = self.convert(schema)
        wrapped: dict[str, Any] = {"allOf": [converted]} if isinstance(converted, bool) else dict(converted)
        return self.rooted(wrapped)

    def with_defs(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Return ``schema`` with every converted ``$ref`` target attached as ``$defs``."""
        if self.defs:
            return {**schema, "$defs": {**schema.get("$defs", {}), **self.defs}}
        return schema

    def rooted(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Return ``schema`` with only the ``$defs`` it reaches (a compiled schema stays small)."""
        needed = self.reached(schema)
        return {**schema, "$defs": {name: self.defs[name] for name in needed}} if needed else schema

    def reached(self, schema: Any) -> list[str]:
        """Return the names of the converted ``$ref`` targets ``schema`` reaches, directly or through others."""
        needed: dict[str, None] = {}
        stack: list[Any] = [schema]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith("#/$defs/"):
                    name = parse_pointer(ref[len("#/$defs") :])[0]
                    if name not in needed and name in self.defs:
                        needed[name] = None
                        stack.append(self.defs[name])
                stack.extend(v for v in node.values() if isinstance(v, dict | list))
            elif isinstance(node, list):
                stack.extend(v for v in node if isinstance(v, dict | list))
        return list(needed)

    def convert(self, schema: Any) -> JsonSchema:
        """Return one schema converted (refs become ``#/$defs/...`` pointers into :attr:`defs`)."""
        if isinstance(schema, bool):
            return schema
        if not isinstance(schema, dict):
            return True  # not a schema: the document validator reports it; accept anything here
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = {"$ref": self._ref(ref)}
            rest = ref_siblings(schema, self.dialect)
            if not rest:
                return target
            converted = self.convert(rest)
            if converted is True:
                return target
            return {"allOf": [target, converted]}
        out = convert_keywords(schema, self.dialect, self._sub)
        null = self.oas30 and out.pop("nullable", None) is True
        _integer_range(out)
        self._read_write_only(out)
        if isinstance(schema.get("discriminator"), dict):
            self._discriminator(out, schema["discriminator"])
        return nullable(out) if null else out

    def _sub(self, keyword: str, path: tuple[str, ...], value: Any) -> Any:
        # A value that is no schema where one schema belongs is left as it is; in a list or a map it accepts anything.
        return self.convert(value) if len(path) > 1 or isinstance(value, dict | bool) else value

    def _ref(self, ref: str) -> str:
        """Return the ``$defs`` pointer standing for the local ``ref``, converting its target the first time."""
        name = self._names.get(ref)
        if name is not None:
            return f"#/$defs/{escape(name)}"
        name = ref.rsplit("/", 1)[-1] or "root"
        if name in self.defs:
            name = f"{name}_{len(self.defs)}"
        self._names[ref] = name
        self.defs[name] = True  # placeholder: a cycle reaching it again gets the pointer
        target = self._follow(ref)
        if target is _BROKEN:
            self.broken.add(name)
        else:
            self.defs[name] = self.convert(target)
        return f"#/$defs/{escape(name)}"

    def _follow(self, ref: str) -> Any:
        address, _, fragment = ref.partition("#")
        if address:
            return _BROKEN  # an external ref the loader could not inline
        node = self.root
        try:
            for token in parse_pointer(fragment):
                node = node[int(token)] if isinstance(node, list) else node[token]
        except (KeyError, IndexError, ValueError, TypeError):
            return _BROKEN
        return node

    def _read_write_only(self, out: dict[str, Any]) -> None:
        props = out.get("properties")
        if not isinstance(props, dict) or self.direction == "plain":
            return
        hidden = "readOnly" if self.direction == "request" else "writeOnly"
        banned = {name for name, sub in props.items() if _flag(sub, hidden, self)}
        if not banned:
            return
        out["properties"] = {name: (self.hidden if name in banned else sub) for name, sub in props.items()}
        required = out.get("required")
        if isinstance(required, list):
            out["required"] = [name for name in required if name not in banned]

    def _discriminator(self, out: dict[str, Any], discriminator: dict[str, Any]) -> None:
        prop = discriminator.get("propertyName")
        branches = next((out[key] for key in _COMBINATORS if isinstance(out.get(key), list)), None)
        if not isinstance(prop, str) or branches is None:
            return
        mapping: dict[str, str] = {}
        raw = discriminator.get("mapping")
        if isinstance(raw, dict):
            mapping.update({str(k): str(v) for k, v in raw.items() if isinstance(v, str)})
        # Implicit mapping: the component schema named like the value (openapi-core's rule).
        for ref in _branch_refs(self, out):
            if ref.startswith("#/components/schemas/"):
                mapping.setdefault(ref.rsplit("/", 1)[-1], ref)
        if not mapping:
            return
        for key in _COMBINATORS:
            out.pop(key, None)
        rules: list[JsonSchema] = [
            {
                "required": [prop],
                "properties": {prop: {"enum": sorted(mapping), "$comment": DISCRIMINATOR}},
                "$comment": DISCRIMINATOR,
            },
            *(
                {
                    "if": {"properties": {prop: {"const": value}}, "required": [prop]},
                    "then": {"$ref": self._ref(target if "#" in target else f"#/components/schemas/{target}")},
                }
                for value, target in sorted(mapping.items())
            ),
        ]
        out["allOf"] = [*out.get("allOf", []), *rules]
        out.setdefault("type", "object")


_BROKEN = object()


def exclusive_bounds(out: dict[str, Any]) -> None:
    """Turn OpenAPI 3.0's boolean ``exclusiveMinimum``/``exclusiveMaximum`` into JSON Schema's numbers, in place."""
    for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = out.get(key)
        if isinstance(flag, bool):
            del out[key]
            if flag and bound in out:
                out[key] = out.pop(bound)


def nullable(out: dict[str, Any], *, null_first: bool = True) -> JsonSchema:
    """Return ``out`` (a converted schema whose OpenAPI 3.0 ``nullable`` was ``true``) accepting ``null`` too.

    ``null`` joins the ``type`` (and the ``enum``, for one type), or a typeless schema becomes
    ``anyOf: [{type: null}, out]``: ``null`` first for the validators; codegen puts it last (``null_first=False``),
    the order datamodel-code-generator's ``Optional`` output depends on.
    """
    kind = out.get("type")
    if isinstance(kind, str):
        out["type"] = [kind, "null"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        return out
    if isinstance(kind, list):  # not OpenAPI 3.0, but its meaning is plain
        if "null" not in kind:
            out["type"] = [*kind, "null"]
        return out
    return {"anyOf": [{"type": "null"}, out] if null_first else [out, {"type": "null"}]}


def ref_siblings(schema: dict[str, Any], dialect: Dialect) -> dict[str, Any]:
    """Return the keywords beside a ``$ref`` that apply: all of them in OAS 3.1 (2020-12), none in 3.0 and draft-07."""
    if dialect != "oas3.1":
        return {}
    return {key: value for key, value in schema.items() if key != "$ref"}


#: Converts one subschema: (the 2020-12 keyword holding it, its path from the node, its value) -> the converted one.
Sub = Callable[[str, tuple[str, ...], Any], Any]


@functools.cache
def _ranks(order: tuple[str, ...]) -> dict[str, int]:
    return {keyword: i for i, keyword in enumerate(order)}


def convert_keywords(
    schema: dict[str, Any],
    dialect: Dialect,
    sub: Sub,
    *,
    keep: Collection[str] | None = None,
    order: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Return one Schema Object's own keywords in JSON Schema 2020-12, each of its subschemas converted by ``sub``.

    The per-node rules of every reader of a schema (the validators' :class:`SchemaConverter`, codegen's
    ``SchemaSet``): draft-07 ``items: [...]`` is ``prefixItems`` (and ``additionalItems`` then ``items``),
    ``dependencies`` is ``dependentRequired``/``dependentSchemas``, OAS 3.0 boolean exclusive bounds are numbers.
    ``nullable`` is left in the result for the caller to pop and apply with :func:`nullable` once it has finished
    the node (it may wrap it). A ``$ref`` is the caller's (see :func:`ref_siblings`).

    Args:
        schema: the Schema Object (refs not followed).
        dialect: its dialect.
        sub: converts each subschema; called with the 2020-12 keyword (``prefixItems`` for a draft-07 tuple), the
            path from ``schema`` (``("items", "0")``) and the value.
        keep: the source keywords read (the others are left out, their subschemas never converted); by default
            all but annotations, ``x-*`` and the keywords that would make the copy resolve on its own.
        order: 2020-12 keywords whose subschemas are converted first, in this order (the rest in source order);
            the result keeps the source order.

    Returns:
        A new dict (the source is not changed).
    """
    out: dict[str, Any] = {}
    slots: list[tuple[str, tuple[str, ...], Any, Any, Any]] = []  # (keyword, path, value, container, slot)
    for key, value in schema.items():
        if (key in _DROPPED or key.startswith("x-")) if keep is None else key not in keep:
            continue
        if key == "items" and isinstance(value, list):  # draft 4-7 tuple form
            out["prefixItems"] = items = list(value)
            slots.extend(("prefixItems", (key, str(i)), item, items, i) for i, item in enumerate(value))
        elif key in SCHEMA_LISTS and isinstance(value, list):
            out[key] = members = list(value)
            slots.extend((key, (key, str(i)), item, members, i) for i, item in enumerate(value))
        elif key in SCHEMA_MAPS and isinstance(value, dict):
            out[key] = named = dict(value)
            slots.extend((key, (key, name), item, named, name) for name, item in value.items())
        elif key in SCHEMA_VALUES:
            out[key] = value
            slots.append((key, (key,), value, out, key))
        elif key == "dependencies" and isinstance(value, dict):  # draft 4-7
            for name, dependency in value.items():
                if isinstance(dependency, list):
                    out.setdefault("dependentRequired", {})[name] = dependency
                else:
                    schemas = out.setdefault("dependentSchemas", {})
                    schemas[name] = dependency
                    slots.append(("dependentSchemas", (key, name), dependency, schemas, name))
        else:
            out[key] = value
    if order and len(slots) > 1:
        rank = _ranks(order)
        slots.sort(key=lambda slot: rank.get(slot[0], len(rank)))
    for keyword, path, value, container, slot in slots:
        container[slot] = sub(keyword, path, value)
    if isinstance(schema.get("items"), list) and "additionalItems" in out:
        out["items"] = out.pop("additionalItems")  # the 2020-12 spelling of the tuple's rest
    if dialect == "oas3.0":
        exclusive_bounds(out)
    return out


def _branch_refs(converter: SchemaConverter, out: dict[str, Any]) -> list[str]:
    refs = []
    reverse = {f"#/$defs/{escape(name)}": ref for ref, name in converter._names.items()}
    for key in _COMBINATORS:
        for branch in out.get(key, []) or []:
            if isinstance(branch, dict) and isinstance(branch.get("$ref"), str) and branch["$ref"] in reverse:
                refs.append(reverse[branch["$ref"]])
    return refs


#: The ranges OpenAPI's integer formats promise (openapi-core checks them as formats).
_INTEGER_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def _integer_range(out: dict[str, Any]) -> None:
    """Turn `format: int32`/`int64` into the bounds it means, unless the schema states its own."""
    bounds = _INTEGER_RANGES.get(str(out.get("format")))
    if bounds is None:
        return
    if "minimum" not in out and "exclusiveMinimum" not in out:
        out["minimum"] = bounds[0]
    if "maximum" not in out and "exclusiveMaximum" not in out:
        out["maximum"] = bounds[1]


def _flag(schema: Any, keyword: str, converter: SchemaConverter, depth: int = 0) -> bool:
    """Return whether a (converted) property schema carries ``keyword: true``, through its refs."""
    if not isinstance(schema, dict) or depth > 8:
        return False
    if schema.get(keyword) is True:
        return True
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        name = parse_pointer(ref[len("#/$defs") :])[0]
        return _flag(converter.defs.get(name), keyword, converter, depth + 1)
    allof = schema.get("allOf")
    return isinstance(allof, list) and any(_flag(sub, keyword, converter, depth + 1) for sub in allof)
